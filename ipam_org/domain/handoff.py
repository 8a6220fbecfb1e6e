"""The pool facts a member account's pipeline reads by pool name: SSM parameters shared with the pool's principals.

Shared parameters must be in the advanced tier, are read by their full ARN and only in their own Region
(https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-shared-parameters.html).
"""

from __future__ import annotations

from ipam_org.config.model import Config, Pool
from ipam_org.domain.principals import all_pools

PREFIX = "/ipam-org/pools"
FACTS = ("id", "arn", "cidrs", "locale")  # cidrs is a StringList, the rest are Strings


def parameter_name(pool_name: str, fact: str) -> str:
    return f"{PREFIX}/{pool_name}/{fact}"


def published_pools(config: Config) -> list[Pool]:
    return [p for p in all_pools(config.pools) if p.share is not None and p.share.publish]
