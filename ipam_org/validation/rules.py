"""Semantic rules over the config: accounts, organization, regions, CIDRs, allocations, tier, quotas.

Every rule appends to one Report instead of raising, so a run lists every problem at once.
"""

from __future__ import annotations

import bisect
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from ipam_org import addresses
from ipam_org.config.errors import Problem
from ipam_org.config.model import AdoptedPool, Config, Monitoring, Pool
from ipam_org.domain import (
    ACCOUNT_ID,
    AUTHORIZATION_SIGNATURE,
    CIDR_TEXT,
    CIDRS_PER_POOL,
    DEFAULT_SCOPES,
    IPAM_ID,
    MAX_DEPTH,
    MAX_PARAMETER_VALUE,
    MAX_PREFIX,
    MAX_TAG_KEY,
    MAX_TAG_VALUE,
    MAX_TAGS,
    ORGANIZATION_ID,
    OU_ARN,
    OU_ID,
    POOL_ID,
    POOL_NAME,
    POOLS_PER_SCOPE,
    REGION,
    RESERVED_NAMES,
    SCOPES_PER_IPAM,
    SHARE_ARN,
    UNIQUE_LOCAL,
    Network,
    PoolNode,
    is_account_name,
    is_ou_name,
    last_segment,
    walk,
)
from ipam_org.domain.guardrails import SCP_MAX_CHARACTERS, guarded_ous, longest_document
from ipam_org.domain.monitoring import EMAIL, TOPIC_ARN, TOPIC_NAME
from ipam_org.domain.principals import (
    UNSUPPORTED_PARTITION_PREFIXES,
    partition_of,
    principals,
    shares_with_organization,
)
from ipam_org.validation.strings import settings_problems, token_problems


@dataclass
class Report:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(self, path: str, message: str) -> None:
        self.errors.append(Problem(path, message))

    def warn(self, path: str, message: str) -> None:
        self.warnings.append(Problem(path, message))


def validate(config: Config) -> Report:
    report = Report()
    nodes = list(walk(config.pools))
    _check_organization(config, report)
    _check_regions(config, nodes, report)
    _check_partition(config, nodes, report)
    _check_structure(nodes, report)
    for node in nodes:
        check_pool(node, report, config.ipam.operating_regions, config.organization.ipam_account_id)
        _check_share(config, node, report)
    _check_tags(config, nodes, report)
    _check_adopt(config, nodes, report)
    _check_overlaps(config, nodes, report)
    _check_tier(config, report)
    _check_quotas(config, nodes, report)
    _check_teardown(config, report)
    _check_guardrails(config, report)
    _check_publish(nodes, report)
    _check_scopes(config, nodes, report)
    _check_monitoring(config, nodes, report)
    for path, message in token_problems(config) + settings_problems(config):
        report.error(path, message)
    return report


def check_pool(
    node: PoolNode, report: Report, operating_regions: Sequence[str] | None, ipam_account: str | None
) -> None:
    """The rules about one pool and its parent. validate runs them for every pool of a config; the constructs run
    them for each pool added (operating_regions None: any region; ipam_account None: BYOIP messages name any
    account)."""
    _check_locale(node, operating_regions, report)
    _parse_cidrs(node, report)
    _check_netmask_length(node, report)
    _check_public_ip_fields(node, report)
    _check_allocation(node, report)
    _check_tag_map(f"{node.path}.tags", node.pool.tags, report)
    _check_tag_map(f"{node.path}.allocation.resource_tags", node.pool.allocation.resource_tags, report)
    _check_authorizations(ipam_account, node, report)


class SiblingBlocks:
    """The blocks of one pool's children, or of one scope's top-level pools, as the constructs add pools one at a
    time: kept sorted by start and disjoint, so a new pool's blocks are compared with their neighbours only."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.starts: list[tuple[int, int]] = []
        self.blocks: list[tuple[Network, PoolNode]] = []

    def problems(self, node: PoolNode) -> list[Problem]:
        report = Report()
        _report_overlaps(self.label, [node], report)  # its own CIDRs among themselves
        for index, network in enumerate(node.networks):
            if network is None:
                continue
            at = bisect.bisect_right(self.starts, (network.version, int(network.network_address)))
            for other_network, other in self.blocks[max(at - 1, 0) : at + 1]:
                if other_network.version == network.version and other_network.overlaps(network):
                    report.error(f"{node.path}.cidrs[{index}]", _overlap(network, self.label, other, other_network))
                    break
        return report.errors

    def add(self, node: PoolNode) -> None:
        for network in node.networks:
            if network is not None:
                key = (network.version, int(network.network_address))
                at = bisect.bisect_right(self.starts, key)
                self.starts.insert(at, key)
                self.blocks.insert(at, (network, node))


def _check_adopt(config: Config, nodes: list[PoolNode], report: Report) -> None:
    """What adopt names must exist in the config too, so that every import block has a resource to land in."""
    adopt = config.adopt
    if adopt is None:
        return
    if adopt.ipam is not None and not IPAM_ID.fullmatch(adopt.ipam):
        report.error("adopt.ipam", f'"{clip(adopt.ipam)}" is not an IPAM ID (ipam- and 8-17 hexadecimal digits)')
    if adopt.ram_sharing_with_organization and not shares_with_organization(config):
        report.error(
            "adopt.ram_sharing_with_organization",
            "no pool is shared with the organization or an OU, so the stacks do not manage RAM sharing with the "
            "organization; remove this line",
        )
    by_name = {node.pool.name: node for node in nodes}
    seen: dict[str, str] = {}
    for name, adopted in adopt.pools.items():
        path = f"adopt.pools.{clip(name, 40)}"
        node = by_name.get(name)
        if node is None:
            report.error(
                path,
                "names no pool of this config; adopt.pools is keyed by pool name "
                f"({', '.join(sorted(by_name)[:5]) or 'no pools'})",
            )
            continue
        if adopt.ipam is None:
            report.error(path, "an existing pool lives in an existing IPAM: set adopt.ipam to its ID")
        if not POOL_ID.fullmatch(adopted.id):
            report.error(
                f"{path}.id", f'"{clip(adopted.id)}" is not an IPAM pool ID (ipam-pool- and 8-17 hexadecimal digits)'
            )
        elif adopted.id in seen:
            report.error(f"{path}.id", f"is also adopted as pool {seen[adopted.id]}; one pool, one name")
        else:
            seen[adopted.id] = name
        _check_adopted_cidrs(path, node, adopted.cidrs, report)
        _check_adopted_share(config, path, node.pool, adopted, report)


def _check_adopted_cidrs(path: str, node: PoolNode, cidrs: list[str], report: Report) -> None:
    """node.networks: the pool's CIDRs as _parse_cidrs read them (invalid ones are reported there)."""
    if cidrs and node.pool.cidrs is None:
        report.error(
            f"{path}.cidrs",
            "the pool gives netmask_length, which would provision a new block; list its existing CIDRs in cidrs "
            "instead",
        )
        return
    for index, text in enumerate(cidrs):
        try:
            network = ipaddress.ip_network(text)
        except ValueError:
            report.error(f"{path}.cidrs[{index}]", f'"{clip(text)}" is not a CIDR block')
            continue
        if network not in node.networks:
            report.error(
                f"{path}.cidrs[{index}]",
                f"{network} is not in the pool's cidrs; an existing CIDR the config leaves out would be "
                "deprovisioned, so list it there",
            )


def _check_adopted_share(config: Config, path: str, pool: Pool, adopted: AdoptedPool, report: Report) -> None:
    if adopted.share_arn is None:
        if adopted.principals:
            report.error(f"{path}.principals", "principal associations belong to a share: set share_arn")
        return
    if pool.share is None:
        report.error(
            f"{path}.share_arn",
            "the pool has no share in the config; add share, or drop share_arn (the existing share would be left "
            "alone)",
        )
        return
    if not SHARE_ARN.fullmatch(adopted.share_arn):
        report.error(f"{path}.share_arn", f'"{clip(adopted.share_arn)}" is not a RAM resource share ARN')
    values = {p.value for p in principals(pool, config)}
    for index, principal in enumerate(adopted.principals):
        if principal not in values:
            report.error(
                f"{path}.principals[{index}]",
                f"{clip(principal)} is not among the pool's share principals ({', '.join(sorted(values))}); add it to "
                "share or drop it here",
            )


def _check_teardown(config: Config, report: Report) -> None:
    if config.teardown is not None and config.protect:
        report.error(
            "teardown",
            "a teardown also needs protect: false, which lifts prevent_destroy from the IPAM, its pools and CIDRs",
        )


def _check_guardrails(config: Config, report: Report) -> None:
    """The SCP must leave every guarded OU a pool to allocate from, fit AWS's size limit, and exempt real accounts."""
    guard = config.guardrails.require_ipam_for_vpcs
    if guard is None:
        return
    path = "guardrails.require_ipam_for_vpcs"
    org = config.organization
    if not guard.organizational_units:
        report.warn(
            f"{path}.organizational_units",
            "lists no OU, so no SCP is synthesized: deploying this destroys the SCPs"
            " (in the split layout the ipam-guardrails stack stays, empty, for that); then remove "
            "require_ipam_for_vpcs",
        )
    for index, ou in enumerate(guard.organizational_units):
        if not OU_ID.fullmatch(ou):
            report.error(
                f"{path}.organizational_units[{index}]",
                f'"{clip(ou)}" is not an OU ID: expected ou-<4-32 chars>-<8-32 chars> (the SCP is attached by ID)',
            )
    _check_listed_once(f"{path}.organizational_units", guard.organizational_units, report)
    _check_listed_once(f"{path}.exempt_accounts", guard.exempt_accounts, report)
    for index, account in enumerate(guard.exempt_accounts):
        where = f"{path}.exempt_accounts[{index}]"
        if not ACCOUNT_ID.fullmatch(account):
            report.error(where, f'"{clip(account)}" is not an account ID: expected exactly 12 digits, quoted')
        elif account == org.management_account_id:
            report.error(where, f"{account} is the management account, which SCPs never restrict; remove it")
        elif account == org.ipam_account_id:
            report.warn(
                where, f"{account} is the IPAM account, which the guardrail always exempts; the entry changes nothing"
            )
    names_pending = any(
        is_ou_name(ou) for node in walk(config.pools) if node.pool.share for ou in node.pool.share.organizational_units
    )
    for index, ou in enumerate(guarded_ous(config)):
        where = f"{path}.organizational_units[{index}]"
        if (
            OU_ID.fullmatch(ou.id) and not ou.ipv4 and not names_pending
        ):  # OU names in shares are checked again once resolved to IDs
            report.error(
                where,
                f"the SCP would deny every VPC creation in {ou.id}: no IPv4 pool with a locale is shared with it or "
                "with the"
                " organization; share one with it (share.organizational_units or share.organization), or remove the OU",
            )
        size = len(longest_document(config, ou))
        if size > SCP_MAX_CHARACTERS:
            report.error(
                where,
                f"the SCP for {ou.id} would take up to {size} characters ({len(ou.ipv4) + len(ou.ipv6)} pool IDs),"
                f" over AWS's limit of {SCP_MAX_CHARACTERS} per SCP; share fewer pools with a locale with this OU",
            )


def _check_publish(nodes: list[PoolNode], report: Report) -> None:
    """Advanced-tier SSM parameter values hold up to 8 KB; the CIDRs parameter lists every CIDR of the pool.
    https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html"""
    for node in nodes:
        if node.pool.share is None or not node.pool.share.publish or not node.pool.cidrs:
            continue
        size = len(",".join(sorted({str(net) for net in node.networks if net is not None})))
        if size > MAX_PARAMETER_VALUE:
            report.error(
                f"{node.path}.share.publish",
                f"the pool's CIDRs take {size} characters as one SSM parameter, over the advanced tier's"
                f" {MAX_PARAMETER_VALUE}; publish a pool with fewer CIDRs, or set publish: false",
            )


def _check_monitoring(config: Config, nodes: list[PoolNode], report: Report) -> None:
    if config.monitoring is not None:
        names = {node.pool.name for node in nodes}
        org = config.organization
        check_monitoring(config.monitoring, names, config.home_region, org.ipam_account_id, report)


def check_monitoring(
    monitoring: Monitoring,
    names: set[str],
    home: str | None,
    account: str | None,
    report: Report,
    path: str = "monitoring",
) -> None:
    """Alarms CloudWatch can create and SNS can deliver: what PutMetricAlarm and Subscribe refuse, refused here.
    names: the pools there are; home: the IPAM's home Region and account: the IPAM account, each when known."""
    if not 1 <= monitoring.used_percent <= 99:
        report.error(f"{path}.used_percent", f"{monitoring.used_percent} is not a percentage between 1 and 99")
    if not monitoring.alarms:
        report.error(f"{path}.alarms", "lists no alarm; list used and/or noncompliant, or remove the monitoring block")
    _check_listed_once(f"{path}.alarms", list(monitoring.alarms), report, "alarm")
    if monitoring.pools is not None:
        if not monitoring.pools:
            report.error(f"{path}.pools", "lists no pool; leave it out to watch every pool")
        for index, name in enumerate(monitoring.pools):
            if name not in names:
                report.error(f"{path}.pools[{index}]", f'"{clip(name)}" is not a pool of this config')
        _check_listed_once(f"{path}.pools", monitoring.pools, report, "pool")
    if monitoring.topic_arn is not None:
        where = f"{path}.topic_arn"
        match = TOPIC_ARN.fullmatch(monitoring.topic_arn)
        if match is None:
            report.error(
                where,
                f'"{clip(monitoring.topic_arn)}" is not an SNS topic ARN: arn:aws:sns:<region>:<account>:<name>',
            )
        elif home and match["partition"] != partition_of(home):
            report.error(
                where,
                f"is in the {match['partition']} partition; the IPAM's home region {home} is in {partition_of(home)}",
            )
        elif home and match["region"] != home:
            report.error(
                where,
                f"is in {match['region']}; CloudWatch alarms notify topics in their own Region, the IPAM's home "
                f"region {home}: use a topic there, or leave topic_arn out and ipam-org creates one",
            )
        elif monitoring.emails and account and match["account"] != account:
            report.error(
                f"{path}.emails",
                f"subscribing to a topic in account {match['account']} needs that account's topic policy; subscribe "
                "there, or leave topic_arn out and ipam-org creates a topic in the IPAM account",
            )
        if "topic_name" in monitoring.model_fields_set:
            report.warn(f"{path}.topic_name", "is not used: the alarms notify topic_arn, and no topic is created")
    if not TOPIC_NAME.fullmatch(monitoring.topic_name):
        report.error(
            f"{path}.topic_name",
            f'"{clip(monitoring.topic_name)}" is not an SNS topic name: 1-256 letters, digits, hyphens and underscores',
        )
    for index, email in enumerate(monitoring.emails):
        if not EMAIL.fullmatch(email):
            report.error(f"{path}.emails[{index}]", f'"{clip(email)}" is not an e-mail address SNS can deliver to')
    _check_listed_once(f"{path}.emails", [email.lower() for email in monitoring.emails], report, "address")
    named: dict[str, int] = {}
    for index, email in enumerate(monitoring.emails):
        first = named.setdefault(addresses.subscription(email.lower()), index)
        if first != index and email.lower() != monitoring.emails[first].lower():
            report.error(
                f"{path}.emails[{index}]",
                f"differs from [{first}] only in punctuation, which their Terraform names drop; list one of them",
            )


def _check_organization(config: Config, report: Report) -> None:
    org = config.organization
    if not ORGANIZATION_ID.fullmatch(org.id):
        report.error(
            "organization.id",
            f'"{clip(org.id)}" is not an organization ID: expected o- followed by 10-32 lowercase letters or digits',
        )
    for name in ("management_account_id", "ipam_account_id"):
        value = getattr(org, name)
        if not ACCOUNT_ID.fullmatch(value):
            report.error(
                f"organization.{name}", f'"{clip(value)}" is not an account ID: expected exactly 12 digits, quoted'
            )
    if org.ipam_account_id == org.management_account_id:
        report.error(
            "organization.ipam_account_id",
            "must be a member account, not the management account: AWS refuses to delegate IPAM administration to the "
            "management account",
        )


def _check_locale(node: PoolNode, configured: Sequence[str] | None, report: Report) -> None:
    pool, path = node.pool, node.path
    if pool.locale is not None:
        if not REGION.fullmatch(pool.locale):
            report.error(f"{path}.locale", f'"{clip(pool.locale)}" is not an AWS region name (for example eu-west-1)')
        elif configured is not None and pool.locale not in configured:
            report.error(
                f"{path}.locale", f"{pool.locale} is not an operating region; add it to ipam.operating_regions"
            )
    parent_locale = node.parent.pool.locale if node.parent else None
    if parent_locale and pool.locale != parent_locale:
        report.error(
            f"{path}.locale",
            f'must be {parent_locale}, the locale of parent pool "{node.parent.pool.name}" (got '
            f"{pool.locale or 'none'})",
        )
    if pool.auto_import and not pool.locale:
        report.error(f"{path}.auto_import", "needs a locale: IPAM imports only resources in the pool's Region")


def _check_regions(config: Config, nodes: list[PoolNode], report: Report) -> None:
    for alias in ("management", "delegated"):
        region = getattr(config.providers, alias).region
        if not REGION.fullmatch(region):
            report.error(
                f"providers.{alias}.region", f'"{clip(region)}" is not an AWS region name (for example us-east-1)'
            )
    if config.backend and not REGION.fullmatch(config.backend.s3.region):
        report.error(
            "backend.s3.region", f'"{clip(config.backend.s3.region)}" is not an AWS region name (for example us-east-1)'
        )
    configured = config.ipam.operating_regions
    if configured is not None:
        for index, region in enumerate(configured):
            if not REGION.fullmatch(region):
                report.error(
                    f"ipam.operating_regions[{index}]",
                    f'"{clip(region)}" is not an AWS region name (for example eu-west-1)',
                )
        if config.home_region not in configured:
            report.error(
                "ipam.operating_regions",
                f"must include the home region {config.home_region} (providers.delegated.region)",
            )


def _check_partition(config: Config, nodes: list[PoolNode], report: Report) -> None:
    """One organization, its IPAM and every ARN built for it live in the home region's partition."""
    home = partition_of(config.home_region)
    regions = [
        (f"providers.{alias}.region", getattr(config.providers, alias).region) for alias in ("management", "delegated")
    ]
    regions += [(f"ipam.operating_regions[{i}]", r) for i, r in enumerate(config.ipam.operating_regions or [])]
    regions += [(f"{n.path}.locale", n.pool.locale) for n in nodes if n.pool.locale]
    for path, region in regions:
        if not REGION.fullmatch(region):
            continue  # reported by _check_regions
        if region.startswith(UNSUPPORTED_PARTITION_PREFIXES):
            report.error(
                path,
                f"{region} is in an isolated (ISO) partition, which ipam-org does not support: its ARNs and IPAM "
                "there have never been checked; use a commercial, China or GovCloud region",
            )
        elif partition_of(region) != home:
            report.error(
                path,
                f"{region} is in partition {partition_of(region)}, but the home region {config.home_region} "
                f"(providers.delegated.region) is in {home}: an organization and its IPAM live in one partition",
            )


def _check_structure(nodes: list[PoolNode], report: Report) -> None:
    seen: dict[str, str] = {}
    for node in nodes:
        name, path = node.pool.name, node.path
        if not check_pool_name(node, report):
            continue
        if name in seen:
            report.error(f"{path}.name", f'"{name}" is already used by {seen[name]}; pool names are unique identities')
        else:
            seen[name] = path


def check_pool_name(node: PoolNode, report: Report) -> bool:
    """The pool's name and depth; False when the name itself is refused."""
    name, path = node.pool.name, node.path
    if node.depth > MAX_DEPTH:
        report.error(path, f"is nested {node.depth} levels deep; AWS allows at most {MAX_DEPTH} levels of pools")
    if not POOL_NAME.fullmatch(name):
        report.error(
            f"{path}.name",
            f'"{clip(name)}" is not a valid pool name: start with an ASCII letter, then ASCII letters, digits or '
            "hyphens (at most 63 characters); names become Terraform addresses",
        )
        return False
    if name in RESERVED_NAMES:
        report.error(
            f"{path}.name",
            f'"{name}" is reserved (the stack already uses it for its {", ".join(sorted(RESERVED_NAMES))}); choose '
            "another name",
        )
        return False
    return True


def _parse_cidrs(node: PoolNode, report: Report) -> None:
    pool, path = node.pool, node.path
    if (pool.cidrs is None) == (pool.netmask_length is None):
        report.error(path, "give exactly one of cidrs (a list) or netmask_length (Amazon-provided IPv6 blocks)")
    if pool.netmask_length is not None and not 0 <= pool.netmask_length <= MAX_PREFIX[pool.address_family]:
        report.error(
            f"{path}.netmask_length",
            f"{pool.netmask_length} is out of range for {pool.address_family} (0-{MAX_PREFIX[pool.address_family]})",
        )
    for index, text in enumerate(pool.cidrs or []):
        cidr_path = f"{path}.cidrs[{index}]"
        network: Network | None = None
        if "/" not in text and _is_address(text):
            report.error(cidr_path, f'"{text}" needs a prefix length, for example {ipaddress.ip_network(text)}')
            node.networks.append(None)
            continue
        if not CIDR_TEXT.fullmatch(text):
            report.error(
                cidr_path,
                f'"{clip(text)}" is not a CIDR block in CIDR notation (for example 10.0.0.0/8 or fd00::/8; no '
                "netmasks, no zone IDs)",
            )
            node.networks.append(None)
            continue
        try:
            network = ipaddress.ip_network(text, strict=True)
        except ValueError:
            try:
                corrected = ipaddress.ip_network(text, strict=False)
                report.error(cidr_path, f"{text} has host bits set; did you mean {corrected}?")
            except ValueError:
                report.error(cidr_path, f'"{clip(text)}" is not a CIDR block (for example 10.0.0.0/8)')
        if network is not None and f"ipv{network.version}" != pool.address_family:
            report.error(
                cidr_path, f"{text} is IPv{network.version} but the pool's address_family is {pool.address_family}"
            )
            network = None
        if (
            network is not None
            and network.version == 6
            and not is_public(pool)
            and node.parent is None
            and not network.subnet_of(UNIQUE_LOCAL)
        ):
            report.error(
                cidr_path,
                f"{network} is not unique local (fc00::/7): a private IPv6 pool takes global (GUA) space only when "
                "the IPAM enables private GUA (CreateIpam EnablePrivateGua), which ipam-org does not set; use a "
                "range in fd00::/8",
            )
        node.networks.append(network)
    if node.parent is not None:
        _check_inside_parent(node, report)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
        return text.isascii() and "%" not in text
    except ValueError:
        return False


def _check_inside_parent(node: PoolNode, report: Report) -> None:
    parent = node.parent
    if node.pool.scope != parent.pool.scope:
        # CreateIpamPool: a pool with a source pool is created in that pool's scope
        report.error(
            f"{node.path}.scope",
            f'must be {parent.pool.scope}, the scope of parent pool "{parent.pool.name}": AWS creates a child pool in '
            f"its parent's scope; set scope: {parent.pool.scope}",
        )
    parents = [n for n in parent.networks if n is not None]
    if parent.pool.address_family != node.pool.address_family:
        report.error(
            f"{node.path}.address_family",
            f'must be {parent.pool.address_family}, like parent pool "{parent.pool.name}"',
        )
        return
    if not parents:
        if node.pool.cidrs is None or parent.pool.cidrs:
            return  # the child asks for a netmask, or the parent's CIDRs are invalid (reported there)
        what = "cidrs: [] (no CIDRs at all)" if parent.pool.cidrs == [] else "no CIDRs of its own (netmask_length only)"
        report.error(
            f"{node.path}.cidrs",
            f'parent pool "{parent.pool.name}" has {what}; a child with cidrs needs a parent with cidrs that contain '
            "them (AWS refuses the child's CIDR)",
        )
        return
    for index, network in enumerate(node.networks):
        if network is not None and not any(network.subnet_of(p) for p in parents):
            within = ", ".join(str(p) for p in parents)
            report.error(
                f"{node.path}.cidrs[{index}]", f'{network} is not inside parent pool "{parent.pool.name}" ({within})'
            )


def _check_netmask_length(node: PoolNode, report: Report) -> None:
    """ProvisionIpamPoolCidr NetmaskLength: for Amazon-provided blocks to top-level pools, and for pools with a source
    pool."""
    pool, path = node.pool, f"{node.path}.netmask_length"
    if pool.netmask_length is None or not 0 <= pool.netmask_length <= MAX_PREFIX[pool.address_family]:
        return
    parent = node.parent
    if parent is None:
        # (a public IPv6 pool without public_ip_source is reported by _check_public_ip_fields)
        if (
            not is_public(pool)
            or pool.public_ip_source == "byoip"
            or (pool.public_ip_source is None and pool.address_family == "ipv4")
        ):
            report.error(
                path,
                "a top-level pool has no parent to take a block from, and AWS provisions top-level pools by "
                "netmask_length only from Amazon-provided public space (ProvisionIpamPoolCidr); give cidrs, or set "
                "scope: public with public_ip_source: amazon",
            )
        return
    sizes = [n.prefixlen for n in parent.networks if n is not None]
    if parent.pool.netmask_length is not None:
        sizes.append(parent.pool.netmask_length)
    if sizes and pool.netmask_length < min(sizes):
        report.error(
            path,
            f'/{pool.netmask_length} is larger than any block of parent pool "{parent.pool.name}" (its largest is '
            f"/{min(sizes)}); a child's block is taken from its parent: use netmask_length {min(sizes)} or more",
        )


def _check_public_ip_fields(node: PoolNode, report: Report) -> None:
    """CreateIpamPool: AwsService, PublicIpSource and PubliclyAdvertisable belong to the public scope."""
    pool, path = node.pool, node.path
    if not is_public(pool):
        for name in ("aws_service", "public_ip_source", "publicly_advertisable"):
            if getattr(pool, name) is not None:
                report.error(
                    f"{path}.{name}",
                    "applies only to pools in the public scope (CreateIpamPool); remove it, or set scope: public",
                )
        return
    # false is the provider's default and never sent; only true asks AWS to advertise, which needs BYOIP IPv6.
    if pool.publicly_advertisable and not (pool.address_family == "ipv6" and pool.public_ip_source == "byoip"):
        report.error(
            f"{path}.publicly_advertisable",
            "AWS accepts true only on IPv6 pools with public_ip_source: byoip (CreateIpamPool); remove it or set false",
        )
    if node.parent is not None:
        return
    if pool.address_family == "ipv6":
        if pool.aws_service is None:
            report.error(
                f"{path}.aws_service",
                "a top-level public IPv6 pool needs the service its addresses are for; set aws_service: ec2 (VPCs and "
                "Elastic IPs)",
            )
        if pool.public_ip_source is None:
            report.error(
                f"{path}.public_ip_source",
                "set public_ip_source: amazon for Amazon-provided IPv6 (or byoip for your own); AWS would default to "
                "byoip (CreateIpamPool)",
            )


def is_public(pool: Pool) -> bool:
    """Custom scopes are private scopes (CreateIpamScope makes only those)."""
    return pool.scope == "public"


def needs_authorization(node: PoolNode) -> bool:
    """A top-level public pool whose CIDRs come from BYOIP: each is provisioned with a signed authorization
    (ProvisionIpamPoolCidr CidrAuthorizationContext). Its child pools take blocks from it and need none.
    An IPv4 pool without public_ip_source is BYOIP, AWS's default; an IPv6 one is refused elsewhere."""
    pool = node.pool
    return (
        is_public(pool)
        and node.parent is None
        and pool.cidrs is not None
        and (pool.public_ip_source == "byoip" or (pool.public_ip_source is None and pool.address_family == "ipv4"))
    )


HOW_TO_AUTHORIZE = (
    "sign the message 1|aws|<IPAM account>|<cidr>|<expiry YYYYMMDD>|SHA256|RSAPSS with the private key of the X.509 "
    "certificate in the range's RDAP record (openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt "
    "rsa_pss_saltlen:-1 "
    "-sign private-key.pem | openssl base64 | tr -- '+=/' '-_~' | tr -d '\\n'), and give both; "
    "see https://docs.aws.amazon.com/vpc/latest/ipam/tutorials-byoip-ipam.html"
)


def _check_authorizations(ipam_account: str | None, node: PoolNode, report: Report) -> None:
    """BYOIP: every CIDR of a top-level BYOIP pool has a well-formed authorization for the IPAM account; no other pool
    has one."""
    pool, path = node.pool, f"{node.path}.cidr_authorization_contexts"
    if not needs_authorization(node):
        if pool.cidr_authorization_contexts:
            report.error(
                path,
                "applies only to the CIDRs of a top-level public pool with public_ip_source: byoip (its child pools "
                "take blocks from it without one); remove it",
            )
        return
    given = {}
    for key, context in pool.cidr_authorization_contexts.items():
        try:
            given[str(ipaddress.ip_network(key))] = (key, context)
        except ValueError:
            report.error(
                f"{path}.{clip(key)}",
                f'"{clip(key)}" is not a CIDR block; key each authorization by one of the pool\'s cidrs',
            )
    cidrs = [str(network) for network in node.networks if network is not None]
    for cidr in cidrs:
        if cidr not in given:
            report.error(
                path,
                f"BYOIP CIDR {cidr} needs an authorization (message and signature) for ProvisionIpamPoolCidr: "
                f"{HOW_TO_AUTHORIZE}",
            )
    for cidr, (key, context) in given.items():
        entry = f"{path}.{key}"
        if cidr not in cidrs:
            report.error(
                entry, f"{key} is not one of the pool's cidrs; authorize exactly the CIDRs the pool provisions"
            )
            continue
        _check_authorization_message(ipam_account, entry, cidr, context.message, report)
        if not AUTHORIZATION_SIGNATURE.fullmatch(context.signature):
            report.error(
                f"{entry}.signature",
                "is not a signature in AWS's URL-safe base64 (letters, digits, -, _ and ~, no spaces or line breaks); "
                "pipe openssl's base64 through tr -- '+=/' '-_~' | tr -d '\\n'",
            )


def _check_authorization_message(ipam_account: str | None, path: str, cidr: str, message: str, report: Report) -> None:
    fields = message.split("|")
    if len(fields) != 7 or fields[0] != "1" or fields[5:] != ["SHA256", "RSAPSS"] or not fields[1].startswith("aws"):
        report.error(
            f"{path}.message",
            f'"{clip(message)}" is not an authorization message: write '
            f"1|aws|{ipam_account or '<IPAM account>'}|{cidr}|<expiry YYYYMMDD>|SHA256|RSAPSS",
        )
        return
    account, signed_cidr, expiry = fields[2], fields[3], fields[4]
    if ipam_account is not None and account != ipam_account:
        report.error(
            f"{path}.message",
            f"authorizes account {clip(account)}, but the IPAM account {ipam_account} provisions the CIDR; sign a "
            "message for it",
        )
    try:
        same = ipaddress.ip_network(signed_cidr) == ipaddress.ip_network(cidr)
    except ValueError:
        same = False
    if not same:
        report.error(
            f"{path}.message",
            f"authorizes {clip(signed_cidr)}, not {cidr}; sign a message for the CIDR the pool provisions",
        )
    try:
        expires = datetime.strptime(expiry, "%Y%m%d").date()
    except ValueError:
        report.error(f"{path}.message", f'"{clip(expiry)}" is not an expiry date (YYYYMMDD)')
        return
    if expires < date.today():
        report.error(
            f"{path}.message",
            f"expired on {expires.isoformat()}: AWS refuses an expired authorization; sign a new message with a later "
            "expiry",
        )


def check_scope_name(name: str, path: str, report: Report) -> bool:
    if name in DEFAULT_SCOPES:
        report.error(path, f'"{name}" is a default scope every IPAM has; give the custom scope another name')
        return False
    if not POOL_NAME.fullmatch(name):
        report.error(
            path,
            f'"{clip(name)}" is not a valid scope name: start with an ASCII letter, then ASCII letters, digits or '
            "hyphens (at most 63 characters); names become Terraform addresses",
        )
        return False
    return True


def _check_scopes(config: Config, nodes: list[PoolNode], report: Report) -> None:
    """Custom scopes: named like pools, unique, within the scope quota; every pool names a scope that exists."""
    names: dict[str, str] = {}
    for index, scope in enumerate(config.scopes):
        path = f"scopes[{index}].name"
        if not check_scope_name(scope.name, path, report):
            continue
        if scope.name in names:
            report.error(path, f'"{scope.name}" is already used by {names[scope.name]}; scope names are unique')
        else:
            names[scope.name] = f"scopes[{index}]"
    if len(config.scopes) + len(DEFAULT_SCOPES) > SCOPES_PER_IPAM:
        report.warn(
            "scopes",
            f"{len(config.scopes)} custom scopes and the 2 default ones exceed the default quota of {SCOPES_PER_IPAM} "
            "scopes per IPAM; request an increase before deploying",
        )
    known = [*DEFAULT_SCOPES, *names]
    for node in nodes:
        if node.parent is None and node.pool.scope not in known:
            report.error(
                f"{node.path}.scope",
                f'"{clip(node.pool.scope)}" is not a scope; use one of {", ".join(known)} (custom scopes are declared '
                "in scopes)",
            )


def _check_tags(config: Config, nodes: list[PoolNode], report: Report) -> None:
    """Every resource carries Name, the config's tags (provider default_tags) and its own."""
    _check_tag_map("tags", config.tags, report)
    for node in nodes:
        count = len({"Name", *config.tags, *node.pool.tags})
        if count > MAX_TAGS:
            report.error(
                f"{node.path}.tags",
                f"the pool would carry {count} tags (Name, the config's tags and its own); AWS allows at most "
                f"{MAX_TAGS} per resource",
            )
    if len({"Name", *config.tags}) > MAX_TAGS:
        report.error(
            "tags",
            f"with Name, every resource would carry {len({'Name', *config.tags})} tags; AWS allows at most {MAX_TAGS} "
            "per resource",
        )


def _check_tag_map(path: str, tags: dict[str, str], report: Report) -> None:
    for key, value in tags.items():
        if not 1 <= len(key) <= MAX_TAG_KEY:
            report.error(
                f"{path}.{clip(key, 40)}", f"a tag key has 1 to {MAX_TAG_KEY} characters (this one has {len(key)})"
            )
        elif key.lower().startswith("aws:"):
            report.error(f"{path}.{clip(key, 40)}", "tag keys starting with aws: are reserved for AWS; rename the key")
        if len(value) > MAX_TAG_VALUE:
            report.error(
                f"{path}.{clip(key, 40)}",
                f"a tag value has at most {MAX_TAG_VALUE} characters (this one has {len(value)})",
            )


def _check_allocation(node: PoolNode, report: Report) -> None:
    allocation, path = node.pool.allocation, f"{node.path}.allocation"
    limit = MAX_PREFIX[node.pool.address_family]
    lengths = {
        "min_netmask_length": allocation.min_netmask_length,
        "default_netmask_length": allocation.default_netmask_length,
        "max_netmask_length": allocation.max_netmask_length,
    }
    in_range = {}
    for name, value in lengths.items():
        if value is None:
            continue
        if not 0 <= value <= limit:
            report.error(f"{path}.{name}", f"{value} is out of range for {node.pool.address_family} (0-{limit})")
        else:
            in_range[name] = value
    ordered = [n for n in lengths if n in in_range]
    for smaller, larger in zip(ordered, ordered[1:], strict=False):
        if in_range[smaller] > in_range[larger]:
            report.error(
                f"{path}.{larger}",
                f"/{in_range[larger]} is a larger block than {smaller} /{in_range[smaller]}; need min <= default <= "
                "max netmask length",
            )
    low, high = in_range.get("min_netmask_length"), in_range.get("max_netmask_length")
    if low is not None and low == high:
        # CreateIpamPool: "The minimum netmask length must be less than the maximum netmask length."
        report.error(
            f"{path}.max_netmask_length",
            f"must be greater than min_netmask_length (both /{low}), as CreateIpamPool requires; to allow one size "
            "only, set default_netmask_length and drop one bound",
        )
    networks = [n for n in node.networks if n is not None]
    if networks:
        widest = min(n.prefixlen for n in networks)
        for name, value in in_range.items():
            if value < widest:
                report.error(
                    f"{path}.{name}",
                    f"/{value} is larger than the pool's largest CIDR (/{widest}); allocations must fit inside the "
                    "pool",
                )


def _check_share(config: Config, node: PoolNode, report: Report) -> None:
    share = node.pool.share
    if share is None:
        return
    path = f"{node.path}.share"
    org = config.organization
    if share.is_empty:
        report.error(
            path, "shares with nobody: set organization: true, organizational_units or accounts, or remove share"
        )
    if share.name is not None and not 1 <= len(share.name) <= MAX_TAG_VALUE:
        report.error(
            f"{path}.name",
            f"a share name becomes its Name tag: 1 to {MAX_TAG_VALUE} characters (this one has {len(share.name)})",
        )
    for index, ou in enumerate(share.organizational_units):
        arn = OU_ARN.fullmatch(ou)
        if arn:
            if arn["partition"] != partition_of(config.home_region):
                report.error(
                    f"{path}.organizational_units[{index}]",
                    f"{clip(ou)} is in partition {arn['partition']}, but the organization is in "
                    f"{partition_of(config.home_region)} (from {config.home_region}); use the OU ID",
                )
            elif arn["org"] != org.id or arn["account"] != org.management_account_id:
                report.error(
                    f"{path}.organizational_units[{index}]",
                    f"{clip(ou)} belongs to another organization; IPAM pools can only be shared within {org.id} "
                    f"(management account {org.management_account_id})",
                )
            ou = arn["ou"]
        elif is_ou_name(ou):
            continue  # a name path such as Workloads/Prod, resolved through Organizations at synth time
        if not OU_ID.fullmatch(ou):
            report.error(
                f"{path}.organizational_units[{index}]",
                f'"{clip(ou)}" is not an OU ID: expected ou-<4-32 chars>-<8-32 chars>, its ARN, or a name path such '
                "as Workloads/Prod",
            )
    _check_listed_once(
        f"{path}.organizational_units",
        [last_segment(ou) if OU_ARN.fullmatch(ou) else ou for ou in share.organizational_units],
        report,
    )
    _check_listed_once(f"{path}.accounts", share.accounts, report)
    for index, account in enumerate(share.accounts):
        if is_account_name(account):
            continue  # resolved through Organizations at synth time
        if not ACCOUNT_ID.fullmatch(account):
            report.error(
                f"{path}.accounts[{index}]",
                f'"{clip(account)}" is not an account ID: expected exactly 12 digits, quoted (or an account name)',
            )
        elif account == org.ipam_account_id:
            report.error(
                f"{path}.accounts[{index}]",
                f"{account} is the IPAM account itself; it owns the pool and needs no share",
            )


def _check_listed_once(path: str, entries: list[str], report: Report, what: str = "principal") -> None:
    """A principal named twice (an OU by ID and by ARN counts) would be associated twice."""
    first: dict[str, int] = {}
    for index, entry in enumerate(entries):
        if entry in first:
            report.error(f"{path}[{index}]", f"is the same {what} as [{first[entry]}]; list each {what} once")
        else:
            first[entry] = index


def clip(text: str, limit: int = 80) -> str:
    """User text quoted in a message: bounded, and with control characters visible."""
    text = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check_overlaps(config: Config, nodes: list[PoolNode], report: Report) -> None:
    groups: list[tuple[str, list[PoolNode]]] = []
    top: dict[tuple[str, str], list[PoolNode]] = {}
    for node in nodes:
        if node.parent is None:
            top.setdefault((node.pool.scope, node.pool.address_family), []).append(node)
    groups.extend((f"top-level {scope} pool", members) for (scope, _), members in sorted(top.items()))
    children: dict[int, list[PoolNode]] = {}
    for node in nodes:
        if node.parent is not None:
            children.setdefault(id(node.parent), []).append(node)
    groups.extend(("sibling pool", members) for members in children.values())
    for label, members in groups:
        _report_overlaps(label, members, report)


def _report_overlaps(label: str, members: list[PoolNode], report: Report) -> None:
    """Sort by start address; each block need only be compared with the widest-reaching earlier one."""
    blocks = sorted(
        ((net, node, i) for node in members for i, net in enumerate(node.networks) if net is not None),
        key=lambda b: (b[0].version, b[0].network_address, -b[0].num_addresses),
    )
    reach = None
    for net, node, index in blocks:
        if reach is not None and reach[0].version == net.version and net.network_address <= reach[0].broadcast_address:
            other_net, other = reach[0], reach[1]
            if other is node:
                report.error(f"{node.path}.cidrs[{index}]", f"{net} overlaps {other_net} in the same pool")
            else:
                report.error(f"{node.path}.cidrs[{index}]", _overlap(net, label, other, other_net))
        if reach is None or reach[0].version != net.version or net.broadcast_address > reach[0].broadcast_address:
            reach = (net, node)


def _overlap(network: Network, label: str, other: PoolNode, other_network: Network) -> str:
    return f'{network} overlaps {label} "{other.pool.name}" ({other_network})'


def free_tier_problems(config: Config) -> list[Problem]:
    """What in this config the free tier cannot do (whatever tier is configured).

    AWS lists what must go before an IPAM moves to the free tier: private scope pools, pools
    whose locale is not the home Region, allocations to other accounts (RAM shares).
    https://docs.aws.amazon.com/vpc/latest/ipam/mod-ipam.html
    """
    problems = []
    for node in walk(config.pools):
        if node.pool.share is not None:
            problems.append(
                Problem(
                    f"{node.path}.share", "the free tier cannot share pools through AWS RAM; set ipam.tier: advanced"
                )
            )
        inherited = node.parent is not None  # a child has its parent's scope, and its locale when the parent has one
        if not is_public(node.pool) and not inherited:
            problems.append(
                Problem(
                    f"{node.path}.scope",
                    "the free tier has no private scope pools (IPv4 or IPv6); set ipam.tier: advanced",
                )
            )
        if node.pool.locale and node.pool.locale != config.home_region and not (inherited and node.parent.pool.locale):
            problems.append(
                Problem(
                    f"{node.path}.locale",
                    f"the free tier keeps pools in the home Region {config.home_region}; set ipam.tier: advanced",
                )
            )
    return problems


def _check_tier(config: Config, report: Report) -> None:
    if config.ipam.tier == "free":
        report.errors.extend(free_tier_problems(config))


def _check_quotas(config: Config, nodes: list[PoolNode], report: Report) -> None:
    per_scope: dict[str, int] = {}
    for node in nodes:
        per_scope[node.pool.scope] = per_scope.get(node.pool.scope, 0) + 1
        count = len(node.pool.cidrs or [])
        if count > CIDRS_PER_POOL:
            report.warn(
                f"{node.path}.cidrs",
                f"{count} CIDRs exceed the default quota of {CIDRS_PER_POOL} per pool; request an increase before "
                "deploying",
            )
    for scope, count in sorted(per_scope.items()):
        if count > POOLS_PER_SCOPE:
            report.warn(
                "pools",
                f"{count} {scope} pools exceed the default quota of {POOLS_PER_SCOPE} per scope; request an increase "
                "before deploying",
            )
