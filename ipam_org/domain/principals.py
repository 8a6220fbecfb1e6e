"""Who a pool is shared with, as AWS RAM wants it: organization and OU ARNs, account IDs."""

from __future__ import annotations

from dataclasses import dataclass

from ipam_org.config.model import Config, Pool
from ipam_org.domain import last_segment, walk


@dataclass(frozen=True)
class Principal:
    """A RAM principal. value: what RAM takes; name: its Terraform address part; kind and id: what it is."""

    value: str
    name: str
    kind: str  # organization, ou, account
    id: str


# Partitions by region prefix (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
# The ISO partitions are left out on purpose: ipam-org has never been checked against them.
PARTITIONS = (("cn-", "aws-cn"), ("us-gov-", "aws-us-gov"))
UNSUPPORTED_PARTITION_PREFIXES = ("us-iso", "eu-iso")


def partition_of(region: str) -> str:
    """The ARN partition a region belongs to (aws, aws-cn, aws-us-gov)."""
    return next((name for prefix, name in PARTITIONS if region.startswith(prefix)), "aws")


def principals(pool: Pool, config: Config) -> list[Principal]:
    org, management = config.organization.id, config.organization.management_account_id
    partition = partition_of(config.home_region)
    share = pool.share
    if share is None:
        return []
    found: list[Principal] = []
    if share.organization:
        found.append(
            Principal(
                f"arn:{partition}:organizations::{management}:organization/{org}", "organization", "organization", org
            )
        )
    for ou in share.organizational_units:
        ou_id = last_segment(ou)
        found.append(Principal(f"arn:{partition}:organizations::{management}:ou/{org}/{ou_id}", ou_id, "ou", ou_id))
    found.extend(Principal(account, account, "account", account) for account in share.accounts)
    return found


def default_share_name(pool_name: str) -> str:
    return f"ipam-pool-{pool_name}"


def share_name(pool: Pool) -> str:
    """The pool's RAM share name (and Name tag): share.name, or ipam-pool-<pool name>."""
    return pool.share.name if pool.share and pool.share.name else default_share_name(pool.name)


def all_pools(pools: list[Pool]) -> list[Pool]:
    """Parents before children, siblings by name."""
    return [node.pool for node in walk(pools, by_name=True)]


def shares_with_organization(config: Config) -> bool:
    """Whether any pool is shared with the organization or an OU (needs RAM sharing with the organization)."""
    return any(p.kind in ("organization", "ou") for pool in all_pools(config.pools) for p in principals(pool, config))
