"""An organization IPAM built by hand in the emulator with boto3, as people build one in the console, and the
steps that adopt it: discover, synthesize and plan, apply."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from ipam_org.emulator.moto_server import credentials_for
from tests.support.lifecycle import PlainTerraform
from tests.support.organization import Organization


@dataclass
class HandmadeIpam:
    org: Organization
    ec2: Any = None
    ram: Any = None
    ipam: dict[str, Any] = field(default_factory=dict)
    pools: dict[str, dict[str, Any]] = field(default_factory=dict)  # by the label the test gave it
    shares: dict[str, str] = field(default_factory=dict)  # share name -> ARN

    def __post_init__(self) -> None:
        session = boto3.Session(
            **{k.lower(): v for k, v in credentials_for(self.org.url, self.org.ipam_account).items()},
            region_name="us-east-1",
        )
        self.ec2 = session.client("ec2", endpoint_url=self.org.url)
        self.ram = session.client("ram", endpoint_url=self.org.url)

    def management(self, service: str) -> Any:
        session = boto3.Session(**{k.lower(): v for k, v in self.org.credentials.items()}, region_name="us-east-1")
        return session.client(service, endpoint_url=self.org.url)

    def delegate(self) -> None:
        self.management("ec2").enable_ipam_organization_admin_account(DelegatedAdminAccountId=self.org.ipam_account)
        self.management("ram").enable_sharing_with_aws_organization()

    def create_ipam(self, regions: list[str], description: str = "", tags: dict[str, str] | None = None) -> None:
        self.ipam = self.ec2.create_ipam(
            Description=description,
            OperatingRegions=[{"RegionName": r} for r in regions],
            TagSpecifications=[
                {"ResourceType": "ipam", "Tags": [{"Key": k, "Value": v} for k, v in (tags or {}).items()]}
            ],
        )["Ipam"]

    def pool(
        self, label: str, cidrs: list[str], parent: str | None = None, name: str | None = "", **settings: Any
    ) -> dict[str, Any]:
        """name: the Name tag (default: the label; None: no Name tag)."""
        tags = {"Name": label if name == "" else name} if name is not None else {}
        tags.update(settings.pop("tags", {}))
        request = {
            "IpamScopeId": self.ipam["PrivateDefaultScopeId"],
            "AddressFamily": "ipv4",
            **settings,
            "TagSpecifications": [
                {"ResourceType": "ipam-pool", "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}
            ],
        }
        if parent:
            request["SourceIpamPoolId"] = self.pools[parent]["IpamPoolId"]
        pool = self.ec2.create_ipam_pool(**request)["IpamPool"]
        self.pools[label] = pool
        for cidr in cidrs:
            self.ec2.provision_ipam_pool_cidr(IpamPoolId=pool["IpamPoolId"], Cidr=cidr)
            while {
                c["Cidr"]: c["State"]
                for c in self.ec2.get_ipam_pool_cidrs(IpamPoolId=pool["IpamPoolId"])["IpamPoolCidrs"]
            }[cidr] != "provisioned":
                pass  # the emulator provisions on the next read, as AWS does after a while
        return pool

    def share(self, name: str, pool: str, principals: list[str], tags: dict[str, str] | None = None) -> str:
        arn = self.ram.create_resource_share(
            name=name,
            allowExternalPrincipals=False,
            resourceArns=[self.pools[pool]["IpamPoolArn"]],
            principals=principals,
            tags=[{"key": k, "value": v} for k, v in (tags if tags is not None else {"Name": name}).items()],
        )["resourceShare"]["resourceShareArn"]
        self.shares[name] = arn
        return arn


def reference_like(org: Organization) -> HandmadeIpam:
    """Delegation, an IPAM, a 3-level pool tree with CIDRs and allocation rules, shares to an OU and an account."""
    built = HandmadeIpam(org)
    built.delegate()
    built.create_ipam(["us-east-1", "eu-west-1"], description="Built in the console", tags={"team": "network"})
    built.pool("corp", ["10.0.0.0/8"], Description="Corporate space")
    built.pool("use1", ["10.0.0.0/12"], parent="corp", Locale="us-east-1")
    built.pool(
        "use1-prod",
        ["10.0.0.0/14"],
        parent="use1",
        Locale="us-east-1",
        AllocationMinNetmaskLength=16,
        AllocationMaxNetmaskLength=28,
        AllocationDefaultNetmaskLength=24,
        tags={"env": "prod"},
    )
    built.pool("euw1", ["10.16.0.0/12"], parent="corp", Locale="eu-west-1")
    built.share("prod-pools", "use1-prod", [f"arn:aws:organizations::{org.management_account}:ou/{org.id}/{org.ou}"])
    built.share("ipam-pool-euw1", "euw1", [org.member])
    return built


def discover(org: Organization, out: Path, *extra: str, check: bool = True) -> subprocess.CompletedProcess:
    return org.run(
        [sys.executable, "-m", "ipam_org", "discover", "--region", "us-east-1", "--out", str(out), *extra], check=check
    )


def synth_and_plan(org: Organization) -> dict[str, Path]:
    """main.py, then init and a saved plan per stack in manifest order; stack -> plan JSON path."""
    synth = PlainTerraform(org)  # main.py into the organization's directory, stacks in manifest order
    org.run([sys.executable, "-O", "main.py"])
    plans = {}
    for stack in synth.stacks():
        terraform = org.terraform(stack)
        terraform.init()
        path = org.root / f"{stack}.plan.json"
        path.write_text(json.dumps(terraform.plan()))
        plans[stack] = path
    return plans


def apply(org: Organization, plans: dict[str, Path]) -> None:
    for stack in plans:  # manifest order: the management stack first
        org.terraform(stack).run("apply", "-input=false", "-no-color", "tfplan")


def no_changes(org: Organization, plans: dict[str, Path]) -> bool:
    return all(
        org.terraform(stack).run("plan", "-detailed-exitcode", "-no-color", check=False).returncode == 0
        for stack in plans
    )
