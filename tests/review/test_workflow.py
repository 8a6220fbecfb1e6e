"""The pull-request workflow platform repos copy: valid YAML with the steps that matter, in order."""

from __future__ import annotations

from pathlib import Path

import yaml

from ipam_org.review.render import MARKER

WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "plan.yml"


def test_workflow_synthesizes_plans_reviews_and_comments():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 loaders read the key `on` as true
    assert "ipam.yaml" in triggers["pull_request"]["paths"]
    job = workflow["jobs"]["plan"]
    assert workflow["permissions"]["pull-requests"] == "write"
    names = [step.get("name") or step.get("uses") for step in job["steps"]]
    order = [
        "Validate and synthesize",
        "Synthesize the base branch",
        "Plan every stack",
        "Review",
        "Post or update the comment",
        "Gate on risks",
    ]
    assert [n for n in names if n in order] == order
    steps = {step.get("name"): step for step in job["steps"]}
    assert "ipam-org synth" in steps["Validate and synthesize"]["run"]
    assert "--external-checks-dir tools/checkov/policies" in steps["Policies"]["run"]
    assert steps["Plan every stack"]["run"] == "pipenv run ipam-org pipeline plan --plans plans"
    # the record the apply on merge compares with, and a risk accepted on purpose (ipam_org.pipeline)
    assert "ipam-org pipeline record --commit" in steps["Review"]["run"]
    assert (
        "ipam-org pipeline accept" in steps["Review"]["run"]
        and "base/.github/ipam-risk-acceptors" in steps["Review"]["run"]
    )
    assert "accepted != 'true'" in steps["Gate on risks"]["if"]
    assert "ipam-org review" in steps["Review"]["run"] and "--fail-on risk" in steps["Review"]["run"]
    assert "--require-remote-state cdktf.out" in steps["Review"]["run"]  # a plan against local state says nothing
    base = steps["Synthesize the base branch"]
    assert "git worktree add" in base["run"] and "base.out" in base["run"] and "main.py" in base["run"]
    assert "${{" not in base["run"] and base["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    assert "--compare base.out cdktf.out" in steps["Review"]["run"]  # what leaves is reviewed too
    script = steps["Post or update the comment"]["with"]["script"]
    assert MARKER in script and "updateComment" in script and "createComment" in script
