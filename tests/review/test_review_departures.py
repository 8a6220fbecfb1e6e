"""What no plan shows, found by comparing the base branch's output with the pull request's: a stack that leaves
with resources in its state, a state that moves (backend, key, prefix), a layout change. Each is a risk with what
happens and the safe path; a stack that leaves empty is not. The split layout's guardrail removal against real
states is in the split life cycle (tests/support/lifecycle.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ipam_org.cli import main as cli
from ipam_org.config.model import Config
from ipam_org.review.state import departures, synthesized_stacks
from tests.conftest import GUARDED_OU, REFERENCE, synthesize
from tests.support.terraform import plan_stack

S3 = {"s3": {"bucket": "platform-tfstate", "key": "ipam/terraform.tfstate", "region": "us-east-1"}}


def reference(**changes) -> dict:
    return {**yaml.safe_load(REFERENCE.read_text()), **changes}


def guarded(ous: list[str], **changes) -> dict:
    config = reference(layout="split", **changes)
    config["pools"][0]["pools"][0]["pools"][1]["share"]["organizational_units"] = [GUARDED_OU]
    config["guardrails"] = {"require_ipam_for_vpcs": {"organizational_units": ous}}
    return config


CONFIGS = {
    "s3": reference(backend=S3),
    "s3-other-key": reference(backend={"s3": {**S3["s3"], "key": "network/ipam.tfstate"}}),
    "s3-prefix": reference(backend={"s3": {**S3["s3"], "workspace_key_prefix": "teams"}}),
    "single": reference(),
    "split": reference(layout="split"),
    "guarded": guarded([GUARDED_OU]),
    "guarded-no-ou": guarded([]),
    "unguarded": reference(layout="split"),
}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("departures")
    return {name: synthesize(Config.model_validate(config), root / name).outdir for name, config in CONFIGS.items()}


def found(outputs, base: str, head: str) -> list[tuple[str, str]]:
    return [
        (risk.stack, risk.reason)
        for risk in departures(synthesized_stacks(outputs[base]), synthesized_stacks(outputs[head]))
    ]


def test_a_moved_state_is_a_risk_naming_both_places(outputs):
    [(stack, reason)] = found(outputs, "s3", "s3-other-key")
    assert (
        stack == "ipam"
        and "s3://platform-tfstate/ipam/terraform.tfstate (us-east-1) to s3://platform-tfstate/network/ipam.tfstate"
        in reason
    )
    assert "every resource looks like a create" in reason and "terraform init -migrate-state" in reason
    [(_, reason)] = found(outputs, "s3", "s3-prefix")
    assert "workspace_key_prefix teams" in reason
    [(_, reason)] = found(outputs, "single", "s3")
    assert "from local file ../../../terraform-state/ipam.tfstate to s3://" in reason


def test_a_layout_change_is_a_risk_and_the_old_stack_leaving_another(outputs):
    risks = found(outputs, "single", "split")
    assert [stack for stack, _ in risks] == ["ipam-delegated, ipam-management", "ipam"]
    assert "the layout changes: stacks ipam leave and ipam-delegated, ipam-management arrive" in risks[0][1]
    assert (
        "terraform state mv" in risks[0][1]
        and "stack ipam leaves the synthesized output while its state manages" in risks[1][1]
    )


def test_the_guardrail_stack_leaving_with_scps_is_a_risk_and_empty_is_not(outputs):
    [(stack, reason)] = found(outputs, "guarded", "unguarded")
    assert stack == "ipam-guardrails" and "1 aws_organizations_policy, 1 aws_organizations_policy_attachment" in reason
    assert "The SCPs stay attached" in reason and "organizational_units: [] and deploy" in reason
    assert (
        synthesized_stacks(outputs["guarded-no-ou"])["ipam-guardrails"].get("resource") is None
    )  # step 1: the stack stays, empty
    assert found(outputs, "guarded", "guarded-no-ou") == []  # its plan shows the SCP deletions
    assert found(outputs, "guarded-no-ou", "unguarded") == []  # step 2: nothing is left behind
    assert found(outputs, "single", "single") == []


def test_the_review_gate_fails_on_a_moved_state_with_a_real_plan(
    outputs, tmp_path, cli_config, sts, management_credentials, capsys
):
    """The head's real plan (against its empty new state) is all creates: no risk in it, the comparison finds one."""
    from tests.conftest import Synth

    plan = plan_stack(
        Synth(outputs["s3-other-key"]), "ipam", tmp_path / "plan", cli_config, sts, management_credentials
    )
    assert {tuple(c["change"]["actions"]) for c in plan["resource_changes"]} == {("create",)}
    path = tmp_path / "ipam.json"
    path.write_text(json.dumps(plan))
    assert cli(["review", f"ipam={path}", "--fail-on", "risk"]) == 0  # the plan alone looks safe
    capsys.readouterr()
    assert (
        cli(
            [
                "review",
                f"ipam={path}",
                "--compare",
                str(outputs["s3"]),
                str(outputs["s3-other-key"]),
                "--fail-on",
                "risk",
            ]
        )
        == 1
    )
    out = capsys.readouterr().out
    assert "### ⚠️ Risks (1)" in out and "state moves from s3://platform-tfstate/ipam/terraform.tfstate" in out
    assert cli(["review", f"ipam={path}", "--compare", str(tmp_path / "missing"), str(outputs["s3"])]) == 2
