"""Delegated-account constructs: the organization's IPAM, its scopes, its pool tree and the pools' RAM shares.

Each construct *is* the Terraform resource it is named after (a subclass of the provider's class), so `ipam.id`,
`pool.arn` and cdktf's Testing matchers work as usual; ipam-org adds validation and the tree: add_scope, add_pool,
share_with, publish.

    ipam = OrganizationIpam(self, "ipam", provider=delegated, operating_regions=["us-east-1", "eu-west-1"])
    corp = ipam.add_pool("corp", cidrs=["10.0.0.0/8"])
    use1 = corp.add_pool("use1", locale="us-east-1", cidrs=["10.0.0.0/12"])
    use1.share_with(["arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5"])

Addresses (see modules/placement.py): directly in a stack, the IPAM writes the flat addresses ipam-org has always
written (aws_vpc_ipam_pool.use1); inside any other construct, everything it makes is its child, named by cdktf from
its path, so instances never collide.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from ipam_org import addresses
from ipam_org.bindings import (
    RamPrincipalAssociation,
    RamResourceAssociation,
    RamResourceShare,
    VpcIpam,
    VpcIpamOperatingRegions,
    VpcIpamPool,
    VpcIpamPoolCidr,
    VpcIpamPoolCidrCidrAuthorizationContext,
)
from ipam_org.config.errors import Problem, refuse
from ipam_org.config.loader import schema_problems
from ipam_org.config.model import AdoptedPool, Ipam, Monitoring, Pool
from ipam_org.domain import REGION, PoolNode, last_segment
from ipam_org.domain.handoff import FACTS, parameter_name
from ipam_org.domain.names import canonical_cidr, normalized_cidrs
from ipam_org.domain.principals import Principal, default_share_name
from ipam_org.modules.placement import Placement, lifecycle
from ipam_org.modules.text import literal, literal_map
from ipam_org.validation.rules import (
    Report,
    SiblingBlocks,
    check_monitoring,
    check_pool,
    check_pool_name,
    check_scope_name,
)


class PoolParent:
    """What pools are added to: a scope (top-level pools) or a pool (its children)."""

    ipam: OrganizationIpam
    scope_name: str
    _node: PoolNode | None
    _blocks: SiblingBlocks  # its children's (or top-level pools') CIDRs, for the overlap check

    def add_pool(
        self, name: str, *, adopt: AdoptedPool | None = None, adopt_arn: str | None = None, **props: Any
    ) -> IpamPool:
        """Add a pool here; props are the fields of a pool in ipam.yaml (config.model.Pool) except name, scope,
        share and pools: description, address_family ("ipv4"), locale, cidrs or netmask_length, allocation,
        auto_import, aws_service, public_ip_source, publicly_advertisable, cidr_authorization_contexts, tags.

        adopt: the pool exists (config.model.AdoptedPool); it, its listed CIDRs and share are imported, not created.
        Raises ValueError naming each problem, as the config's validation would.
        """
        label = f'pool "{name}"'
        try:
            spec = Pool.model_validate({"name": name, "scope": self.scope_name, **props})
        except ValidationError as error:
            refuse(label, [Problem(f"{label}.{p.path}", p.message) for p in schema_problems(error, Pool)])
        parent = self._node
        node = PoolNode(spec, label, parent.depth + 1 if parent else 1, parent)
        report = Report()
        check_pool_name(node, report)
        check_pool(node, report, self.ipam.regions, self.ipam.account_id)
        report.errors.extend(self._blocks.problems(node))
        if name in self.ipam.pools:
            report.error(label, f"the IPAM already has a pool named {name}; pool names are unique")
        refuse(label, report.errors)
        with self.ipam.placement.claiming(label):
            pool = IpamPool(self.ipam, spec, node, self if isinstance(self, IpamPool) else None, adopt, adopt_arn)
        self._blocks.add(node)
        self.ipam.pools[name] = pool
        return pool


class DefaultScope(PoolParent):
    """One of the two scopes every IPAM has (private, public): no resource of its own."""

    def __init__(self, ipam: OrganizationIpam, name: str) -> None:
        self.ipam, self.scope_name, self._node, self._blocks = ipam, name, None, SiblingBlocks(f"top-level {name} pool")
        self.scope_id = ipam.ref(f"{name}_default_scope_id")


class OrganizationIpam(VpcIpam):
    """The organization's IPAM, in the delegated account's home Region.

    provider: the delegated (IPAM) account's provider.
    operating_regions: the home Region and every Region a pool has its locale in.
    tier: "advanced" (default; RAM sharing needs it) or "free".
    protect: prevent_destroy on the IPAM, its pools and their CIDRs (default True).
    depends_on: what must exist first, typically the IpamDelegation when it is in the same stack.
    account_id: the IPAM account, when known; BYOIP authorization messages are checked against it.
    adopt_id: the IPAM exists; Terraform imports it instead of creating one.
    """

    def __init__(
        self,
        scope: Any,
        id: str,
        *,
        provider: Any,
        operating_regions: Sequence[str],
        tier: str = "advanced",
        description: str | None = None,
        cascade: bool = False,
        protect: bool = True,
        tags: Mapping[str, str] | None = None,
        depends_on: Sequence[Any] | None = None,
        account_id: str | None = None,
        adopt_id: str | None = None,
    ) -> None:
        label = f'OrganizationIpam "{id}"'
        try:
            settings = Ipam.model_validate(
                {
                    "tier": tier,
                    "description": description,
                    "operating_regions": list(operating_regions),
                    "cascade": cascade,
                    "tags": dict(tags or {}),
                }
            )
        except ValidationError as error:
            refuse(label, schema_problems(error, Ipam))
        refuse(
            label,
            [
                Problem(f"operating_regions[{i}]", f'"{region}" is not an AWS region name (for example eu-west-1)')
                for i, region in enumerate(settings.operating_regions or [])
                if not REGION.fullmatch(region)
            ],
        )
        super().__init__(
            scope,
            id,
            provider=provider,
            description=literal(description),
            tier=tier,
            cascade=cascade or None,
            operating_regions=[VpcIpamOperatingRegions(region_name=region) for region in sorted(operating_regions)],
            tags=literal_map(dict(tags or {})) or None,
            depends_on=list(depends_on) if depends_on else None,
            lifecycle=lifecycle(protect),
        )
        self.placement = Placement.of(scope, self)
        self.address_name, self.aws, self.protect, self.account_id = id, provider, protect, account_id
        self.regions = list(operating_regions)
        self.pools: dict[str, IpamPool] = {}
        self.scopes: dict[str, DefaultScope | Any] = {name: DefaultScope(self, name) for name in ("private", "public")}
        if adopt_id:
            self.import_from(adopt_id, provider)

    @property
    def private_scope(self) -> DefaultScope:
        return self.scopes["private"]

    @property
    def public_scope(self) -> DefaultScope:
        return self.scopes["public"]

    def ref(self, attribute: str) -> str:
        return self.placement.ref(self, "aws_vpc_ipam", self.address_name, attribute)

    def add_scope(self, name: str, description: str | None = None) -> Any:
        """A custom private scope: its pools may reuse space other scopes hold. Returns an IpamScope (add_pool)."""
        from ipam_org.modules.scopes import IpamScope  # its binding loads only for IPAMs with custom scopes

        report = Report()
        if check_scope_name(name, f'scope "{name}"', report) and name in self.scopes:
            report.error(f'scope "{name}"', "already exists in this IPAM; scope names are unique")
        refuse(f'scope "{name}"', report.errors)
        self.scopes[name] = IpamScope(self, name, description)
        return self.scopes[name]

    def add_alarms(self, **settings: Any) -> str:
        """CloudWatch alarms on the pools added so far, notifying an SNS topic; returns the topic's ARN.

        settings: the fields of monitoring in ipam.yaml (config.model.Monitoring): alarms (["used", "noncompliant"]),
        used_percent (80), pools (default: every pool), topic_arn (default: a topic is created), topic_name
        ("ipam-pool-alarms"), emails (subscribed to the topic). Raises ValueError naming each problem.
        """
        from ipam_org.modules.monitoring import PoolAlarms  # its bindings load only for IPAMs with alarms

        label = "alarms"
        try:
            spec = Monitoring.model_validate(settings)
        except ValidationError as error:
            refuse(label, [Problem(f"{label}.{p.path}", p.message) for p in schema_problems(error, Monitoring)])
        report = Report()
        home = self.aws.region  # the provider's Region, where IPAM publishes its metrics; unknown when a token
        check_monitoring(
            spec, set(self.pools), home if REGION.fullmatch(home or "") else None, self.account_id, report, label
        )
        refuse(label, report.errors)
        with self.placement.claiming(label):
            return PoolAlarms(self, spec).topic_arn

    def add_pool(self, name: str, *, scope: str = "private", **props: Any) -> IpamPool:
        """A top-level pool in the named scope (private by default); PoolParent.add_pool lists the props."""
        if scope not in self.scopes:
            refuse(
                f'pool "{name}"',
                [
                    Problem(
                        f'pool "{name}".scope',
                        f'"{scope}" is not a scope of this IPAM; use one of {", ".join(self.scopes)} or add_scope '
                        "first",
                    )
                ],
            )
        return self.scopes[scope].add_pool(name, **props)


class IpamPool(PoolParent, VpcIpamPool):
    """One pool: the aws_vpc_ipam_pool, its provisioned CIDRs, and (share_with) its RAM share.

    Made by add_pool on an OrganizationIpam, a scope or a parent pool, which validate it first. A child pool's
    CIDRs wait for all of its parent's CIDRs: the source pool reference alone does not order them.
    """

    def __init__(
        self,
        ipam: OrganizationIpam,
        spec: Pool,
        node: PoolNode,
        parent: IpamPool | None,
        adopt: AdoptedPool | None,
        adopt_arn: str | None,
    ) -> None:
        allocation = spec.allocation
        self.ipam, self.spec, self.scope_name, self._node, self._blocks = (
            ipam,
            spec,
            spec.scope,
            node,
            SiblingBlocks("sibling pool"),
        )
        self.adopted, self.adopted_arn, self.parent_pool = adopt, adopt_arn, parent
        super().__init__(
            ipam.placement.home,
            spec.name,
            provider=ipam.aws,
            address_family=spec.address_family,
            ipam_scope_id=ipam.scopes[spec.scope].scope_id,
            source_ipam_pool_id=parent.ref("id") if parent else None,
            locale=spec.locale,
            description=literal(spec.description),
            auto_import=spec.auto_import or None,
            aws_service=spec.aws_service,
            public_ip_source=spec.public_ip_source,
            publicly_advertisable=spec.publicly_advertisable,
            allocation_default_netmask_length=allocation.default_netmask_length,
            allocation_min_netmask_length=allocation.min_netmask_length,
            allocation_max_netmask_length=allocation.max_netmask_length,
            allocation_resource_tags=literal_map(allocation.resource_tags) or None,
            tags={"Name": spec.name, **literal_map(spec.tags)},
            lifecycle=self._lifecycle(),
        )
        if adopt is not None:
            self.import_from(adopt.id, ipam.aws)
        self.cidr_resources: list[Any] = []
        adopted = set(normalized_cidrs(adopt.cidrs)) if adopt is not None else set()
        after = parent.cidr_resources if parent else None
        if spec.cidrs is not None:
            authorizations = {canonical_cidr(key): value for key, value in spec.cidr_authorization_contexts.items()}
            for cidr in sorted(
                {str(network) for network in node.networks}
            ):  # parsed by the validation, each block once
                authorization = authorizations.get(cidr)
                self._add_cidr(
                    addresses.pool_cidr(spec.name, cidr),
                    after,
                    cidr=cidr,
                    cidr_authorization_context=VpcIpamPoolCidrCidrAuthorizationContext(
                        message=literal(authorization.message), signature=literal(authorization.signature)
                    )
                    if authorization
                    else None,
                )
                if cidr in adopted:
                    self.cidr_resources[-1].import_from(
                        f"{cidr}_{adopt.id}", ipam.aws
                    )  # the provider's <cidr>_<pool-id>
        else:
            self._add_cidr(
                addresses.pool_netmask(spec.name, spec.netmask_length), after, netmask_length=spec.netmask_length
            )

    def ref(self, attribute: str) -> str:
        return self.ipam.placement.ref(self, "aws_vpc_ipam_pool", self.spec.name, attribute)

    def _lifecycle(self) -> dict[str, Any] | None:
        """prevent_destroy as protect says; for an adopted pool, ignore_changes on the allocation netmask
        lengths AWS already holds as configured: the provider's read of aws_vpc_ipam_pool does not set them
        (observed with 5.100.0), so an import would otherwise plan them as changes. A config that changes
        them is planned as usual, since the value then differs from what discovery recorded."""
        found = dict(lifecycle(self.ipam.protect) or {})
        if self.adopted is not None:
            held = self.adopted.allocation
            same = [
                f"allocation_{key}"
                for key in ("default_netmask_length", "min_netmask_length", "max_netmask_length")
                if getattr(held, key) is not None and getattr(held, key) == getattr(self.spec.allocation, key)
            ]
            if same:
                found["ignore_changes"] = same
        return found or None

    def _add_cidr(self, name: str, after: Sequence[Any] | None, **block: Any) -> None:
        placement = self.ipam.placement
        self.cidr_resources.append(
            VpcIpamPoolCidr(
                placement.home,
                name,
                provider=self.ipam.aws,
                ipam_pool_id=self.ref("id"),
                depends_on=list(after) if after else None,
                lifecycle=lifecycle(self.ipam.protect),
                **block,
            )
        )

    def share_with(
        self, principals: Sequence[Principal | str], after: Any | None = None, name: str | None = None
    ) -> str:
        """Share this pool through AWS RAM, never with external principals; returns the share's ARN.

        principals: organization or OU ARNs, or account IDs (or ipam_org.domain.principals.Principal).
        after: the OrganizationSharing when it is in the same stack; principal associations wait for it.
        name: the share's name (and Name tag); default ipam-pool-<pool name>.
        """
        pool_name, placement, provider = self.spec.name, self.ipam.placement, self.ipam.aws
        chosen = name or default_share_name(pool_name)
        existing_arn = self.adopted.share_arn if self.adopted else None
        existing_principals = set(self.adopted.principals) if self.adopted else set()
        share = RamResourceShare(
            placement.home,
            addresses.share(pool_name),
            provider=provider,
            name=literal(chosen),
            allow_external_principals=False,
            tags={"Name": literal(chosen)},
        )
        share_arn = placement.ref(share, "aws_ram_resource_share", addresses.share(pool_name), "arn")
        association = RamResourceAssociation(
            placement.home,
            addresses.share_pool(pool_name),
            provider=provider,
            resource_arn=self.ref("arn"),
            resource_share_arn=share_arn,
        )
        if existing_arn:  # import IDs as the provider documents them: the share's ARN, then <share-arn>,<pool-arn>
            share.import_from(existing_arn, provider)
            association.import_from(f"{existing_arn},{self.adopted_arn}", provider)
        for principal in sorted((as_principal(p) for p in principals), key=lambda p: p.name):
            associated = RamPrincipalAssociation(
                placement.home,
                addresses.share_principal(pool_name, principal.name),
                provider=provider,
                principal=principal.value,
                resource_share_arn=share_arn,
                depends_on=[after] if after is not None else None,
            )
            if existing_arn and principal.value in existing_principals:
                associated.import_from(f"{existing_arn},{principal.value}", provider)  # <share-arn>,<principal>
        return share_arn

    def publish(self, share_arn: str) -> None:
        """The pool's ID, ARN, CIDRs and locale as SSM parameters, added to its RAM share so its principals read
        them by ARN. Advanced tier: RAM shares no other. They wait for the pool's CIDRs, so a pipeline that finds
        the ID can allocate from it."""
        from ipam_org import bindings  # SsmParameter loads on first use: configs that publish nothing never pay for it

        spec, placement, provider = self.spec, self.ipam.placement, self.ipam.aws
        cidrs = (
            ",".join(normalized_cidrs(spec.cidrs))
            if spec.cidrs is not None
            else placement.ref(
                self.cidr_resources[0],
                "aws_vpc_ipam_pool_cidr",
                addresses.pool_netmask(spec.name, spec.netmask_length),
                "cidr",
            )
        )
        values = {
            "id": self.ref("id"),
            "arn": self.ref("arn"),
            "cidrs": cidrs,
            "locale": spec.locale or "None",
        }  # AWS spells no locale "None"
        for fact in FACTS:
            parameter = bindings.SsmParameter(
                placement.home,
                addresses.parameter(spec.name, fact),
                provider=provider,
                name=parameter_name(spec.name, fact),
                description=f"ipam-org: the {fact} of IPAM pool {spec.name}",
                type="StringList" if fact == "cidrs" else "String",
                tier="Advanced",
                value=values[fact],
                depends_on=list(self.cidr_resources),
            )
            RamResourceAssociation(
                placement.home,
                addresses.share_parameter(spec.name, fact),
                provider=provider,
                resource_arn=placement.ref(parameter, "aws_ssm_parameter", addresses.parameter(spec.name, fact), "arn"),
                resource_share_arn=share_arn,
            )


def as_principal(principal: Principal | str) -> Principal:
    """An ARN or account ID as RAM takes it, named for its Terraform address (the OU ID, organization, or account)."""
    if isinstance(principal, Principal):
        return principal
    if ":organization/" in principal:
        return Principal(principal, "organization", "organization", last_segment(principal))
    if ":ou/" in principal:
        ou = last_segment(principal)
        return Principal(principal, ou, "ou", ou)
    return Principal(principal, principal, "account", principal)
