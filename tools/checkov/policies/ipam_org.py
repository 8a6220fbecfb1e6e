"""ipam-org's invariants as checkov policies, for anyone who edits a config and wants its output checked.

    checkov -d cdktf.out/stacks/<stack> --framework terraform_json --external-checks-dir tools/checkov/policies

checkov parses Terraform JSON into lists (every value wrapped once); `_value` unwraps them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.provider.base_check import BaseProviderCheck
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

# An account ID, or an organization or OU ARN (a module's ARN may hold ${var...} for the account and organization).
PRINCIPAL = re.compile(
    r"[0-9]{12}|arn:aws[a-z-]*:organizations::(?:[0-9]{12}|\$\{var\.[a-z_]+\}):(?:organization|ou)/\S+"
)
POOL_ARN = re.compile(
    r"\$\{aws_vpc_ipam_pool\.[A-Za-z0-9_-]+\.arn\}|arn:aws[a-z-]*:ec2::[0-9]{12}:ipam-pool/ipam-pool-[0-9a-f]+"
)
# A published pool's facts (share.publish) travel in its share: /ipam-org/pools/<pool>/<fact> parameters only.
POOL_PARAMETER_ARN = re.compile(
    r"\$\{aws_ssm_parameter\.[A-Za-z0-9-]+_param-(id|arn|cidrs|locale)\.arn\}"
    r"|arn:aws[a-z-]*:ssm:[a-z0-9-]+:[0-9]{12}:parameter/ipam-org/pools/[A-Za-z0-9-]+/(id|arn|cidrs|locale)"
)


def _value(conf: dict[str, Any], key: str) -> Any:
    value = conf.get(key)
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def _prevents_destroy(conf: dict[str, Any]) -> bool:
    lifecycle = _value(conf, "lifecycle")
    return isinstance(lifecycle, dict) and _value(lifecycle, "prevent_destroy") is True


class SharesStayInsideTheOrganization(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="IPAM pool shares never allow principals outside the organization (allow_external_principals = false)",
            id="CKV_IPAMORG_1",
            categories=[CheckCategories.IAM],
            supported_resources=["aws_ram_resource_share"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return CheckResult.PASSED if _value(conf, "allow_external_principals") is False else CheckResult.FAILED


class IpamIsProtected(BaseResourceCheck):
    """Fails on purpose in a teardown stack (protect: false): that is the change a reviewer must see."""

    def __init__(self) -> None:
        super().__init__(
            name="The IPAM, its pools and their CIDRs carry prevent_destroy (config protect: true)",
            id="CKV_IPAMORG_2",
            categories=[CheckCategories.BACKUP_AND_RECOVERY],
            supported_resources=["aws_vpc_ipam", "aws_vpc_ipam_pool", "aws_vpc_ipam_pool_cidr"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return CheckResult.PASSED if _prevents_destroy(conf) else CheckResult.FAILED


class OrganizationSettingsAreProtected(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Organization-wide settings (IPAM delegation, RAM sharing with the organization) carry "
            "prevent_destroy",
            id="CKV_IPAMORG_3",
            categories=[CheckCategories.BACKUP_AND_RECOVERY],
            supported_resources=["aws_vpc_ipam_organization_admin_account", "aws_ram_sharing_with_organization"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return CheckResult.PASSED if _prevents_destroy(conf) else CheckResult.FAILED


class ProviderIsPinnedToItsAccount(BaseProviderCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Every AWS provider names the one account it may act in (allowed_account_ids)",
            id="CKV_IPAMORG_4",
            categories=[CheckCategories.IAM],
            supported_provider=["aws"],
        )

    def scan_provider_conf(self, conf: dict[str, Any]) -> CheckResult:
        accounts = conf.get("allowed_account_ids")
        while isinstance(accounts, list) and len(accounts) == 1 and isinstance(accounts[0], list):
            accounts = accounts[0]
        return CheckResult.PASSED if isinstance(accounts, list) and len(accounts) == 1 else CheckResult.FAILED


class PrincipalsAreOrganizationMembers(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Pools are shared only with an account ID, the organization or an OU (never a role, user or service)",
            id="CKV_IPAMORG_5",
            categories=[CheckCategories.IAM],
            supported_resources=["aws_ram_principal_association"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        principal = _value(conf, "principal")
        return (
            CheckResult.PASSED if isinstance(principal, str) and PRINCIPAL.fullmatch(principal) else CheckResult.FAILED
        )


class SharesHoldOnlyPools(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="IPAM shares hold IPAM pools (and their published ipam-org parameters) and nothing else",
            id="CKV_IPAMORG_6",
            categories=[CheckCategories.IAM],
            supported_resources=["aws_ram_resource_association"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        resource = _value(conf, "resource_arn")
        allowed = isinstance(resource, str) and (POOL_ARN.fullmatch(resource) or POOL_PARAMETER_ARN.fullmatch(resource))
        return CheckResult.PASSED if allowed else CheckResult.FAILED


class GuardrailOnlyRequiresIpam(BaseResourceCheck):
    """The guardrail SCP denies VPC creation and CIDR association on VPCs, nothing else, and is attached to OUs."""

    DENIED = {"ec2:CreateVpc", "ec2:AssociateVpcCidrBlock"}

    def __init__(self) -> None:
        super().__init__(
            name="The guardrail SCP only denies VPC creation and VPC CIDR association, and is attached to OUs",
            id="CKV_IPAMORG_7",
            categories=[CheckCategories.IAM],
            supported_resources=["aws_organizations_policy", "aws_organizations_policy_attachment"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        if "target_id" in conf:  # the attachment: never the root or an account
            target = _value(conf, "target_id")
            return CheckResult.PASSED if isinstance(target, str) and target.startswith("ou-") else CheckResult.FAILED
        try:
            statements = json.loads(_value(conf, "content"))["Statement"]
        except (TypeError, ValueError, KeyError):
            return CheckResult.FAILED
        narrow = all(
            s.get("Effect") == "Deny"
            and {s.get("Action")} <= self.DENIED
            and str(s.get("Resource", "")).endswith(":vpc/*")
            for s in statements
        )
        return CheckResult.PASSED if statements and narrow else CheckResult.FAILED


class PoolAlarmsNotifySomeone(BaseResourceCheck):
    """An alarm on IPAM's pool metrics that notifies no one, or watches no pool, is monitoring in name only."""

    def __init__(self) -> None:
        super().__init__(
            name="Alarms on IPAM pool metrics (AWS/IPAM) watch one pool by IpamPoolId and notify an SNS topic",
            id="CKV_IPAMORG_8",
            categories=[CheckCategories.LOGGING],
            supported_resources=["aws_cloudwatch_metric_alarm"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        if _value(conf, "namespace") != "AWS/IPAM":
            return CheckResult.UNKNOWN
        dimensions = _value(conf, "dimensions")
        actions = conf.get("alarm_actions") or []
        while len(actions) == 1 and isinstance(actions[0], list):
            actions = actions[0]
        notifies = bool(actions) and all(
            isinstance(a, str) and (":sns:" in a or "aws_sns_topic." in a) for a in actions
        )
        keys = {key for key in dimensions if not key.startswith("__")} if isinstance(dimensions, dict) else set()
        watches = keys == {"IpamPoolId"}  # checkov adds __startline__ and __endline__
        enabled = _value(conf, "actions_enabled") is not False
        return CheckResult.PASSED if notifies and watches and enabled else CheckResult.FAILED


class AlarmTopicStaysPrivate(BaseResourceCheck):
    """The topic takes no policy that opens it to any principal, and alarms go out by e-mail, never to an endpoint."""

    def __init__(self) -> None:
        super().__init__(
            name="The alarms' SNS topic has no policy open to every principal, and its subscriptions are e-mail only",
            id="CKV_IPAMORG_9",
            categories=[CheckCategories.IAM],
            supported_resources=["aws_sns_topic", "aws_sns_topic_subscription"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        if "protocol" in conf:
            return CheckResult.PASSED if _value(conf, "protocol") in ("email", "email-json") else CheckResult.FAILED
        document = _value(conf, "policy")
        if document is None:
            return CheckResult.PASSED
        try:
            statements = json.loads(document).get("Statement", [])
        except (TypeError, ValueError, AttributeError):
            return CheckResult.FAILED
        open_to_all = any(s.get("Principal") in ("*", {"AWS": "*"}) and s.get("Effect") == "Allow" for s in statements)
        return CheckResult.FAILED if open_to_all else CheckResult.PASSED


SharesStayInsideTheOrganization()
AlarmTopicStaysPrivate()
PoolAlarmsNotifySomeone()
GuardrailOnlyRequiresIpam()
IpamIsProtected()
OrganizationSettingsAreProtected()
ProviderIsPinnedToItsAccount()
PrincipalsAreOrganizationMembers()
SharesHoldOnlyPools()
