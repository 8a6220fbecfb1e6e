"""CDKTF_OUTDIR never costs the user a file: only an empty or new directory, or an earlier cdktf output, is written;
a symlink, a file or a foreign directory is refused (exit 2, no traceback, nothing touched, no staging left)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REFERENCE, ROOT


def run_main(outdir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "IPAM_CONFIG": str(REFERENCE), "CDKTF_OUTDIR": str(outdir)}
    return subprocess.run([sys.executable, str(ROOT / "main.py")], env=env, capture_output=True, text=True, timeout=300)


def snapshot(root: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(root)): (p.lstat().st_mode, p.read_bytes() if p.is_file() and not p.is_symlink() else b"")
        for p in sorted(root.rglob("*"))
    }


def foreign_directory(tmp_path: Path) -> Path:
    target = tmp_path / "mine"
    target.mkdir(mode=0o750)
    (target / "manifest.json").write_text('{"not": "cdktf"}')
    (target / "notes.txt").write_text("keep me")
    return target


def plain_stacks_file(tmp_path: Path) -> Path:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "manifest.json").write_text(
        json.dumps({"version": "0.21.0", "stacks": {"ipam": {"synthesizedStackPath": "stacks/ipam/cdk.tf.json"}}})
    )
    (target / "stacks").write_text("a plain file named stacks")
    return target


def symlinked(tmp_path: Path) -> Path:
    real = tmp_path / "real"
    real.mkdir()
    (real / "data.txt").write_text("keep me")
    link = tmp_path / "link"
    link.symlink_to(real)
    return link


def regular_file(tmp_path: Path) -> Path:
    path = tmp_path / "out.txt"
    path.write_text("keep me")
    return path


CASES = {
    "foreign-directory": (foreign_directory, "not an earlier cdktf output"),
    "plain-stacks-file": (plain_stacks_file, "has a stacks entry that is not a directory"),
    "symlink": (symlinked, "is a symlink"),
    "regular-file": (regular_file, "is not a directory"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_output_path_that_is_not_ours_is_refused_untouched(case, tmp_path):
    make, message = CASES[case]
    target = make(tmp_path)
    before = snapshot(tmp_path)
    result = run_main(target)
    assert result.returncode == 2 and message in result.stderr and str(target) in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before  # nothing changed, emptied, re-moded, and no .<name>.* staging left


def test_a_synth_over_its_own_output_keeps_the_users_files_and_the_mode(tmp_path):
    target = tmp_path / "cdktf.out"
    assert run_main(target).returncode == 0
    os.chmod(target, 0o750)
    stack = target / "stacks" / "ipam"
    (stack / "notes.txt").write_text("mine")
    (stack / ".terraform").mkdir()
    (stack / ".terraform" / "manifest.json").write_text("a file of that name, but not cdktf's manifest")
    assert run_main(target).returncode == 0
    assert (stack / "notes.txt").read_text() == "mine"
    assert (stack / ".terraform" / "manifest.json").read_text().startswith("a file of that name")
    assert oct(target.stat().st_mode & 0o777) == oct(0o750)
    assert [p.name for p in tmp_path.iterdir()] == ["cdktf.out"]  # no staging or backup directory left
