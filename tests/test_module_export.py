"""The plain Terraform module: its generated levels are current, its README documents every input and output,
a Terraform caller (examples/complete, a literal pools map) plans it offline, its own `terraform test` passes, its
HCL is fmt-clean; and `ipam-org module tfvars` writes its inputs from a config."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ipam_org.config.model import Config
from ipam_org.emulator.terraform import sts_environment
from ipam_org.module_export.levels import pools_tf
from ipam_org.module_export.tfvars import tfvars
from tests.conftest import REFERENCE, ROOT
from tests.support.terraform import Terraform, consumer_workdir, require_tool

MODULE = ROOT / "dist" / "terraform-aws-ipam-organization"
OUTPUTS = {
    "delegated_admin_account_id",
    "ipam_id",
    "ipam_arn",
    "private_default_scope_id",
    "public_default_scope_id",
    "custom_scope_ids",
    "pools",
    "share_arns",
    "alarm_topic_arn",
}


def blocks(kind: str) -> list[str]:
    return re.findall(rf'^{kind} "([\w-]+)"', "\n".join(p.read_text() for p in MODULE.glob("*.tf")), re.M)


def test_the_committed_levels_are_what_the_template_writes():
    assert (MODULE / "pools.tf").read_text() == pools_tf(), "run: pipenv run ipam-org module levels"
    text = (MODULE / "pools.tf").read_text()
    assert [int(n) for n in re.findall(r'resource "aws_vpc_ipam_pool" "level_(\d+)"', text)] == list(range(1, 11))
    for level in range(2, 11):  # each level's CIDRs wait for the whole level above
        assert f"depends_on = [aws_vpc_ipam_pool_cidr.level_{level - 1}]" in text


def test_module_shape_and_readme():
    # What git tracks, not what the directory holds: the module README's own `terraform init && terraform test`
    # leaves .terraform/ and a lock file there.
    tracked = subprocess.run(
        [require_tool("git"), "ls-files", str(MODULE)], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert {Path(path).relative_to(MODULE.relative_to(ROOT)).parts[0] for path in tracked} == {
        "README.md",
        "versions.tf",
        "variables.tf",
        "main.tf",
        "pools.tf",
        "outputs.tf",
        "tests",
    }
    everything = "\n".join(p.read_text() for p in MODULE.glob("*.tf"))
    assert not re.search(r'^provider "', everything, re.M) and "backend" not in everything
    assert "configuration_aliases = [aws.management, aws.delegated]" in (MODULE / "versions.tf").read_text()
    variables = blocks("variable")
    assert set(blocks("output")) == OUTPUTS
    readme = (MODULE / "README.md").read_text()
    for name in variables + sorted(OUTPUTS):
        assert f"| `{name}` |" in readme, f"{name} is not in the README's tables"
    for name in variables:
        body = everything.split(f'variable "{name}" {{', 1)[1].split("\n}\n", 1)[0]
        assert "description" in body and "type" in body, name


@pytest.fixture(scope="module")
def consumer(tmp_path_factory, cli_config, sts, management_credentials) -> Terraform:
    workdir = consumer_workdir(tmp_path_factory.mktemp("consumer"), MODULE, ROOT / "examples" / "complete")
    terraform = Terraform(workdir, cli_config, {**management_credentials, **sts_environment(sts)})
    terraform.init()
    return terraform


def test_a_terraform_caller_plans_a_literal_pool_map_offline(consumer):
    plan = consumer.plan()
    changes = {c["address"]: c for c in plan["resource_changes"] if c["mode"] == "managed"}
    assert len(changes) == 23 and all(c["change"]["actions"] == ["create"] for c in changes.values())
    after = {address: c["change"]["after"] for address, c in changes.items()}
    assert (
        after["module.ipam.aws_vpc_ipam_organization_admin_account.delegation"]["delegated_admin_account_id"]
        == "222222222222"
    )
    assert after['module.ipam.aws_vpc_ipam_pool.level_3["use1-prod"]']["tags"] == {
        "ManagedBy": "terraform",
        "Name": "use1-prod",
        "Team": "platform",
    }
    assert after['module.ipam.aws_vpc_ipam_pool_cidr.level_2["use1_10-0-0-0-12"]']["cidr"] == "10.0.0.0/12"
    assert after['module.ipam.aws_ram_principal_association.principal["use1-dev_share_ou-ab12-11111111"]'][
        "principal"
    ] == ("arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-ab12-11111111")
    module = plan["configuration"]["root_module"]["module_calls"]["ipam"]["module"]
    keys = {r["address"]: r["provider_config_key"] for r in module["resources"] if r["mode"] == "managed"}
    assert keys["aws_vpc_ipam_organization_admin_account.delegation"] == "aws.mgmt"
    assert keys["aws_vpc_ipam.ipam"] == "aws.ipam" and keys["aws_vpc_ipam_pool.level_10"] == "aws.ipam"
    ordering = {r["address"]: r.get("depends_on") for r in module["resources"]}
    assert ordering["aws_vpc_ipam.ipam"] == ["aws_vpc_ipam_organization_admin_account.delegation"]
    assert ordering["aws_vpc_ipam_pool_cidr.level_3"] == ["aws_vpc_ipam_pool_cidr.level_2"]
    assert ordering["aws_ram_principal_association.principal"] == ["aws_ram_sharing_with_organization.ram_sharing"]


def test_the_module_terraform_test_passes(tmp_path, cli_config):
    """Its own plan runs with mocked providers: the reference tree by level, the guardrail's pools and exemptions, and
    the preconditions (home Region, SCP size). (Its
    generated invalid_inputs runs are run by tests/test_module_validation.py.)"""
    module = tmp_path / MODULE.name
    shutil.copytree(MODULE, module, ignore=shutil.ignore_patterns(".terraform*"))
    terraform = Terraform(module, cli_config)
    terraform.init()
    result = terraform.run("test", "-no-color", "-filter=tests/module.tftest.hcl")
    assert "Success! 7 passed, 0 failed." in result.stdout
    for run in (
        "plans_the_pool_tree_by_level",
        "tier_free_locale_outside_home",
        "partition_differs_from_the_home_region",
        "guardrail_scp_too_large",
        "guardrail_names_the_pools_shared_with_the_ou",
    ):
        assert f'run "{run}"... pass' in result.stdout


def test_hcl_is_fmt_clean(cli_config):
    terraform = Terraform(ROOT, cli_config)
    result = terraform.run("fmt", "-check", "-recursive", "-diff", "examples", str(MODULE), check=False)
    assert result.returncode == 0, result.stdout


def export(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ipam_org", "module", "tfvars", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_tfvars_are_the_config_as_module_inputs(tmp_path):
    out = tmp_path / "ipam.tfvars.json"
    result = export("--config", str(REFERENCE), "--out", str(out))
    assert result.returncode == 0, result.stderr
    written = json.loads(out.read_text())
    assert written == tfvars(Config.model_validate(yaml.safe_load(REFERENCE.read_text())))
    assert written["pools"]["use1-prod"] == {
        "parent": "use1",
        "locale": "us-east-1",
        "cidrs": ["10.0.0.0/14"],
        "auto_import": True,
        "allocation": {"default_netmask_length": 22, "min_netmask_length": 16, "max_netmask_length": 28},
        "share": {"organization": True},
    }
    assert written["operating_regions"] == ["us-east-1", "eu-west-1"] and written["partition"] == "aws"


def test_tfvars_refuses_an_invalid_config_and_writes_nothing(tmp_path):
    out = tmp_path / "ipam.tfvars.json"
    result = export("--config", str(ROOT / "tests" / "configs" / "invalid" / "sibling-overlap.yaml"), "--out", str(out))
    assert result.returncode == 2 and "Traceback" not in result.stderr and "overlaps" in result.stderr
    assert not out.exists()


def test_tfvars_say_what_is_not_a_module_input(tmp_path, reference_config):
    config = reference_config.model_dump(exclude_unset=True)
    config["layout"] = "split"
    config["adopt"] = {"ipam": "ipam-0123456789abcdef0"}
    path = tmp_path / "ipam.yaml"
    path.write_text(json.dumps(config))
    result = export("--config", str(path), "--out", str(tmp_path / "out.tfvars.json"))
    assert result.returncode == 0, result.stderr
    assert (
        "note: not a module input: layout" in result.stderr
        and "note: not a module input: adopt: write import blocks" in result.stderr
    )


def test_a_cidr_is_written_as_terraform_spells_it():
    """The module keys CIDRs by their text and refuses a spelling cidrhost() would not give back."""
    config = Config.model_validate(
        {
            **yaml.safe_load(REFERENCE.read_text()),
            "pools": [{"name": "ula", "address_family": "ipv6", "cidrs": ["fd00:0::/48", "FD00:1::/48"]}],
        }
    )
    assert tfvars(config)["pools"]["ula"]["cidrs"] == ["fd00:1::/48", "fd00::/48"]


def test_tfvars_refuse_principals_given_by_name(tmp_path, reference_config):
    """The stacks resolve OU and account names through Organizations at synth; the module takes IDs only."""
    config = reference_config.model_dump(exclude_unset=True)
    config["pools"][0]["pools"][0]["pools"][1]["share"] = {
        "organizational_units": ["Workloads/Prod"],
        "accounts": ["data-lake"],
    }
    path, out = tmp_path / "ipam.yaml", tmp_path / "out.tfvars.json"
    path.write_text(json.dumps(config))
    result = export("--config", str(path), "--out", str(out))
    assert result.returncode == 2 and not out.exists() and "Traceback" not in result.stderr
    assert '.share.organizational_units[0]: "Workloads/Prod" is an OU name' in result.stderr
    assert '.share.accounts[0]: "data-lake" is an account name' in result.stderr


def test_outputs_never_overwrite_without_force_nor_each_other(tmp_path):
    existing = tmp_path / "existing.tf"
    existing.write_text("# the user's own file\n")
    result = export("--config", str(REFERENCE), "--out", str(existing))
    assert (
        result.returncode == 2
        and "exists; pass --force to replace it" in result.stderr
        and "Traceback" not in result.stderr
    )
    assert existing.read_text() == "# the user's own file\n"
    same = tmp_path / "both.tf"
    result = export("--config", str(REFERENCE), "--out", str(same), "--imports", str(same), "--force")
    assert result.returncode == 2 and "name the same file" in result.stderr and not same.exists()
    result = export("--config", str(REFERENCE), "--out", str(tmp_path))
    assert result.returncode == 2 and "is a directory" in result.stderr and "Traceback" not in result.stderr
    result = export("--config", str(REFERENCE), "--out", str(existing), "--force")
    assert result.returncode == 0 and json.loads(existing.read_text())["pools"]
