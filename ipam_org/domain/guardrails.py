"""The SCP that makes VPCs allocate from IPAM: which pools each guarded OU may name, and the policy document.

AWS documents the shape (https://docs.aws.amazon.com/vpc/latest/ipam/scp-ipam.html): deny ec2:CreateVpc and
ec2:AssociateVpcCidrBlock on VPCs unless ec2:Ipv4IpamPoolId (ec2:Ipv6IpamPoolId) names an allowed pool; the
keys hold pool IDs. A negated operator is true when the key is absent
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html), so a
request without a pool is denied too. The keys under one operator are ANDed, which is how exempt accounts
(aws:PrincipalAccount) are let through.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ipam_org.config.model import Config, Pool
from ipam_org.domain import last_segment
from ipam_org.domain.principals import all_pools, partition_of

# https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
SCP_MAX_CHARACTERS = 5120
SCPS_PER_TARGET = 5  # including FullAWSAccess
LONGEST_POOL_ID = "ipam-pool-" + "f" * 17  # what AWS hands out: ipam-pool- and 17 hex digits
GUARDED_ACTIONS = ["ec2:AssociateVpcCidrBlock", "ec2:CreateVpc"]


@dataclass(frozen=True)
class GuardedOu:
    """An OU under the guardrail and the pools it may allocate VPC CIDRs from (shared with it, with a locale)."""

    id: str
    ipv4: tuple[Pool, ...]
    ipv6: tuple[Pool, ...]

    @property
    def policy_name(self) -> str:
        return f"ipam-org-require-ipam-{self.id}"


def shared_with_ou(pool: Pool, ou_id: str) -> bool:
    share = pool.share
    return share is not None and (
        share.organization or any(last_segment(entry) == ou_id for entry in share.organizational_units)
    )


def guarded_ous(config: Config) -> list[GuardedOu]:
    """Pools shared with the organization or with the OU itself; a VPC can only allocate from a pool with a locale."""
    guard = config.guardrails.require_ipam_for_vpcs
    if guard is None:
        return []
    found = []
    for ou in guard.organizational_units:
        allowed = [p for p in all_pools(config.pools) if p.locale and shared_with_ou(p, ou)]
        found.append(
            GuardedOu(
                ou,
                tuple(p for p in allowed if p.address_family == "ipv4"),
                tuple(p for p in allowed if p.address_family == "ipv6"),
            )
        )
    return found


def exempt_accounts(config: Config) -> list[str]:
    """The configured exemptions and the IPAM account, which owns the pools and is never restricted."""
    guard = config.guardrails.require_ipam_for_vpcs
    listed = guard.exempt_accounts if guard else []
    return sorted({*listed, config.organization.ipam_account_id})


def scp_document(
    partition: str, ipv4_pool_ids: Sequence[str], ipv6_pool_ids: Sequence[str], exempt: Sequence[str]
) -> dict[str, Any]:
    """The policy: CreateVpc must name an allowed IPv4 pool (and an allowed IPv6 pool when it names one);
    AssociateVpcCidrBlock must name an allowed pool of either family. Exempt accounts are not restricted."""
    vpcs = f"arn:{partition}:ec2:*:*:vpc/*"
    accounts = {"aws:PrincipalAccount": list(exempt)}
    statements = [
        {
            "Sid": "CreateVpcFromIpamPool",
            "Effect": "Deny",
            "Action": "ec2:CreateVpc",
            "Resource": vpcs,
            "Condition": {"StringNotEquals": {"ec2:Ipv4IpamPoolId": list(ipv4_pool_ids), **accounts}},
        },
        {
            "Sid": "AssociateVpcCidrFromIpamPool",
            "Effect": "Deny",
            "Action": "ec2:AssociateVpcCidrBlock",
            "Resource": vpcs,
            "Condition": {
                "StringNotEquals": {
                    "ec2:Ipv4IpamPoolId": list(ipv4_pool_ids),
                    **({"ec2:Ipv6IpamPoolId": list(ipv6_pool_ids)} if ipv6_pool_ids else {}),
                    **accounts,
                }
            },
        },
    ]
    if ipv6_pool_ids:
        statements.append(
            {
                "Sid": "CreateVpcIpv6FromIpamPool",
                "Effect": "Deny",
                "Action": "ec2:CreateVpc",
                "Resource": vpcs,
                "Condition": {
                    "StringNotEquals": {"ec2:Ipv6IpamPoolId": list(ipv6_pool_ids), **accounts},
                    "Null": {"ec2:Ipv6IpamPoolId": "false"},
                },
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


def render(document: dict[str, Any]) -> str:
    """Compact JSON: AWS counts every character of an SCP, whitespace included."""
    return json.dumps(document, separators=(",", ":"))


def longest_document(config: Config, ou: GuardedOu) -> str:
    """The OU's SCP with every pool ID at its longest: what the size limit must hold for before IDs exist."""
    return render(
        scp_document(
            partition_of(config.home_region),
            [LONGEST_POOL_ID] * len(ou.ipv4),
            [LONGEST_POOL_ID] * len(ou.ipv6),
            exempt_accounts(config),
        )
    )
