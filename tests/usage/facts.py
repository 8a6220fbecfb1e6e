"""Facts as AWS would answer them, built by hand for the usage tests (no AWS, no emulator)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from ipam_org.usage.facts import Account, Facts

READ_AT = datetime(2026, 12, 1, tzinfo=UTC)
IPAM = {
    "IpamId": "ipam-0123456789abcdef0",
    "IpamArn": "arn:aws:ec2::222222222222:ipam/ipam-0123456789abcdef0",
    "IpamRegion": "us-east-1",
    "Tier": "advanced",
    "OperatingRegions": [{"RegionName": "us-east-1"}],
}


def pool(pool_id: str, name: str, source: str | None = None, depth: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "IpamPoolId": pool_id,
        "IpamArn": IPAM["IpamArn"],
        "IpamScopeArn": "arn:aws:ec2::222222222222:ipam-scope/ipam-scope-0private",
        "IpamScopeType": "private",
        "AddressFamily": "ipv4",
        "Locale": "us-east-1" if source else "None",
        "PoolDepth": depth,
        "Tags": [{"Key": "Name", "Value": name}],
        **({"SourceIpamPoolId": source} if source else {}),
        **extra,
    }


def allocation(cidr: str, kind: str, resource: str = "") -> dict[str, Any]:
    return {"Cidr": cidr, "ResourceType": kind, "ResourceId": resource, "IpamPoolAllocationId": f"a-{cidr}"}


def resource(cidr: str, owner: str, vpc: str, state: str = "unmanaged", overlap: str = "nonoverlapping", **extra: Any):
    return {
        "ResourceCidr": cidr,
        "ResourceOwnerId": owner,
        "ResourceId": vpc,
        "VpcId": vpc,
        "ResourceType": "vpc",
        "ResourceRegion": "us-east-1",
        "ResourceName": extra.pop("name", ""),
        "ManagementState": state,
        "ComplianceStatus": "compliant" if state == "managed" else state,
        "OverlapStatus": overlap,
        **extra,
    }


def days_ago(days: int) -> datetime:
    return READ_AT - timedelta(days=days)


def sample(name_of: dict[str, str] | None = None) -> Facts:
    """corp 10.0.0.0/16 -> team 10.0.0.0/18 with two VPCs and a manual allocation; one VPC outside IPAM and two
    that overlap. name_of renames pools, accounts and VPCs (for hostile text)."""
    names = {"corp": "corp", "team": "team", "app": "app", "a1": "payments", "ou": "Workloads", **(name_of or {})}
    facts = Facts(
        ipam=IPAM,
        pools=[
            pool("ipam-pool-0corp", names["corp"]),
            pool("ipam-pool-0team", names["team"], "ipam-pool-0corp", 2, AllocationDefaultNetmaskLength=24),
        ],  # fmt: skip
        cidrs={
            "ipam-pool-0corp": [{"Cidr": "10.0.0.0/16", "State": "provisioned"}],
            "ipam-pool-0team": [{"Cidr": "10.0.0.0/18", "State": "provisioned"}],
        },
        allocations={
            "ipam-pool-0corp": [allocation("10.0.0.0/18", "ipam-pool", "ipam-pool-0team")],
            "ipam-pool-0team": [
                allocation("10.0.0.0/24", "vpc", "vpc-1"),
                allocation("10.0.4.0/22", "vpc", "vpc-2"),
                allocation("10.0.1.0/24", "custom"),
            ],
        },
        resources=[
            resource(
                "10.0.0.0/24", "111111111111", "vpc-1", "managed", IpamPoolId="ipam-pool-0team", name=names["app"]
            ),
            resource("10.0.4.0/22", "111111111111", "vpc-2", "managed", IpamPoolId="ipam-pool-0team"),
            resource("192.168.0.0/16", "333333333333", "vpc-3"),
            resource("172.16.0.0/16", "333333333333", "vpc-4", overlap="overlapping"),
            resource("172.16.8.0/24", "111111111111", "vpc-5", overlap="overlapping"),
        ],
        read_at=READ_AT,
        history={
            "10.0.0.0/24": [{"ResourceId": "vpc-1", "SampledStartTime": days_ago(100)}],
            "10.0.4.0/22": [{"ResourceId": "vpc-2", "SampledStartTime": days_ago(10)}],
            "10.0.1.0/24": [],
        },
        history_read=True,
        accounts={
            "111111111111": Account(names["a1"], "ou-ab12-11111111", names["ou"]),
            "333333333333": Account("data", "", ""),
        },
    )
    return facts
