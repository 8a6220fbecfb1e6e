"""Deploy for real against the IPAM emulator (moto plus tests/support/ipam_emulator.py): deploy, redeploy with
no changes, a change, `preflight verify`, teardown; `single` through `npx cdktf deploy`, `split` through
plain `terraform apply` per stack in manifest order. And the ordering edges: with one `depends_on` removed
from the synthesized JSON, the apply that AWS would refuse fails against the emulator."""
from __future__ import annotations

import copy
import shutil
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import boto3
import pytest
import yaml

from tests.conftest import REFERENCE, ROOT
from tests.support import ipam_emulator
from tests.support.ipam_emulator import STATE
from tests.support.moto_server import credentials_for
from tests.support.terraform import Terraform, require_tool


@pytest.fixture(scope="module")
def emulator() -> Iterator[str]:
    """One emulator for the module: each test builds its own organization (its own management account)."""
    with ipam_emulator.emulator() as url:
        yield url


class Organization:
    """An organization built in the emulator through the real APIs, and an ipam-org config for it."""

    def __init__(self, url: str, management_account: str, root: Path, cli_config: Path):
        self.url, self.management_account, self.root = url, management_account, root
        root.mkdir(parents=True, exist_ok=True)
        self.credentials = credentials_for(url, management_account)
        session = boto3.Session(**{k.lower(): v for k, v in self.credentials.items()}, region_name="us-east-1")
        self.organizations = session.client("organizations", endpoint_url=url)
        self.id = self.organizations.create_organization(FeatureSet="ALL")["Organization"]["Id"]
        self.ipam_account = self._account("ipam")
        self.member = self._account("app")
        self.other_member = self._account("data")
        parent = self.organizations.list_roots()["Roots"][0]["Id"]
        self.ou = self.organizations.create_organizational_unit(ParentId=parent, Name="Workloads")["OrganizationalUnit"]["Id"]
        self.env = {**os.environ, **self.credentials, "AWS_ENDPOINT_URL": url, "AWS_EC2_METADATA_DISABLED": "true",
                    "TF_CLI_CONFIG_FILE": str(cli_config), "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1",
                    "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
        self.cli_config = cli_config

    def _account(self, name: str) -> str:
        status = self.organizations.create_account(Email=f"{name}@{self.management_account}.example.com", AccountName=name)
        return status["CreateAccountStatus"]["AccountId"]

    def config(self, layout: str) -> dict[str, Any]:
        config = yaml.safe_load(REFERENCE.read_text())
        config["organization"] = {"id": self.id, "management_account_id": self.management_account, "ipam_account_id": self.ipam_account}
        config["providers"]["delegated"]["role_arn"] = f"arn:aws:iam::{self.ipam_account}:role/OrganizationAccountAccessRole"
        config["pools"][0]["pools"][0]["pools"][1]["share"] = {"organizational_units": [self.ou], "accounts": [self.member, self.other_member]}
        config["layout"] = layout
        return config

    def write(self, config: dict[str, Any]) -> Path:
        path = self.root / "ipam.yaml"
        # JSON is YAML with every string quoted: moto's random account IDs may start with 0, which
        # yaml.safe_dump leaves unquoted and the loader then reads as a number (and asks for quotes)
        path.write_text(json.dumps(config, indent=2))
        return path

    def run(self, command: list[str], cwd: Path = ROOT, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(command, cwd=cwd, env={**self.env, "IPAM_CONFIG": str(self.root / "ipam.yaml")},
                                capture_output=True, text=True, timeout=900)
        if check:
            assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}"
        return result

    def terraform(self, stack: str) -> Terraform:
        return Terraform(self.root / "cdktf.out" / "stacks" / stack, self.cli_config, {k: self.env[k] for k in (*self.credentials, "AWS_ENDPOINT_URL")})

    # what the emulator holds for this organization
    def ipams(self) -> list[Any]:
        return [i for i in STATE.ipams.values() if i.account == self.ipam_account]

    def pools(self) -> dict[str, Any]:
        return {p.tags.get("Name"): p for p in STATE.pools.values() if p.scope.ipam.account == self.ipam_account}

    def shares(self) -> dict[str, Any]:
        from moto.ram.models import ram_backends

        return {s.name: s for s in ram_backends[self.ipam_account]["us-east-1"].resource_shares if s.status == "ACTIVE"}


def changed(config: dict[str, Any], org: Organization) -> dict[str, Any]:
    """Add a pool and a CIDR, remove a share principal, add an operating region."""
    config = copy.deepcopy(config)
    config["ipam"]["operating_regions"].append("ap-southeast-2")
    corp = config["pools"][0]
    corp["pools"].append({"name": "apse2", "locale": "ap-southeast-2", "cidrs": ["10.32.0.0/12"]})
    corp["cidrs"] = ["10.0.0.0/8", "172.16.0.0/12"]
    dev = corp["pools"][0]["pools"][1]
    dev["share"]["accounts"] = [org.member]
    return config


def torn_down(config: dict[str, Any]) -> dict[str, Any]:
    """The README's teardown: protection off, and organization-wide settings released (the delegation too)."""
    return {**config, "protect": False, "teardown": {"undelegate": True}}


def assert_deployed(org: Organization, pools: set[str]) -> Any:
    [ipam] = org.ipams()
    assert set(org.pools()) == pools
    assert all(c.state == "provisioned" for p in org.pools().values() for c in p.cidrs.values())
    assert STATE.delegated_admins[org.id] == org.ipam_account
    assert org.id in STATE.ram_sharing
    return ipam


def assert_empty(org: Organization) -> None:
    assert org.ipams() == [] and org.pools() == {} and org.shares() == {}
    assert org.id not in STATE.delegated_admins
    assert org.id in STATE.ram_sharing, "RAM sharing with the organization is never disabled by a teardown"


REFERENCE_POOLS = {"corp", "use1", "use1-prod", "use1-dev", "euw1"}


def test_single_layout_through_cdktf_deploy(emulator, tmp_path, cli_config):
    npx = require_tool("npx")
    org = Organization(emulator, "100000000001", tmp_path, cli_config)
    config = org.config("single")
    org.write(config)
    deploy = [npx, "--no-install", "cdktf", "deploy", "*", "--auto-approve", "--skip-provider-lock", "--output", str(tmp_path / "cdktf.out")]
    org.run(deploy)
    ipam = assert_deployed(org, REFERENCE_POOLS)
    assert sorted(org.shares()["ipam-pool-use1-dev"].principals) == sorted([
        f"arn:aws:organizations::{org.management_account}:ou/{org.id}/{org.ou}", org.member, org.other_member])

    org.run(deploy)  # the second deploy: state survived the re-synth, nothing is created twice
    assert [i.id for i in org.ipams()] == [ipam.id]
    assert org.terraform("ipam").run("plan", "-detailed-exitcode", "-no-color", check=False).returncode == 0

    org.write(changed(config, org))
    org.run(deploy)
    pools = org.pools()
    assert set(pools) == REFERENCE_POOLS | {"apse2"} and pools["apse2"].locale == "ap-southeast-2"
    assert set(pools["corp"].cidrs) == {"10.0.0.0/8", "172.16.0.0/12"}
    assert org.member in org.shares()["ipam-pool-use1-dev"].principals
    assert org.other_member not in org.shares()["ipam-pool-use1-dev"].principals
    assert "ap-southeast-2" in org.ipams()[0].operating_regions

    result = org.run([sys.executable, "-m", "preflight", "verify", str(tmp_path / "ipam.yaml")])
    assert "FAIL" not in result.stdout and result.stdout.count("PASS") >= 8, result.stdout

    org.write(torn_down(changed(config, org)))
    org.run(deploy)  # lifts prevent_destroy, forgets RAM sharing with the organization
    org.run([npx, "--no-install", "cdktf", "destroy", "*", "--auto-approve", "--skip-provider-lock", "--output", str(tmp_path / "cdktf.out")])
    assert_empty(org)


def test_split_layout_through_terraform_per_stack(emulator, tmp_path, cli_config):
    org = Organization(emulator, "100000000002", tmp_path, cli_config)
    config = org.config("split")

    def apply_all(*args: str) -> list[str]:
        org.run([sys.executable, "-O", "main.py"], check=True)
        manifest = json.loads((tmp_path / "cdktf.out" / "manifest.json").read_text())["stacks"]
        order = sorted(manifest, key=lambda s: len(manifest[s]["dependencies"]))  # management first
        for stack in order if "-destroy" not in args else reversed(order):
            terraform = org.terraform(stack)
            terraform.init()
            terraform.run("apply", "-auto-approve", "-input=false", "-no-color", *args)
        return order

    org.env["CDKTF_OUTDIR"] = str(tmp_path / "cdktf.out")
    org.write(config)
    order = apply_all()
    assert order == ["ipam-management", "ipam-delegated"]
    ipam = assert_deployed(org, REFERENCE_POOLS)
    apply_all()
    assert [i.id for i in org.ipams()] == [ipam.id]
    for stack in order:
        assert org.terraform(stack).run("plan", "-detailed-exitcode", "-no-color", check=False).returncode == 0, stack

    org.write(changed(config, org))
    apply_all()
    assert set(org.pools()) == REFERENCE_POOLS | {"apse2"}
    result = org.run([sys.executable, "-m", "preflight", "verify", str(tmp_path / "ipam.yaml")])
    assert "FAIL" not in result.stdout, result.stdout

    org.write(torn_down(changed(config, org)))
    apply_all()
    apply_all("-destroy")
    assert_empty(org)


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
    accounts = {CHILD_CIDR: ("100000000003", "100000000004"), ORGANIZATION_PRINCIPAL: ("100000000005", "100000000006")}[target]

    def drop_edge(resources: dict[str, Any]) -> None:
        assert resources[kind][name].pop("depends_on")

    broken = ordering_stack(Organization(emulator, accounts[0], tmp_path / "broken", cli_config), drop_edge)
    result = broken.run("apply", "-auto-approve", "-input=false", "-no-color", f"-target={target}", check=False)
    assert result.returncode != 0 and refusal in result.stdout + result.stderr, result.stdout[-3000:] + result.stderr[-3000:]

    intact = ordering_stack(Organization(emulator, accounts[1], tmp_path / "intact", cli_config), lambda resources: None)
    intact.run("apply", "-auto-approve", "-input=false", "-no-color", f"-target={target}")


def test_module_example_applies_and_destroys(emulator, tmp_path, cli_config):
    """examples/complete calling a module exported from this organization's config; an override file points the
    example's providers and module arguments at the organization. Teardown as the README says: export with
    `teardown`, apply (forgets RAM sharing), destroy."""
    org = Organization(emulator, "111111111111", tmp_path, cli_config)
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
