"""An organization built in the IPAM emulator through the real APIs, and what the life-cycle tests check in it."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import yaml

from ipam_org.emulator.ipam import STATE
from ipam_org.emulator.organization import make_organization
from tests.conftest import REFERENCE, ROOT
from tests.support.terraform import Terraform


def ipam_member_and_ou(organizations: Any, ou_name: str) -> tuple[str, str, str]:
    """Two new accounts (the IPAM account and a member) and an OU under the root, in an organization just made."""
    accounts = [
        organizations.create_account(Email=f"{name}@example.com", AccountName=name)["CreateAccountStatus"]["AccountId"]
        for name in ("ipam", "app")
    ]
    root = organizations.list_roots()["Roots"][0]["Id"]
    ou = organizations.create_organizational_unit(ParentId=root, Name=ou_name)["OrganizationalUnit"]["Id"]
    return accounts[0], accounts[1], ou


class Organization:
    """An organization built in the emulator through the real APIs, and an ipam-org config for it."""

    def __init__(self, url: str, root: Path, cli_config: Path):
        made = make_organization(url)
        self.url, self.root, self.id, self.management_account = url, root, made.id, made.management_account
        self.ipam_account, self.member, self.other_member, self.ou = (
            made.ipam_account,
            made.member,
            made.other_member,
            made.ou,
        )
        root.mkdir(parents=True, exist_ok=True)
        self.credentials = made.credentials()
        session = boto3.Session(**{k.lower(): v for k, v in self.credentials.items()}, region_name="us-east-1")
        self.organizations = session.client("organizations", endpoint_url=url)
        self.env = {
            **os.environ,
            **self.credentials,
            "AWS_ENDPOINT_URL": url,
            "AWS_EC2_METADATA_DISABLED": "true",
            "TF_CLI_CONFIG_FILE": str(cli_config),
            "TF_IN_AUTOMATION": "1",
            "CHECKPOINT_DISABLE": "1",
            "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        }
        self.cli_config = cli_config

    def config(self, layout: str) -> dict[str, Any]:
        config = yaml.safe_load(REFERENCE.read_text())
        config["organization"] = {
            "id": self.id,
            "management_account_id": self.management_account,
            "ipam_account_id": self.ipam_account,
        }
        config["providers"]["delegated"]["role_arn"] = (
            f"arn:aws:iam::{self.ipam_account}:role/OrganizationAccountAccessRole"
        )
        config["pools"][0]["pools"][0]["pools"][1]["share"] = {
            "organizational_units": [self.ou],
            "accounts": [self.member, self.other_member],
        }
        config["pools"][0]["pools"][0]["pools"][1]["share"]["publish"] = True
        config["guardrails"] = {
            "require_ipam_for_vpcs": {"organizational_units": [self.ou], "exempt_accounts": [self.other_member]}
        }
        config["layout"] = layout
        return config

    def write(self, config: dict[str, Any]) -> Path:
        path = self.root / "ipam.yaml"
        # JSON is YAML with every string quoted: moto's random account IDs may start with 0, which
        # yaml.safe_dump leaves unquoted and the loader then reads as a number (and asks for quotes)
        path.write_text(json.dumps(config, indent=2))
        return path

    def run(self, command: list[str], cwd: Path = ROOT, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            command,
            cwd=cwd,
            env={**self.env, "IPAM_CONFIG": str(self.root / "ipam.yaml")},
            capture_output=True,
            text=True,
            timeout=900,
        )
        if check:
            assert result.returncode == 0, (
                f"{' '.join(command)} failed:\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}"
            )
        return result

    def terraform(self, stack: str) -> Terraform:
        return Terraform(
            self.root / "cdktf.out" / "stacks" / stack,
            self.cli_config,
            {k: self.env[k] for k in (*self.credentials, "AWS_ENDPOINT_URL")},
        )

    # what the emulator holds for this organization
    def ipams(self) -> list[Any]:
        return [i for i in STATE.ipams.values() if i.account == self.ipam_account]

    def pools(self) -> dict[str, Any]:
        return {p.tags.get("Name"): p for p in STATE.pools.values() if p.scope.ipam.account == self.ipam_account}

    def guardrail(self) -> dict[str, Any]:
        """The SCP document attached to the OU by ipam-org (empty when none is)."""
        attached = self.organizations.list_policies_for_target(TargetId=self.ou, Filter="SERVICE_CONTROL_POLICY")[
            "Policies"
        ]
        ours = [p for p in attached if p["Name"].startswith("ipam-org-")]
        return (
            json.loads(self.organizations.describe_policy(PolicyId=ours[0]["Id"])["Policy"]["Content"]) if ours else {}
        )

    def parameters(self) -> dict[str, str]:
        from moto.ssm.models import ssm_backends

        found = ssm_backends[self.ipam_account]["us-east-1"]._parameters
        return {name: versions[-1].value for name, versions in found.items() if name.startswith("/ipam-org/")}

    def alarms(self) -> dict[str, Any]:
        """The IPAM account's CloudWatch alarms and SNS topics in the home Region, by name."""
        from moto.cloudwatch.models import cloudwatch_backends
        from moto.sns.models import sns_backends

        alarms = dict(cloudwatch_backends[self.ipam_account]["us-east-1"].alarms)
        topics = {arn.rsplit(":", 1)[-1]: t for arn, t in sns_backends[self.ipam_account]["us-east-1"].topics.items()}
        return {**alarms, **topics}

    def shares(self) -> dict[str, Any]:
        from moto.ram.models import ram_backends

        return {s.name: s for s in ram_backends[self.ipam_account]["us-east-1"].resource_shares if s.status == "ACTIVE"}


ALARMED = {"pools": ["use1-dev", "apse2"], "used_percent": 85, "emails": ["network-team@example.com"]}


def changed(config: dict[str, Any], org: Organization) -> dict[str, Any]:
    """Add a pool and a CIDR, remove a share principal, add an operating region, alarm on two pools."""
    config = copy.deepcopy(config)
    config["monitoring"] = ALARMED
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
    assert org.guardrail() == {} and org.parameters() == {} and org.alarms() == {}
    assert org.id not in STATE.delegated_admins
    assert org.id in STATE.ram_sharing, "RAM sharing with the organization is never disabled by a teardown"


REFERENCE_POOLS = {"corp", "use1", "use1-prod", "use1-dev", "euw1"}


MODULE = ROOT / "dist" / "terraform-aws-ipam-organization"


def module_caller(org: Organization, config: Path, *export: str) -> Terraform:
    """examples/from-config (and the module beside it, as ../../dist/...) in the organization's directory, as a user
    runs it: `ipam-org module tfvars` writes ipam.tfvars.json from config into it (extra export options, such as
    --imports, write into it too), and terraform.tfvars.json names the role the delegated provider assumes."""
    shutil.copytree(MODULE, org.root / "dist" / MODULE.name, ignore=shutil.ignore_patterns(".terraform*"))
    workdir = org.root / "examples" / "from-config"
    shutil.copytree(ROOT / "examples" / "from-config", workdir)
    org.run(
        [
            sys.executable,
            "-m",
            "ipam_org",
            "module",
            "tfvars",
            "--config",
            str(config),
            "--out",
            str(workdir / "ipam.tfvars.json"),
            *[str(workdir / option) if option.endswith(".tf") else option for option in export],
        ]
    )
    role = f"arn:aws:iam::{org.ipam_account}:role/OrganizationAccountAccessRole"
    (workdir / "terraform.tfvars.json").write_text(json.dumps({"delegated_role_arn": role}))
    terraform = Terraform(workdir, org.cli_config, {k: org.env[k] for k in (*org.credentials, "AWS_ENDPOINT_URL")})
    terraform.init()
    return terraform
