"""From pull request to production, with real Terraform and remote state in moto's S3 (conditional puts, so
`use_lockfile` locking is real): the backend block ipam-org synthesizes is initialized, holds the state, blocks a
second run on its lock and names the holder; a stale saved plan is refused; the reviewed-plan record matches the
plan that was reviewed and nothing else; a risk is accepted only by an authorized reviewer after the last push.

The stack planned here is a terraform_data resource under the synthesized backend: what is under test is the
backend, the saved plans and the records, and this keeps the AWS provider (seconds of CPU per start) out of it."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import boto3
import pytest

from ipam_org.config.model import Config
from ipam_org.pipeline.acceptance import decide
from ipam_org.pipeline.compare import differences
from ipam_org.pipeline.record import Record, extract, stack_record
from tests.conftest import REFERENCE, synthesize
from tests.support.terraform import Terraform

BUCKET = "org-terraform-state"
S3 = {"s3": {"bucket": BUCKET, "key": "ipam/terraform.tfstate", "region": "us-east-1"}}


def s3_client(url: str):
    return boto3.client(
        "s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )


@pytest.fixture(scope="module")
def backend(sts, tmp_path_factory) -> dict:
    """The S3 backend block ipam-org synthesizes for the split layout's delegated stack, pointed at moto."""
    import yaml

    config = Config.model_validate({**yaml.safe_load(REFERENCE.read_text()), "backend": S3, "layout": "split"})
    block = synthesize(config, tmp_path_factory.mktemp("synth")).stack("ipam-delegated")["terraform"]["backend"]["s3"]
    assert block["use_lockfile"] is True and block["key"] == "ipam/ipam-delegated/terraform.tfstate"
    s3_client(sts).create_bucket(Bucket=BUCKET)
    return {
        **block,
        "endpoints": {"s3": sts},
        "use_path_style": True,
        "skip_credentials_validation": True,
        "skip_requesting_account_id": True,
        "skip_metadata_api_check": True,
    }


@pytest.fixture
def stack(backend, tmp_path, cli_config, sts) -> Terraform:
    """A working directory on a state object of its own; stack.make(cidr, where): another one on the same state."""
    key = f"run-{time.monotonic_ns()}/terraform.tfstate"

    def make(cidr: str, where: Path) -> Terraform:
        where.mkdir(parents=True, exist_ok=True)
        (where / "main.tf.json").write_text(
            json.dumps(
                {
                    "terraform": {"backend": {"s3": {**backend, "key": key}}},
                    "resource": {"terraform_data": {"corp": {"input": cidr}}},
                }
            )
        )
        terraform = Terraform(
            where,
            cli_config,
            {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1"},
        )
        terraform.run("init", "-input=false", "-no-color", "-reconfigure")
        return terraform

    terraform = make("10.0.0.0/8", tmp_path / "stack")
    terraform.make, terraform.key = make, key
    return terraform


def saved(terraform: Terraform, plans: Path, name: str = "ipam-delegated") -> Path:
    """plan -out and show -json, as the workflows write them: <stack>.tfplan and <stack>.json."""
    plans.mkdir(parents=True, exist_ok=True)
    terraform.run("plan", "-input=false", "-no-color", f"-out={plans / name}.tfplan")
    shown = terraform.run("show", "-json", "-no-color", str(plans / f"{name}.tfplan")).stdout
    (plans / f"{name}.json").write_text(shown)
    return plans / f"{name}.tfplan"


def test_state_lives_in_s3_and_a_record_binds_the_plan_to_it(stack, tmp_path, sts):
    first = saved(stack, tmp_path / "reviewed")
    reviewed = Record("abc123", {"ipam-delegated": stack_record(first.with_suffix(".json"), first)})
    assert reviewed.stacks["ipam-delegated"].count == 1 and reviewed.stacks["ipam-delegated"].serial is None
    assert extract("review text\n" + reviewed.embedded()) == reviewed  # it travels in the review comment

    # The merge plan on an unchanged state and branch is the reviewed one; applying it writes the state to S3.
    again = saved(stack, tmp_path / "merge")
    assert differences(reviewed, {"ipam-delegated": stack_record(again.with_suffix(".json"), again)}) == []
    stack.run("apply", "-input=false", "-no-color", str(again))
    s3 = s3_client(sts)
    objects = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    written = next(key for key in objects if key == stack.key)
    state = json.loads(s3.get_object(Bucket=BUCKET, Key=written)["Body"].read())
    assert state["resources"][0]["type"] == "terraform_data" and not any(k.endswith(".tflock") for k in objects)

    # After the apply the state moved: the reviewed record no longer matches, and says why.
    after = saved(stack, tmp_path / "later")
    found = differences(reviewed, {"ipam-delegated": stack_record(after.with_suffix(".json"), after)})
    assert len(found) == 1 and "the state moved since the review (serial none -> 1)" in found[0]


def test_a_changed_branch_is_refused_by_the_record(stack, tmp_path):
    first = saved(stack, tmp_path / "reviewed")
    reviewed = Record("abc123", {"ipam-delegated": stack_record(first.with_suffix(".json"), first)})
    moved = stack.make("10.0.0.0/12", tmp_path / "moved")  # main moved: another CIDR than the one reviewed
    now = saved(moved, tmp_path / "merge")
    found = differences(reviewed, {"ipam-delegated": stack_record(now.with_suffix(".json"), now)})
    assert found == [
        "ipam-delegated: the plan differs from the reviewed one (1 changes now, 1 reviewed): the branch moved, or AWS"
        " changed outside Terraform"
    ]
    gone = differences(reviewed, {})
    assert gone == ["ipam-delegated: reviewed but not planned now (the stack left the output)"]


def test_a_stale_saved_plan_is_refused(stack, tmp_path):
    stale = saved(stack, tmp_path / "first")
    stack.run("apply", "-input=false", "-no-color", "-auto-approve")  # another apply in between
    refused = stack.run("apply", "-input=false", "-no-color", str(stale), check=False)
    assert refused.returncode != 0 and "Saved plan is stale" in refused.stdout + refused.stderr


def test_a_second_run_blocks_on_the_lock_and_names_its_holder(stack, tmp_path):
    holder = subprocess.Popen(
        [shutil.which("terraform"), "apply", "-input=true", "-no-color"],  # waits for "yes", holding the lock
        cwd=stack.workdir,
        env=stack.env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline, seen = time.monotonic() + 120, ""
        while "Enter a value" not in seen:
            assert holder.poll() is None and time.monotonic() < deadline, seen
            seen += holder.stdout.read(1)
        other = stack.make("10.0.0.0/8", tmp_path / "other-runner")
        blocked = other.run("plan", "-input=false", "-no-color", "-lock-timeout=2s", check=False)
        text = blocked.stdout + blocked.stderr
        assert blocked.returncode != 0 and "Error acquiring the state lock" in text
        assert "Operation: OperationTypeApply" in text and "Who:" in text
    finally:
        holder.communicate("no\n", timeout=60)
    assert other.run("plan", "-input=false", "-no-color", "-lock-timeout=10s").returncode == 0  # released


def test_the_cli_compares_a_review_comment_with_the_merge_plans(stack, tmp_path):
    from ipam_org.cli import main

    reviewed = saved(stack, tmp_path / "reviewed").parent
    assert main(["pipeline", "record", "--commit", "abc123", "--plans", str(reviewed)]) == 0
    comment = tmp_path / "comment.md"
    comment.write_text(
        "## ipam-org plan review\n"
        + Record(
            "abc123",
            {"ipam-delegated": stack_record(reviewed / "ipam-delegated.json", reviewed / "ipam-delegated.tfplan")},
        ).embedded()
    )
    assert main(["pipeline", "compare", "--reviewed", str(comment), "--plans", str(reviewed)]) == 0
    moved = saved(stack.make("10.0.0.0/12", tmp_path / "moved"), tmp_path / "merge").parent
    assert main(["pipeline", "compare", "--reviewed", str(comment), "--plans", str(moved)]) == 1
    comment.write_text("no record here")
    assert main(["pipeline", "compare", "--reviewed", str(comment), "--plans", str(moved)]) == 2


PUSHED = "2026-12-01T10:00:00Z"


def labeled(event: str, who: str, when: str, label: str = "ipam-risk-accepted") -> dict:
    return {"event": event, "actor": {"login": who}, "label": {"name": label}, "created_at": when}


def test_a_risk_is_accepted_only_by_an_authorized_reviewer_after_the_last_push():
    team = {"alice", "bob"}
    after = labeled("labeled", "alice", "2026-12-01T11:00:00Z")
    assert decide([after], PUSHED, team).accepted and decide([after], PUSHED, team).by == "alice"
    assert not decide([], PUSHED, team).accepted
    assert "may not accept" in decide([labeled("labeled", "mallory", "2026-12-01T11:00:00Z")], PUSHED, team).reason
    before = labeled("labeled", "alice", "2026-12-01T09:00:00Z")
    assert "before the last push" in decide([before], PUSHED, team).reason  # a new push clears it
    removed = [after, labeled("unlabeled", "bob", "2026-12-01T12:00:00Z")]
    assert not decide(removed, PUSHED, team).accepted
    other_label = labeled("labeled", "alice", "2026-12-01T11:00:00Z", label="lgtm")
    assert not decide([other_label], PUSHED, team).accepted


def test_stacks_apply_in_dependency_order_and_a_cycle_is_refused(tmp_path):
    from ipam_org.pipeline.terraform import TerraformError, stacks_in_order

    manifest = {
        "ipam-guardrails": {"dependencies": ["ipam-management", "ipam-delegated"]},
        "ipam-delegated": {"dependencies": ["ipam-management"]},
        "ipam-management": {"dependencies": []},
    }
    (tmp_path / "manifest.json").write_text(json.dumps({"stacks": manifest}))
    assert stacks_in_order(tmp_path) == ["ipam-management", "ipam-delegated", "ipam-guardrails"]
    manifest["ipam-management"]["dependencies"] = ["ipam-guardrails"]
    (tmp_path / "manifest.json").write_text(json.dumps({"stacks": manifest}))
    with pytest.raises(TerraformError, match="form a cycle"):
        stacks_in_order(tmp_path)
    with pytest.raises(TerraformError, match="run ipam-org synth first"):
        stacks_in_order(tmp_path / "missing")
