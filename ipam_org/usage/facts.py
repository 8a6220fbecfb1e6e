"""What `usage` reads from AWS, as AWS answered it (boto3's shapes), so that the computation can be fed from
the emulator, from AWS or from a test without a network."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Account:
    name: str = ""
    ou: str = ""  # the parent OU's ID ("" when the account sits at the root, or Organizations would not say)
    ou_name: str = ""


@dataclass
class Facts:
    ipam: dict[str, Any]  # DescribeIpams
    pools: list[dict[str, Any]]  # DescribeIpamPools
    cidrs: dict[str, list[dict[str, Any]]]  # pool ID -> GetIpamPoolCidrs
    allocations: dict[str, list[dict[str, Any]]]  # pool ID -> GetIpamPoolAllocations
    resources: list[dict[str, Any]]  # GetIpamResourceCidrs, every scope of the IPAM
    read_at: datetime
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # resource CIDR -> GetIpamAddressHistory
    history_read: bool = False
    accounts: dict[str, Account] = field(default_factory=dict)
