"""Review of real plans: first deployment, updates, replacements and deletions planned by Terraform
against a prior state written from the first plan, compared with golden Markdown; every delete and
replace must be a risk. (Tier change and split layout: test_review_tier_and_split.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ipam_org.cli import main as cli
from ipam_org.formats.markdown import text as markdown_text
from tests.review.scenarios import UPDATES, base
from tests.review.support import Planner, ScenarioChecks, review
from tests.support.corpus import GOLDEN as GOLDEN_SYNTH

SCENARIOS = ["first-deployment", *UPDATES]


@pytest.fixture(scope="module")
def plans(tmp_path_factory, cli_config, sts, management_credentials) -> dict[str, list[tuple[str, Path]]]:
    planner = Planner(tmp_path_factory.mktemp("review"), cli_config, sts, management_credentials)
    # The first deployment is what the code wrote before the constructs became nestable: every update below is
    # today's code planned against a state that older code deployed.
    first = planner.plan(
        "first-deployment", base(), synthesized=json.loads((GOLDEN_SYNTH / "review-base" / "ipam.tf.json").read_text())
    )
    prior = json.loads(first.read_text())
    found = {"first-deployment": [("ipam", first)]}
    for name, config in UPDATES.items():
        found[name] = [("ipam", planner.plan(name, config, prior=prior))]
    return found


class TestUpdateScenarios(ScenarioChecks):
    SCENARIOS = SCENARIOS


def test_a_pool_is_described_the_same_whatever_happens_to_it(plans):
    """A deleted pool is no longer in the config: its scope comes from the state, so it reads as a created one does."""
    created, _ = review(plans["first-deployment"])
    deleted, _ = review(plans["remove-pool"])
    assert 'create pool "use1-dev" (ipv4, private scope, us-east-1)' in created
    assert 'destroy pool "use1-dev" (ipv4, private scope, us-east-1)' in deleted


def test_delegation_move_is_the_top_risk(plans):
    text, found = review(plans["change-delegated-admin"])
    assert "IPAM delegated administrator: account 222222222222 → 444444444444" in text
    assert found[0].change.address == "aws_vpc_ipam_organization_admin_account.delegation"
    assert text.index("moves the IPAM delegated administrator") < text.index("protect goes from true to false")


def test_no_config_change_destroys_ram_sharing_with_the_organization(plans):
    """Switching every organization and OU share to accounts: Terraform forgets the setting, never disables it."""
    for scenario, plans_for in plans.items():
        document = json.loads(plans_for[0][1].read_text())
        ram = [c for c in document["resource_changes"] if c["type"] == "aws_ram_sharing_with_organization"]
        assert all("delete" not in c["change"]["actions"] for c in ram), scenario
    [(_, path)] = plans["accounts-only-shares"]
    ram = [
        c for c in json.loads(path.read_text())["resource_changes"] if c["type"] == "aws_ram_sharing_with_organization"
    ]
    assert [c["change"]["actions"] for c in ram] == [["forget"]]


def test_a_state_deployed_by_the_older_constructs_sees_no_move_or_change(plans):
    """protection-off-only is the base config (protect aside) synthesized today, planned against the state of the
    base as the code before nestable constructs synthesized it: not one resource moves, changes or is replaced."""
    [(_, path)] = plans["protection-off-only"]
    changes = json.loads(path.read_text())["resource_changes"]
    assert len(changes) == 24 and {tuple(c["change"]["actions"]) for c in changes} == {("no-op",)}
    assert all("previous_address" not in c for c in changes)


def test_turning_protection_off_alone_fails_the_merge_gate(plans):
    [(_, path)] = plans["protection-off-only"]
    assert cli(["review", f"ipam={path}", "--fail-on", "risk"]) == 1


def test_fail_on_risk_is_a_merge_gate(plans, capsys):
    [(_, risky)] = plans["remove-pool-cidr"]
    [(_, safe)] = plans["add-pool"]
    assert cli(["review", f"ipam={risky}", "--fail-on", "risk"]) == 1
    assert cli(["review", f"ipam={safe}", "--fail-on", "risk"]) == 0
    assert cli(["review", f"ipam={safe}", "--fail-on", "change"]) == 1
    capsys.readouterr()
    assert cli(["review", f"ipam={risky}", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["totals"] == {"add": 0, "change": 0, "replace": 0, "destroy": 1, "import": 0}
    assert document["risks"][0]["address"] == "aws_vpc_ipam_pool_cidr.use1-dev_10-8-0-0-14"
    assert document["changed_outside_terraform"] == []  # planned with -refresh=false: nothing read back
    assert cli(["review", f"ipam={safe}", "--fail-on", "drift"]) == 1  # a change is drift to the drift workflow


def test_a_small_cap_keeps_headline_and_every_risk_line(plans):
    both = plans["widen-cidr"] + [("first", plans["first-deployment"][0][1])]
    text, found = review(both, max_chars=3_000)
    assert len(text) <= 3_000
    assert "**25 to add, 0 to change, 0 to replace, 1 to destroy.**" in text
    assert [(r.stack, r.change.address) for r in found] == [
        ("ipam", "aws_vpc_ipam_pool_cidr.euw1_10-16-0-0-13"),
        ("ipam", "aws_vpc_ipam_pool_cidr.euw1_10-16-0-0-12"),
    ]
    assert all(markdown_text(r.reason) in text for r in found) and "`aws_vpc_ipam_pool_cidr.euw1_10-16-0-0-13`" in text
    assert "more change lines not shown (comment limit)" in text


def test_unreadable_plan_is_refused_plainly(tmp_path, capsys):
    bad = tmp_path / "plan.json"
    bad.write_text("{not json")
    assert cli(["review", str(bad)]) == 2
    assert f"error: {bad}: not a JSON plan" in capsys.readouterr().err
    assert cli(["review", str(tmp_path / "missing.json")]) == 2
    assert "missing.json: file not found" in capsys.readouterr().err


@pytest.mark.parametrize(
    "actions", [["create", "forget"], ["forget", "create"], ["delete", "forget"], ["explode"], "create"]
)
def test_an_action_list_the_review_does_not_know_is_a_risk(plans, actions, tmp_path, capsys):
    [(_, safe)] = plans["add-pool"]
    document = json.loads(safe.read_text())
    document["resource_changes"][0]["change"]["actions"] = actions
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document))
    assert cli(["review", f"ipam={edited}", "--fail-on", "risk"]) == 1
    out = capsys.readouterr().out
    assert "No changes" not in out and "which this review does not know" in out and "❓ unknown action" in out


@pytest.mark.parametrize("edit", ["module", "foreign-type"])
def test_a_plan_it_was_not_built_for_is_refused_not_misdescribed(plans, edit, tmp_path, capsys):
    """A plan of the Terraform module (addresses in a module) or with resource types the stacks never write would be
    described in IPAM terms wrongly (`pool "level"`, `on the share of pool "principal"`): exit 2, nothing rendered."""
    [(_, path)] = plans["add-pool"]
    document = json.loads(path.read_text())
    change = document["resource_changes"][0]
    if edit == "module":
        change["address"], change["module_address"] = f"module.ipam.{change['address']}", "module.ipam"
    else:
        change["type"] = "aws_vpc"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document))
    assert cli(["review", f"ipam={edited}"]) == 2
    captured = capsys.readouterr()
    assert (
        captured.out == ""
        and "is not a resource ipam-org's stacks write" in captured.err
        and change["address"] in captured.err
    )
