"""The guardrail (an SCP per OU: VPCs allocate their CIDRs from IPAM) and the handoff (pool facts as SSM parameters
shared through the pool's RAM share): synthesized, checked against the IAM policy grammar, planned with real
Terraform."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from moto.iam.policy_validation import IAMPolicyDocumentValidator
from parliament import analyze_policy_string

from bench.generate import amazon_ipv6_pool
from ipam_org.domain.guardrails import LONGEST_POOL_ID, render, scp_document
from ipam_org.domain.handoff import FACTS
from tests.conftest import GUARDED_OU, guarded, synthesize
from tests.support.terraform import after, plan_stack

SHARED_WITH_OU = (
    "euw1",
    "use1-dev",
    "use1-prod",
)  # use1-dev with the OU, the others with the organization; corp and use1 are not shared
EXEMPT = ["222222222222", "444444444444"]  # the IPAM account, always, and the configured one
POLICY = f"guardrail_{GUARDED_OU}"


def pool_ids(document: dict, key: str) -> set[str]:
    return {
        value for statement in document["Statement"] for value in statement["Condition"]["StringNotEquals"].get(key, [])
    }


def statements(document: dict) -> dict[str, dict]:
    return {statement["Sid"]: statement for statement in document["Statement"]}


@pytest.fixture(scope="module")
def single(reference_config, tmp_path_factory):
    return synthesize(guarded(reference_config), tmp_path_factory.mktemp("guarded"))


@pytest.fixture(scope="module")
def split(reference_config, tmp_path_factory):
    return synthesize(guarded(reference_config, layout="split"), tmp_path_factory.mktemp("guarded-split"))


def test_the_scp_names_exactly_the_pools_shared_with_the_ou_and_is_attached_to_it(single):
    policies = single.resources("ipam", "aws_organizations_policy")
    assert list(policies) == [POLICY]
    policy = policies[POLICY]
    assert (policy["provider"], policy["type"], policy["name"]) == (
        "aws.management",
        "SERVICE_CONTROL_POLICY",
        f"ipam-org-require-ipam-{GUARDED_OU}",
    )
    document = json.loads(policy["content"])
    found = statements(document)
    assert sorted(found) == [
        "AssociateVpcCidrFromIpamPool",
        "CreateVpcFromIpamPool",
    ]  # no IPv6 pool is shared with the OU
    assert (found["CreateVpcFromIpamPool"]["Action"], found["AssociateVpcCidrFromIpamPool"]["Action"]) == (
        "ec2:CreateVpc",
        "ec2:AssociateVpcCidrBlock",
    )
    expected = sorted(f"${{aws_vpc_ipam_pool.{name}.id}}" for name in SHARED_WITH_OU)
    for statement in document["Statement"]:
        assert (statement["Effect"], statement["Resource"]) == ("Deny", "arn:aws:ec2:*:*:vpc/*")
        assert sorted(statement["Condition"]["StringNotEquals"]["ec2:Ipv4IpamPoolId"]) == expected
        assert statement["Condition"]["StringNotEquals"]["aws:PrincipalAccount"] == EXEMPT
    attachment = single.resources("ipam", "aws_organizations_policy_attachment")[f"{POLICY}_attachment"]
    assert attachment == {
        **attachment,
        "provider": "aws.management",
        "target_id": GUARDED_OU,
        "policy_id": f"${{aws_organizations_policy.{POLICY}.id}}",
    }


def test_each_ou_gets_its_own_pools_and_ipv6_pools_get_their_own_conditions(reference_config, tmp_path):
    other = "ou-cd34-22222222"
    config = guarded(reference_config)
    data = config.model_dump(exclude_unset=True)
    data["guardrails"]["require_ipam_for_vpcs"]["organizational_units"].append(other)
    data["pools"].append(
        {
            "name": "v6",
            "address_family": "ipv6",
            "locale": "us-east-1",
            "cidrs": ["fd00::/48"],
            "share": {"organizational_units": [GUARDED_OU]},
        }
    )
    policies = synthesize(type(config).model_validate(data), tmp_path).resources("ipam", "aws_organizations_policy")
    mine, theirs = json.loads(policies[POLICY]["content"]), json.loads(policies[f"guardrail_{other}"]["content"])
    assert pool_ids(theirs, "ec2:Ipv4IpamPoolId") == {
        "${aws_vpc_ipam_pool.euw1.id}",
        "${aws_vpc_ipam_pool.use1-prod.id}",
    }
    assert pool_ids(theirs, "ec2:Ipv6IpamPoolId") == set()
    assert pool_ids(mine, "ec2:Ipv6IpamPoolId") == {"${aws_vpc_ipam_pool.v6.id}"}
    ipv6 = statements(mine)["CreateVpcIpv6FromIpamPool"]["Condition"]
    assert ipv6["Null"] == {
        "ec2:Ipv6IpamPoolId": "false"
    }  # only a request that names an IPv6 pool must name one of these


def test_split_layout_deploys_the_guardrail_last_with_management_credentials(split, split_reference):
    stacks = split.manifest["stacks"]
    assert sorted(stacks["ipam-guardrails"]["dependencies"]) == ["ipam-delegated", "ipam-management"]
    stack = split.stack("ipam-guardrails")
    assert [(p["alias"], p["allowed_account_ids"]) for p in stack["provider"]["aws"]] == [
        ("management", ["111111111111"])
    ]
    assert sorted(stack["resource"]) == ["aws_organizations_policy", "aws_organizations_policy_attachment"]
    assert stack["data"]["terraform_remote_state"]["delegated"] == {
        "backend": "local",
        "config": {"path": "../../../terraform-state/ipam-delegated.tfstate"},
    }
    document = json.loads(stack["resource"]["aws_organizations_policy"][POLICY]["content"])
    assert pool_ids(document, "ec2:Ipv4IpamPoolId") == {
        f"${{data.terraform_remote_state.delegated.outputs.pools.{n}.id}}" for n in SHARED_WITH_OU
    }
    # The guardrail reads the delegated stack's existing `pools` output: adding it leaves that stack as it was.
    published = split.stack("ipam-delegated")
    published["resource"].pop("aws_ssm_parameter")
    published["resource"]["aws_ram_resource_association"] = {
        k: v for k, v in published["resource"]["aws_ram_resource_association"].items() if "_param-" not in k
    }
    assert published == split_reference.stack("ipam-delegated")


@pytest.mark.parametrize(
    "ipv4, ipv6, partition", [(1, 0, "aws"), (3, 2, "aws"), (40, 20, "aws-us-gov"), (2, 1, "aws-cn")]
)
def test_the_scp_document_passes_the_iam_policy_grammar_and_knows_its_condition_keys(ipv4, ipv6, partition):
    text = render(scp_document(partition, [LONGEST_POOL_ID] * ipv4, [LONGEST_POOL_ID] * ipv6, EXEMPT))
    IAMPolicyDocumentValidator(text).validate()  # raises MalformedPolicyDocument on a grammar error
    # parliament knows, per action, the condition keys AWS defines: ec2:Ipv4IpamPoolId on CreateVpc and
    # AssociateVpcCidrBlock.
    assert (
        analyze_policy_string(text.replace(f"arn:{partition}:", "arn:aws:"), include_community_auditors=False).findings
        == []
    )


def test_the_grammar_checks_fail_on_a_broken_document():
    document = scp_document("aws", ["ipam-pool-0123456789abcdef0"], [], EXEMPT)
    misspelled = render(document).replace("ec2:Ipv4IpamPoolId", "ec2:Ipv4PoolId")
    assert [f.issue for f in analyze_policy_string(misspelled, include_community_auditors=False).findings] == [
        "UNKNOWN_CONDITION_FOR_ACTION"
    ] * 2
    with pytest.raises(Exception, match="Syntax errors in policy"):
        IAMPolicyDocumentValidator(render(document).replace('"Deny"', '"Refuse"')).validate()


def test_a_published_pool_puts_its_facts_in_advanced_parameters_in_its_share(single):
    parameters = single.resources("ipam", "aws_ssm_parameter")
    assert sorted(parameters) == sorted(f"use1-dev_param-{fact}" for fact in FACTS)
    values = {name.rsplit("-", 1)[-1]: body for name, body in parameters.items()}
    assert {fact: body["name"] for fact, body in values.items()} == {
        fact: f"/ipam-org/pools/use1-dev/{fact}" for fact in FACTS
    }
    assert {fact: body["value"] for fact, body in values.items()} == {
        "id": "${aws_vpc_ipam_pool.use1-dev.id}",
        "arn": "${aws_vpc_ipam_pool.use1-dev.arn}",
        "cidrs": "10.4.0.0/14",
        "locale": "us-east-1",
    }
    assert {body["type"] for fact, body in values.items() if fact != "cidrs"} == {"String"} and values["cidrs"][
        "type"
    ] == "StringList"
    for body in parameters.values():
        assert (body["tier"], body["provider"]) == ("Advanced", "aws.delegated")  # RAM shares advanced parameters only
        assert body["depends_on"] == [
            "aws_vpc_ipam_pool_cidr.use1-dev_10-4-0-0-14"
        ]  # the ID appears once the pool can allocate
    associations = single.resources("ipam", "aws_ram_resource_association")
    for fact in FACTS:
        assert (
            associations[f"use1-dev_share_param-{fact}"]["resource_arn"]
            == f"${{aws_ssm_parameter.use1-dev_param-{fact}.arn}}"
        )
        assert (
            associations[f"use1-dev_share_param-{fact}"]["resource_share_arn"]
            == "${aws_ram_resource_share.use1-dev_share.arn}"
        )


def test_a_published_netmask_pool_publishes_the_cidr_aws_provisions(reference_config, tmp_path):
    data = reference_config.model_dump(exclude_unset=True)
    data["pools"].append(amazon_ipv6_pool(share={"accounts": ["333333333333"], "publish": True}))
    parameters = synthesize(type(reference_config).model_validate(data), tmp_path).resources(
        "ipam", "aws_ssm_parameter"
    )
    assert parameters["public-v6_param-cidrs"]["value"] == "${aws_vpc_ipam_pool_cidr.public-v6_netmask-52.cidr}"


def fake_delegated_state(path: Path, pools: dict[str, str]) -> None:
    """What the delegated stack's state holds once deployed: its `pools` output."""
    value = {
        name: {"id": pool_id, "arn": f"arn:aws:ec2::222222222222:ipam-pool/{pool_id}"}
        for name, pool_id in pools.items()
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "version": 4,
                "terraform_version": "1.11.4",
                "serial": 1,
                "lineage": "test",
                "resources": [],
                "outputs": {"pools": {"value": value, "type": ["map", ["map", "string"]]}},
            }
        )
    )


def test_the_split_guardrail_stack_plans_offline_from_the_delegated_state(
    split, tmp_path, cli_config, sts, management_credentials
):
    # (the single stack is planned by tests/review/test_review_guardrails.py and, through the module, below)
    workdir = (
        tmp_path / "split" / "cdktf.out" / "stacks" / "ipam-guardrails"
    )  # the remote state path is relative: ../../../terraform-state
    state = tmp_path / "split" / "terraform-state" / "ipam-delegated.tfstate"
    fake_delegated_state(
        state, {"euw1": "ipam-pool-0000000000000000a", "use1-prod": "ipam-pool-0000000000000000b"}
    )  # use1-dev not yet deployed
    with pytest.raises(AssertionError, match="deploy ipam-delegated first"):
        plan_stack(split, "ipam-guardrails", workdir, cli_config, sts, management_credentials)
    ids = {
        "euw1": "ipam-pool-0000000000000000a",
        "use1-prod": "ipam-pool-0000000000000000b",
        "use1-dev": "ipam-pool-0000000000000000c",
    }
    fake_delegated_state(state, ids)
    plan = plan_stack(split, "ipam-guardrails", workdir, cli_config, sts, management_credentials)
    document = json.loads(after(plan)[f"aws_organizations_policy.{POLICY}"]["content"])
    assert pool_ids(document, "ec2:Ipv4IpamPoolId") == set(ids.values())  # the real IDs, known at plan time
