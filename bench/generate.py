"""Generate valid configs of any size or depth, for the benchmark and the tests.

python -m bench.generate --pools 1000 > big.yaml
"""

from __future__ import annotations

import argparse
import ipaddress
import sys
from typing import Any

import yaml

REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"]


def _base(layout: str = "single") -> dict[str, Any]:
    return {
        "organization": {
            "id": "o-a1b2c3d4e5",
            "management_account_id": "111111111111",
            "ipam_account_id": "222222222222",
        },
        "providers": {
            "management": {"region": "us-east-1"},
            "delegated": {
                "region": "us-east-1",
                "role_arn": "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole",
            },
        },
        "ipam": {"description": "Generated IPAM", "tier": "advanced"},
        "tags": {"ManagedBy": "ipam-org"},
        "layout": layout,
    }


def wide(pools: int, regions: list[str] = REGIONS, layout: str = "single") -> dict[str, Any]:
    """One /8 root, a /10 per region, the remaining pools as /20 leaves under the regions, some shared."""
    if pools < 1 + len(regions):
        raise ValueError(f"need at least {1 + len(regions)} pools for {len(regions)} regions")
    root = ipaddress.ip_network("10.0.0.0/8")
    regional = []
    leaves_left = pools - 1 - len(regions)
    for index, (region, block) in enumerate(zip(regions, root.subnets(new_prefix=10), strict=False)):
        count = leaves_left // len(regions) + (1 if index < leaves_left % len(regions) else 0)
        children = []
        for leaf, cidr in zip(range(count), block.subnets(new_prefix=20), strict=False):
            child: dict[str, Any] = {
                "name": f"{region}-{leaf:04d}",
                "locale": region,
                "cidrs": [str(cidr)],
                "allocation": {"default_netmask_length": 24},
            }
            if leaf % 10 == 0:
                child["share"] = {"organization": True}
            elif leaf % 10 == 5:
                child["share"] = {"organizational_units": ["ou-ab12-11111111"], "accounts": ["333333333333"]}
            children.append(child)
        regional.append({"name": region, "locale": region, "cidrs": [str(block)], "pools": children})
    return {**_base(layout), "pools": [{"name": "root", "cidrs": [str(root)], "pools": regional}]}


def deep(levels: int = 10, layout: str = "split", s3: bool = True) -> dict[str, Any]:
    """A chain of `levels` nested pools (AWS's maximum is 10), shares at several depths, plus public IPv6."""
    pool: dict[str, Any] = {}
    chain = pool
    for level in range(1, levels + 1):
        cidr = f"10.0.0.0/{7 + level}"
        chain.update({"name": f"level{level}", "cidrs": [cidr]})
        if level >= 2:
            chain["locale"] = "eu-west-1"
        if level == 3:
            chain["share"] = {"organization": True}
        if level == 5:
            chain["share"] = {
                "organizational_units": ["arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-ab12-22222222"]
            }
        if level == levels:
            chain["share"] = {"accounts": ["333333333333", "444444444444"]}
            chain["allocation"] = {"min_netmask_length": 20, "default_netmask_length": 24, "max_netmask_length": 28}
        if level < levels:
            chain["pools"] = [{}]
            chain = chain["pools"][0]
    public_v6 = {
        **amazon_ipv6_pool(),
        "pools": [
            {
                "name": "public-v6-vpcs",
                "address_family": "ipv6",
                "scope": "public",
                "locale": "us-east-1",
                "netmask_length": 56,
            }
        ],
    }
    config = {**_base(layout), "pools": [pool, public_v6]}
    config["ipam"]["operating_regions"] = ["us-east-1", "eu-west-1", "ap-southeast-2"]
    if s3:
        config["backend"] = {
            "s3": {"bucket": "platform-tfstate", "key": "ipam/terraform.tfstate", "region": "us-east-1"}
        }
    return config


def dump(config: dict[str, Any], stream: Any) -> None:
    yaml.safe_dump(config, stream, sort_keys=False, default_flow_style=False)


def amazon_ipv6_pool(**extra: Any) -> dict[str, Any]:
    """A top-level public IPv6 pool of Amazon-provided space (/52 in us-east-1, for EC2), as a config writes it."""
    return {
        "name": "public-v6",
        "address_family": "ipv6",
        "scope": "public",
        "locale": "us-east-1",
        "netmask_length": 52,
        "aws_service": "ec2",
        "public_ip_source": "amazon",
        **extra,
    }


# Documents the loader must refuse before parsing recurses or expands them (the benchmark times the refusal).
HEAD = (
    'organization: {id: o-a1b2c3d4e5, management_account_id: "111111111111", ipam_account_id: "222222222222"}\n'
    "providers: {management: {region: us-east-1}, delegated: {region: us-east-1}}\n"
)


def _alias_bomb() -> str:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(8):
        previous, current = chr(97 + i), chr(98 + i)
        lines.append(f"{current}: &{current} [" + ",".join([f"*{previous}"] * 9) + "]")
    return HEAD + "tags:\n" + "\n".join("  " + line for line in lines) + "\n"


HOSTILE_DOCUMENTS = {
    "deep-document": HEAD + "pools: " + "[" * 25_000 + "]" * 25_000 + "\n",
    "alias-bomb": _alias_bomb(),
    "five-megabytes": HEAD + "#" + "x" * (5 * 1024 * 1024) + "\n",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pools", type=int, help="a wide config with this many pools")
    parser.add_argument("--deep", action="store_true", help="a 10-level split config with an S3 backend")
    parser.add_argument("--layout", choices=["single", "split"], default="single")
    args = parser.parse_args()
    dump(deep() if args.deep else wide(args.pools or 10, layout=args.layout), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
