"""Custom scopes and BYOIP, from the config: what is emitted, a real plan of it, and how review and module export show
it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ipam_org.config.model import Config
from ipam_org.review.plan import load_plan
from ipam_org.review.render import as_json, markdown
from ipam_org.review.risks import risks
from ipam_org.validation import validate
from tests.conftest import REFERENCE, Synth, synthesize
from tests.support.terraform import after, configured, plan_stack

SIGNATURE = "c2lnbmVkLWJ5LXRoZS1yYW5nZS1vd25lcg~~"  # AWS's URL-safe base64 spelling; must never be printed by review


def authorization(cidr: str) -> dict[str, str]:
    return {"message": f"1|aws|222222222222|{cidr}|20991231|SHA256|RSAPSS", "signature": SIGNATURE}


def scoped() -> dict:
    """The reference config, an acquired company's 10.0.0.0/8 in a scope of its own, an isolated lab in another, and
    BYOIP space."""
    config = yaml.safe_load(REFERENCE.read_text())
    config["scopes"] = [{"name": "acquired", "description": "Acme networks: they overlap ours"}, {"name": "isolated"}]
    config["pools"] += [
        {
            "name": "acme",
            "scope": "acquired",
            "cidrs": ["10.0.0.0/8"],
            "pools": [
                {
                    "name": "acme-use1",
                    "scope": "acquired",
                    "locale": "us-east-1",
                    "cidrs": ["10.0.0.0/12"],
                    "share": {"accounts": ["333333333333"]},
                }
            ],
        },
        {"name": "lab", "scope": "isolated", "cidrs": ["10.0.0.0/16"]},
        {
            "name": "eips",
            "scope": "public",
            "cidrs": ["198.51.100.0/24"],
            "cidr_authorization_contexts": {"198.51.100.0/24": authorization("198.51.100.0/24")},
            "pools": [{"name": "eips-use1", "scope": "public", "locale": "us-east-1", "cidrs": ["198.51.100.0/26"]}],
        },
        {
            "name": "byo-v6",
            "address_family": "ipv6",
            "scope": "public",
            "aws_service": "ec2",
            "public_ip_source": "byoip",
            "publicly_advertisable": False,
            "locale": "us-east-1",
            "cidrs": ["2001:db8::/48"],
            "cidr_authorization_contexts": {"2001:db8::/48": authorization("2001:db8::/48")},
        },
    ]
    return config


@pytest.fixture(scope="module")
def synth(tmp_path_factory) -> Synth:
    return synthesize(Config.model_validate(scoped()), tmp_path_factory.mktemp("scoped"))


@pytest.fixture(scope="module")
def stack(synth) -> dict:
    return synth.stack("ipam")


def test_the_config_is_valid_and_only_overlaps_across_scopes():
    report = validate(Config.model_validate(scoped()))
    assert report.errors == [] and report.warnings == []


def test_pools_in_different_scopes_may_overlap():
    config = scoped()
    config["pools"][-3]["scope"] = "acquired"  # lab's 10.0.0.0/16 now shares a scope with acme's 10.0.0.0/8
    assert [str(p) for p in validate(Config.model_validate(config)).errors] == [
        'pools[2].cidrs[0]: 10.0.0.0/16 overlaps top-level acquired pool "acme" (10.0.0.0/8)'
    ]


def test_more_scopes_than_the_quota_warn():
    config = scoped()
    config["scopes"] += [
        {"name": "extra-one"},
        {"name": "extra-two"},
    ]  # 4 custom and 2 default: over the 5 AWS allows by default
    report = validate(Config.model_validate(config))
    assert report.errors == []
    assert [str(w) for w in report.warnings] == [
        "scopes: 4 custom scopes and the 2 default ones exceed the default quota of 5 scopes per IPAM; request an "
        "increase before deploying"
    ]


def test_custom_scopes_belong_to_the_ipam_and_their_pools_land_in_them(stack):
    scopes = stack["resource"]["aws_vpc_ipam_scope"]
    assert set(scopes) == {"ipam_scope_acquired", "ipam_scope_isolated"}
    acquired = scopes["ipam_scope_acquired"]
    assert acquired["ipam_id"] == "${aws_vpc_ipam.ipam.id}" and acquired["provider"] == "aws.delegated"
    assert acquired["description"] == "Acme networks: they overlap ours" and acquired["tags"] == {"Name": "acquired"}
    assert acquired["lifecycle"] == {"prevent_destroy": True}
    pools = stack["resource"]["aws_vpc_ipam_pool"]
    assert (
        pools["acme"]["ipam_scope_id"]
        == pools["acme-use1"]["ipam_scope_id"]
        == "${aws_vpc_ipam_scope.ipam_scope_acquired.id}"
    )
    assert pools["lab"]["ipam_scope_id"] == "${aws_vpc_ipam_scope.ipam_scope_isolated.id}"
    assert pools["corp"]["ipam_scope_id"] == "${aws_vpc_ipam.ipam.private_default_scope_id}"
    assert pools["eips"]["ipam_scope_id"] == "${aws_vpc_ipam.ipam.public_default_scope_id}"
    assert stack["output"]["custom_scope_ids"]["value"] == {
        "acquired": "${aws_vpc_ipam_scope.ipam_scope_acquired.id}",
        "isolated": "${aws_vpc_ipam_scope.ipam_scope_isolated.id}",
    }


def test_byoip_cidrs_carry_their_authorization_and_child_cidrs_none(stack):
    cidrs = stack["resource"]["aws_vpc_ipam_pool_cidr"]
    assert cidrs["eips_198-51-100-0-24"]["cidr_authorization_context"] == {
        "message": "1|aws|222222222222|198.51.100.0/24|20991231|SHA256|RSAPSS",
        "signature": SIGNATURE,
    }
    assert cidrs["byo-v6_2001-db8---48"]["cidr_authorization_context"]["message"].startswith(
        "1|aws|222222222222|2001:db8::/48|"
    )
    assert "cidr_authorization_context" not in cidrs["eips-use1_198-51-100-0-26"]
    assert "cidr_authorization_context" not in cidrs["corp_10-0-0-0-8"]


@pytest.fixture(scope="module")
def plan(tmp_path_factory, cli_config, sts, management_credentials, synth) -> tuple[dict, Path]:
    root = tmp_path_factory.mktemp("scoped-plan")
    document = plan_stack(synth, "ipam", root / "plan", cli_config, sts, management_credentials)
    path = root / "plan.json"
    path.write_text(json.dumps(document))
    return document, path


def test_terraform_plans_scopes_and_byoip_authorizations(plan):
    document, _ = plan
    planned = after(document)
    assert planned["aws_vpc_ipam_scope.ipam_scope_acquired"]["description"] == "Acme networks: they overlap ours"
    assert planned["aws_vpc_ipam_pool_cidr.eips_198-51-100-0-24"]["cidr_authorization_context"] == [
        {"message": "1|aws|222222222222|198.51.100.0/24|20991231|SHA256|RSAPSS", "signature": SIGNATURE}
    ]
    references = configured(document)["aws_vpc_ipam_pool.acme-use1"]["expressions"]["ipam_scope_id"]["references"]
    assert "aws_vpc_ipam_scope.ipam_scope_acquired" in references
    assert configured(document)["aws_vpc_ipam_scope.ipam_scope_isolated"]["expressions"]["ipam_id"]["references"][
        0
    ].startswith("aws_vpc_ipam.ipam")


def test_review_names_each_pool_scope_and_shows_the_authorization_but_never_the_signature(plan):
    _, path = plan
    loaded = [load_plan(path, "ipam")]
    text, summary = markdown(loaded, risks(loaded)), as_json(loaded, risks(loaded))
    assert 'custom scope "acquired"' in text
    assert 'pool "acme-use1" (ipv4, acquired scope, us-east-1)' in text
    assert 'pool "lab" (ipv4, isolated scope, no locale)' in text
    assert 'pool "corp" (ipv4, private scope, no locale)' in text
    assert 'pool "eips" (ipv4, public scope, no locale)' in text
    # The message's | are escaped in the Markdown (a | starts a table cell); rendered, the line reads as AWS wrote it.
    assert (
        'CIDR 198.51.100.0/24 of pool "eips" (BYOIP, authorized by '
        "1\\|aws\\|222222222222\\|198.51.100.0/24\\|20991231\\|SHA256\\|RSAPSS; signature not shown)" in text
    )
    assert SIGNATURE not in text and SIGNATURE not in summary
    assert (
        'CIDR 198.51.100.0/26 of pool "eips-use1" (BYOIP' not in text
    )  # a child's CIDR comes from its parent, unauthorized


def test_module_inputs_carry_the_scopes_and_authorizations():
    from ipam_org.module_export.tfvars import tfvars

    written = tfvars(Config.model_validate(scoped()))
    assert written["scopes"] == {"acquired": {"description": "Acme networks: they overlap ours"}, "isolated": {}}
    assert written["pools"]["lab"] == {"scope": "isolated", "cidrs": ["10.0.0.0/16"]}
    assert written["pools"]["eips"]["cidr_authorization_contexts"] == {
        "198.51.100.0/24": authorization("198.51.100.0/24")
    }
    assert written["pools"]["eips-use1"] == {
        "parent": "eips",
        "scope": "public",
        "locale": "us-east-1",
        "cidrs": ["198.51.100.0/26"],
    }
