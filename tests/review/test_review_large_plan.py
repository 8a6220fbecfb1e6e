"""The comment cap on a real 300-pool plan (800+ changes, well over the cap; bench/ reviews a 1,000-pool one)."""

from __future__ import annotations

import json

import pytest

from bench.generate import wide
from ipam_org.config.model import Config
from ipam_org.review.plan import load_plan
from ipam_org.review.render import GITHUB_COMMENT_LIMIT, markdown
from ipam_org.review.risks import risks
from tests.conftest import synthesize
from tests.support.terraform import offline_terraform


@pytest.fixture(scope="module")
def large_plan(tmp_path_factory, cli_config, sts, management_credentials):
    root = tmp_path_factory.mktemp("large")
    synth = synthesize(Config.model_validate(wide(300)), root / "synth")
    terraform = offline_terraform(root / "plan", synth.stack("ipam"), cli_config, sts, management_credentials)
    path = root / "ipam.json"
    path.write_text(json.dumps(terraform.plan()))
    return path


def test_hundreds_of_pools_stay_under_the_comment_limit(large_plan):
    plan = load_plan(large_plan, "ipam")
    assert len(plan.changes) > 800
    text = markdown([plan], risks([plan]))
    assert len(text) <= 60_000 < GITHUB_COMMENT_LIMIT
    assert f"**{len(plan.changes)} to add, 0 to change, 0 to replace, 0 to destroy.**" in text
    assert "| ipam | " in text
    assert "more change lines not shown (comment limit)" in text
    assert text.count("<details>") == text.count("</details>")  # no section is cut in half
