"""Which changes a reviewer must see first, each with a one-line reason that is true for this plan."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from ipam_org.review.plan import Change, Plan

PROTECTED_TYPES = {
    "aws_vpc_ipam_organization_admin_account",
    "aws_vpc_ipam",
    "aws_vpc_ipam_scope",
    "aws_vpc_ipam_pool",
    "aws_vpc_ipam_pool_cidr",
}
DELEGATION = "aws_vpc_ipam_organization_admin_account"

REMOVAL_REASONS = {
    DELEGATION: "moves IPAM administration: monitoring and pool management for the whole organization re-home, and "
    "the old administrator loses the IPAM",
    "aws_vpc_ipam": "replacing or removing the IPAM loses its allocation history and every scope and pool under it",
    "aws_vpc_ipam_scope": "removing a custom scope fails while it holds pools, and the allocations and monitoring "
    "tracked in it go with it",
    "aws_vpc_ipam_pool": "removing a pool fails while VPCs hold allocations from it, or strands them; its children go "
    "with it",
    "aws_vpc_ipam_pool_cidr": "deprovisioning a pool CIDR fails while VPCs hold allocations from it (or strands them) "
    "and can take up to 30 minutes",
    "aws_ram_principal_association": "revokes allocation rights from the pool for every account under this principal",
    "aws_ram_resource_share": "unshares the pool from every principal it was shared with",
    "aws_ram_resource_association": "detaches the pool from its share: principals lose access to it",
    "aws_cloudwatch_metric_alarm": "the pool is no longer watched: nobody is told when it runs out or holds a "
    "noncompliant CIDR",
    "aws_sns_topic": "the pool alarms lose the topic they notify, and every subscriber to it with them",
    "aws_sns_topic_subscription": "this address is no longer told about the pool alarms",
    "aws_ram_sharing_with_organization": "disabling RAM sharing with the organization breaks every organization and "
    "OU share in the organization, not only this tool's",
}
GUARDRAIL_TYPES = {"aws_organizations_policy", "aws_organizations_policy_attachment"}
GUARDRAIL_EFFECTS = {
    "create": "creating a VPC or adding a VPC CIDR there is denied unless it allocates from a pool the SCP names "
    "(exempt accounts"
    " excepted); check that every team there has a shared pool in each Region it builds in",
    "update": "the pools its accounts may allocate VPC CIDRs from change; a pipeline that names another pool is denied",
    "replace": "the SCP is replaced: for a moment VPCs there are not guarded, then the pools its accounts may "
    "allocate from are those it names",
    "delete": "the guardrail leaves: VPCs there may again take any CIDR, including ones that overlap the IPAM's pools",
}
LEFT_CONFIG = (
    "its block left the config, so prevent_destroy cannot stop this (protection guards only resources still in the"
    " config); put it back in the config to keep it"
)
PROTECTION_OFF = (
    "prevent_destroy is off for this protected resource (protect: false); nothing stops the removal at apply"
)
PROTECTION_TURNED_OFF = (
    "protect goes from true to false: prevent_destroy leaves the IPAM, every pool and every pool CIDR, so this and"
    " later plans can replace or delete them without any error; merge this only for a replacement you reviewed, or to "
    "tear down"
)
POOL_REPLACED = (
    "a replaced pool gets a new ID: VPCs, pipelines and RAM shares that allocate from the old one lose it,"
    " and the old pool's allocations go with it"
)


@dataclass(frozen=True)
class Risk:
    change: Change | None  # None for a risk of the plan as a whole
    reason: str  # one line; several reasons for one change are joined with "; "
    stack: str = ""

    @property
    def title(self) -> str:
        return self.change.action if self.change else "plan"


def risks(plans: list[Plan]) -> list[Risk]:
    """Every risk in these plans: a move of the delegated account first, then plan-wide risks, then per change."""
    changes = [c for plan in plans for c in plan.changes]
    swaps = _overlapping_swaps(changes)
    found = [
        Risk(None, PROTECTION_TURNED_OFF, plan.stack) for plan in plans if plan.outputs.get("protect") == (True, False)
    ]
    for change in changes:
        reasons = _reasons(change) + swaps.get((change.stack, change.address), [])
        if reasons:
            found.append(Risk(change, "; ".join(reasons), change.stack))
    found.sort(key=lambda r: r.change is None or r.change.type != DELEGATION)
    return found


def _reasons(change: Change) -> list[str]:
    if change.action == "unknown":
        return [
            f"Terraform plans the actions {list(change.actions)}, which this review does not know: it cannot say what"
            " they do, so read this resource's change in the plan itself before merging"
        ]
    reasons = []
    if change.importing is not None and change.action != "import":
        what = ", ".join(change.changed) if change.changed else change.action
        reasons.append(
            f"adoption would modify this existing resource ({what}): the config does not describe it as it is;"
            " make the config match (ipam-org discover writes one that does), or accept the change"
        )
    if change.type == DELEGATION and _delegate_moves(change):
        return [_delegation_move(change)]
    if change.action in ("delete", "replace") and change.type not in GUARDRAIL_TYPES:  # those say what they do below
        reasons.append(REMOVAL_REASONS.get(change.type, f"{change.action}s {change.address}"))
        if change.replace_paths:
            reasons.append(f"replaced because {_because(change.replace_paths)}, which AWS cannot change in place")
        if change.type == "aws_vpc_ipam_pool" and change.action == "replace":
            reasons.append(POOL_REPLACED)
        if change.type in PROTECTED_TYPES:
            reasons.append(PROTECTION_OFF if change.in_config else LEFT_CONFIG)
    if change.action == "update" and change.type == "aws_vpc_ipam":
        before, after = change.before, change.after
        if before.get("tier") == "advanced" and after.get("tier") == "free":
            reasons.append(
                "tier downgrade to free: organization-wide private IPv4 management, RAM sharing of pools and "
                "monitoring of member accounts stop"
            )
        removed = _regions(before) - _regions(after)
        if removed:
            reasons.append(
                f"operating regions removed ({', '.join(sorted(removed))}): pools and resource discovery there stop "
                "working"
            )
    if change.type in GUARDRAIL_TYPES and change.action in GUARDRAIL_EFFECTS:
        reasons.append(
            f"changes what every account under OU {change.named.ou} may do: {GUARDRAIL_EFFECTS[change.action]}"
        )
    if (
        change.type == "aws_ram_resource_share"
        and change.after.get("allow_external_principals") is True
        and change.action != "delete"
    ):
        reasons.append("allow_external_principals is on: the pool can be shared outside the organization")
    return reasons


def _because(paths: list[str]) -> str:
    """Name what forced a replace; a reference to a replaced pool or share means that one is replaced first."""
    named = {
        "ipam_pool_id": "its pool is replaced",
        "resource_arn": "its pool is replaced",
        "source_ipam_pool_id": "its parent pool changed",
    }
    return ", ".join(named.get(path, f"{path} changed") for path in paths)


def _delegate_moves(change: Change) -> bool:
    before, after = change.before.get("delegated_admin_account_id"), change.after.get("delegated_admin_account_id")
    return change.action in ("replace", "update") and bool(before) and bool(after) and before != after


def _delegation_move(change: Change) -> str:
    old, new = change.before["delegated_admin_account_id"], change.after["delegated_admin_account_id"]
    return (
        f"moves the IPAM delegated administrator from {old} to {new}. IPAMs cannot move between accounts: the IPAM,"
        f" its pools and shares stay in {old}, while the delegated provider now points at {new}, so the next refreshed"
        " plan finds none of them there and creates everything anew, orphaning the old IPAM and every allocation in "
        "it."
        " Safe path: tear down in the old account first (protect: false, deploy, destroy; VPCs keep their CIDRs), then"
        " deploy with the new account (pools with auto_import re-discover existing VPC CIDRs)"
    )


def _overlapping_swaps(changes: list[Change]) -> dict[tuple[str, str], list[str]]:
    """A pool CIDR deleted and an overlapping one created in the same pool: nothing orders the two."""
    reasons: dict[tuple[str, str], list[str]] = {}
    cidrs = [c for c in changes if c.type == "aws_vpc_ipam_pool_cidr"]
    deleted = [(c, _network(c.before)) for c in cidrs if c.action in ("delete", "replace")]
    created = [(c, _network(c.after)) for c in cidrs if c.action in ("create", "replace")]
    for old, old_net in deleted:
        for new, new_net in created:
            if (
                old is new
                or old_net is None
                or new_net is None
                or old.named.pool != new.named.pool
                or old.stack != new.stack
            ):
                continue
            if old_net.version == new_net.version and old_net.overlaps(new_net):
                reason = (
                    f'{new_net} and {old_net} of pool "{old.named.pool}" overlap and Terraform orders neither first: '
                    "AWS refuses"
                    " a CIDR that overlaps one still provisioned, so this apply will fail or race: add an adjacent CIDR"
                    " instead, or apply in two steps (remove, then add)"
                )
                for change in (old, new):
                    reasons.setdefault((change.stack, change.address), []).append(reason)
    return reasons


def _network(values: dict) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(values.get("cidr") or "", strict=False)
    except ValueError:
        return None


def _regions(values: dict) -> set[str]:
    return {r.get("region_name") for r in values.get("operating_regions") or []}
