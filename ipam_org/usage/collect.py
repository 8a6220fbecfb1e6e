"""Read the facts from AWS: the IPAM account's pools, their CIDRs and allocations, every scope's resource CIDRs,
address history, and the accounts' names and OUs through Organizations. Read-only and paginated."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TextIO

from ipam_org.aws.shapes import name_tag
from ipam_org.config.model import Config
from ipam_org.domain import walk
from ipam_org.usage.facts import Account, Facts

# Every call collect() makes, as IAM names it: the usage role's whole policy (`ipam-org preflight policy --role
# usage`); the life-cycle proof records the calls and holds them to this list.
ACTIONS = [
    "ec2:DescribeIpamPools",
    "ec2:DescribeIpamScopes",
    "ec2:DescribeIpams",
    "ec2:GetIpamAddressHistory",
    "ec2:GetIpamPoolAllocations",
    "ec2:GetIpamPoolCidrs",
    "ec2:GetIpamResourceCidrs",
    "organizations:DescribeOrganizationalUnit",
    "organizations:ListAccounts",
    "organizations:ListParents",
]


class Progress:
    """One updating line on a terminal ("reading allocations 12/40"); silent when not a terminal."""

    def __init__(self, stream: TextIO = sys.stderr):
        self.stream, self.live = stream, stream.isatty()

    def step(self, what: str, done: int, total: int) -> None:
        if self.live:
            self.stream.write(f"\r\033[Kreading {what} {done}/{total}")
            self.stream.flush()

    def end(self) -> None:
        if self.live:
            self.stream.write("\r\033[K")


def _all(client: Any, operation: str, key: str, **request: Any) -> list[dict[str, Any]]:
    return [item for page in client.get_paginator(operation).paginate(**request) for item in page[key]]


def _pick_ipam(ipams: list[dict[str, Any]], pools: list[dict[str, Any]], config: Config) -> dict[str, Any]:
    """The IPAM whose pools carry the most of the config's pool names (an account may hold more than one)."""
    if config.adopt and config.adopt.ipam:
        found = [i for i in ipams if i["IpamId"] == config.adopt.ipam]
        if found:
            return found[0]
    names = {node.pool.name for node in walk(config.pools)}

    def matches(ipam: dict[str, Any]) -> int:
        return sum(1 for p in pools if p.get("IpamArn") == ipam["IpamArn"] and name_tag(p) in names)

    return max(ipams, key=lambda i: (matches(i), i["IpamId"]))


def collect(config: Config, ipam_session: Any, organizations: Any | None, history: bool, progress: Progress) -> Facts:
    ec2 = ipam_session.client("ec2")
    read_at = datetime.now(UTC)
    ipams = _all(ec2, "describe_ipams", "Ipams")
    if not ipams:
        raise LookupError(f"account {config.organization.ipam_account_id} has no IPAM in {config.home_region}")
    every_pool = _all(ec2, "describe_ipam_pools", "IpamPools")
    ipam = _pick_ipam(ipams, every_pool, config)
    pools = [p for p in every_pool if p.get("IpamArn") == ipam["IpamArn"]]
    cidrs, allocations = {}, {}
    for done, pool in enumerate(pools, 1):
        progress.step("pools", done, len(pools))
        cidrs[pool["IpamPoolId"]] = _all(ec2, "get_ipam_pool_cidrs", "IpamPoolCidrs", IpamPoolId=pool["IpamPoolId"])
        allocations[pool["IpamPoolId"]] = _all(
            ec2, "get_ipam_pool_allocations", "IpamPoolAllocations", IpamPoolId=pool["IpamPoolId"]
        )
    scopes = [s for s in _all(ec2, "describe_ipam_scopes", "IpamScopes") if s.get("IpamArn") == ipam["IpamArn"]]
    resources = []
    for done, scope in enumerate(s for s in scopes if s.get("IpamScopeType") == "private"):
        progress.step("resource CIDRs of scope", done + 1, len(scopes))
        resources += _all(ec2, "get_ipam_resource_cidrs", "IpamResourceCidrs", IpamScopeId=scope["IpamScopeId"])
    facts = Facts(ipam, pools, cidrs, allocations, resources, read_at)
    if history:
        _read_history(ec2, facts, progress.step)
    if organizations is not None:
        facts.accounts = _accounts(organizations, {r.get("ResourceOwnerId", "") for r in resources})
    progress.end()
    return facts


def _read_history(ec2: Any, facts: Facts, step: Callable[[str, int, int], None]) -> None:
    """History of each CIDR a pool holds for a resource (IPAM answers per exact CIDR)."""
    scope_of = {p["IpamPoolId"]: p.get("IpamScopeArn", "").rsplit("/", 1)[-1] for p in facts.pools}
    held = [
        (allocation["Cidr"], scope_of[pool_id])
        for pool_id, found in facts.allocations.items()
        for allocation in found
        if allocation.get("ResourceType") not in ("ipam-pool", None)
    ]
    for done, (cidr, scope) in enumerate(held, 1):
        step("address history", done, len(held))
        facts.history[cidr] = _all(
            ec2,
            "get_ipam_address_history",
            "HistoryRecords",
            Cidr=cidr,
            IpamScopeId=scope,
            StartTime=datetime(2000, 1, 1),
        )
    facts.history_read = True


def _accounts(organizations: Any, wanted: set[str]) -> dict[str, Account]:
    """Names and parent OUs of the accounts that own resource CIDRs (any delegated administrator may read
    Organizations: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_delegate_policies.html)."""
    names = {a["Id"]: a.get("Name", "") for a in _all(organizations, "list_accounts", "Accounts")}
    found, ou_names = {}, {}
    for account in sorted(wanted - {""}):
        parents = organizations.list_parents(ChildId=account)["Parents"] if account in names else []
        ou = next((p["Id"] for p in parents if p["Type"] == "ORGANIZATIONAL_UNIT"), "")
        if ou and ou not in ou_names:
            ou_names[ou] = organizations.describe_organizational_unit(OrganizationalUnitId=ou)["OrganizationalUnit"][
                "Name"
            ]
        found[account] = Account(names.get(account, ""), ou, ou_names.get(ou, ""))
    return found
