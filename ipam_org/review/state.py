"""What the synthesized output says about state: where each stack keeps it, and what leaves between two outputs.

A plan shows what changes inside one stack's state. It cannot show a stack that left the output (no plan runs for
it) or a state that moved (the plan compares the config with the new, empty place): the review compares the base
branch's output with the pull request's for those.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from ipam_org.config.stack_names import GUARDRAILS_STACK
from ipam_org.outdir import backend, state_location, synthesized_stacks
from ipam_org.review.risks import Risk


def local_state_stacks(outdir: Path) -> list[str]:
    """The stacks in a synthesized output directory whose backend is not remote (local, or none at all)."""
    return [name for name, document in synthesized_stacks(outdir).items() if "local" in backend(document)]


def departures(base: dict[str, dict[str, Any]], head: dict[str, dict[str, Any]]) -> list[Risk]:
    """Risks no plan shows: the layout changes, a stack with resources leaves, a stack's state moves."""
    found = []
    left, arrived = sorted(base.keys() - head.keys()), sorted(head.keys() - base.keys())
    if left and arrived:
        found.append(Risk(None, _layout_changes(left, arrived), ", ".join(arrived)))
    for stack in left:
        resources = Counter(kind for kind, by_name in (base[stack].get("resource") or {}).items() for _ in by_name)
        if resources:
            found.append(Risk(None, _stack_leaves(stack, resources), stack))
    for stack in sorted(base.keys() & head.keys()):
        before, after = backend(base[stack]), backend(head[stack])
        if before != after:
            found.append(Risk(None, _state_moves(stack, before, after), stack))
    return found


def _layout_changes(left: list[str], arrived: list[str]) -> str:
    return (
        f"the layout changes: stacks {', '.join(left)} leave and {', '.join(arrived)} arrive. The new stacks plan "
        "against"
        " empty states, so they would create the delegation, IPAM and pools anew beside the ones the old stacks'"
        " states still manage (AWS refuses a second IPAM delegation and overlapping pools, or the old ones are "
        "orphaned)."
        " Safe path: move each resource's state to its new stack first (terraform state mv, or removed and import"
        " blocks), then merge the layout change"
    )


def _stack_leaves(stack: str, resources: Counter) -> str:
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(resources.items()))
    text = (
        f"stack {stack} leaves the synthesized output while its state manages {kinds}: no plan or deploy runs for it"
        " any more, so nothing destroys or forgets them and they stay in AWS, their state orphaned."
    )
    if stack == GUARDRAILS_STACK:
        return text + (
            " The SCPs stay attached, naming the pool IDs of the last deploy. Safe path: first keep"
            " guardrails.require_ipam_for_vpcs with organizational_units: [] and deploy (that destroys the"
            " SCPs in the still-present stack), then remove the block"
        )
    return text + " Safe path: keep the stack for one deploy that removes its resources, then let it go"


def _state_moves(stack: str, before: dict[str, Any], after: dict[str, Any]) -> str:
    return (
        f"stack {stack}'s state moves from {state_location(before)} to {state_location(after)}: Terraform plans "
        "against the state at the"
        " new place (empty: every resource looks like a create) and the state at the old place, with everything it"
        f" manages, is orphaned. Safe path: migrate the state first (terraform init -migrate-state in"
        f" cdktf.out/stacks/{stack}, from the old backend to the new), then merge the backend change"
    )
