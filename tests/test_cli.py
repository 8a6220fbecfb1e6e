"""The one command line: every command answers --help and --version, and a command whose optional dependency is
missing says which extra to install instead of a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ipam_org import __version__
from ipam_org.cli import main
from ipam_org.exits import EXIT_INPUT
from tests.conftest import ROOT

COMMANDS = [
    [],
    ["synth"],
    ["review"],
    ["preflight"],
    ["preflight", "check"],
    ["preflight", "verify"],
    ["preflight", "policy"],
    ["discover"],
    ["module"],
    ["module", "tfvars"],
    ["module", "levels"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "ipam-org")
def test_every_command_has_help_and_version(command, capsys):
    for flag in ("--help", "--version"):
        with pytest.raises(SystemExit) as exited:
            main([*command, flag])
        assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "usage: ipam-org" in out and f"ipam-org {__version__}" in out


def test_python_dash_m_is_the_same_command():
    result = subprocess.run([sys.executable, "-m", "ipam_org", "--version"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == f"ipam-org {__version__}"


def test_a_missing_extra_is_named_not_a_traceback(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "boto3", None)  # import boto3 now raises ModuleNotFoundError
    monkeypatch.delitem(sys.modules, "ipam_org.aws.sessions", raising=False)
    assert main(["preflight", "check", "--config", str(ROOT / "ipam.yaml")]) == EXIT_INPUT
    assert "needs boto3: pip install 'ipam-org[aws]'" in capsys.readouterr().err


def test_synth_says_what_it_wrote(tmp_path, capsys):
    assert main(["synth", "--config", str(ROOT / "ipam.yaml"), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"wrote {tmp_path / 'out'}: 1 stack\n")
    assert f"  ipam: 23 resources; state: local file {tmp_path / 'terraform-state' / 'ipam.tfstate'}" in out
