"""An ipam-org config as the Terraform module's input variables (`.tfvars.json`): YAML and HCL users share one module.

What the module does not take is said, not dropped silently: providers and backend belong to the caller's root
module; `adopt` becomes the caller's `import` blocks (Terraform allows them only in a root module); `layout` and
`teardown` are ways to deploy, not inputs.
"""

from __future__ import annotations

from typing import Any

from ipam_org.config.errors import Problem
from ipam_org.config.model import Config, Pool
from ipam_org.domain import is_account_name, is_ou_name, operating_regions, walk
from ipam_org.domain.names import canonical_cidr, normalized_cidrs
from ipam_org.domain.principals import partition_of

# What a config may set that the module does not take (providers are always the caller's), and where it goes.
NOT_MODULE_INPUTS = {
    "backend": "the calling root module keeps the state",
    "layout": "the module is one root; call it once",
    "adopt": "write import blocks in the calling root module (Terraform allows them only there)",
    "teardown": "see the module README's teardown",
}


def _pool(pool: Pool, parent: str | None, as_written: bool) -> dict[str, Any]:
    allocation = {key: value for key, value in pool.allocation.model_dump().items() if value not in (None, {})}
    share = None
    if pool.share is not None:
        share = {key: value for key, value in pool.share.model_dump().items() if value not in (None, False, [])}
    found = {
        "parent": parent,
        "description": pool.description,
        "address_family": pool.address_family if pool.address_family != "ipv4" else None,
        "scope": pool.scope if pool.scope != "private" else None,
        "locale": pool.locale,
        # once each and sorted, in the spelling Terraform's cidrhost() gives: the module keys CIDRs by their text
        "cidrs": (list(pool.cidrs) if as_written else normalized_cidrs(pool.cidrs)) if pool.cidrs is not None else None,
        "netmask_length": pool.netmask_length,
        "cidr_authorization_contexts": {
            c if as_written else canonical_cidr(c): a.model_dump()
            for c, a in sorted(pool.cidr_authorization_contexts.items())
        }
        or None,
        "allocation": allocation or None,
        "auto_import": pool.auto_import or None,
        "aws_service": pool.aws_service,
        "public_ip_source": pool.public_ip_source,
        "publicly_advertisable": pool.publicly_advertisable,
        "tags": dict(pool.tags) or None,
        "share": share,
    }
    return {key: value for key, value in found.items() if value is not None}


def tfvars(config: Config, as_written: bool = False) -> dict[str, Any]:
    """The module's variables for a validated config; as_written keeps each CIDR as the config spells it (the tests
    hand invalid configs to the module's own validation that way)."""
    org, ipam = config.organization, config.ipam
    guard = config.guardrails.require_ipam_for_vpcs
    found: dict[str, Any] = {
        "organization_id": org.id,
        "management_account_id": org.management_account_id,
        "ipam_account_id": org.ipam_account_id,
        "partition": partition_of(config.home_region),
        "operating_regions": operating_regions(config),
        "tier": ipam.tier,
        "description": ipam.description,
        "cascade": ipam.cascade or None,
        "ipam_tags": dict(ipam.tags) or None,
        "tags": dict(config.tags) or None,
        "scopes": {
            scope.name: {k: v for k, v in (("description", scope.description),) if v is not None}
            for scope in config.scopes
        }
        or None,
        "pools": {
            node.pool.name: _pool(node.pool, node.parent.pool.name if node.parent else None, as_written)
            for node in walk(config.pools, by_name=True)
        },
        "guardrails": {"require_ipam_for_vpcs": guard.model_dump()} if guard else None,
        "monitoring": config.monitoring.model_dump(exclude_unset=True) if config.monitoring else None,
    }
    return {key: value for key, value in found.items() if value is not None}


def left_out(config: Config) -> list[str]:
    """What the config sets that is not a module input, and where it goes instead."""
    set_fields = config.model_fields_set
    return [
        f"{field}: {advice}"
        for field, advice in NOT_MODULE_INPUTS.items()
        if field in set_fields and getattr(config, field) not in (None, "single")
    ]


def names_to_resolve(config: Config) -> list[Problem]:
    """Principals given by name (Workloads/Prod, an account's name): the stacks resolve them through Organizations at
    synth, the module takes IDs only, so the export refuses them rather than write what the module would refuse."""
    found = []
    for node in walk(config.pools):
        share = node.pool.share
        for index, ou in enumerate(share.organizational_units if share else []):
            if is_ou_name(ou):
                found.append(
                    Problem(
                        f"{node.path}.share.organizational_units[{index}]",
                        f'"{ou}" is an OU name; the Terraform module takes OU IDs or ARNs: write its ID',
                    )
                )
        for index, account in enumerate(share.accounts if share else []):
            if is_account_name(account):
                found.append(
                    Problem(
                        f"{node.path}.share.accounts[{index}]",
                        f'"{account}" is an account name; the Terraform module takes account IDs: write its ID',
                    )
                )
    return found
