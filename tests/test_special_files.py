"""Inputs are regular files, read with a bound: a device, a FIFO or a symlink to one is refused at once (exit 2,
the path named, no traceback, nothing written), never read until memory runs out or waited on for ever."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

DEVICE = Path("/dev/zero")


def special_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    link = tmp_path / "link.yaml"
    link.symlink_to(DEVICE)
    return {
        "device": (DEVICE, "is a device"),
        "fifo": (fifo, "is a FIFO"),
        "symlink": (link, f"is a device (through the symlink to {DEVICE})"),
    }


def run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    # The timeout stops a hang from stalling the suite; the refusal itself takes well under a second.
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("kind", ["device", "fifo", "symlink"])
def test_main_refuses_special_files(tmp_path, kind):
    path, message = special_inputs(tmp_path)[kind]
    outdir = tmp_path / "out"
    result = run(["main.py"], {"IPAM_CONFIG": str(path), "CDKTF_OUTDIR": str(outdir)})
    assert result.returncode == 2
    assert f"{path}: {message}" in result.stderr and "not a regular file" in result.stderr
    assert "Traceback" not in result.stderr and not outdir.exists()


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_preflight_and_review_refuse_special_files(tmp_path, kind):
    path, message = special_inputs(tmp_path)[kind]
    preflight = run(["-m", "ipam_org", "preflight", "check", "--config", str(path)])
    assert preflight.returncode == 2 and f"{path}: {message}" in preflight.stderr, preflight.stderr
    review = run(["-m", "ipam_org", "review", f"ipam={path}"])
    assert review.returncode == 2 and f"{path}: {message}" in review.stderr, review.stderr
    assert "Traceback" not in preflight.stderr + review.stderr


def test_an_oversized_config_is_refused_without_reading_it_all(tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("wb") as stream:
        stream.truncate(64 * 1024 * 1024)  # sparse: what matters is that only 2 MiB + 1 byte are read
    result = run(["main.py"], {"IPAM_CONFIG": str(big), "CDKTF_OUTDIR": str(tmp_path / "out")})
    assert result.returncode == 2 and "a config file may be at most 2,097,152 bytes" in result.stderr
