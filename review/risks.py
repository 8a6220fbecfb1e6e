"""Which changes a reviewer must see first, each with a one-line reason."""
from __future__ import annotations

from dataclasses import dataclass

from review.plan import Change

PROTECTED_TYPES = {"aws_vpc_ipam_organization_admin_account", "aws_vpc_ipam", "aws_vpc_ipam_pool", "aws_vpc_ipam_pool_cidr"}

REMOVAL_REASONS = {
    "aws_vpc_ipam_organization_admin_account": "moves IPAM administration: monitoring and pool management for the whole organization re-home, and the old administrator loses the IPAM",
    "aws_vpc_ipam": "replacing or removing the IPAM loses its allocation history and every scope and pool under it",
    "aws_vpc_ipam_pool": "removing a pool fails while VPCs hold allocations from it, or strands them; its children go with it",
    "aws_vpc_ipam_pool_cidr": "deprovisioning a pool CIDR fails while VPCs hold allocations from it (or strands them) and can take up to 30 minutes",
    "aws_ram_principal_association": "revokes allocation rights from the pool for every account under this principal",
    "aws_ram_resource_share": "unshares the pool from every principal it was shared with",
    "aws_ram_resource_association": "detaches the pool from its share: principals lose access to it",
    "aws_ram_sharing_with_organization": "disabling RAM sharing with the organization breaks every organization and OU share",
}


@dataclass(frozen=True)
class Risk:
    change: Change
    reason: str  # one line; several reasons for one change are joined with "; "


def risks(changes: list[Change]) -> list[Risk]:
    found = []
    for change in changes:
        reasons = _reasons(change)
        if reasons:
            found.append(Risk(change, "; ".join(reasons)))
    return found


def _reasons(change: Change) -> list[str]:
    reasons = []
    if change.action in ("delete", "replace"):
        reasons.append(REMOVAL_REASONS.get(change.type, f"{change.action}s {change.address}"))
        if change.type in PROTECTED_TYPES:
            reasons.append("prevent_destroy is off for this protected resource (protect: false); nothing stops the removal at apply")
    if change.action == "update":
        before, after = change.before, change.after
        if change.type == "aws_vpc_ipam_organization_admin_account" and "delegated_admin_account_id" in change.changed:
            reasons.append(REMOVAL_REASONS[change.type])
        if change.type == "aws_vpc_ipam":
            if before.get("tier") == "advanced" and after.get("tier") == "free":
                reasons.append("tier downgrade to free: organization-wide private IPv4 management, RAM sharing of pools and monitoring of member accounts stop")
            removed = _regions(before) - _regions(after)
            if removed:
                reasons.append(f"operating regions removed ({', '.join(sorted(removed))}): pools and resource discovery there stop working")
    if change.type == "aws_ram_resource_share" and change.after.get("allow_external_principals") is True and change.action != "delete":
        reasons.append("allow_external_principals is on: the pool can be shared outside the organization")
    return reasons


def _regions(values: dict) -> set[str]:
    return {r.get("region_name") for r in values.get("operating_regions") or []}
