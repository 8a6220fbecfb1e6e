"""Plan and apply every stack of a cdktf output in dependency order, with saved plans, as the workflows do.

Stacks are ordered by the manifest's dependencies (the management stack before the delegated one, the guardrail
stack last); an apply whose plans only destroy goes in the reverse order, as `cdktf destroy` does.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from ipam_org.outdir import manifest_stacks
from ipam_org.pipeline.record import planned_changes, read_plan_json


class TerraformError(Exception):
    """A terraform command failed; the message has its output."""


def stacks_in_order(outdir: Path) -> list[str]:
    try:
        pending = manifest_stacks(outdir)  # read as every reader of an output does: a regular file, bounded
    except ValueError as error:
        raise TerraformError(f"{error}; run ipam-org synth first") from None
    ordered: list[str] = []
    while pending:
        ready = [name for name, stack in pending.items() if set(stack.get("dependencies") or []) <= set(ordered)]
        if not ready:
            raise TerraformError(f"{outdir}: the stacks' dependencies form a cycle: {', '.join(pending)}")
        ordered += ready
        for name in ready:
            del pending[name]
    return ordered


def _terraform(workdir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    binary = shutil.which("terraform")
    if binary is None:
        raise TerraformError("terraform is not on PATH")
    result = subprocess.run([binary, f"-chdir={workdir}", *args], capture_output=True, text=True)
    if check and result.returncode != 0:
        raise TerraformError(f"terraform {' '.join(args)} in {workdir} failed:\n{result.stdout}{result.stderr}")
    return result


def plan_all(outdir: Path, plans: Path) -> bool:
    """Plan every stack against its real state into plans/<stack>.tfplan and .json; True when any stack changes."""
    plans.mkdir(parents=True, exist_ok=True)
    changed = False
    for stack in stacks_in_order(outdir):
        workdir = outdir / "stacks" / stack
        saved = (plans / f"{stack}.tfplan").resolve()
        _terraform(workdir, "init", "-input=false", "-no-color")
        result = _terraform(
            workdir, "plan", "-input=false", "-no-color", "-detailed-exitcode", f"-out={saved}", check=False
        )
        if result.returncode not in (0, 2):
            raise TerraformError(f"terraform plan in {workdir} failed:\n{result.stdout}{result.stderr}")
        changed |= result.returncode == 2
        shown = _terraform(workdir, "show", "-json", "-no-color", str(saved)).stdout
        (plans / f"{stack}.json").write_text(shown)
    return changed


def apply_all(outdir: Path, plans: Path) -> list[str]:
    """Apply the saved plans stack by stack (reversed when they only destroy); returns the stacks applied."""
    order = stacks_in_order(outdir)
    changes = [c for stack in order for c in planned_changes(read_plan_json(plans / f"{stack}.json"))]
    if changes and all(c["actions"] == ["delete"] for c in changes):
        order.reverse()
    for stack in order:
        saved = (plans / f"{stack}.tfplan").resolve()
        _terraform(outdir / "stacks" / stack, "apply", "-input=false", "-no-color", str(saved))
    return order
