"""The plain Terraform module: committed copy equals a fresh build; a consumer plans it offline;
its own `terraform test` (mocked providers) passes; HCL is fmt-clean."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.terraform import Terraform, consumer_workdir

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / "dist" / "terraform-aws-ipam-organization"


def tree(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def fresh_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("module") / "terraform-aws-ipam-organization"
    result = subprocess.run([sys.executable, "-O", "-m", "module_export", "--config", "ipam.yaml", "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return out


def test_committed_module_is_byte_identical_to_a_fresh_build(fresh_build):
    committed, fresh = tree(MODULE), tree(fresh_build)
    assert sorted(committed) == sorted(fresh), "run: pipenv run python -O -m module_export"
    for name in fresh:
        assert committed[name] == fresh[name], f"{name} is stale; run: pipenv run python -O -m module_export"


def test_module_shape(fresh_build):
    versions = json.loads((fresh_build / "versions.tf.json").read_text())["terraform"]
    assert versions["required_providers"]["aws"] == {
        "source": "hashicorp/aws",
        "version": ">= 5.100.0, < 6.0.0",
        "configuration_aliases": ["aws.management", "aws.delegated"],
    }
    assert "backend" not in versions
    files = {p.name for p in fresh_build.iterdir()}
    assert files == {"README.md", "main.tf.json", "outputs.tf.json", "tests", "variables.tf.json", "versions.tf.json"}
    everything = json.dumps([json.loads(p.read_text()) for p in fresh_build.glob("*.tf.json")])
    assert '"provider": {' not in everything and '"backend"' not in everything
    resources = json.loads((fresh_build / "main.tf.json").read_text())["resource"]
    for kind, by_name in resources.items():
        for name, body in by_name.items():
            assert body["provider"] in ("aws.management", "aws.delegated"), f"{kind}.{name}"
            assert "//" not in body
    assert resources["aws_vpc_ipam"]["ipam"]["depends_on"] == ["aws_vpc_ipam_organization_admin_account.delegation"]
    assert resources["aws_vpc_ipam_pool_cidr"]["use1_10-0-0-0-12"]["depends_on"] == ["aws_vpc_ipam_pool_cidr.corp_10-0-0-0-8"]
    assert resources["aws_ram_principal_association"]["euw1_share_organization"]["principal"] == (
        "arn:aws:organizations::${var.management_account_id}:organization/${var.organization_id}"
    )
    variables = json.loads((fresh_build / "variables.tf.json").read_text())["variable"]
    assert set(variables) >= {"organization_id", "management_account_id", "ipam_account_id", "operating_regions", "tier", "tags"}
    for name, spec in variables.items():
        assert spec["description"] and "type" in spec and "default" in spec, name
    outputs = json.loads((fresh_build / "outputs.tf.json").read_text())["output"]
    assert {"ipam_id", "ipam_arn", "private_default_scope_id", "pools", "share_arns"} <= set(outputs)
    readme = (fresh_build / "README.md").read_text()
    assert "aws.management = aws.mgmt" in readme and "generated from the config file" in readme
    assert "| `ipam_account_id` | `string` |" in readme


@pytest.fixture(scope="module")
def consumer(tmp_path_factory, cli_config, sts, management_credentials) -> Terraform:
    workdir = consumer_workdir(tmp_path_factory.mktemp("consumer"), MODULE, ROOT / "examples" / "complete", sts)
    terraform = Terraform(workdir, cli_config, management_credentials)
    terraform.init()
    return terraform


def test_consumer_example_validates_and_plans_offline(consumer):
    assert consumer.validate()["valid"]
    plan = consumer.plan()
    changes = {c["address"]: c for c in plan["resource_changes"]}
    assert len(changes) == 23 and all(c["change"]["actions"] == ["create"] for c in changes.values())
    assert changes["module.ipam.aws_vpc_ipam_organization_admin_account.delegation"]["change"]["after"]["delegated_admin_account_id"] == "222222222222"
    assert changes["module.ipam.aws_vpc_ipam_pool.use1-prod"]["change"]["after"]["tags"] == {
        "ManagedBy": "terraform", "Name": "use1-prod", "Team": "platform"
    }
    module = plan["configuration"]["root_module"]["module_calls"]["ipam"]["module"]
    keys = {r["address"]: r["provider_config_key"] for r in module["resources"]}
    assert keys["aws_vpc_ipam_organization_admin_account.delegation"] == "aws.mgmt"
    assert keys["aws_vpc_ipam.ipam"] == "aws.ipam"
    assert {k for a, k in keys.items() if not a.startswith(("aws_vpc_ipam_organization", "aws_ram_sharing"))} == {"aws.ipam"}
    ordering = {r["address"]: r.get("depends_on") for r in module["resources"]}
    assert ordering["aws_vpc_ipam.ipam"] == ["aws_vpc_ipam_organization_admin_account.delegation"]
    assert ordering["aws_ram_principal_association.use1-dev_share_333333333333"] == ["aws_ram_sharing_with_organization.ram_sharing"]


def test_module_terraform_test_passes(tmp_path, cli_config):
    module = tmp_path / MODULE.name
    shutil.copytree(MODULE, module)
    terraform = Terraform(module, cli_config)
    terraform.init()
    result = terraform.run("test", "-no-color")
    assert "Success! 6 passed, 0 failed." in result.stdout
    for run in ("refuses_the_management_account_as_ipam_account", "refuses_operating_regions_without_the_home_region"):
        assert f'run "{run}"... pass' in result.stdout


def test_hcl_is_fmt_clean(cli_config):
    terraform = Terraform(ROOT, cli_config)
    result = terraform.run("fmt", "-check", "-recursive", "-diff", "examples", str(MODULE), check=False)
    assert result.returncode == 0, result.stdout
