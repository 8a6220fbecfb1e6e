"""Is the plan made on the default branch the plan that was reviewed? Stack by stack, each reason to refuse named."""

from __future__ import annotations

from ipam_org.pipeline.record import Record, StackRecord


def differences(reviewed: Record, now: dict[str, StackRecord]) -> list[str]:
    """Why the new plans may not be applied as reviewed; empty when every stack plans what was reviewed."""
    found = []
    for stack in sorted(set(reviewed.stacks) | set(now)):
        before, after = reviewed.stacks.get(stack), now.get(stack)
        if before is None:
            found.append(f"{stack}: planned now but not in the reviewed plans (a stack the review never saw)")
        elif after is None:
            found.append(f"{stack}: reviewed but not planned now (the stack left the output)")
        elif (before.lineage, before.serial) != (after.lineage, after.serial):
            replaced = None not in (before.lineage, after.lineage) and before.lineage != after.lineage
            found.append(
                f"{stack}: the state moved since the review (serial {_serial(before)} -> {_serial(after)}"
                f"{', another lineage' if replaced else ''}): something was applied in between"
            )
        elif before.changes != after.changes:
            found.append(
                f"{stack}: the plan differs from the reviewed one ({after.count} changes now, {before.count} reviewed):"
                " the branch moved, or AWS changed outside Terraform"
            )
    return found


def _serial(record: StackRecord) -> str:
    return "none" if record.serial is None else str(record.serial)
