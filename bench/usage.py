"""`ipam-org usage` at scale: the 1,000-pool generated config built in the emulator through boto3, 10,000 VPC
CIDRs (ten /24s from each leaf pool, the rest outside IPAM), then the report read and written as JSON, with and
without address history. Records wall time and the usage process's peak memory in bench/RESULTS.md.

    pipenv run python -m bench.usage
"""

from __future__ import annotations

import ipaddress
import json
import os
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import boto3
import yaml

from bench.generate import wide
from bench.run import measure, replace_section
from ipam_org.emulator.moto_server import credentials_for
from ipam_org.emulator.server import emulator

RESULTS = Path(__file__).parent / "RESULTS.md"
VPCS = 10_000
PER_LEAF = 10


def _client(url: str, account: str, service: str) -> Any:
    credentials = {k.lower(): v for k, v in credentials_for(url, account).items()}
    return boto3.Session(**credentials, region_name="us-east-1").client(service, endpoint_url=url)


def build(url: str) -> tuple[dict[str, Any], dict[str, str], int]:
    """The organization, IPAM, pools and VPCs; returns the config, its environment and the VPC CIDRs made."""
    management = "111111111111"
    organizations = _client(url, management, "organizations")
    organization = organizations.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    ipam_account = organizations.create_account(Email="ipam@example.com", AccountName="ipam")["CreateAccountStatus"][
        "AccountId"
    ]
    config = wide(1000)
    config["organization"] = {"id": organization, "management_account_id": management, "ipam_account_id": ipam_account}
    config["providers"]["delegated"]["role_arn"] = f"arn:aws:iam::{ipam_account}:role/OrganizationAccountAccessRole"
    _client(url, management, "ec2").enable_ipam_organization_admin_account(DelegatedAdminAccountId=ipam_account)
    ec2 = _client(url, ipam_account, "ec2")
    regions = sorted({p["locale"] for p in config["pools"][0]["pools"]})
    ipam = ec2.create_ipam(OperatingRegions=[{"RegionName": r} for r in regions])["Ipam"]
    made, leaves = 0, []

    def create(pool: dict[str, Any], source: str | None) -> None:
        request = {"IpamScopeId": ipam["PrivateDefaultScopeId"], "AddressFamily": "ipv4"}
        request.update({"Locale": pool["locale"]} if pool.get("locale") else {})
        request.update({"SourceIpamPoolId": source} if source else {})
        request["TagSpecifications"] = [{"ResourceType": "ipam-pool", "Tags": [{"Key": "Name", "Value": pool["name"]}]}]
        created = ec2.create_ipam_pool(**request)["IpamPool"]["IpamPoolId"]
        for cidr in pool["cidrs"]:
            ec2.provision_ipam_pool_cidr(IpamPoolId=created, Cidr=cidr)
        while any(c["State"] != "provisioned" for c in ec2.get_ipam_pool_cidrs(IpamPoolId=created)["IpamPoolCidrs"]):
            pass
        if not pool.get("pools"):
            leaves.append((created, pool))
        for child in pool.get("pools", []):
            create(child, created)

    for pool in config["pools"]:
        create(pool, None)
    by_region = {region: _regional(url, ipam_account, region) for region in regions}
    for pool_id, pool in leaves:
        for cidr in list(ipaddress.ip_network(pool["cidrs"][0]).subnets(new_prefix=24))[:PER_LEAF]:
            by_region[pool["locale"]].create_vpc(Ipv4IpamPoolId=pool_id, CidrBlock=str(cidr))
            made += 1
    outside = ipaddress.ip_network("172.16.0.0/12").subnets(new_prefix=24)
    while made < VPCS:
        by_region[regions[0]].create_vpc(CidrBlock=str(next(outside)))
        made += 1
    env = {**os.environ, **credentials_for(url, management), "AWS_ENDPOINT_URL": url, "AWS_DEFAULT_REGION": "us-east-1"}
    return config, env, made


def _regional(url: str, account: str, region: str) -> Any:
    credentials = {k.lower(): v for k, v in credentials_for(url, account).items()}
    return boto3.Session(**credentials, region_name=region).client("ec2", endpoint_url=url)


def main() -> int:
    with emulator() as url, tempfile.TemporaryDirectory() as work:
        started = time.perf_counter()
        config, env, made = build(url)
        built = time.perf_counter() - started
        path = Path(work) / "ipam.yaml"
        path.write_text(yaml.safe_dump(config))
        rows = []
        for label, extra in (("without history", ["--no-history"]), ("with address history", [])):
            out = Path(work) / "usage.json"
            command = [sys.executable, "-m", "ipam_org", "usage", "--config", str(path), "--format", "json"]
            wall, tree, top = measure([*command, "--out", str(out), *extra], env)
            found = json.loads(out.read_text())
            resources = len(found["unmanaged"]) + sum(p["vpc_allocations"] for p in found["pools"])
            rows.append(f"| usage report, {label} | {len(found['pools']):,} | {resources:,} | {wall:.1f} | {top:.0f} |")
        lines = [
            f"Recorded {date.today().isoformat()} by `pipenv run python -m bench.usage` (one run): the generated "
            f"1,000-pool config built in the emulator through boto3 with {made:,} VPC CIDRs ({built:.0f} s to build), "
            "then `ipam-org usage --format json` against it. Wall time includes the emulator answering over HTTP on "
            "the same 2 cores; memory is the usage process's peak RSS.",
            f"Python {platform.python_version()}.",
            "",
            "| case | pools | VPC CIDRs | wall (s) | peak RSS (MB) |",
            "| --- | ---: | ---: | ---: | ---: |",
            *rows,
        ]
        replace_section(RESULTS, "Usage report at scale", lines)
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
