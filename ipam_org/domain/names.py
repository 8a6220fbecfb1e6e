"""How ipam-org names what it creates, shared by the stacks, the Terraform module's inputs and its import blocks:
CIDRs in one canonical spelling, Terraform name parts, pool ARNs."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from ipam_org.config.model import Config
from ipam_org.domain.principals import partition_of


def canonical_cidr(cidr: str) -> str:
    """fd00:0::/64 and fd00::/64 are one block: its spelling as Python and Terraform's cidrhost() give it."""
    return str(ipaddress.ip_network(cidr))


def normalized_cidrs(cidrs: Sequence[str]) -> list[str]:
    """Each CIDR once, in its canonical spelling, sorted."""
    return sorted({canonical_cidr(cidr) for cidr in cidrs})


def pool_arn(config: Config, pool_id: str) -> str:
    """An IPAM pool's ARN: global (no Region), in the IPAM account."""
    return f"arn:{partition_of(config.home_region)}:ec2::{config.organization.ipam_account_id}:ipam-pool/{pool_id}"
