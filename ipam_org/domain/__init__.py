"""The domain's words: identifiers as AWS spells them, AWS's limits, and the one walk of the pool tree. Beside them
in this package, what a config implies: its principals, the guardrail's SCP, the handoff's parameters, pool ARNs.

The rules (validation), the constructs, preflight, discovery and module export all speak these; nothing here
decides whether a config is valid.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ipam_org.config.model import Config, Pool

# Identifiers are matched whole (fullmatch: `$` would accept a trailing newline) and in ASCII
# (`\d` would accept Arabic-Indic or fullwidth digits), since they land in ARNs and Terraform addresses.
ACCOUNT_ID = re.compile(r"[0-9]{12}")
ORGANIZATION_ID = re.compile(r"o-[a-z0-9]{10,32}")
OU_ID = re.compile(r"ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}")
OU_ARN = re.compile(
    r"arn:(?P<partition>aws[a-z-]*):organizations::(?P<account>[0-9]{12}):ou/(?P<org>[^/]+)/(?P<ou>[^/]+)"
)
REGION = re.compile(r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}")
POOL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,62}")
IPAM_ID = re.compile(r"ipam-[0-9a-f]{8,17}")
POOL_ID = re.compile(r"ipam-pool-[0-9a-f]{8,17}")
SHARE_ARN = re.compile(r"arn:aws[a-z-]*:ram:[a-z0-9-]+:[0-9]{12}:resource-share/[0-9a-f-]{8,64}")
# CIDR notation only: a netmask (10.0.0.0/255.0.0.0) or an IPv6 zone ID (fd00::%eth0/64) is not a CIDR.
CIDR_TEXT = re.compile(r"[0-9A-Fa-f:.]+/[0-9]{1,3}")
AUTHORIZATION_SIGNATURE = re.compile(r"[A-Za-z0-9_~-]+")  # base64 with + = / spelled - _ ~ (AWS's BYOIP signing steps)

# Construct IDs the stacks use beside pool names (the IPAM, outputs, providers, backend, delegation):
# a pool with one of these names would collide with them.
RESERVED_NAMES = frozenset({"ipam", "pools", "management", "delegated", "backend", "delegation", "protect"})
MAX_DEPTH = 10  # AWS quota: pool depth
POOLS_PER_SCOPE = 50  # adjustable AWS quota
CIDRS_PER_POOL = 50  # adjustable AWS quota
SCOPES_PER_IPAM = 5  # adjustable AWS quota, default scopes included
DEFAULT_SCOPES = ("private", "public")
MAX_PREFIX = {"ipv4": 32, "ipv6": 128}
# Private IPv6 pools take unique local addresses unless the IPAM enables private GUA (CreateIpam
# EnablePrivateGua), which ipam-org does not set.
UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
# EC2 and RAM tag limits: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions
MAX_TAGS, MAX_TAG_KEY, MAX_TAG_VALUE = 50, 128, 256
MAX_PARAMETER_VALUE = 8192  # advanced-tier SSM parameter

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def is_ou_name(entry: str) -> bool:
    """An OU given by its name path from the root (Workloads/Prod), not by ID or ARN."""
    return not entry.startswith(("ou-", "arn:")) and bool(entry.strip()) and entry.isprintable()


def is_account_name(entry: str) -> bool:
    """An account given by its name: printable text that is not digits (digits must be a 12-digit ID)."""
    return not entry.isdigit() and bool(entry.strip()) and entry.isprintable()


def last_segment(identifier: str) -> str:
    """The ID at the end of an ARN or path (arn:...:ipam-pool/ipam-pool-0a1b -> ipam-pool-0a1b)."""
    return identifier.rsplit("/", 1)[-1]


@dataclass
class PoolNode:
    """A pool with its place in the tree and its parsed CIDRs (None where a CIDR was invalid)."""

    pool: Pool
    path: str
    depth: int
    parent: PoolNode | None
    networks: list[Network | None] = field(default_factory=list)


def walk(
    pools: list[Pool], by_name: bool = False, prefix: str = "pools", parent: PoolNode | None = None
) -> Iterator[PoolNode]:
    """Depth-first, parents before children; siblings in config order, or by name (by_name: an order that does not
    move when the config's list is reordered). Paths always name the config's positions."""
    indexed = sorted(enumerate(pools), key=lambda item: item[1].name) if by_name else enumerate(pools)
    for index, pool in indexed:
        node = PoolNode(pool, f"{prefix}[{index}]", (parent.depth + 1) if parent else 1, parent)
        yield node
        yield from walk(pool.pools, by_name, f"{node.path}.pools", node)


def by_name(path: str, pools: list[Pool]) -> str:
    """A rules path with its pool named (pools[0].pools[1].share -> pools["use1-dev"].share), for messages read
    without the file (config.locate does it, with lines, where the file is at hand)."""
    deepest = max(
        (node for node in walk(pools) if path == node.path or path.startswith((node.path + ".", node.path + "["))),
        key=lambda node: len(node.path),
        default=None,
    )
    if deepest is None:
        return path
    return f'pools["{deepest.pool.name}"]{path[len(deepest.path) :]}'


def operating_regions(config: Config) -> list[str]:
    """The configured operating regions, or the home region plus every pool locale."""
    if config.ipam.operating_regions is not None:
        return list(config.ipam.operating_regions)
    regions = {config.home_region}
    regions.update(node.pool.locale for node in walk(config.pools) if node.pool.locale)
    return sorted(regions)
