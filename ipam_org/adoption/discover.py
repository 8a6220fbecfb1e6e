"""Read an organization's existing IPAM and write the ipam-org config that describes it, existing IDs included.

Read-only: Describe/List/Get calls only. What the config cannot express is returned as notes (and written
at the top of the config), never dropped silently; what the first deploy would change is noted too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ipam_org.aws.shapes import IPAM_SERVICE, RAM_SERVICE, name_tag, tag_map
from ipam_org.domain import ACCOUNT_ID, MAX_DEPTH, RESERVED_NAMES, last_segment
from ipam_org.domain.principals import default_share_name, partition_of

DEFAULT_ROLE = "OrganizationAccountAccessRole"  # what Organizations creates in every account it creates


class DiscoveryError(Exception):
    """Nothing to adopt, or it cannot be read; the message says what to do."""


@dataclass
class Discovery:
    config: dict[str, Any]
    cannot_express: list[str] = field(default_factory=list)  # left out of the config, left alone in AWS
    first_deploy_changes: list[str] = field(default_factory=list)  # what the first deploy would modify
    renamed: list[str] = field(default_factory=list)  # pool names that are not the pool's Name tag


def pool_name(text: str) -> str:
    """A Name tag as a config pool name: ASCII letters, digits and hyphens, starting with a letter, at most 63."""
    name = re.sub(r"-+", "-", re.sub(r"[^A-Za-z0-9-]", "-", text.encode("ascii", "ignore").decode())).strip("-")
    if not name or not name[0].isalpha():
        name = f"pool-{name}".rstrip("-")
    name = name[:63].rstrip("-")
    return f"{name}-pool" if name in RESERVED_NAMES else name


def _paginate(client: Any, operation: str, key: str, **params: Any) -> list[dict[str, Any]]:
    if client.can_paginate(operation):
        return [item for page in client.get_paginator(operation).paginate(**params) for item in page.get(key, [])]
    return getattr(client, operation)(**params).get(key, [])


def ipam_administrator(organizations: Any) -> str:
    admins = organizations.list_delegated_administrators(ServicePrincipal=IPAM_SERVICE)["DelegatedAdministrators"]
    if not admins:
        raise DiscoveryError(
            "the organization has no IPAM delegated administrator, so there is no organization IPAM to adopt;"
            " write a config and deploy from scratch"
        )
    return admins[0]["Id"]


def discover(management: Any, delegated: Any, region: str, delegated_role_arn: str | None) -> Discovery:
    """management, delegated: boto3 sessions; region: the IPAM's home region."""
    organizations = management.client("organizations")
    organization = organizations.describe_organization()["Organization"]
    account = ipam_administrator(organizations)
    ec2 = delegated.client("ec2", region_name=region)
    caller = delegated.client("sts").get_caller_identity()["Account"]
    if caller != account:
        raise DiscoveryError(
            f"the delegated credentials act in {caller}, but the IPAM administrator is {account}; pass "
            f"--delegated-role-arn for a role in {account}"
        )
    ipams = [i for i in _paginate(ec2, "describe_ipams", "Ipams") if i.get("IpamRegion") == region]
    if not ipams:
        raise DiscoveryError(f"account {account} has no IPAM in {region}; pass --region with the IPAM's home Region")
    ipam = ipams[0]
    services = [
        s["ServicePrincipal"]
        for s in organizations.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    ]
    partition = partition_of(region)
    found = Discovery(config={})
    found.cannot_express.append(
        f"only IPAMs whose home Region is {region} were looked for; IPAMs of account {account} in other Regions are "
        "not read"
    )
    pools = _pools(ec2, ipam, found)
    shares = _shares(delegated.client("ram", region_name=region), organization, found)

    config_pools, adopted_pools = _tree(ec2, pools, shares, organization, found)
    ipam_tags = tag_map(ipam.get("Tags"))
    role_arn = delegated_role_arn or f"arn:{partition}:iam::{account}:role/{DEFAULT_ROLE}"
    config: dict[str, Any] = {
        "organization": {
            "id": organization["Id"],
            "management_account_id": organization["MasterAccountId"],
            "ipam_account_id": account,
        },
        "providers": {"management": {"region": region}, "delegated": {"region": region, "role_arn": role_arn}},
        "ipam": {
            "tier": ipam.get("Tier", "advanced"),
            "operating_regions": sorted(r["RegionName"] for r in ipam.get("OperatingRegions", [])),
            **({"description": ipam["Description"]} if ipam.get("Description") else {}),
            **({"tags": ipam_tags} if ipam_tags else {}),
        },
        "pools": config_pools,
        "adopt": {"delegation": True, "ipam": ipam["IpamId"], "pools": adopted_pools},
    }
    organization_shares = any(s.get("organization") or s.get("organizational_units") for s in _all_shares(config_pools))
    if RAM_SERVICE in services and organization_shares:
        config["adopt"]["ram_sharing_with_organization"] = True
    found.config = config
    return found


def _all_shares(pools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for pool in pools:
        if "share" in pool:
            found.append(pool["share"])
        found.extend(_all_shares(pool.get("pools", [])))
    return found


def _pools(ec2: Any, ipam: dict[str, Any], found: Discovery) -> list[dict[str, Any]]:
    """The IPAM's pools in its default scopes; pools in other scopes are reported."""
    defaults = {ipam["PrivateDefaultScopeId"], ipam["PublicDefaultScopeId"]}
    mine = [p for p in _paginate(ec2, "describe_ipam_pools", "IpamPools") if p.get("IpamArn") == ipam["IpamArn"]]
    kept = []
    for pool in sorted(mine, key=lambda p: p["IpamPoolId"]):
        scope = last_segment(pool.get("IpamScopeArn", ""))
        if scope not in defaults:
            found.cannot_express.append(
                f"pool {pool['IpamPoolId']} is in custom scope {scope}: discovery adopts the default scopes' pools "
                "only (importing a custom scope is not supported yet), so it stays outside ipam-org"
            )
        else:
            kept.append(pool)
    return kept


def _shares(ram: Any, organization: dict[str, Any], found: Discovery) -> dict[str, dict[str, Any]]:
    """Pool ARN -> the one share that holds exactly that pool: {arn, name, principals, external, tags}."""
    by_pool: dict[str, dict[str, Any]] = {}
    for share in sorted(
        _paginate(ram, "get_resource_shares", "resourceShares", resourceOwner="SELF"), key=lambda s: s["name"]
    ):
        if share.get("status") != "ACTIVE":
            continue
        arn = share["resourceShareArn"]
        resources = [a["associatedEntity"] for a in _associations(ram, "RESOURCE", arn)]
        pools = [r for r in resources if ":ipam-pool/" in r]
        if not pools:
            continue
        if len(resources) != 1:
            found.cannot_express.append(
                f'share "{share["name"]}" ({arn}) holds {len(resources)} resources; ipam-org keeps one pool per '
                "share, so it is left alone"
            )
            continue
        if pools[0] in by_pool:
            found.cannot_express.append(
                f'share "{share["name"]}" ({arn}) is a second share of pool {last_segment(pools[0])}; only '
                f'"{by_pool[pools[0]]["name"]}" is adopted'
            )
            continue
        principals = [a["associatedEntity"] for a in _associations(ram, "PRINCIPAL", arn)]
        by_pool[pools[0]] = {
            "arn": arn,
            "name": share["name"],
            "principals": principals,
            "external": share.get("allowExternalPrincipals", False),
            "tags": {t["key"]: t.get("value", "") for t in share.get("tags", [])},
        }
    return by_pool


def _associations(ram: Any, kind: str, share_arn: str) -> list[dict[str, Any]]:
    return [
        a
        for a in _paginate(
            ram,
            "get_resource_share_associations",
            "resourceShareAssociations",
            associationType=kind,
            resourceShareArns=[share_arn],
        )
        if a.get("status") == "ASSOCIATED"
    ]


def _tree(
    ec2: Any,
    pools: list[dict[str, Any]],
    shares: dict[str, dict[str, Any]],
    organization: dict[str, Any],
    found: Discovery,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    ids = {p["IpamPoolId"] for p in pools}
    children: dict[str | None, list[dict[str, Any]]] = {}
    for pool in pools:
        parent = pool.get("SourceIpamPoolId") if pool.get("SourceIpamPoolId") in ids else None
        children.setdefault(parent, []).append(pool)
    names = _names(pools, children, found)
    adopted: dict[str, Any] = {}

    def build(parent: str | None, depth: int) -> list[dict[str, Any]]:
        built = []
        for pool in sorted(children.get(parent, []), key=lambda p: names[p["IpamPoolId"]]):
            if depth > MAX_DEPTH:
                found.cannot_express.append(
                    f"pool {pool['IpamPoolId']} and its children are {depth} levels deep; ipam-org manages {MAX_DEPTH}"
                )
                continue
            if (
                pool.get("IpamScopeType") == "public"
                and pool.get("PublicIpSource", "byoip") == "byoip"
                and parent is None
            ):
                found.cannot_express.append(
                    f"pool {pool['IpamPoolId']} holds BYOIP space (with its children): the authorizations that "
                    "provisioned its CIDRs cannot be read back from AWS, so discovery cannot write a config that "
                    "imports it unchanged; it is left alone"
                )
                continue
            entry, record = _pool_entry(
                ec2, pool, names[pool["IpamPoolId"]], shares.get(pool["IpamPoolArn"]), organization, found
            )
            entry["pools"] = build(pool["IpamPoolId"], depth + 1)
            if not entry["pools"]:
                del entry["pools"]
            adopted[entry["name"]] = record
            built.append(entry)
        return built

    return build(None, 1), dict(sorted(adopted.items()))


def _names(
    pools: list[dict[str, Any]], children: dict[str | None, list[dict[str, Any]]], found: Discovery
) -> dict[str, str]:
    """Pool ID -> a unique config name: from the Name tag, else from the parent's name and the pool's place.

    Collisions resolve by pool ID (the lower ID keeps the name, the next gets -2, -3, ...), so the same
    organization always gives the same names.
    """
    names: dict[str, str] = {}
    taken: set[str] = set()

    def assign(parent: str | None, prefix: str) -> None:
        for position, pool in enumerate(sorted(children.get(parent, []), key=lambda p: p["IpamPoolId"]), start=1):
            tag = name_tag(pool)
            base = pool_name(tag) if tag else f"{prefix}-{position}"
            name, suffix = base, 2
            while name in taken:
                name, suffix = f"{base[: 63 - len(str(suffix)) - 1]}-{suffix}", suffix + 1
            taken.add(name)
            names[pool["IpamPoolId"]] = name
            if tag is None:
                found.renamed.append(
                    f"pool {pool['IpamPoolId']} has no Name tag: named {name} from its place in the tree"
                )
            elif name != tag:
                why = "already taken" if base != name else "not a valid pool name"
                found.renamed.append(
                    f'pool {pool["IpamPoolId"]} is tagged Name="{tag}" ({why}): named {name}; its Name tag stays as '
                    "it is"
                )
            assign(pool["IpamPoolId"], name)

    assign(None, "pool")
    return names


def _pool_entry(
    ec2: Any,
    pool: dict[str, Any],
    name: str,
    share: dict[str, Any] | None,
    organization: dict[str, Any],
    found: Discovery,
) -> tuple[dict[str, Any], dict[str, Any]]:
    pool_id = pool["IpamPoolId"]
    cidrs = sorted(
        c["Cidr"]
        for c in _paginate(ec2, "get_ipam_pool_cidrs", "IpamPoolCidrs", IpamPoolId=pool_id)
        if c.get("State") == "provisioned"
    )
    tags = tag_map(pool.get("Tags"))
    if tags.get("Name") == name:
        del tags["Name"]
    elif "Name" not in tags:
        found.first_deploy_changes.append(f"pool {name} ({pool_id}) gets the tag Name={name}")
    entry: dict[str, Any] = {"name": name}
    if pool.get("Description"):
        entry["description"] = pool["Description"]
    if pool.get("AddressFamily", "ipv4") != "ipv4":
        entry["address_family"] = pool["AddressFamily"]
    if pool.get("IpamScopeType") == "public":
        entry["scope"] = "public"
        for key, field_name in (("AwsService", "aws_service"), ("PublicIpSource", "public_ip_source")):
            if pool.get(key):
                entry[field_name] = pool[key]
    if pool.get("Locale") and pool["Locale"] != "None":
        entry["locale"] = pool["Locale"]
    entry["cidrs"] = (
        cidrs  # the provisioned ones (an Amazon-provided block too: its CIDR, not a netmask to provision again)
    )
    allocation = {
        field_name: pool[key]
        for key, field_name in (
            ("AllocationDefaultNetmaskLength", "default_netmask_length"),
            ("AllocationMinNetmaskLength", "min_netmask_length"),
            ("AllocationMaxNetmaskLength", "max_netmask_length"),
        )
        if pool.get(key) is not None
    }
    resource_tags = tag_map(pool.get("AllocationResourceTags"))
    if resource_tags:
        allocation["resource_tags"] = resource_tags
    if allocation:
        entry["allocation"] = allocation
    if pool.get("AutoImport"):
        entry["auto_import"] = True
    if tags:
        entry["tags"] = tags
    record: dict[str, Any] = {"id": pool_id, "cidrs": cidrs}
    held = {key: value for key, value in allocation.items() if key.endswith("_netmask_length")}
    if held:
        record["allocation"] = held  # what AWS holds; the provider cannot read it back after an import
    if share is not None:
        entry["share"], principals = _share_entry(share, name, organization, found)
        record["share_arn"] = share["arn"]
        record["principals"] = principals
    return entry, record


def _share_entry(
    share: dict[str, Any], pool: str, organization: dict[str, Any], found: Discovery
) -> tuple[dict[str, Any], list[str]]:
    entry: dict[str, Any] = {}
    kept = []
    for principal in sorted(share["principals"]):
        if ACCOUNT_ID.fullmatch(principal):
            entry.setdefault("accounts", []).append(principal)
        elif principal.endswith(f":organization/{organization['Id']}"):
            entry["organization"] = True
        elif f":ou/{organization['Id']}/" in principal:
            entry.setdefault("organizational_units", []).append(last_segment(principal))
        else:
            found.cannot_express.append(
                f'share "{share["name"]}" of pool {pool} names principal {principal}; ipam-org shares with accounts, '
                "OUs and the organization only, so it is not adopted"
            )
            continue
        kept.append(principal)
    if share["name"] != default_share_name(pool):
        entry["name"] = share["name"]
    if share["tags"].get("Name") != share["name"] or len(share["tags"]) > 1:
        found.first_deploy_changes.append(
            f'share "{share["name"]}" of pool {pool} gets the tags {{Name: {share["name"]}}} (it has '
            f"{share['tags'] or 'none'})"
        )
    if share["external"]:
        found.first_deploy_changes.append(f'share "{share["name"]}" of pool {pool} stops allowing external principals')
    return entry, kept
