"""ipam_org.addresses owns the Terraform names: the review reads back what the constructs write, and the checkov
policies and the module's HCL match the same names."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from ipam_org import addresses
from ipam_org.domain.handoff import FACTS

POLICIES = Path(__file__).resolve().parent.parent / "tools" / "checkov" / "policies" / "ipam_org.py"
POOLS = ["a", "use1-prod", "Pool-9-x"]


@pytest.mark.parametrize("pool", POOLS)
def test_every_pool_resource_name_reads_back_as_its_pool(pool):
    names = [
        addresses.pool_cidr(pool, "10.0.0.0/8"),
        addresses.pool_cidr(pool, "fd00::/48"),
        addresses.pool_netmask(pool, 52),
        addresses.share(pool),
        addresses.share_pool(pool),
        addresses.share_principal(pool, "ou-ab12-11111111"),
        addresses.share_principal(pool, "123456789012"),
        addresses.share_principal(pool, "organization"),
    ]
    assert [addresses.parse("aws_vpc_ipam_pool_cidr", name).pool for name in names] == [pool] * len(names)
    for fact in FACTS:
        assert addresses.parse("aws_ssm_parameter", addresses.parameter(pool, fact)) == addresses.Named(
            pool=pool, fact=fact
        )
        assert addresses.parse(
            "aws_ram_resource_association", addresses.share_parameter(pool, fact)
        ) == addresses.Named(pool=pool, fact=fact)
    assert addresses.parse("aws_ram_resource_association", addresses.share_pool(pool)).fact is None


def test_scopes_and_guardrails_read_back():
    assert addresses.parse("aws_vpc_ipam_scope", addresses.scope("red_team")).scope == "red_team"
    policy = addresses.guardrail("ou-ab12-11111111")
    assert addresses.parse("aws_organizations_policy", policy).ou == "ou-ab12-11111111"
    assert addresses.parse("aws_organizations_policy_attachment", addresses.attachment(policy)).ou == "ou-ab12-11111111"


def policy_pattern(name: str) -> re.Pattern:
    """A regex the checkov policies compile, read from their source (checkov lives in its own environment)."""
    for node in ast.walk(ast.parse(POLICIES.read_text())):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return re.compile(ast.literal_eval(node.value.args[0]))
    raise AssertionError(f"{name} not in {POLICIES}")


def test_the_checkov_policies_match_the_parameter_names():
    pattern = policy_pattern("POOL_PARAMETER_ARN")
    for fact in FACTS:
        assert pattern.fullmatch(f"${{aws_ssm_parameter.{addresses.parameter('use1-dev', fact)}.arn}}")
    assert not pattern.fullmatch(f"${{aws_ssm_parameter.{addresses.share('use1-dev')}.arn}}")
