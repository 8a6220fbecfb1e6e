"""The usage report from the facts: per pool, per account and OU, and what IPAM flags across the organization.

A pool's numbers are AWS's CloudWatch pool metrics, computed from the same allocations
(https://docs.aws.amazon.com/vpc/latest/ipam/cloudwatch-ipam-ip-address-usage.html):
- provisioned: the addresses of the pool's provisioned CIDRs;
- allocated: to child pools (allocations of resource type ipam-pool), PercentAllocated;
- assigned: to resources, manual (custom) allocations included, PercentAssigned;
- free: neither, PercentAvailable. "Used" is allocated + assigned, what a threshold compares against.
Resource CIDRs keep IPAM's own states (GetIpamResourceCidrs): managed / unmanaged / ignored, compliant /
noncompliant, overlapping (https://docs.aws.amazon.com/vpc/latest/ipam/monitor-cidr-compliance-ipam.html).
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from typing import Any

from ipam_org.aws.shapes import name_tag
from ipam_org.config.model import Config
from ipam_org.domain import walk
from ipam_org.usage.facts import Facts
from ipam_org.usage.forecast import forecast

SCHEMA = "ipam-org/usage/v1"
ADVANCED_TIER_USD_PER_IP_HOUR = 0.00027  # https://aws.amazon.com/vpc/pricing/ (IPAM tab), as read 2024-05
HOURS_PER_MONTH = 730


def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    return ipaddress.ip_network(text, strict=False)


def _free_blocks(cidrs: list[str], taken: list[str]) -> list[Any]:
    """The free space of cidrs once taken is removed, as CIDR blocks, largest first."""
    free = []
    for cidr in map(_network, cidrs):
        blocks = [cidr]
        for used in map(_network, taken):
            if used.version != cidr.version:
                continue
            next_blocks = []
            for block in blocks:
                if block.subnet_of(used):
                    continue
                next_blocks.extend(block.address_exclude(used) if used.subnet_of(block) else [block])
            blocks = next_blocks
        free.extend(blocks)
    return sorted(free, key=lambda b: (b.prefixlen, b.version, int(b.network_address)))


def _fits(free: list[Any], lengths: list[int]) -> list[dict[str, int]]:
    """How many blocks of each length the free space holds ("fits 3 x /16")."""
    return [
        {"length": length, "count": sum(2 ** (length - b.prefixlen) for b in free if b.prefixlen <= length)}
        for length in lengths
    ]


def _pool_row(pool: dict[str, Any], facts: Facts, names: dict[str, str], threshold: float) -> dict[str, Any]:
    provisioned_cidrs = [c["Cidr"] for c in facts.cidrs.get(pool["IpamPoolId"], []) if c.get("State") == "provisioned"]
    allocations = facts.allocations.get(pool["IpamPoolId"], [])
    provisioned = sum(_network(c).num_addresses for c in provisioned_cidrs)
    to_pools = sum(_network(a["Cidr"]).num_addresses for a in allocations if a.get("ResourceType") == "ipam-pool")
    to_resources = sum(_network(a["Cidr"]).num_addresses for a in allocations if a.get("ResourceType") != "ipam-pool")
    free_blocks = _free_blocks(provisioned_cidrs, [a["Cidr"] for a in allocations])
    lengths = sorted({b.prefixlen for b in free_blocks[:1]} | {int(pool.get("AllocationDefaultNetmaskLength") or 0)})
    lengths = [n for n in lengths if n and (not free_blocks or n >= free_blocks[0].prefixlen)]

    def percent(part: int) -> float:
        return round(100 * part / provisioned, 2) if provisioned else 0.0

    used = percent(to_pools + to_resources)
    return {
        "name": names[pool["IpamPoolId"]],
        "id": pool["IpamPoolId"],
        "parent": names.get(pool.get("SourceIpamPoolId") or ""),
        "depth": int(pool.get("PoolDepth") or 1),
        "scope_type": pool.get("IpamScopeType", "private"),
        "address_family": pool.get("AddressFamily", "ipv4"),
        "locale": None if pool.get("Locale") in (None, "None") else pool["Locale"],
        "auto_import": bool(pool.get("AutoImport")),
        "cidrs": provisioned_cidrs,
        "provisioned": provisioned,
        "allocated_to_pools": to_pools,
        "assigned_to_resources": to_resources,
        "free": provisioned - to_pools - to_resources,
        "percent_allocated": percent(to_pools),
        "percent_assigned": percent(to_resources),
        "percent_used": used,
        "percent_free": round(100 - used, 2) if provisioned else 0.0,
        "largest_free": [str(b) for b in free_blocks[:5]],
        "fits": _fits(free_blocks, lengths),
        "vpc_allocations": sum(1 for a in allocations if a.get("ResourceType") == "vpc"),
        "over_threshold": bool(provisioned) and used >= threshold,
    }


def _pool_names(facts: Facts) -> dict[str, str]:
    return {p["IpamPoolId"]: name_tag(p) or p["IpamPoolId"] for p in facts.pools}


def _resource(record: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    return {
        "account": record.get("ResourceOwnerId", ""),
        "region": record.get("ResourceRegion", ""),
        "type": record.get("ResourceType", ""),
        "id": record.get("ResourceId", ""),
        "vpc": record.get("VpcId", ""),
        "name": record.get("ResourceName", ""),
        "cidr": record["ResourceCidr"],
        "pool": names.get(record.get("IpamPoolId") or ""),
    }


def _overlaps(records: list[dict[str, Any]], names: dict[str, str]) -> list[dict[str, Any]]:
    """Each pair of overlapping resource CIDRs once, with both owners."""
    flagged = sorted(
        (r for r in records if r.get("OverlapStatus") == "overlapping"),
        key=lambda r: (r["ResourceCidr"], r.get("ResourceOwnerId", ""), r.get("ResourceId", "")),
    )
    pairs = []
    for index, first in enumerate(flagged):
        for second in flagged[index + 1 :]:
            a, b = _network(first["ResourceCidr"]), _network(second["ResourceCidr"])
            if a.version == b.version and a.overlaps(b):
                pairs.append({"a": _resource(first, names), "b": _resource(second, names)})
    return pairs


def _by_owner(records: list[dict[str, Any]], facts: Facts) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    accounts: dict[str, dict[str, Any]] = {}
    for record in records:
        owner = record.get("ResourceOwnerId", "")
        known = facts.accounts.get(owner)
        row = accounts.setdefault(
            owner,
            {
                "account": owner,
                "name": known.name if known else "",
                "ou": known.ou if known else "",
                "ou_name": known.ou_name if known else "",
                "resource_cidrs": 0,
                "addresses": 0,
                "managed": 0,
                "unmanaged": 0,
            },
        )
        row["resource_cidrs"] += 1
        row["addresses"] += _network(record["ResourceCidr"]).num_addresses
        state = record.get("ManagementState")
        if state in ("managed", "unmanaged"):
            row[state] += 1
    ous: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"accounts": 0, "resource_cidrs": 0, "addresses": 0, "managed": 0, "unmanaged": 0}
    )
    for row in accounts.values():
        ou = ous[row["ou"]]
        ou.update(ou=row["ou"], name=row["ou_name"])
        ou["accounts"] += 1
        for key in ("resource_cidrs", "addresses", "managed", "unmanaged"):
            ou[key] += row[key]
    order = sorted(accounts.values(), key=lambda r: (-r["addresses"], r["account"]))
    return order, sorted(ous.values(), key=lambda r: (-r["addresses"], r["ou"]))


def _cost(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Advanced-tier cost from active IPs, which IPAM reports only for subnets (IpUsage: active IPs over the
    subnet's size); without subnet records there is nothing honest to count."""
    subnets = [r for r in records if r.get("ResourceType") == "subnet" and r.get("ManagementState") != "ignored"]
    if not subnets:
        return {
            "estimated": False,
            "reason": "IPAM reported no subnet CIDRs, the only resources whose active IPs it counts (IpUsage of a "
            "subnet); a VPC's IpUsage is the share its subnets take, not active IPs",
        }
    active = sum(round(float(r.get("IpUsage") or 0) * _network(r["ResourceCidr"]).num_addresses) for r in subnets)
    return {
        "estimated": True,
        "active_ips": active,
        "usd_per_ip_hour": ADVANCED_TIER_USD_PER_IP_HOUR,
        "price_source": "https://aws.amazon.com/vpc/pricing/ (IPAM Advanced tier, as read 2024-05)",
        "monthly_usd": round(active * ADVANCED_TIER_USD_PER_IP_HOUR * HOURS_PER_MONTH, 2),
    }


def report(facts: Facts, config: Config | None, threshold: float) -> dict[str, Any]:
    """The whole report as JSON-ready data (docs/monitoring.md documents each field)."""
    names = _pool_names(facts)
    in_config = {node.pool.name for node in walk(config.pools)} if config else set()
    pools = [_pool_row(p, facts, names, threshold) for p in facts.pools]
    for row in pools:
        row["in_config"] = row["name"] in in_config
        row["forecast"] = forecast(row, facts)
    pools.sort(key=lambda r: (-r["percent_used"], r["name"]))
    records = _unique(facts.resources)
    watched = [r for r in records if r.get("ManagementState") != "ignored"]
    rule = config.guardrails.require_ipam_for_vpcs if config else None
    guarded = set(rule.organizational_units) if rule else set()
    unmanaged = [
        {**_resource(r, names), "guarded_ou": _ou_of(facts, r) in guarded}
        for r in watched
        if r.get("ManagementState") == "unmanaged"
    ]
    accounts, ous = _by_owner(watched, facts)
    return {
        "schema": SCHEMA,
        "read_at": facts.read_at.isoformat(),
        "ipam": {
            "id": facts.ipam.get("IpamId", ""),
            "region": facts.ipam.get("IpamRegion", ""),
            "tier": facts.ipam.get("Tier", ""),
            "operating_regions": sorted(r["RegionName"] for r in facts.ipam.get("OperatingRegions", [])),
        },
        "threshold": threshold,
        "pools": pools,
        "over_threshold": [r["name"] for r in pools if r["over_threshold"]],
        "accounts": accounts,
        "ous": ous,
        "unmanaged": unmanaged,
        "unmanaged_in_guarded_ous": sum(1 for r in unmanaged if r["guarded_ou"]),
        "noncompliant": [_resource(r, names) for r in watched if r.get("ComplianceStatus") == "noncompliant"],
        "overlaps": _overlaps(watched, names),
        "ignored": [_resource(r, names) for r in records if r.get("ManagementState") == "ignored"],
        "history_read": facts.history_read,
        "cost": _cost(records),
    }


def _ou_of(facts: Facts, record: dict[str, Any]) -> str:
    known = facts.accounts.get(record.get("ResourceOwnerId", ""))
    return known.ou if known else ""


def _unique(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A resource CIDR once, though the default private scope and a custom scope may both list it."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        key = (record.get("ResourceId", ""), record["ResourceCidr"])
        if key not in seen or record.get("ManagementState") == "managed":
            seen[key] = record
    return list(seen.values())
