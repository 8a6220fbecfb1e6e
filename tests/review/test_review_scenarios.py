"""Review of real plans: first deployment, updates, replacements and deletions planned by Terraform
against prior states, compared with golden Markdown; every delete and replace must be a risk."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from config.model import Config
from review.__main__ import main as review_main
from review.plan import load_plan
from review.render import markdown
from review.risks import risks
from tests.conftest import synthesize
from tests.review.scenarios import UPDATES, base, public_ipv6
from tests.support.prior_state import write_state
from tests.support.terraform import Terraform, offline_copy

GOLDEN = Path(__file__).parent / "golden"


class Planner:
    """Synthesizes a config and plans one stack of it offline, optionally against a prior state."""

    def __init__(self, root: Path, cli_config: Path, sts: str, credentials: dict[str, str]):
        self.root, self.cli_config, self.sts, self.credentials = root, cli_config, sts, credentials
        self.schemas: dict[str, Any] | None = None

    def plan(self, name: str, config: dict[str, Any], stack: str = "ipam", prior: dict[str, Any] | None = None) -> Path:
        (self.root / name).mkdir(exist_ok=True)
        synth = synthesize(Config.model_validate(config), self.root / name / "synth")
        workdir = self.root / name / stack
        workdir.mkdir(parents=True)
        (workdir / "main.tf.json").write_text(json.dumps(offline_copy(synth.stack(stack), self.sts)))
        terraform = Terraform(workdir, self.cli_config, self.credentials)
        terraform.init()
        if self.schemas is None:
            self.schemas = json.loads(terraform.run("providers", "schema", "-json").stdout)
        if prior is not None:
            write_state(workdir / "terraform.tfstate", prior, self.schemas)
        plan = terraform.plan("-refresh=false")
        path = self.root / f"{name}.{stack}.json"
        path.write_text(json.dumps(plan))
        return path


@pytest.fixture(scope="module")
def plans(tmp_path_factory, cli_config, sts, management_credentials) -> dict[str, list[tuple[str, Path]]]:
    planner = Planner(tmp_path_factory.mktemp("review"), cli_config, sts, management_credentials)
    first = planner.plan("first-deployment", base())
    prior = json.loads(first.read_text())
    found = {"first-deployment": [("ipam", first)]}
    for name, config in UPDATES.items():
        found[name] = [("ipam", planner.plan(name, config, prior=prior))]
    advanced = json.loads(planner.plan("tier-base", public_ipv6("advanced")).read_text())
    found["tier-change"] = [("ipam", planner.plan("tier-change", public_ipv6("free"), prior=advanced))]
    found["split"] = [
        (stack, planner.plan("split", {**base(), "layout": "split"}, stack=stack))
        for stack in ("ipam-management", "ipam-delegated")
    ]
    return found


def review(plans_for: list[tuple[str, Path]], max_chars: int = 60_000) -> tuple[str, list]:
    loaded = [load_plan(path, stack) for stack, path in plans_for]
    found = risks([c for p in loaded for c in p.changes])
    return markdown(loaded, found, max_chars), found


SCENARIOS = ["first-deployment", *UPDATES, "tier-change", "split"]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_rendering_matches_golden(plans, scenario):
    text, _ = review(plans[scenario])
    golden = GOLDEN / f"{scenario}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text + "\n")
    assert text + "\n" == golden.read_text()


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_delete_and_replace_is_a_risk(plans, scenario):
    text, found = review(plans[scenario])
    loaded = [load_plan(path, stack) for stack, path in plans[scenario]]
    removals = {c.address for p in loaded for c in p.changes if c.action in ("delete", "replace")}
    assert removals <= {r.change.address for r in found}
    risk_block = text.split("### ⚠️ Risks", 1)[1].split("\n### ", 1)[0] if found else ""
    for address in removals:
        assert f"`{address}`" in risk_block


EXPECTED = {
    "first-deployment": ("24 to add, 0 to change, 0 to replace, 0 to destroy.", []),
    "add-pool": ("5 to add, 0 to change, 0 to replace, 0 to destroy.", []),
    "widen-cidr": ("1 to add, 0 to change, 0 to replace, 1 to destroy.", [("delete", "aws_vpc_ipam_pool_cidr.euw1_10-16-0-0-13")]),
    "remove-pool-cidr": ("0 to add, 0 to change, 0 to replace, 1 to destroy.", [("delete", "aws_vpc_ipam_pool_cidr.use1-dev_10-8-0-0-14")]),
    "remove-shared-ou": ("0 to add, 0 to change, 0 to replace, 1 to destroy.", [("delete", "aws_ram_principal_association.use1-dev_share_ou-ab12-11111111")]),
    "change-delegated-admin": ("0 to add, 0 to change, 1 to replace, 0 to destroy.", [("replace", "aws_vpc_ipam_organization_admin_account.delegation")]),
    "tier-change": ("0 to add, 1 to change, 0 to replace, 0 to destroy.", [("update", "aws_vpc_ipam.ipam")]),
    "split": ("24 to add, 0 to change, 0 to replace, 0 to destroy.", []),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_headline_and_risks(plans, scenario):
    text, found = review(plans[scenario])
    headline, risky = EXPECTED[scenario]
    assert f"**{headline}**" in text
    assert sorted({(r.change.action, r.change.address) for r in found}) == risky


def test_tier_downgrade_and_delegation_move_say_why(plans):
    _, found = review(plans["tier-change"])
    assert [r.reason for r in found] == [
        "tier downgrade to free: organization-wide private IPv4 management, RAM sharing of pools and monitoring of member accounts stop"
    ]
    text, found = review(plans["change-delegated-admin"])
    assert "IPAM delegated administrator: account 222222222222 → 444444444444" in text
    assert len(found) == 1 and "prevent_destroy is off" in found[0].reason


def test_split_review_has_a_row_per_stack_and_a_total(plans):
    text, _ = review(plans["split"])
    assert "| ipam-management | 2 | 0 | 0 | 0 |" in text
    assert "| ipam-delegated | 22 | 0 | 0 | 0 |" in text
    assert "| **total** | 24 | 0 | 0 | 0 |" in text
    assert "### management account 111111111111" in text and "### delegated account 222222222222" in text


def test_fail_on_risk_is_a_merge_gate(plans, capsys):
    [(_, risky)] = plans["remove-pool-cidr"]
    [(_, safe)] = plans["add-pool"]
    assert review_main([f"ipam={risky}", "--fail-on", "risk"]) == 1
    assert review_main([f"ipam={safe}", "--fail-on", "risk"]) == 0
    assert review_main([f"ipam={safe}", "--fail-on", "change"]) == 1
    capsys.readouterr()
    assert review_main([f"ipam={risky}", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["totals"] == {"add": 0, "change": 0, "replace": 0, "destroy": 1}
    assert document["risks"][0]["address"] == "aws_vpc_ipam_pool_cidr.use1-dev_10-8-0-0-14"


def test_a_small_cap_keeps_headline_and_every_risk_line(plans):
    both = plans["widen-cidr"] + [("first", plans["first-deployment"][0][1])]
    text, found = review(both, max_chars=3_000)
    assert len(text) <= 3_000
    assert "**25 to add, 0 to change, 0 to replace, 1 to destroy.**" in text
    assert len(found) == 1
    assert found[0].reason in text and "`aws_vpc_ipam_pool_cidr.euw1_10-16-0-0-13`" in text
    assert "more change lines not shown (comment limit)" in text


def test_unreadable_plan_is_refused_plainly(tmp_path, capsys):
    bad = tmp_path / "plan.json"
    bad.write_text("{not json")
    assert review_main([str(bad)]) == 2
    assert f"error: {bad}: not a JSON plan" in capsys.readouterr().err
    assert review_main([str(tmp_path / "missing.json")]) == 2
    assert "missing.json: file not found" in capsys.readouterr().err
