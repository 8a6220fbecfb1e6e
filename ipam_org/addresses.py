"""The Terraform names ipam-org gives what it creates: one owner for the scheme.

The constructs and stacks write these names, module export writes import blocks to them, and the review reads
them back to say which pool, fact, scope or OU a change is about. The module's HCL (dist/) keys its resources
the same way and the checkov policies match them: tests hold both against this module.

Pool names cannot contain "_" (domain.POOL_NAME), so in every pool resource the pool's name is everything before
the first "_".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The resource types the stacks write, by the account whose provider creates them (the deployer policies grant
# these, the review describes these and refuses any other).
RESOURCE_TYPES = {
    "management": (
        "aws_vpc_ipam_organization_admin_account",
        "aws_ram_sharing_with_organization",
        "aws_organizations_policy",
        "aws_organizations_policy_attachment",
    ),
    "delegated": (
        "aws_vpc_ipam",
        "aws_vpc_ipam_scope",
        "aws_vpc_ipam_pool",
        "aws_vpc_ipam_pool_cidr",
        "aws_ram_resource_share",
        "aws_ram_resource_association",
        "aws_ram_principal_association",
        "aws_ssm_parameter",
        "aws_sns_topic",
        "aws_sns_topic_subscription",
        "aws_cloudwatch_metric_alarm",
    ),
}
ALARMS_TOPIC = "ipam_alarms"  # the SNS topic the alarms notify, when ipam-org creates it


def slug(text: str) -> str:
    """A CIDR or principal as a Terraform name part: 10.0.0.0/8 -> 10-0-0-0-8."""
    return re.sub(r"[^A-Za-z0-9-]", "-", text)


def pool_cidr(pool: str, cidr: str) -> str:
    return f"{pool}_{slug(cidr)}"


def pool_netmask(pool: str, netmask_length: int) -> str:
    """An Amazon-provided (or netmask-sized) CIDR: AWS picks the block."""
    return f"{pool}_netmask-{netmask_length}"


def share(pool: str) -> str:
    return f"{pool}_share"


def share_pool(pool: str) -> str:
    """The association that puts the pool in its share."""
    return f"{pool}_share_pool"


def share_principal(pool: str, principal: str) -> str:
    """principal: the organization, an OU ID or an account ID."""
    return f"{pool}_share_{principal}"


def parameter(pool: str, fact: str) -> str:
    return f"{pool}_param-{fact}"


def share_parameter(pool: str, fact: str) -> str:
    """The association that puts a published fact in the pool's share."""
    return f"{pool}_share_param-{fact}"


def scope(name: str) -> str:
    """A custom scope: the prefix keeps it apart from every name the pools use."""
    return f"ipam_scope_{name}"


def alarm(pool: str, kind: str) -> str:
    """A CloudWatch alarm on one of the pool's metrics; kind: domain.monitoring.AlarmKind.key."""
    return f"{pool}_alarm-{kind}"


def subscription(email: str) -> str:
    """An e-mail subscription to the alarms' topic (the prefix keeps it apart from every pool's names)."""
    return f"{ALARMS_TOPIC}_{slug(email)}"


def guardrail(ou: str) -> str:
    return f"guardrail_{ou}"


def attachment(policy: str) -> str:
    return f"{policy}_attachment"


@dataclass(frozen=True)
class Named:
    """What a resource name says: the pool (or scope, or guarded OU) it belongs to, a published fact, an alarm."""

    pool: str | None = None
    fact: str | None = None
    scope: str | None = None
    ou: str | None = None
    alarm: str | None = None


_SCOPE = re.compile(r"ipam_scope_(?P<scope>.+)")
_GUARDRAIL = re.compile(r"guardrail_(?P<ou>.+?)(?:_attachment)?")
_FACT = re.compile(r"[^_]+(?:_share)?_param-(?P<fact>[a-z]+)")
_ALARM = re.compile(r"[^_]+_alarm-(?P<alarm>[a-z]+)")


def parse(resource_type: str, name: str) -> Named:
    """The inverse of the functions above, for a resource of resource_type named name."""
    if resource_type == "aws_vpc_ipam_scope" and (match := _SCOPE.fullmatch(name)):
        return Named(scope=match["scope"])
    if resource_type.startswith("aws_organizations_policy") and (match := _GUARDRAIL.fullmatch(name)):
        return Named(ou=match["ou"])
    if resource_type.startswith("aws_sns_topic"):
        return Named()  # the topic and its subscriptions belong to no pool
    if resource_type == "aws_cloudwatch_metric_alarm" and (match := _ALARM.fullmatch(name)):
        return Named(pool=name.split("_", 1)[0], alarm=match["alarm"])
    fact = _FACT.fullmatch(name)
    return Named(pool=name.split("_", 1)[0], fact=fact["fact"] if fact else None)
