"""The usage report against what a deployed organization really holds: VPCs made by member accounts through
examples/member-vpc and boto3, then every number of `ipam-org usage --format json` recomputed here with plain
ipaddress arithmetic over the VPCs that exist (describe_vpcs in every account and operating Region) and the
pool CIDRs the config gave; the report's code is never called."""

from __future__ import annotations

import ipaddress
import itertools
import json
import sys
from typing import Any

import boto3
import pytest

from ipam_org.cli import main
from ipam_org.emulator.moto_server import credentials_for
from ipam_org.usage.collect import ACTIONS
from tests.support.organization import Organization
from tests.support.read_only import record_api_calls, writes
from tests.support.terraform import Terraform
from tests.support.usage_schema import VALIDATOR


def _ec2(org: Organization, account: str, region: str = "us-east-1") -> Any:
    credentials = {k.lower(): v for k, v in credentials_for(org.url, account).items()}
    return boto3.Session(**credentials, region_name=region).client("ec2", endpoint_url=org.url)


def make_vpcs(org: Organization) -> dict[str, str]:
    """From a shared pool, outside IPAM, two that overlap, one that auto-import takes into use1-prod."""
    member, other = _ec2(org, org.member), _ec2(org, org.other_member)
    prod = org.pools()["use1-prod"].id  # shared with the whole organization
    made = {
        "prod": member.create_vpc(Ipv4IpamPoolId=prod, Ipv4NetmaskLength=20)["Vpc"],
        "outside": other.create_vpc(CidrBlock="192.168.0.0/16")["Vpc"],
        "overlap-a": other.create_vpc(CidrBlock="10.200.0.0/16")["Vpc"],
        "overlap-b": member.create_vpc(CidrBlock="10.200.0.0/20")["Vpc"],
        "imported": member.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"],  # inside use1-prod's 10.0.0.0/14
    }
    return {name: vpc["VpcId"] for name, vpc in made.items()}


def delete_vpcs(org: Organization, made: dict[str, str]) -> None:
    for name, vpc in made.items():
        account = org.other_member if name in ("outside", "overlap-a") else org.member
        _ec2(org, account).delete_vpc(VpcId=vpc)


def _existing(org: Organization, regions: list[str]) -> list[tuple[str, str, str, Any]]:
    """(account, Region, VPC ID, CIDR) of every VPC CIDR in the organization's accounts."""
    accounts = [org.management_account, org.ipam_account, org.member, org.other_member]
    found = []
    for account, region in itertools.product(accounts, regions):
        for vpc in _ec2(org, account, region).describe_vpcs()["Vpcs"]:
            for block in vpc["CidrBlockAssociationSet"]:
                found.append((account, region, vpc["VpcId"], ipaddress.ip_network(block["CidrBlock"])))
    return found


def check_usage(org: Organization, config: dict[str, Any], made: dict[str, str], member_vpc: str) -> None:
    out = org.root / "usage.json"
    with pytest.MonkeyPatch.context() as patch:  # in this process, every AWS call recorded
        calls = record_api_calls(patch, org.credentials, org.url)
        status = main(["usage", "--config", str(org.root / "ipam.yaml"), "--format", "json", "--out", str(out)])
    assert status == 0 and writes(calls) == []
    assert {f"{service}:{operation}" for service, operation in calls if service != "sts"} <= set(ACTIONS)
    found = json.loads(out.read_text())
    VALIDATOR.validate(found)
    pools = {p["name"]: p for p in found["pools"]}
    existing = _existing(org, config["ipam"]["operating_regions"])
    cidr_of = {vpc: cidr for _, _, vpc, cidr in existing}
    tree = {}  # pool name -> (its CIDRs, its children's CIDRs), from the config

    def read(pool: dict[str, Any]) -> None:
        children = [ipaddress.ip_network(c) for child in pool.get("pools", []) for c in child.get("cidrs", [])]
        tree[pool["name"]] = ([ipaddress.ip_network(c) for c in pool.get("cidrs", [])], children)
        for child in pool.get("pools", []):
            read(child)

    for pool in config["pools"]:
        read(pool)
    assigned = {"use1-dev": [cidr_of[member_vpc]], "use1-prod": [cidr_of[made["prod"]], cidr_of[made["imported"]]]}
    for name, (own, children) in tree.items():
        provisioned = sum(c.num_addresses for c in own)
        to_pools = sum(c.num_addresses for c in children)
        to_resources = sum(c.num_addresses for c in assigned.get(name, []))
        row = pools[name]
        assert (row["provisioned"], row["allocated_to_pools"], row["assigned_to_resources"]) == (
            provisioned,
            to_pools,
            to_resources,
        ), name
        assert row["percent_used"] == round(100 * (to_pools + to_resources) / provisioned, 2), name
        assert row["free"] == provisioned - to_pools - to_resources, name
    assert pools["use1-prod"]["vpc_allocations"] == 2 and pools["use1-prod"]["auto_import"]

    managed = {member_vpc, made["prod"], made["imported"]}
    outside = {(a, vpc, str(c)) for a, _, vpc, c in existing if vpc not in managed}
    assert {(u["account"], u["vpc"], u["cidr"]) for u in found["unmanaged"]} == outside
    flagged = [(vpc, c) for _, _, vpc, c in existing if vpc not in managed]
    pairs = sum(1 for (v1, a), (v2, b) in itertools.combinations(flagged, 2) if a.overlaps(b))
    assert len(found["overlaps"]) == pairs and pairs > 1  # the default VPCs and 10.200.0.0/16 with /20
    assert found["noncompliant"] == [] and found["ignored"] == []
    member_addresses = sum(c.num_addresses for a, _, _, c in existing if a == org.member)
    assert {a["account"]: a["addresses"] for a in found["accounts"]}[org.member] == member_addresses
    assert found["cost"]["estimated"] is False
    assert pools["use1-dev"]["forecast"]["status"] == "too little history"  # made minutes ago

    fullest = max(p["percent_used"] for p in found["pools"])
    gate = org.run([sys.executable, "-m", "ipam_org", "usage", "--config", str(org.root / "ipam.yaml"),
                    "--no-history", "--fail-over", str(fullest)], check=False)  # fmt: skip
    assert gate.returncode == 1 and "at or over" in gate.stderr, gate.stderr
    assert fullest < 99.5
    passing = org.run([sys.executable, "-m", "ipam_org", "usage", "--config", str(org.root / "ipam.yaml"),
                       "--no-history", "--fail-over", str(fullest + 0.5)], check=False)  # fmt: skip
    assert passing.returncode == 0, passing.stderr


def member_vpc_applied(terraform: Terraform, variables: list[str]) -> str:
    terraform.run("apply", "-auto-approve", "-input=false", "-no-color", *variables)
    return json.loads(terraform.run("output", "-json").stdout)["vpc_id"]["value"]
