"""Review of real plans that add, change and remove the guardrail SCP and published parameters: any SCP change is a
risk that names the OU whose accounts it affects."""

from __future__ import annotations

import copy
import json

import pytest

from ipam_org.config.model import Config
from tests.conftest import GUARDED_OU, guarded
from tests.review.hostile import check_hostile_text_keeps_structure
from tests.review.scenarios import base
from tests.review.support import Planner, review

POLICY = f"aws_organizations_policy.guardrail_{GUARDED_OU}"
ATTACHMENT = f"aws_organizations_policy_attachment.guardrail_{GUARDED_OU}_attachment"
AFFECTS = f"changes what every account under OU {GUARDED_OU} may do"


def guarded_base(**changes) -> dict:
    return guarded(Config.model_validate(base()), **changes).model_dump(exclude_unset=True)


@pytest.fixture(scope="module")
def plans(tmp_path_factory, cli_config, sts, management_credentials):
    planner = Planner(tmp_path_factory.mktemp("review-guardrails"), cli_config, sts, management_credentials)
    added = planner.plan("add", guarded_base())  # a first deployment with the guardrail and a published pool
    deployed = json.loads(added.read_text())
    more = guarded_base()
    more["pools"].append(
        {
            "name": "use2",
            "locale": "us-east-1",
            "cidrs": ["172.16.0.0/12"],
            "share": {"organizational_units": [GUARDED_OU]},
        }
    )
    removed = copy.deepcopy(guarded_base())
    del removed["guardrails"]
    return {
        "add": added,
        "widen": planner.plan("widen", more, prior=deployed),
        "remove": planner.plan("remove", removed, prior=deployed),
    }


def risk_reasons(found) -> dict[str, str]:
    return {risk.change.address: risk.reason for risk in found if risk.change is not None}


def test_the_guardrail_is_a_risk_for_the_ou_and_the_published_parameters_are_listed(plans):
    text, found = review([("ipam", plans["add"])])
    reasons = risk_reasons(found)
    assert set(reasons) == {POLICY, ATTACHMENT}  # the parameters and their share associations are no risk
    for address in (POLICY, ATTACHMENT):
        assert reasons[address].startswith(
            f"{AFFECTS}: creating a VPC or adding a VPC CIDR there is denied unless it allocates from a pool the SCP "
            "names"
        )
    assert f"SCP requiring IPAM pools for VPCs in OU {GUARDED_OU}" in text
    assert 'parameter /ipam-org/pools/use1-dev/id of pool "use1-dev"' in text
    assert 'parameter cidrs of pool "use1-dev" in its RAM share' in text
    assert (
        "34 to add, 0 to change, 0 to replace, 0 to destroy." in text
    )  # the 24 of a first deployment, the SCP, its attachment,
    # 4 parameters and their 4 share associations


def test_a_new_pool_for_the_ou_changes_the_scp_in_place(plans):
    _, found = review([("ipam", plans["widen"])])
    reasons = risk_reasons(found)
    assert (
        reasons[POLICY]
        == f"{AFFECTS}: the pools its accounts may allocate VPC CIDRs from change; a pipeline that names another pool "
        "is denied"
    )
    assert ATTACHMENT not in reasons


def test_removing_the_guardrail_says_vpcs_there_are_unguarded_again(plans):
    text, found = review([("ipam", plans["remove"])])
    reasons = risk_reasons(found)
    assert reasons[POLICY].startswith(f"{AFFECTS}: the guardrail leaves") and reasons[ATTACHMENT] == reasons[POLICY]
    assert ", 2 to destroy." in text  # the SCP and its attachment, nothing else


@pytest.mark.parametrize("name", ["add", "widen", "remove"])
def test_hostile_text_cannot_restructure_a_guardrail_review(plans, name, tmp_path):
    check_hostile_text_keeps_structure([("ipam", plans[name])], tmp_path)
