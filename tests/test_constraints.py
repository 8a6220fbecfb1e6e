"""docs/constraints.md and the code stay in step: every row's rule and cases exist, every attribute the stacks
emit has a row, and every validation rule is named by a row."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

import ipam_org.validation.rules
from bench.generate import amazon_ipv6_pool
from ipam_org.config.model import Config
from tests.conftest import guarded, synthesize, with_changes

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "docs" / "constraints.md"
CASES = ROOT / "tests" / "configs" / "invalid"
COLUMNS = ["Call", "Attribute", "Config", "Constraint", "Source", "Rule", "Cases"]
CALLS = {
    "EnableIpamOrganizationAdminAccount",
    "CreateIpam",
    "CreateIpamScope",
    "CreateIpamPool",
    "ProvisionIpamPoolCidr",
    "CreateResourceShare",
    "AssociateResourceShare",
    "EnableSharingWithAwsOrganization",
    "CreatePolicy",
    "AttachPolicy",
    "PutParameter",
    "PutMetricAlarm",
    "CreateTopic",
    "Subscribe",
    "import",
}
META = {"//", "provider", "depends_on", "lifecycle"}


def rows() -> list[dict[str, str]]:
    lines = [line for line in TABLE.read_text().splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header == COLUMNS
    return [
        dict(zip(COLUMNS, (cell.strip() for cell in line.strip("|").split(" | ")), strict=True)) for line in lines[1:]
    ]


def code_spans(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def resolve(dotted: str) -> object:
    """A module attribute by dotted path: module first, then attributes (classes, functions, methods)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            found = getattr(found, name)
        return found
    raise AssertionError(f"{dotted}: no such module")


def test_the_table_has_a_row_for_every_call_and_well_formed_rows():
    table = rows()
    assert len(table) >= 50
    assert {row["Call"] for row in table} == CALLS
    for row in table:
        assert all(row[c] for c in COLUMNS), row
        assert row["Source"] in {
            "API",
            "Quotas",
            "Tiers",
            "Org",
            "Tags",
            "ARNs",
            "Scopes",
            "Import",
            "SCP",
            "SSM",
            "CW",
            "ipam-org",
        }, row


@pytest.mark.parametrize("row", rows(), ids=lambda r: f"{r['Call']}:{r['Constraint'][:40]}")
def test_each_row_names_a_rule_and_cases_that_exist(row):
    rule = row["Rule"]
    if rule.startswith("left to AWS"):
        assert len(rule) > len("left to AWS: ") + 10, "say why it is left to AWS"
    else:
        spans = code_spans(rule)
        assert spans, row
        resolve(spans[0])
    if row["Cases"] == "—":
        assert rule.startswith("left to AWS"), "only a constraint left to AWS may have no case"
        return
    for case in code_spans(row["Cases"]):
        if "::" in case:
            path, test = case.split("::")
            assert f"def {test}(" in (ROOT / path).read_text(), case
        else:
            assert (CASES / f"{case}.yaml").exists(), case


def test_every_validation_rule_is_in_the_table():
    named = {span for row in rows() for span in code_spans(row["Rule"])}
    rules = {
        f"ipam_org.validation.rules.{name}"
        for name, f in inspect.getmembers(ipam_org.validation.rules, inspect.isfunction)
        if name.startswith("_check") or name == "free_tier_problems"
    }
    assert rules - named == set()


def every_feature(config: Config) -> Config:
    """The reference config with public IPv6, BYOIP, a custom scope, tags, cascade and alarms: every attribute the
    stacks emit."""
    data = config.model_dump(exclude_unset=True)
    data["pools"].append(amazon_ipv6_pool(allocation={"resource_tags": {"team": "edge"}}))
    data["pools"].append(
        {
            "name": "eips",
            "scope": "public",
            "cidrs": ["198.51.100.0/24"],
            "cidr_authorization_contexts": {
                "198.51.100.0/24": {
                    "message": "1|aws|222222222222|198.51.100.0/24|20991231|SHA256|RSAPSS",
                    "signature": "c2lnbmF0dXJl",
                }
            },
        }
    )
    data["scopes"] = [{"name": "acquired", "description": "Acme"}]
    data["tags"] = {"owner": "platform"}
    data["monitoring"] = {"emails": ["ops@example.com"]}
    return with_changes(Config.model_validate(data), ipam={**data["ipam"], "cascade": True})


def test_every_emitted_attribute_has_a_row(reference_config, tmp_path):
    stack = synthesize(guarded(every_feature(reference_config)), tmp_path).stack("ipam")
    emitted = set()
    for kind, by_name in stack["resource"].items():
        attributes = {a for body in by_name.values() for a in body} - META
        emitted |= {f"{kind}.{a}" for a in attributes} or {kind}
    emitted |= {"provider.default_tags"} if any("default_tags" in p for p in stack["provider"]["aws"]) else set()
    documented = {span for row in rows() for span in code_spans(row["Attribute"])}
    assert {
        "aws_vpc_ipam_pool.aws_service",
        "aws_vpc_ipam_pool_cidr.netmask_length",
        "aws_vpc_ipam.cascade",
        "aws_organizations_policy.content",
        "aws_ssm_parameter.tier",
        "aws_vpc_ipam_scope.description",
        "aws_vpc_ipam_pool_cidr.cidr_authorization_context",
        "aws_cloudwatch_metric_alarm.dimensions",
        "aws_sns_topic_subscription.endpoint",
    } <= emitted
    assert emitted - documented == set()
