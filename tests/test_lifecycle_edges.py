"""The ordering edges and the module example, applied for real against the IPAM emulator. With one `depends_on`
removed from the synthesized JSON, `terraform apply -target=` that resource fails with AWS's refusal, and with
the edge in place the same command succeeds; examples/complete applies, refuses a plain destroy, and tears down."""
from __future__ import annotations

import json
import shutil
import sys
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.support.organization import REFERENCE_POOLS, Organization, assert_deployed, assert_empty, torn_down
from tests.support.terraform import Terraform


def ordering_stack(org: Organization, edit) -> Terraform:
    org.write(org.config("single"))
    org.env["CDKTF_OUTDIR"] = str(org.root / "cdktf.out")
    org.run([sys.executable, "-O", "main.py"])
    path = org.root / "cdktf.out" / "stacks" / "ipam" / "cdk.tf.json"
    document = json.loads(path.read_text())
    edit(document["resource"])
    path.write_text(json.dumps(document))
    terraform = org.terraform("ipam")
    terraform.init()
    return terraform


CHILD_CIDR = "aws_vpc_ipam_pool_cidr.use1_10-0-0-0-12"
ORGANIZATION_PRINCIPAL = "aws_ram_principal_association.use1-prod_share_organization"


@pytest.mark.parametrize("target,edge,refusal", [
    (CHILD_CIDR, ("aws_vpc_ipam_pool_cidr", "use1_10-0-0-0-12"), "is not inside a CIDR provisioned in pool"),
    (ORGANIZATION_PRINCIPAL, ("aws_ram_principal_association", "use1-prod_share_organization"), "needs RAM sharing with AWS Organizations enabled"),
], ids=["child-cidr-before-parent-cidr", "organization-principal-before-ram-sharing"])
def test_removing_an_ordering_edge_makes_the_apply_fail(emulator, tmp_path, cli_config, target, edge, refusal):
    """-target applies a resource with only what it depends on: with the edge, the prerequisite comes too."""
    kind, name = edge

    def drop_edge(resources: dict[str, Any]) -> None:
        assert resources[kind][name].pop("depends_on")

    broken = ordering_stack(Organization(emulator, tmp_path / "broken", cli_config), drop_edge)
    result = broken.run("apply", "-auto-approve", "-input=false", "-no-color", f"-target={target}", check=False)
    assert result.returncode != 0 and refusal in result.stdout + result.stderr, result.stdout[-3000:] + result.stderr[-3000:]

    intact = ordering_stack(Organization(emulator, tmp_path / "intact", cli_config), lambda resources: None)
    intact.run("apply", "-auto-approve", "-input=false", "-no-color", f"-target={target}")


def test_module_example_applies_and_destroys(emulator, tmp_path, cli_config):
    """examples/complete calling a module exported from this organization's config; an override file points the
    example's providers and module arguments at the organization. Teardown as the README says: export with
    `teardown`, apply (forgets RAM sharing), destroy."""
    org = Organization(emulator, tmp_path, cli_config)
    module = tmp_path / "dist" / "terraform-aws-ipam-organization"

    def export(config: dict[str, Any]) -> None:
        path = org.write(config)
        org.run([sys.executable, "-O", "-m", "module_export", "--config", str(path), "--out", str(module)])

    export(org.config("single"))
    workdir = tmp_path / "examples" / "complete"
    shutil.copytree(ROOT / "examples" / "complete", workdir)
    role = f"arn:aws:iam::{org.ipam_account}:role/OrganizationAccountAccessRole"
    (workdir / "emulator_override.tf.json").write_text(json.dumps({
        "provider": {"aws": [
            {"alias": "mgmt", "allowed_account_ids": [org.management_account]},
            {"alias": "ipam", "allowed_account_ids": [org.ipam_account], "assume_role": [{"role_arn": role}]},
        ]},
        "module": {"ipam": {"organization_id": org.id, "ipam_account_id": org.ipam_account}},
    }))
    terraform = Terraform(workdir, cli_config, {k: org.env[k] for k in (*org.credentials, "AWS_ENDPOINT_URL")})
    terraform.init()
    terraform.run("apply", "-auto-approve", "-input=false", "-no-color")
    assert_deployed(org, REFERENCE_POOLS)
    assert terraform.run("plan", "-detailed-exitcode", "-no-color", check=False).returncode == 0
    refused = terraform.run("destroy", "-auto-approve", "-input=false", "-no-color", check=False)
    assert refused.returncode != 0 and "prevent_destroy" in refused.stdout + refused.stderr  # protected: nothing touched
    assert_deployed(org, REFERENCE_POOLS)

    export(torn_down(org.config("single")))
    terraform.run("apply", "-auto-approve", "-input=false", "-no-color")
    terraform.run("destroy", "-auto-approve", "-input=false", "-no-color")
    assert_empty(org)
