"""Synth tests on the reference config: resources, provider aliases, ordering, principals, outputs."""

from __future__ import annotations

import json

import pytest

from ipam_org.bindings import (
    RamPrincipalAssociation,
    RamResourceShare,
    VpcIpam,
    VpcIpamOrganizationAdminAccount,
    VpcIpamPool,
    VpcIpamPoolCidr,
)
from ipam_org.bindings import Testing as CdktfTesting
from ipam_org.config.model import Config
from ipam_org.module_export.tfvars import tfvars
from ipam_org.validation import validate
from tests.conftest import synthesize, with_changes

ORG_ARN = "arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5"
OU_ARN = "arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-ab12-11111111"


def test_delegation_uses_the_ec2_call_from_the_management_account(reference):
    text = reference.stack_text("ipam")
    assert CdktfTesting.to_have_resource_with_properties(
        text,
        VpcIpamOrganizationAdminAccount.TF_RESOURCE_TYPE,
        {"delegated_admin_account_id": "222222222222", "provider": "aws.management"},
    )
    stack = reference.stack("ipam")
    assert "aws_organizations_delegated_administrator" not in stack["resource"]


def test_ipam_has_operating_regions_tier_and_waits_for_the_delegation(reference):
    assert CdktfTesting.to_have_resource_with_properties(
        reference.stack_text("ipam"),
        VpcIpam.TF_RESOURCE_TYPE,
        {
            "tier": "advanced",
            "operating_regions": [{"region_name": "eu-west-1"}, {"region_name": "us-east-1"}],
            "provider": "aws.delegated",
            "depends_on": ["aws_vpc_ipam_organization_admin_account.delegation"],
        },
    )


def test_pool_tree_is_sourced_from_parents(reference):
    pools = reference.resources("ipam", VpcIpamPool.TF_RESOURCE_TYPE)
    assert sorted(pools) == ["corp", "euw1", "use1", "use1-dev", "use1-prod"]
    assert "source_ipam_pool_id" not in pools["corp"]
    assert pools["use1"]["source_ipam_pool_id"] == "${aws_vpc_ipam_pool.corp.id}"
    assert pools["use1-prod"]["source_ipam_pool_id"] == "${aws_vpc_ipam_pool.use1.id}"
    assert pools["euw1"]["locale"] == "eu-west-1"
    assert CdktfTesting.to_have_resource_with_properties(
        reference.stack_text("ipam"),
        VpcIpamPool.TF_RESOURCE_TYPE,
        {
            "address_family": "ipv4",
            "auto_import": True,
            "allocation_default_netmask_length": 22,
            "allocation_min_netmask_length": 16,
            "allocation_max_netmask_length": 28,
            "ipam_scope_id": "${aws_vpc_ipam.ipam.private_default_scope_id}",
        },
    )


def test_child_cidrs_wait_for_parent_cidrs(reference):
    cidrs = reference.resources("ipam", VpcIpamPoolCidr.TF_RESOURCE_TYPE)
    expected = {
        "corp_10-0-0-0-8": None,
        "use1_10-0-0-0-12": ["aws_vpc_ipam_pool_cidr.corp_10-0-0-0-8"],
        "euw1_10-16-0-0-12": ["aws_vpc_ipam_pool_cidr.corp_10-0-0-0-8"],
        "use1-prod_10-0-0-0-14": ["aws_vpc_ipam_pool_cidr.use1_10-0-0-0-12"],
        "use1-dev_10-4-0-0-14": ["aws_vpc_ipam_pool_cidr.use1_10-0-0-0-12"],
    }
    assert {name: body.get("depends_on") for name, body in cidrs.items()} == expected
    assert cidrs["use1-dev_10-4-0-0-14"]["cidr"] == "10.4.0.0/14"


def test_every_resource_is_bound_to_its_account_alias(reference):
    management_types = {"aws_vpc_ipam_organization_admin_account", "aws_ram_sharing_with_organization"}
    for kind, resources in reference.stack("ipam")["resource"].items():
        for name, body in resources.items():
            expected = "aws.management" if kind in management_types else "aws.delegated"
            assert body["provider"] == expected, f"{kind}.{name}"


def test_providers_are_pinned_to_their_accounts(reference):
    providers = {p["alias"]: p for p in reference.stack("ipam")["provider"]["aws"]}
    assert providers["management"]["allowed_account_ids"] == ["111111111111"]
    assert providers["delegated"]["allowed_account_ids"] == ["222222222222"]
    assert providers["delegated"]["assume_role"] == [
        {"role_arn": "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"}
    ]
    assert "assume_role" not in providers["management"]
    assert providers["management"]["default_tags"] == [{"tags": {"ManagedBy": "ipam-org"}}]


def test_shares_never_allow_external_principals(reference):
    shares = reference.resources("ipam", RamResourceShare.TF_RESOURCE_TYPE)
    assert sorted(shares) == ["euw1_share", "use1-dev_share", "use1-prod_share"]
    assert all(body["allow_external_principals"] is False for body in shares.values())


def test_principals_are_arns_or_account_ids_and_wait_for_organization_sharing(reference):
    associations = reference.resources("ipam", RamPrincipalAssociation.TF_RESOURCE_TYPE)
    principals = {name: body["principal"] for name, body in associations.items()}
    assert principals == {
        "euw1_share_organization": ORG_ARN,
        "use1-prod_share_organization": ORG_ARN,
        "use1-dev_share_ou-ab12-11111111": OU_ARN,
        "use1-dev_share_333333333333": "333333333333",
    }
    for body in associations.values():
        assert body["depends_on"] == ["aws_ram_sharing_with_organization.ram_sharing"]
    assert (
        reference.resources("ipam", "aws_ram_sharing_with_organization")["ram_sharing"]["provider"] == "aws.management"
    )


def test_protected_resources_carry_prevent_destroy(reference):
    stack = reference.stack("ipam")["resource"]
    for kind in (
        "aws_vpc_ipam_organization_admin_account",
        "aws_vpc_ipam",
        "aws_vpc_ipam_pool",
        "aws_vpc_ipam_pool_cidr",
        "aws_ram_sharing_with_organization",
    ):
        for name, body in stack[kind].items():
            assert body["lifecycle"] == {"prevent_destroy": True}, f"{kind}.{name}"
    assert "removed" not in reference.stack("ipam")
    assert reference.stack("ipam")["output"]["protect"] == {"value": True}


def only_account_shares(config):
    data = config.model_dump(exclude_unset=True)

    def rewrite(pools):
        for pool in pools:
            if "share" in pool:
                pool["share"] = {"accounts": ["333333333333"]}
            rewrite(pool.get("pools", []))

    rewrite(data["pools"])
    return data


FORGET_SHARING = {"from": "aws_ram_sharing_with_organization.ram_sharing", "lifecycle": {"destroy": False}}
FORGET_DELEGATION = {"from": "aws_vpc_ipam_organization_admin_account.delegation", "lifecycle": {"destroy": False}}


@pytest.mark.parametrize("layout,stack", [("single", "ipam"), ("split", "ipam-management")])
def test_ram_sharing_is_forgotten_never_destroyed_when_no_share_needs_it(reference_config, tmp_path, layout, stack):
    data = {**only_account_shares(reference_config), "layout": layout}
    out = synthesize(Config.model_validate(data), tmp_path)
    body = out.stack(stack)
    assert "aws_ram_sharing_with_organization" not in body["resource"]
    assert body["removed"] == [FORGET_SHARING]


def test_protect_false_alone_keeps_organization_settings_protected(reference_config, tmp_path):
    body = synthesize(with_changes(reference_config, protect=False), tmp_path).stack("ipam")
    assert "removed" not in body
    for kind in ("aws_vpc_ipam_organization_admin_account", "aws_ram_sharing_with_organization"):
        assert [b["lifecycle"] for b in body["resource"][kind].values()] == [{"prevent_destroy": True}], kind
    for kind in ("aws_vpc_ipam", "aws_vpc_ipam_pool", "aws_vpc_ipam_pool_cidr"):
        assert all("lifecycle" not in b for b in body["resource"][kind].values()), kind


@pytest.mark.parametrize("undelegate,removed", [(True, [FORGET_SHARING]), (False, [FORGET_DELEGATION, FORGET_SHARING])])
def test_teardown_forgets_organization_settings_and_undelegates_only_when_told(
    reference_config, tmp_path, undelegate, removed
):
    out = synthesize(with_changes(reference_config, protect=False, teardown={"undelegate": undelegate}), tmp_path)
    body = out.stack("ipam")
    assert body["removed"] == removed
    assert ("aws_vpc_ipam_organization_admin_account" in body["resource"]) is undelegate
    assert "aws_ram_sharing_with_organization" not in body["resource"]
    assert body["output"]["protect"] == {"value": False}
    assert body["output"]["delegated_admin_account_id"]["value"] in (
        "222222222222",
        "${aws_vpc_ipam_organization_admin_account.delegation.delegated_admin_account_id}",
    )
    if not undelegate:
        assert "depends_on" not in body["resource"]["aws_vpc_ipam"]["ipam"]


def test_outputs_name_ipam_scopes_pools_and_shares(reference):
    outputs = reference.stack("ipam")["output"]
    assert outputs["ipam_id"]["value"] == "${aws_vpc_ipam.ipam.id}"
    assert outputs["private_default_scope_id"]["value"] == "${aws_vpc_ipam.ipam.private_default_scope_id}"
    assert outputs["pools"]["value"]["use1-prod"] == {
        "arn": "${aws_vpc_ipam_pool.use1-prod.arn}",
        "id": "${aws_vpc_ipam_pool.use1-prod.id}",
    }
    assert outputs["share_arns"]["value"] == {
        "euw1": "${aws_ram_resource_share.euw1_share.arn}",
        "use1-dev": "${aws_ram_resource_share.use1-dev_share.arn}",
        "use1-prod": "${aws_ram_resource_share.use1-prod_share.arn}",
    }


def test_local_state_lives_beside_the_output_directory_on_a_relative_path(reference):
    # Terraform runs in <outdir>/stacks/ipam: three levels up is the directory that holds <outdir>.
    assert reference.stack("ipam")["terraform"]["backend"] == {
        "local": {"path": "../../../terraform-state/ipam.tfstate"}
    }


class TestSplitLayout:
    def test_two_stacks_with_the_delegated_one_depending_on_management(self, split_reference):
        stacks = split_reference.manifest["stacks"]
        assert sorted(stacks) == ["ipam-delegated", "ipam-management"]
        assert stacks["ipam-delegated"]["dependencies"] == ["ipam-management"]
        assert stacks["ipam-management"]["dependencies"] == []

    def test_each_stack_has_only_its_own_account(self, split_reference):
        management = split_reference.stack("ipam-management")
        delegated = split_reference.stack("ipam-delegated")
        assert [p["alias"] for p in management["provider"]["aws"]] == ["management"]
        assert [p["alias"] for p in delegated["provider"]["aws"]] == ["delegated"]
        assert sorted(management["resource"]) == [
            "aws_ram_sharing_with_organization",
            "aws_vpc_ipam_organization_admin_account",
        ]
        assert "aws_vpc_ipam_organization_admin_account" not in delegated["resource"]
        assert len(delegated["resource"]["aws_vpc_ipam_pool"]) == 5

    def test_no_cross_stack_depends_on(self, split_reference):
        delegated = json.dumps(split_reference.stack("ipam-delegated")["resource"])
        assert "aws_vpc_ipam_organization_admin_account" not in delegated
        assert "aws_ram_sharing_with_organization" not in delegated
        assert split_reference.stack("ipam-delegated")["terraform"]["backend"] == {
            "local": {"path": "../../../terraform-state/ipam-delegated.tfstate"}
        }


def test_protect_false_lifts_prevent_destroy(reference_config, tmp_path):
    out = synthesize(with_changes(reference_config, protect=False, teardown={"undelegate": True}), tmp_path)
    assert "lifecycle" not in json.dumps(out.stack("ipam")["resource"])


def reversed_everywhere(value):
    """Every list and every mapping's keys in reverse order: a config that means the same thing."""
    if isinstance(value, dict):
        return {key: reversed_everywhere(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [reversed_everywhere(item) for item in reversed(value)]
    return value


def test_reordering_the_yaml_changes_nothing(reference, reference_config, tmp_path):
    from bench.generate import deep
    from ipam_org.config.model import Config

    shuffled = Config.model_validate(reversed_everywhere(reference_config.model_dump(exclude_unset=True)))
    again = synthesize(shuffled, tmp_path / "reference")
    assert again.stack_text("ipam") == reference.stack_text("ipam")

    deep_config = deep()
    deep_config["pools"][0]["tags"] = {"b": "2", "a": "1"}
    deep_config["pools"][0]["allocation"] = {"resource_tags": {"z": "1", "y": "2"}}
    first = synthesize(Config.model_validate(deep_config), tmp_path / "deep")
    second = synthesize(Config.model_validate(reversed_everywhere(deep_config)), tmp_path / "deep-reversed")
    for stack in ("ipam-management", "ipam-delegated"):
        assert first.stack_text(stack) == second.stack_text(stack)


def in_govcloud(config: Config) -> Config:
    data = config.model_dump(exclude_unset=True)
    data["providers"]["management"]["region"] = data["providers"]["delegated"]["region"] = "us-gov-west-1"
    data["ipam"]["operating_regions"] = ["us-gov-west-1", "us-gov-east-1"]

    def move(pools):
        for pool in pools:
            if pool.get("locale"):
                pool["locale"] = {"us-east-1": "us-gov-west-1", "eu-west-1": "us-gov-east-1"}[pool["locale"]]
            move(pool.get("pools", []))

    move(data["pools"])
    return Config.model_validate(data)


def test_principal_arns_follow_the_partition_of_the_home_region(reference_config, tmp_path):
    config = in_govcloud(reference_config)
    assert validate(config).errors == []
    stack = synthesize(config, tmp_path).stack("ipam")
    principals = {
        name: body["principal"] for name, body in stack["resource"][RamPrincipalAssociation.TF_RESOURCE_TYPE].items()
    }
    assert principals["euw1_share_organization"] == ORG_ARN.replace("arn:aws:", "arn:aws-us-gov:")
    assert principals["use1-dev_share_ou-ab12-11111111"] == OU_ARN.replace("arn:aws:", "arn:aws-us-gov:")
    assert tfvars(config)["partition"] == "aws-us-gov"  # the module builds its principal ARNs in it
