"""Write cdktf's output directory atomically, keeping what Terraform left in it.

The generated files (manifest.json, each stack's cdk.tf.json) are replaced as a whole: a sibling
directory is written and swapped in, so a failed run leaves the previous output untouched. Everything
else in the old output (each stack's .terraform/, .terraform.lock.hcl, saved plans, a state file an
earlier version wrote there) is carried into the new one first: a synth never deletes what it did not
generate, and a deploy does not re-initialize or re-read the provider after every synth.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

# What a synth writes; a previous synth's copies of these are replaced, never carried over.
GENERATED = {"manifest.json", "cdk.tf.json"}


@contextlib.contextmanager
def staged_outdir(outdir: str | os.PathLike) -> Iterator[str]:
    """Yield a fresh sibling directory; on success swap it in for outdir, on failure delete it."""
    target = Path(outdir).absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent)
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
    moved = _carry_over(target, Path(staging))
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


def _carry_over(old: Path, new: Path) -> list[tuple[Path, Path]]:
    """Move every entry of old that new lacks (and that is not generated) into new; returns (from, to) pairs.

    Directories present in both are merged entry by entry (stacks/<stack>/ keeps its .terraform/).
    Renames stay on one file system (old and new are siblings), so nothing is copied.
    """
    moved: list[tuple[Path, Path]] = []
    try:
        for entry in sorted(old.iterdir()):
            destination = new / entry.name
            if destination.is_dir() and entry.is_dir() and not entry.is_symlink():
                moved += _carry_over(entry, destination)
            elif not destination.exists() and not destination.is_symlink() and entry.name not in GENERATED:
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


def atomic_write_text(path: Path, text: str) -> None:
    """Replace one file as a whole: a failed write leaves the previous file as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
