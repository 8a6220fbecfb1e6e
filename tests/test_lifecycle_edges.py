"""The ordering edges and the module example, applied for real against the IPAM emulator. With one `depends_on`
removed from the synthesized JSON, `terraform apply -target=` that resource fails with AWS's refusal, and with
the edge in place the same command succeeds; examples/from-config applies the module, refuses a plain destroy, and tears
down."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest

from ipam_org.domain.handoff import FACTS
from tests.support.organization import REFERENCE_POOLS, Organization, assert_deployed, assert_empty, module_caller
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


@pytest.mark.parametrize(
    "target,edge,refusal",
    [
        (CHILD_CIDR, ("aws_vpc_ipam_pool_cidr", "use1_10-0-0-0-12"), "is not inside a CIDR provisioned in pool"),
        (
            ORGANIZATION_PRINCIPAL,
            ("aws_ram_principal_association", "use1-prod_share_organization"),
            "needs RAM sharing with AWS Organizations enabled",
        ),
    ],
    ids=["child-cidr-before-parent-cidr", "organization-principal-before-ram-sharing"],
)
def test_removing_an_ordering_edge_makes_the_apply_fail(emulator, tmp_path, cli_config, target, edge, refusal):
    """-target applies a resource with only what it depends on: with the edge, the prerequisite comes too."""
    kind, name = edge

    def drop_edge(resources: dict[str, Any]) -> None:
        assert resources[kind][name].pop("depends_on")

    broken = ordering_stack(Organization(emulator, tmp_path / "broken", cli_config), drop_edge)
    result = broken.run("apply", "-auto-approve", "-input=false", "-no-color", f"-target={target}", check=False)
    assert result.returncode != 0 and refusal in result.stdout + result.stderr, (
        result.stdout[-3000:] + result.stderr[-3000:]
    )

    intact = ordering_stack(Organization(emulator, tmp_path / "intact", cli_config), lambda resources: None)
    intact.run("apply", "-auto-approve", "-input=false", "-no-color", f"-target={target}")


def test_module_example_applies_and_tears_down(emulator, tmp_path, cli_config):
    """examples/from-config with the organization's own inputs (`ipam-org module tfvars` from its config: guardrail
    and published parameters included), as the example's comment says to run it. It applies, plans no change, refuses
    a plain destroy, and tears down as the module README says: forget RAM sharing (state rm), then remove the module
    call and apply."""
    org = Organization(emulator, tmp_path, cli_config)
    terraform = module_caller(org, org.write(org.config("single")))
    terraform.run("apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=20")
    assert_deployed(org, REFERENCE_POOLS)
    pools = org.pools()
    statements = {
        statement["Sid"]: statement["Condition"]["StringNotEquals"] for statement in org.guardrail()["Statement"]
    }
    shared_with_ou = {"euw1", "use1-dev", "use1-prod"}  # shared with the organization or the OU, with a locale
    assert set(statements["CreateVpcFromIpamPool"]["ec2:Ipv4IpamPoolId"]) == {pools[name].id for name in shared_with_ou}
    assert sorted(statements["CreateVpcFromIpamPool"]["aws:PrincipalAccount"]) == sorted(
        [org.ipam_account, org.other_member]
    )
    assert set(org.parameters()) == {f"/ipam-org/pools/use1-dev/{fact}" for fact in FACTS}
    assert terraform.run("plan", "-detailed-exitcode", "-no-color", check=False).returncode == 0
    refused = terraform.run("destroy", "-auto-approve", "-input=false", "-no-color", check=False)
    assert refused.returncode != 0 and "prevent_destroy" in refused.stdout + refused.stderr  # nothing touched
    assert_deployed(org, REFERENCE_POOLS)

    terraform.run("state", "rm", "module.ipam.aws_ram_sharing_with_organization.ram_sharing[0]")
    workdir = terraform.workdir
    main = workdir / "main.tf"
    main.write_text(main.read_text().split('module "ipam" {')[0])
    terraform.run("apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=20")
    assert_empty(org)
