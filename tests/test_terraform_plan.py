"""Real Terraform, no cloud: init from the mirror, validate and plan the synthesized stacks offline.

Providers keep allowed_account_ids and assume_role; STS is a local moto server, so the delegated
role assumption and both account guards really run.
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest

from bench.generate import deep
from ipam_org.config.model import Config
from ipam_org.emulator.moto_server import credentials_for
from ipam_org.emulator.terraform import PROVIDER, find_mirror
from tests.conftest import Synth, synthesize
from tests.support.terraform import actions, after, configured, plan_stack

MANAGEMENT_TYPES = {"aws_vpc_ipam_organization_admin_account", "aws_ram_sharing_with_organization"}


@pytest.fixture(scope="module")
def single_plan(reference, tmp_path_factory, cli_config, sts, management_credentials):
    return plan_stack(reference, "ipam", tmp_path_factory.mktemp("single"), cli_config, sts, management_credentials)


@pytest.fixture(scope="module")
def split_plans(split_reference, tmp_path_factory, cli_config, sts, management_credentials):
    root = tmp_path_factory.mktemp("split")
    return {
        stack: plan_stack(split_reference, stack, root / stack, cli_config, sts, management_credentials)
        for stack in ("ipam-management", "ipam-delegated")
    }


def test_reference_plans_every_resource_as_a_create(single_plan):
    planned = actions(single_plan)
    assert len(planned) == 23
    assert set(map(tuple, planned.values())) == {("create",)}
    kinds = sorted({address.split(".")[0] for address in planned})
    assert kinds == [
        "aws_ram_principal_association",
        "aws_ram_resource_association",
        "aws_ram_resource_share",
        "aws_ram_sharing_with_organization",
        "aws_vpc_ipam",
        "aws_vpc_ipam_organization_admin_account",
        "aws_vpc_ipam_pool",
        "aws_vpc_ipam_pool_cidr",
    ]


def test_terraform_binds_each_resource_to_its_account(single_plan):
    for address, resource in configured(single_plan).items():
        expected = "aws.management" if resource["type"] in MANAGEMENT_TYPES else "aws.delegated"
        assert resource["provider_config_key"] == expected, address
    providers = single_plan["configuration"]["provider_config"]
    assert providers["aws.delegated"]["expressions"]["allowed_account_ids"]["constant_value"] == ["222222222222"]
    assert providers["aws.management"]["expressions"]["allowed_account_ids"]["constant_value"] == ["111111111111"]


def test_terraform_parsed_the_ordering(single_plan):
    resources = configured(single_plan)
    assert resources["aws_vpc_ipam.ipam"]["depends_on"] == ["aws_vpc_ipam_organization_admin_account.delegation"]
    assert resources["aws_vpc_ipam_pool_cidr.use1-prod_10-0-0-0-14"]["depends_on"] == [
        "aws_vpc_ipam_pool_cidr.use1_10-0-0-0-12"
    ]
    assert resources["aws_vpc_ipam_pool_cidr.use1_10-0-0-0-12"]["depends_on"] == [
        "aws_vpc_ipam_pool_cidr.corp_10-0-0-0-8"
    ]
    assert "depends_on" not in resources["aws_vpc_ipam_pool_cidr.corp_10-0-0-0-8"]
    principals = [r for r in resources.values() if r["type"] == "aws_ram_principal_association"]
    assert len(principals) == 4
    assert all(r["depends_on"] == ["aws_ram_sharing_with_organization.ram_sharing"] for r in principals)
    pool = resources["aws_vpc_ipam_pool.use1-prod"]["expressions"]["source_ipam_pool_id"]
    assert "aws_vpc_ipam_pool.use1" in pool["references"]


def test_planned_values_carry_the_address_plan(single_plan):
    values = after(single_plan)
    assert values["aws_vpc_ipam_pool_cidr.use1-dev_10-4-0-0-14"]["cidr"] == "10.4.0.0/14"
    assert values["aws_vpc_ipam.ipam"]["tier"] == "advanced"
    assert [r["region_name"] for r in values["aws_vpc_ipam.ipam"]["operating_regions"]] == ["eu-west-1", "us-east-1"]
    assert values["aws_ram_resource_share.use1-dev_share"]["allow_external_principals"] is False
    assert values["aws_vpc_ipam_pool.use1-prod"]["tags_all"] == {"ManagedBy": "ipam-org", "Name": "use1-prod"}


def test_split_plans_each_account_in_its_own_stack(split_plans):
    management = actions(split_plans["ipam-management"])
    delegated = actions(split_plans["ipam-delegated"])
    assert sorted(management) == [
        "aws_ram_sharing_with_organization.ram_sharing",
        "aws_vpc_ipam_organization_admin_account.delegation",
    ]
    assert len(delegated) == 21
    assert all(r["provider_config_key"] == "aws.delegated" for r in configured(split_plans["ipam-delegated"]).values())


def test_credentials_for_the_wrong_accounts_are_refused(reference, tmp_path, cli_config, sts):
    """allowed_account_ids stops Terraform before it reads or changes anything: management credentials
    for another account, and a delegated role_arn that lands in another account, in one plan."""

    def wrong_role(body):
        for provider in body["provider"]["aws"]:
            if provider["alias"] == "delegated":
                provider["assume_role"][0]["role_arn"] = "arn:aws:iam::333333333333:role/OrganizationAccountAccessRole"

    with pytest.raises(AssertionError) as refused:
        plan_stack(reference, "ipam", tmp_path, cli_config, sts, credentials_for(sts, "999999999999"), edit=wrong_role)
    message = " ".join(str(refused.value).split())
    assert (
        'AWS account ID not allowed: 999999999999 with provider["registry.terraform.io/hashicorp/aws"].management'
        in message
    )
    assert (
        'AWS account ID not allowed: 333333333333 with provider["registry.terraform.io/hashicorp/aws"].delegated'
        in message
    )


@pytest.fixture(scope="module")
def deep_split(tmp_path_factory) -> Synth:
    return synthesize(Config.model_validate(deep()), tmp_path_factory.mktemp("deep"))


def test_ten_levels_ipv6_s3_backend_and_split_synthesize(deep_split):
    delegated = deep_split.stack("ipam-delegated")
    assert delegated["terraform"]["backend"]["s3"] == {
        "bucket": "platform-tfstate",
        "key": "ipam/ipam-delegated/terraform.tfstate",
        "region": "us-east-1",
        "encrypt": True,
        "use_lockfile": True,
    }
    assert (
        deep_split.stack("ipam-management")["terraform"]["backend"]["s3"]["key"]
        == "ipam/ipam-management/terraform.tfstate"
    )
    cidrs = delegated["resource"]["aws_vpc_ipam_pool_cidr"]
    assert cidrs["level10_10-0-0-0-17"]["depends_on"] == ["aws_vpc_ipam_pool_cidr.level9_10-0-0-0-16"]
    assert cidrs["public-v6-vpcs_netmask-56"] == {
        **cidrs["public-v6-vpcs_netmask-56"],
        "netmask_length": 56,
        "depends_on": ["aws_vpc_ipam_pool_cidr.public-v6_netmask-52"],
    }


def test_ten_levels_plan_cleanly(deep_split, tmp_path_factory, cli_config, sts, management_credentials):
    root = tmp_path_factory.mktemp("deep-plan")
    delegated = plan_stack(deep_split, "ipam-delegated", root / "delegated", cli_config, sts, management_credentials)
    planned = actions(delegated)
    assert sum(1 for a in planned if a.startswith("aws_vpc_ipam_pool.")) == 12
    assert sum(1 for a in planned if a.startswith("aws_ram_principal_association.")) == 4
    values = after(delegated)
    assert values["aws_vpc_ipam_pool.public-v6"]["public_ip_source"] == "amazon"
    assert values["aws_ram_principal_association.level5_share_ou-ab12-22222222"]["principal"] == (
        "arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-ab12-22222222"
    )


def test_the_launchers_run_the_machine_mirrors_provider(cli_config):
    """The tests install the provider from a mirror of launchers (tests/support/terraform.py): each is a script that
    execs the very binary of the machine's mirror, the package a user's Terraform would install from it."""
    machine = find_mirror() / PROVIDER
    launchers = cli_config.parent / "mirror" / PROVIDER
    found = sorted(p.relative_to(launchers) for p in launchers.glob("*/*"))
    assert found and found == sorted(p.relative_to(machine) for p in machine.glob("*/*"))
    for name in found:
        if not name.name.startswith("terraform-provider-"):
            assert (launchers / name).read_bytes() == (machine / name).read_bytes()
            continue
        assert Path(shlex.split((launchers / name).read_text().splitlines()[1])[1]).samefile(machine / name)
        ran = subprocess.run([launchers / name], capture_output=True, text=True, timeout=60)
        assert "terraform-provider-aws@5.100.0" in ran.stdout + ran.stderr and "This binary is a plugin" in ran.stderr
