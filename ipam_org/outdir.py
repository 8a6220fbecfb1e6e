"""cdktf's output directory: written atomically, keeping what Terraform left in it, and read back.

The generated files (manifest.json, each stack's cdk.tf.json) are replaced as a whole: a sibling
directory is written and swapped in, so a failed run leaves the previous output untouched. Everything
else in the old output (each stack's .terraform/, .terraform.lock.hcl, saved plans, a state file an
earlier version wrote there) is carried into the new one first: a synth never deletes what it did not
generate, and a deploy does not re-initialize or re-read the provider after every synth.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ipam_org.files import InputFileError, read_regular_text


# What a synth writes, relative to the output directory; a previous synth's copies are replaced, never carried
# over. Files of these names anywhere else are the user's and are carried over like everything else.
def _generated(relative: Path) -> bool:
    parts = relative.parts
    return parts == ("manifest.json",) or (len(parts) == 3 and parts[0] == "stacks" and parts[2] == "cdk.tf.json")


def refusal(outdir: str | os.PathLike) -> str | None:
    """Why this path cannot be replaced by a synth without touching what the tool did not write; None if it can.

    Acceptable: a path that does not exist, an empty directory, or an earlier output of cdktf (a manifest.json
    whose stacks point at stacks/<name>/cdk.tf.json files). A symlink, a file, or any other directory is refused.
    """
    target = Path(outdir)
    if target.is_symlink():
        return (
            "is a symlink: give the directory itself (a synth replaces the output directory, and would replace the "
            "link)"
        )
    if not target.exists():
        return None
    if not target.is_dir():
        return "exists and is not a directory: give a directory for cdktf's output"
    entries = list(target.iterdir())
    if not entries:
        return None
    try:
        manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
        paths = [Path(stack["synthesizedStackPath"]) for stack in manifest["stacks"].values()]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return (
            "is a directory with other files in it, not an earlier cdktf output (no cdktf manifest.json): give an "
            "empty or new directory"
        )
    stacks = target / "stacks"
    if stacks.is_symlink() or (stacks.exists() and not stacks.is_dir()):
        return (
            "has a stacks entry that is not a directory, so it is not an earlier cdktf output: move it away or "
            "give another directory"
        )
    for path in paths:
        document = target / path
        if not _generated(path) or document.is_symlink() or (document.exists() and not document.is_file()):
            return (
                f"has a manifest.json naming {path}, which is not a stack file cdktf writes: give an empty or new "
                "directory"
            )
    return None


class OutdirError(Exception):
    """An output path a synth would have to damage; the message names it and says what to do."""


@contextlib.contextmanager
def staged_outdir(outdir: str | os.PathLike) -> Iterator[str]:
    """Yield a fresh sibling directory; on success swap it in for outdir, on failure delete it."""
    problem = refusal(outdir)
    if problem:
        raise OutdirError(f"{outdir}: {problem}")
    target = Path(outdir).absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent)
    if target.exists():
        os.chmod(staging, stat.S_IMODE(target.stat().st_mode))  # the directory keeps the mode its owner gave it
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)  # mkdtemp's 0700 would make cdktf.out private to its creator
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if not target.exists():
        os.rename(staging, target)
        return
    moved = _carry_over(target, Path(staging), Path())
    try:
        backup = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
    except BaseException:
        _move_back(moved)
        raise
    os.rename(target, backup / "previous")
    try:
        os.rename(staging, target)
    except BaseException:
        os.rename(backup / "previous", target)
        _move_back(moved)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def _carry_over(old: Path, new: Path, relative: Path) -> list[tuple[Path, Path]]:
    """Move every entry of old that new lacks (and that is not generated) into new; returns (from, to) pairs.

    Directories present in both are merged entry by entry (stacks/<stack>/ keeps its .terraform/).
    Renames stay on one file system (old and new are siblings), so nothing is copied.
    """
    moved: list[tuple[Path, Path]] = []
    try:
        for entry in sorted(old.iterdir()):
            destination = new / entry.name
            if destination.is_dir() and entry.is_dir() and not entry.is_symlink():
                moved += _carry_over(entry, destination, relative / entry.name)
            elif not destination.exists() and not destination.is_symlink() and not _generated(relative / entry.name):
                os.rename(entry, destination)
                moved.append((entry, destination))
    except BaseException:
        _move_back(moved)
        raise
    return moved


def _move_back(moved: list[tuple[Path, Path]]) -> None:
    for source, destination in reversed(moved):
        source.parent.mkdir(parents=True, exist_ok=True)
        os.rename(destination, source)


# Reading an output back: its stacks, and where each keeps its state (the synth summary, the review).
MAX_STACK_BYTES = 256 * 1024 * 1024


def manifest_stacks(outdir: Path) -> dict[str, dict[str, Any]]:
    """The output manifest's stack entries (synthesizedStackPath, dependencies, ...), by stack name."""
    try:
        manifest = json.loads(read_regular_text(outdir / "manifest.json", MAX_STACK_BYTES, "cdktf manifest"))
        return dict(sorted(manifest["stacks"].items()))
    except (InputFileError, KeyError, TypeError, AttributeError, json.JSONDecodeError) as error:
        raise ValueError(f"{outdir}: not a synthesized cdktf output directory ({error})") from None


def synthesized_stacks(outdir: Path) -> dict[str, dict[str, Any]]:
    """Each stack's synthesized JSON, by stack name, as the output's manifest lists them."""
    try:
        return {
            name: json.loads(read_regular_text(outdir / stack["synthesizedStackPath"], MAX_STACK_BYTES, "stack file"))
            for name, stack in manifest_stacks(outdir).items()
        }
    except (InputFileError, KeyError, TypeError, AttributeError, json.JSONDecodeError) as error:
        raise ValueError(f"{outdir}: not a synthesized cdktf output directory ({error})") from None


def backend(document: dict[str, Any]) -> dict[str, Any]:
    """A synthesized stack's backend block ({kind: settings}); none at all is Terraform's local default."""
    return document.get("terraform", {}).get("backend") or {"local": {}}


def state_location(block: dict[str, Any], stack_dir: Path | None = None) -> str:
    """Where a stack's backend block keeps its state, in words; a local path resolved from stack_dir when given
    (Terraform runs there)."""
    kind, settings = next(iter(block.items()))
    if kind == "s3":
        prefix = (
            f", workspace_key_prefix {settings['workspace_key_prefix']}" if settings.get("workspace_key_prefix") else ""
        )
        return f"s3://{settings.get('bucket', '?')}/{settings.get('key', '?')} ({settings.get('region', '?')}{prefix})"
    if kind == "local":
        path = (settings or {}).get("path", "terraform.tfstate")
        return f"local file {os.path.normpath(stack_dir / path) if stack_dir is not None else path}"
    return f"{kind} backend"
