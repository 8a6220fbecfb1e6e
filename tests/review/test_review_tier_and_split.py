"""Review of real plans: a tier downgrade (planned against a prior state) and the split layout (two plans)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.review.scenarios import base, public_ipv6
from tests.review.support import Planner, ScenarioChecks, review

SCENARIOS = ["tier-change", "split"]


@pytest.fixture(scope="module")
def plans(tmp_path_factory, cli_config, sts, management_credentials) -> dict[str, list[tuple[str, Path]]]:
    planner = Planner(tmp_path_factory.mktemp("review"), cli_config, sts, management_credentials)
    advanced = json.loads(planner.plan("tier-base", public_ipv6("advanced")).read_text())
    return {
        "tier-change": [("ipam", planner.plan("tier-change", public_ipv6("free"), prior=advanced))],
        "split": [
            (stack, planner.plan("split", {**base(), "layout": "split"}, stack=stack))
            for stack in ("ipam-management", "ipam-delegated")
        ],
    }


class TestTierAndSplitScenarios(ScenarioChecks):
    SCENARIOS = SCENARIOS


def test_tier_downgrade_says_why(plans):
    _, found = review(plans["tier-change"])
    assert [r.reason for r in found] == [
        "tier downgrade to free: organization-wide private IPv4 management, RAM sharing of pools and monitoring of "
        "member accounts stop"
    ]


def test_split_review_has_a_row_per_stack_and_a_total(plans):
    text, _ = review(plans["split"])
    assert "| ipam-management | 2 | 0 | 0 | 0 |" in text
    assert "| ipam-delegated | 22 | 0 | 0 | 0 |" in text
    assert "| **total** | 24 | 0 | 0 | 0 |" in text
    assert "### management account 111111111111" in text and "### delegated account 222222222222" in text
