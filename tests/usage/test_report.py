"""The usage report's numbers against plain ipaddress arithmetic over the hand-built facts (tests/usage/facts.py),
never against the report's own code."""

from __future__ import annotations

import ipaddress
import json
import re
from datetime import timedelta

import pytest

from ipam_org.usage.compute import report
from tests.conftest import GUARDED_OU, guarded
from tests.support.usage_schema import VALIDATOR
from tests.usage.facts import READ_AT, sample

TEAM = ipaddress.ip_network("10.0.0.0/18")
TEAM_TAKEN = [ipaddress.ip_network(c) for c in ("10.0.0.0/24", "10.0.4.0/22", "10.0.1.0/24")]


@pytest.fixture(scope="module")
def found(reference_config):
    return report(sample(), guarded(reference_config), threshold=20)


def pools(found):
    return {p["name"]: p for p in found["pools"]}


def test_pool_numbers_are_aws_definitions(found):
    corp, team = pools(found)["corp"], pools(found)["team"]
    assert (corp["provisioned"], corp["allocated_to_pools"], corp["assigned_to_resources"]) == (2**16, 2**14, 0)
    assert corp["free"] == 2**16 - 2**14 and corp["percent_used"] == 25.0 and corp["percent_allocated"] == 25.0
    assigned = sum(n.num_addresses for n in TEAM_TAKEN)
    assert (team["provisioned"], team["allocated_to_pools"], team["assigned_to_resources"]) == (2**14, 0, assigned)
    assert team["percent_assigned"] == round(100 * assigned / 2**14, 2) == team["percent_used"]
    assert team["vpc_allocations"] == 2


def test_largest_free_block_and_what_fits(found):
    team = pools(found)["team"]
    free_24s = [s for s in TEAM.subnets(new_prefix=24) if not any(s.overlaps(t) for t in TEAM_TAKEN)]
    largest = next(
        block
        for length in range(TEAM.prefixlen, 25)
        for block in TEAM.subnets(new_prefix=length)
        if not any(block.overlaps(t) for t in TEAM_TAKEN)
    )
    assert team["largest_free"][0] == str(largest) == "10.0.32.0/19"
    assert {f["length"]: f["count"] for f in team["fits"]} == {19: 1, 24: len(free_24s)}


def test_worst_pools_first_and_the_threshold(found):
    assert [p["name"] for p in found["pools"]] == ["corp", "team"]  # 25 % before 9.4 %
    assert found["over_threshold"] == ["corp"]


def test_forecast_from_history_of_the_cidrs_held(found):
    team = pools(found)["team"]
    windows = {w["days"]: w for w in team["forecast"]["windows"]}
    assert team["forecast"]["status"] == "ok"
    grown_30 = 1024  # vpc-2's /22, 10 days ago; vpc-1's /24 is 100 days old; the manual allocation has no history
    assert windows[30]["addresses"] == grown_30 and windows[90]["addresses"] == grown_30
    free = 2**14 - sum(n.num_addresses for n in TEAM_TAKEN)
    assert windows[30]["runs_out"] == (READ_AT + timedelta(days=free / (grown_30 / 30))).date().isoformat()
    assert windows[90]["runs_out"] == (READ_AT + timedelta(days=free / (grown_30 / 90))).date().isoformat()
    assert pools(found)["corp"]["forecast"]["status"] == "no resources"


def test_too_little_history_says_so(reference_config):
    facts = sample()
    facts.history["10.0.0.0/24"][0]["SampledStartTime"] = READ_AT - timedelta(days=12)
    team = pools(report(facts, reference_config, 80))["team"]
    assert team["forecast"]["status"] == "too little history" and "12 days" in team["forecast"]["detail"]


def test_accounts_ous_outside_ipam_and_overlaps(found):
    accounts = {a["account"]: a for a in found["accounts"]}
    assert [a["account"] for a in found["accounts"]] == ["333333333333", "111111111111"]  # most addresses first
    assert accounts["333333333333"]["addresses"] == 2 * 2**16 and accounts["333333333333"]["unmanaged"] == 2
    assert accounts["111111111111"]["addresses"] == 256 + 1024 + 256 and accounts["111111111111"]["managed"] == 2
    assert {o["ou"]: o["accounts"] for o in found["ous"]} == {GUARDED_OU: 1, "": 1}
    outside = {u["vpc"]: u["guarded_ou"] for u in found["unmanaged"]}
    assert outside == {"vpc-3": False, "vpc-4": False, "vpc-5": True} and found["unmanaged_in_guarded_ous"] == 1
    assert [(o["a"]["cidr"], o["b"]["cidr"]) for o in found["overlaps"]] == [("172.16.0.0/16", "172.16.8.0/24")]
    pair = found["overlaps"][0]
    assert {pair["a"]["account"], pair["b"]["account"]} == {"333333333333", "111111111111"}


def test_cost_is_not_guessed_without_subnet_usage(found, reference_config):
    assert found["cost"]["estimated"] is False and "subnet" in found["cost"]["reason"]
    facts = sample()
    facts.resources.append(
        {"ResourceCidr": "10.0.0.0/25", "ResourceType": "subnet", "IpUsage": 0.25, "ManagementState": "unmanaged"}
    )
    cost = report(facts, reference_config, 80)["cost"]
    assert cost["active_ips"] == 32 and cost["monthly_usd"] == round(32 * 0.00027 * 730, 2)


def test_the_usage_role_may_only_read():
    from ipam_org.preflight.policy import policy
    from ipam_org.usage.collect import ACTIONS

    (statement,) = policy("usage")["Statement"]
    assert statement["Action"] == ACTIONS and statement["Effect"] == "Allow"
    assert all(re.fullmatch(r"(ec2|organizations):(Describe|Get|List)[A-Za-z]+", action) for action in ACTIONS)


def test_the_report_follows_its_published_schema(found):
    VALIDATOR.validate(json.loads(json.dumps(found)))
    broken = json.loads(json.dumps(found))
    broken["pools"][0]["surprise"] = 1  # a field the schema does not document
    del broken["unmanaged"][0]["guarded_ou"]
    assert len(list(VALIDATOR.iter_errors(broken))) == 2
