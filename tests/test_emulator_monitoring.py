"""What the emulator's IPAM monitors (ipam_org/emulator/monitoring.py, which cites AWS for each rule), through
boto3: VPCs from shared pools, IPAM's view of every VPC CIDR, auto-import, address history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ipam_org.emulator import monitoring
from tests.support.emulator_org import Org, refused

REGIONS = ("us-east-1", "eu-west-1")


class Plan:
    """An IPAM in two Regions: a top pool, a shared pool with rules, and an auto-import pool."""

    def __init__(self, url: str):
        self.org = org = Org(url)
        org.client("ec2", org.management).enable_ipam_organization_admin_account(
            DelegatedAdminAccountId=org.ipam_account
        )
        self.ipam = org.ipam(REGIONS)
        self.scope = self.ipam["PrivateDefaultScopeId"]
        self.top = org.pool(self.ipam)
        org.provision(self.top, "10.0.0.0/8")
        self.shared = org.pool(
            self.ipam,
            SourceIpamPoolId=self.top,
            Locale="us-east-1",
            AllocationDefaultNetmaskLength=24,
            AllocationMinNetmaskLength=20,
            AllocationMaxNetmaskLength=26,
            AllocationResourceTags=[{"Key": "env", "Value": "dev"}],
        )
        org.provision(self.shared, "10.0.0.0/16")
        self.auto = org.pool(
            self.ipam, SourceIpamPoolId=self.top, Locale="us-east-1", AutoImport=True, AllocationMinNetmaskLength=20
        )
        org.provision(self.auto, "10.1.0.0/16")

    def member_ec2(self, region: str = "us-east-1") -> Any:
        return self.org.client("ec2", self.org.member, region)

    def share(self) -> None:
        pool_arn = f"arn:aws:ec2::{self.org.ipam_account}:ipam-pool/{self.shared}"
        self.org.client("ram", self.org.ipam_account).create_resource_share(
            name="shared", resourceArns=[pool_arn], principals=[self.org.member], allowExternalPrincipals=False
        )

    def resource_cidrs(self, **filters: Any) -> dict[tuple[str, str], dict[str, Any]]:
        pages = self.org.ec2().get_paginator("get_ipam_resource_cidrs").paginate(IpamScopeId=self.scope, **filters)
        return {(r["ResourceId"], r["ResourceCidr"]): r for page in pages for r in page["IpamResourceCidrs"]}


DEV = [{"ResourceType": "vpc", "Tags": [{"Key": "env", "Value": "dev"}, {"Key": "Name", "Value": "app"}]}]


def test_a_member_builds_vpcs_from_a_shared_pool_within_its_rules_and_ipam_sees_them(emulator):
    plan = Plan(emulator)
    ec2 = plan.member_ec2()
    assert "does not exist" in refused(ec2.create_vpc, Ipv4IpamPoolId=plan.shared, TagSpecifications=DEV)
    plan.share()
    assert "not in eu-west-1" in refused(
        plan.member_ec2("eu-west-1").create_vpc, Ipv4IpamPoolId=plan.shared, TagSpecifications=DEV
    )
    assert "maximum netmask /26" in refused(
        ec2.create_vpc, Ipv4IpamPoolId=plan.shared, Ipv4NetmaskLength=28, TagSpecifications=DEV
    )
    assert "minimum netmask /20" in refused(
        ec2.create_vpc, Ipv4IpamPoolId=plan.shared, Ipv4NetmaskLength=16, TagSpecifications=DEV
    )
    assert "lacks the tag env=dev" in refused(ec2.create_vpc, Ipv4IpamPoolId=plan.shared)

    vpc = ec2.create_vpc(Ipv4IpamPoolId=plan.shared, TagSpecifications=DEV)["Vpc"]  # the pool's default /24
    assert vpc["CidrBlock"] == "10.0.0.0/24"
    second = ec2.associate_vpc_cidr_block(VpcId=vpc["VpcId"], Ipv4IpamPoolId=plan.shared, Ipv4NetmaskLength=24)
    assert second["CidrBlockAssociation"]["CidrBlock"] == "10.0.1.0/24"
    allocations = plan.org.ec2().get_ipam_pool_allocations(IpamPoolId=plan.shared)["IpamPoolAllocations"]
    assert sorted((a["Cidr"], a["ResourceId"], a["ResourceOwner"]) for a in allocations) == [
        ("10.0.0.0/24", vpc["VpcId"], plan.org.member),
        ("10.0.1.0/24", vpc["VpcId"], plan.org.member),
    ]

    seen = plan.resource_cidrs()
    mine = seen[(vpc["VpcId"], "10.0.0.0/24")]
    assert (mine["ManagementState"], mine["ComplianceStatus"], mine["OverlapStatus"]) == (
        "managed",
        "compliant",
        "nonoverlapping",
    )
    assert (mine["IpamPoolId"], mine["ResourceOwnerId"], mine["ResourceName"]) == (plan.shared, plan.org.member, "app")
    defaults = [r for r in seen.values() if r["ResourceCidr"] == "172.31.0.0/16"]  # every account's default VPC
    assert len(defaults) == 3 * len(REGIONS)
    assert {(r["ManagementState"], r["OverlapStatus"]) for r in defaults} == {("unmanaged", "overlapping")}

    subnet = ec2.create_subnet(VpcId=vpc["VpcId"], CidrBlock="10.0.0.0/25")["Subnet"]["SubnetId"]
    assert plan.resource_cidrs(ResourceId=vpc["VpcId"])[(vpc["VpcId"], "10.0.0.0/24")]["IpUsage"] == 0.5
    ec2.delete_subnet(SubnetId=subnet)
    ec2.delete_vpc(VpcId=vpc["VpcId"])
    assert plan.org.ec2().get_ipam_pool_allocations(IpamPoolId=plan.shared)["IpamPoolAllocations"] == []
    assert (vpc["VpcId"], "10.0.0.0/24") not in plan.resource_cidrs()


def test_auto_import_takes_the_largest_of_overlapping_cidrs_whatever_its_compliance(emulator):
    plan = Plan(emulator)
    ec2 = plan.member_ec2()
    small = ec2.create_vpc(CidrBlock="10.1.0.0/24")["Vpc"]["VpcId"]
    large = ec2.create_vpc(CidrBlock="10.1.0.0/18")["Vpc"]["VpcId"]  # /18 breaks the pool's minimum /20
    elsewhere = plan.member_ec2("eu-west-1").create_vpc(CidrBlock="10.1.128.0/24")["Vpc"]["VpcId"]  # not its locale
    seen = plan.resource_cidrs()
    assert seen[(large, "10.1.0.0/18")]["ManagementState"] == "managed"
    assert seen[(large, "10.1.0.0/18")]["ComplianceStatus"] == "noncompliant"
    assert seen[(small, "10.1.0.0/24")]["ManagementState"] == "unmanaged"
    assert {seen[(small, "10.1.0.0/24")]["OverlapStatus"], seen[(large, "10.1.0.0/18")]["OverlapStatus"]} == {
        "overlapping"
    }
    assert seen[(elsewhere, "10.1.128.0/24")]["ManagementState"] == "unmanaged"
    allocations = plan.org.ec2().get_ipam_pool_allocations(IpamPoolId=plan.auto)["IpamPoolAllocations"]
    assert [(a["Cidr"], a["ResourceId"]) for a in allocations] == [("10.1.0.0/18", large)]

    plan.org.ec2().modify_ipam_resource_cidr(
        ResourceId=small, ResourceCidr="10.1.0.0/24", ResourceRegion="us-east-1", CurrentIpamScopeId=plan.scope,
        Monitored=False,
    )  # fmt: skip
    ignored = plan.resource_cidrs()[(small, "10.1.0.0/24")]
    assert (ignored["ManagementState"], ignored["ComplianceStatus"], ignored["OverlapStatus"]) == ("ignored",) * 3
    assert plan.resource_cidrs()[(large, "10.1.0.0/18")]["OverlapStatus"] == "nonoverlapping"


def test_resource_cidrs_page_and_filter(emulator):
    plan = Plan(emulator)
    ec2 = plan.org.ec2()
    first = ec2.get_ipam_resource_cidrs(IpamScopeId=plan.scope, MaxResults=5)
    assert len(first["IpamResourceCidrs"]) == 5 and first["NextToken"]
    rest = ec2.get_ipam_resource_cidrs(IpamScopeId=plan.scope, MaxResults=5, NextToken=first["NextToken"])
    assert len(rest["IpamResourceCidrs"]) == 1 and "NextToken" not in rest
    owned = plan.resource_cidrs(ResourceOwner=plan.org.member)
    assert {r["ResourceOwnerId"] for r in owned.values()} == {plan.org.member} and len(owned) == len(REGIONS)


def test_address_history_gives_exactly_the_cidr_asked_with_its_times(emulator, monkeypatch):
    plan = Plan(emulator)
    plan.share()
    ec2 = plan.member_ec2()
    start = datetime(2026, 9, 1, tzinfo=UTC)
    monkeypatch.setattr(monitoring, "now", lambda: start)
    vpc = ec2.create_vpc(Ipv4IpamPoolId=plan.shared, TagSpecifications=DEV)["Vpc"]["VpcId"]
    monkeypatch.setattr(monitoring, "now", lambda: start + timedelta(days=30))
    ec2.delete_vpc(VpcId=vpc)
    history = plan.org.ec2().get_ipam_address_history
    records = history(Cidr="10.0.0.0/24", IpamScopeId=plan.scope)["HistoryRecords"]
    assert [(r["ResourceId"], r["SampledStartTime"], r["SampledEndTime"]) for r in records] == [
        (vpc, start, start + timedelta(days=30))
    ]
    assert history(Cidr="10.0.0.0/16", IpamScopeId=plan.scope)["HistoryRecords"] == []  # not the CIDRs inside
    later = history(Cidr="10.0.0.0/24", IpamScopeId=plan.scope, StartTime=start + timedelta(days=31))
    assert later["HistoryRecords"] == []


@pytest.fixture(autouse=True)
def _clean_history():
    yield
    monitoring.HISTORY.clear()
    monitoring._HISTORY_BY_CIDR.clear()
    monitoring.IGNORED.clear()
    monitoring._discovered.clear()
    monitoring._views.clear()
