"""Shared by the review scenario tests: plan configs offline (optionally against a prior state) and check renderings."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from ipam_org.config.model import Config
from ipam_org.review.plan import load_plan
from ipam_org.review.render import markdown
from ipam_org.review.risks import risks
from tests.conftest import synthesize
from tests.review.hostile import check_hostile_text_keeps_structure
from tests.support.prior_state import write_state
from tests.support.terraform import offline_terraform, provider_schemas

GOLDEN = Path(__file__).parent / "golden"


class Planner:
    """Synthesizes a config and plans one stack of it offline, optionally against a prior state."""

    def __init__(self, root: Path, cli_config: Path, sts: str, credentials: dict[str, str]):
        self.root, self.cli_config, self.sts, self.credentials = root, cli_config, sts, credentials

    def plan(
        self,
        name: str,
        config: dict[str, Any],
        stack: str = "ipam",
        prior: dict[str, Any] | None = None,
        synthesized: dict[str, Any] | None = None,
    ) -> Path:
        """synthesized: plan this stack JSON (for example a golden of older code) instead of the config's synth
        today."""
        (self.root / name).mkdir(exist_ok=True)
        if synthesized is None:
            synthesized = synthesize(Config.model_validate(config), self.root / name / "synth").stack(stack)
        workdir = self.root / name / stack
        terraform = offline_terraform(workdir, synthesized, self.cli_config, self.sts, self.credentials)
        if prior is not None:
            write_state(workdir / "terraform.tfstate", prior, provider_schemas(terraform))
        plan = terraform.plan("-refresh=false")
        path = self.root / f"{name}.{stack}.json"
        path.write_text(json.dumps(plan))
        return path


def review(plans_for: list[tuple[str, Path]], max_chars: int = 60_000) -> tuple[str, list]:
    loaded = [load_plan(path, stack) for stack, path in plans_for]
    found = risks(loaded)
    return markdown(loaded, found, max_chars), found


FORGET = " 1 to forget (Terraform stops managing, AWS keeps)."
EXPECTED = {
    "first-deployment": ("24 to add, 0 to change, 0 to replace, 0 to destroy.", []),
    "add-pool": ("5 to add, 0 to change, 0 to replace, 0 to destroy.", []),
    "widen-cidr": (
        "1 to add, 0 to change, 0 to replace, 1 to destroy.",
        [
            ("create", "aws_vpc_ipam_pool_cidr.euw1_10-16-0-0-12"),
            ("delete", "aws_vpc_ipam_pool_cidr.euw1_10-16-0-0-13"),
        ],
    ),
    "remove-pool-cidr": (
        "0 to add, 0 to change, 0 to replace, 1 to destroy.",
        [("delete", "aws_vpc_ipam_pool_cidr.use1-dev_10-8-0-0-14")],
    ),
    "remove-pool": (
        "0 to add, 0 to change, 0 to replace, 7 to destroy.",
        [
            ("delete", "aws_ram_principal_association.use1-dev_share_333333333333"),
            ("delete", "aws_ram_principal_association.use1-dev_share_ou-ab12-11111111"),
            ("delete", "aws_ram_resource_association.use1-dev_share_pool"),
            ("delete", "aws_ram_resource_share.use1-dev_share"),
            ("delete", "aws_vpc_ipam_pool.use1-dev"),
            ("delete", "aws_vpc_ipam_pool_cidr.use1-dev_10-4-0-0-14"),
            ("delete", "aws_vpc_ipam_pool_cidr.use1-dev_10-8-0-0-14"),
        ],
    ),
    "remove-shared-ou": (
        "0 to add, 0 to change, 0 to replace, 1 to destroy.",
        [("delete", "aws_ram_principal_association.use1-dev_share_ou-ab12-11111111")],
    ),
    "accounts-only-shares": (
        "2 to add, 0 to change, 0 to replace, 3 to destroy." + FORGET,
        [
            ("delete", "aws_ram_principal_association.euw1_share_organization"),
            ("delete", "aws_ram_principal_association.use1-dev_share_ou-ab12-11111111"),
            ("delete", "aws_ram_principal_association.use1-prod_share_organization"),
        ],
    ),
    "protection-off-only": ("No changes.", [("plan", "ipam")]),
    "replace-pool-locale": (
        "0 to add, 0 to change, 3 to replace, 0 to destroy.",
        [
            ("plan", "ipam"),
            ("replace", "aws_ram_resource_association.euw1_share_pool"),
            ("replace", "aws_vpc_ipam_pool.euw1"),
            ("replace", "aws_vpc_ipam_pool_cidr.euw1_10-16-0-0-13"),
        ],
    ),
    "change-delegated-admin": (
        "0 to add, 0 to change, 1 to replace, 0 to destroy." + FORGET,
        [("plan", "ipam"), ("replace", "aws_vpc_ipam_organization_admin_account.delegation")],
    ),
    "tier-change": ("0 to add, 1 to change, 0 to replace, 0 to destroy.", [("update", "aws_vpc_ipam.ipam")]),
    "split": ("24 to add, 0 to change, 0 to replace, 0 to destroy.", []),
}

# Fragments each reason must contain, written from what the plan does (not from the code under test);
# "plan" is the risk of the plan as a whole. Every risk of a listed scenario must be listed here.
PROTECT_OFF = "prevent_destroy is off for this protected resource (protect: false)"
LEFT = "its block left the config, so prevent_destroy cannot stop this"
OVERLAP = "overlap and Terraform orders neither first"
REASONS = {
    "widen-cidr": {
        "aws_vpc_ipam_pool_cidr.euw1_10-16-0-0-13": [
            LEFT,
            "10.16.0.0/12 and 10.16.0.0/13",
            OVERLAP,
            "add an adjacent CIDR",
            "two steps",
        ],
        "aws_vpc_ipam_pool_cidr.euw1_10-16-0-0-12": [OVERLAP, "will fail or race"],
    },
    "remove-pool-cidr": {"aws_vpc_ipam_pool_cidr.use1-dev_10-8-0-0-14": ["deprovisioning a pool CIDR", LEFT]},
    "remove-pool": {
        "aws_vpc_ipam_pool.use1-dev": ["removing a pool", LEFT],
        "aws_vpc_ipam_pool_cidr.use1-dev_10-4-0-0-14": [LEFT],
        "aws_vpc_ipam_pool_cidr.use1-dev_10-8-0-0-14": [LEFT],
        "aws_ram_resource_share.use1-dev_share": ["unshares the pool"],
        "aws_ram_resource_association.use1-dev_share_pool": ["detaches the pool"],
        "aws_ram_principal_association.use1-dev_share_333333333333": ["revokes allocation rights"],
        "aws_ram_principal_association.use1-dev_share_ou-ab12-11111111": ["revokes allocation rights"],
    },
    "protection-off-only": {
        "plan": ["protect goes from true to false", "can replace or delete them without any error"]
    },
    "replace-pool-locale": {
        "plan": ["protect goes from true to false"],
        "aws_vpc_ipam_pool.euw1": ["replaced because locale changed", "new ID", PROTECT_OFF],
        "aws_vpc_ipam_pool_cidr.euw1_10-16-0-0-13": ["replaced because its pool is replaced", PROTECT_OFF],
        "aws_ram_resource_association.euw1_share_pool": ["replaced because its pool is replaced"],
    },
    "change-delegated-admin": {
        "aws_vpc_ipam_organization_admin_account.delegation": [
            "from 222222222222 to 444444444444",
            "IPAMs cannot move between accounts",
            "orphaning the old IPAM",
            "tear down in the old account first",
        ],
        "plan": ["protect goes from true to false"],
    },
}


def check_golden(plans_for: list[tuple[str, Path]], scenario: str) -> None:
    text, _ = review(plans_for)
    golden = GOLDEN / f"{scenario}.md"
    if os.environ.get("UPDATE_GOLDEN"):  # never passes: a rewritten golden is compared with nothing
        golden.write_text(text + "\n")
        pytest.fail(f"UPDATE_GOLDEN rewrote {golden.name}: review its diff, then run again without UPDATE_GOLDEN")
    assert text + "\n" == golden.read_text()


# What removing each resource type does in AWS, in a few words the reason must contain (written from AWS's
# behaviour, not copied from review/risks.py): a delete of an unlisted type, or one that gets only a
# generic reason, fails the check.
REMOVAL_MEANS = {
    "aws_vpc_ipam_organization_admin_account": "IPAM administration",
    "aws_vpc_ipam": "allocation history",
    "aws_vpc_ipam_scope": "holds pools",
    "aws_vpc_ipam_pool": "allocations",
    "aws_vpc_ipam_pool_cidr": "allocations",
    "aws_ram_principal_association": "revokes allocation rights",
    "aws_ram_resource_share": "unshares the pool",
    "aws_ram_resource_association": "detaches the pool",
    "aws_ram_sharing_with_organization": "every organization and OU share",
}


def check_removals_are_risks(plans_for: list[tuple[str, Path]]) -> None:
    text, found = review(plans_for)
    loaded = [load_plan(path, stack) for stack, path in plans_for]
    removals = {c.address: c.type for p in loaded for c in p.changes if c.action in ("delete", "replace")}
    reasons = {r.change.address: r.reason for r in found if r.change}
    risk_block = text.split("### ⚠️ Risks", 1)[1].split("\n### ", 1)[0] if found else ""
    for address, kind in removals.items():
        assert kind in REMOVAL_MEANS, f"{address}: no known meaning for removing a {kind}"
        if (
            kind == "aws_vpc_ipam_organization_admin_account"
            and "moves the IPAM delegated administrator" in reasons.get(address, "")
        ):
            continue  # a move of the delegated account has its own, longer reason (checked in REASONS)
        assert REMOVAL_MEANS[kind] in reasons.get(address, ""), f"{address}: {reasons.get(address)!r}"
        assert f"`{address}`" in risk_block


def check_headline_and_risks(plans_for: list[tuple[str, Path]], scenario: str) -> None:
    text, found = review(plans_for)
    headline, risky = EXPECTED[scenario]
    assert f"**{headline}**" in text
    assert sorted({(r.change.action, r.change.address) if r.change else ("plan", r.stack) for r in found}) == risky


def check_reasons(plans_for: list[tuple[str, Path]], scenario: str) -> None:
    _, found = review(plans_for)
    reasons = {(r.change.address if r.change else "plan"): r.reason for r in found}
    if scenario in REASONS:
        assert set(reasons) == set(REASONS[scenario])
        for subject, fragments in REASONS[scenario].items():
            for fragment in fragments:
                assert fragment in reasons[subject], f"{subject}: {fragment!r} not in {reasons[subject]!r}"
    protect_on = EXPECTED[scenario][1] and ("plan", "ipam") not in EXPECTED[scenario][1]
    if protect_on:  # nothing in a plan with protect on may blame protect: false
        assert not any("protect: false" in reason for reason in reasons.values())


class ScenarioChecks:
    """The checks every review scenario gets; a test class sets SCENARIOS and its module a `plans` fixture."""

    SCENARIOS: list[str] = []

    def test_rendering_matches_golden(self, plans, scenario):
        check_golden(plans[scenario], scenario)

    def test_every_delete_and_replace_is_a_risk(self, plans, scenario):
        check_removals_are_risks(plans[scenario])

    def test_headline_and_risks(self, plans, scenario):
        check_headline_and_risks(plans[scenario], scenario)

    def test_reasons_are_true_for_the_plan(self, plans, scenario):
        check_reasons(plans[scenario], scenario)

    def test_hostile_text_cannot_restructure_the_comment(self, plans, scenario, tmp_path):
        check_hostile_text_keeps_structure(plans[scenario], tmp_path)
