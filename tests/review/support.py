"""Shared by the review scenario tests: plan configs offline (optionally against a prior state) and check renderings."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from config.model import Config
from review.plan import load_plan
from review.render import markdown
from review.risks import risks
from tests.conftest import synthesize
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


def review(plans_for: list[tuple[str, Path]], max_chars: int = 60_000) -> tuple[str, list]:
    loaded = [load_plan(path, stack) for stack, path in plans_for]
    found = risks([c for p in loaded for c in p.changes])
    return markdown(loaded, found, max_chars), found


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



def check_golden(plans_for: list[tuple[str, Path]], scenario: str) -> None:
    text, _ = review(plans_for)
    golden = GOLDEN / f"{scenario}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text + "\n")
    assert text + "\n" == golden.read_text()


def check_removals_are_risks(plans_for: list[tuple[str, Path]]) -> None:
    text, found = review(plans_for)
    loaded = [load_plan(path, stack) for stack, path in plans_for]
    removals = {c.address for p in loaded for c in p.changes if c.action in ("delete", "replace")}
    assert removals <= {r.change.address for r in found}
    risk_block = text.split("### ⚠️ Risks", 1)[1].split("\n### ", 1)[0] if found else ""
    for address in removals:
        assert f"`{address}`" in risk_block


def check_headline_and_risks(plans_for: list[tuple[str, Path]], scenario: str) -> None:
    text, found = review(plans_for)
    headline, risky = EXPECTED[scenario]
    assert f"**{headline}**" in text
    assert sorted({(r.change.action, r.change.address) for r in found}) == risky


class ScenarioChecks:
    """The checks every review scenario gets; a test class sets SCENARIOS and its module a `plans` fixture."""

    SCENARIOS: list[str] = []

    def test_rendering_matches_golden(self, plans, scenario):
        check_golden(plans[scenario], scenario)

    def test_every_delete_and_replace_is_a_risk(self, plans, scenario):
        check_removals_are_risks(plans[scenario])

    def test_headline_and_risks(self, plans, scenario):
        check_headline_and_risks(plans[scenario], scenario)
