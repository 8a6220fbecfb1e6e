"""Delegated-account constructs: the organization's IPAM, its pool tree and the pools' RAM shares."""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

from bindings import RamPrincipalAssociation, RamResourceAssociation, RamResourceShare, VpcIpam, VpcIpamOperatingRegions, VpcIpamPool, VpcIpamPoolCidr
from config.handoff import FACTS, parameter_name
from config.model import AdoptedPool, Pool
from config.principals import Principal, share_name
from modules.delegation import lifecycle
from modules.text import literal, literal_map


def reference(resource_type: str, name: str, attribute: str) -> str:
    """A Terraform reference written from the resource's known address.

    Identical to what the bound attribute (pool.resource.id) resolves to, without a round trip to
    the jsii kernel per read: with thousands of pools those reads were a third of synthesis.
    """
    return f"${{{resource_type}.{name}.{attribute}}}"


def normalized_cidrs(cidrs: Sequence[str]) -> list[str]:
    """Each CIDR once, in its canonical spelling (fd00:0::/64 and fd00::/64 are one block), sorted."""
    return sorted({str(ipaddress.ip_network(cidr)) for cidr in cidrs})


def slug(text: str) -> str:
    """A CIDR or principal as a Terraform name part: 10.0.0.0/8 -> 10-0-0-0-8."""
    return re.sub(r"[^A-Za-z0-9-]", "-", text)


@dataclass
class IpamPool:
    """One pool and its provisioned CIDRs; share_with adds its RAM share.

    existing: the pool already exists (adoption): it, its listed CIDRs, its share and listed principal
    associations are imported by Terraform instead of created; existing_arn is the pool's ARN.
    """

    ipam: "OrganizationIpam"
    spec: Pool
    parent: Optional["IpamPool"]
    existing: Optional[AdoptedPool] = None
    existing_arn: Optional[str] = None
    resource: Any = field(init=False)
    cidrs: list[Any] = field(init=False, default_factory=list)

    def ref(self, attribute: str) -> str:
        return reference("aws_vpc_ipam_pool", self.spec.name, attribute)

    def __post_init__(self) -> None:
        spec, ipam = self.spec, self.ipam
        allocation = spec.allocation
        self.resource = VpcIpamPool(
            ipam.scope,
            spec.name,
            provider=ipam.provider,
            address_family=spec.address_family,
            ipam_scope_id=ipam.scope_id(spec.scope),
            source_ipam_pool_id=self.parent.ref("id") if self.parent else None,
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
        existing = self.existing
        if existing is not None:
            self.resource.import_from(existing.id, ipam.provider)
        adopted = set(normalized_cidrs(existing.cidrs)) if existing is not None else set()
        # A child CIDR can only come from a provisioned parent CIDR; the pool reference alone
        # does not order the CIDR resources, so depend on the parent's CIDRs explicitly.
        after = self.parent.cidrs if self.parent else None
        if spec.cidrs is not None:
            for cidr in normalized_cidrs(spec.cidrs):
                self._add_cidr(f"{spec.name}_{slug(cidr)}", after, cidr=cidr)
                if cidr in adopted:
                    self.cidrs[-1].import_from(f"{cidr}_{existing.id}", ipam.provider)  # the provider's <cidr>_<pool-id>
        else:
            self._add_cidr(f"{spec.name}_netmask-{spec.netmask_length}", after, netmask_length=spec.netmask_length)

    def _lifecycle(self) -> Optional[dict[str, Any]]:
        """prevent_destroy as protect says; for an adopted pool, ignore_changes on the allocation netmask
        lengths AWS already holds as configured: the provider's read of aws_vpc_ipam_pool does not set them
        (observed with 5.100.0), so an import would otherwise plan them as changes. A config that changes
        them is planned as usual, since the value then differs from what discovery recorded."""
        found = dict(lifecycle(self.ipam.protect) or {})
        if self.existing is not None:
            held = self.existing.allocation
            same = [f"allocation_{key}" for key in ("default_netmask_length", "min_netmask_length", "max_netmask_length")
                    if getattr(held, key) is not None and getattr(held, key) == getattr(self.spec.allocation, key)]
            if same:
                found["ignore_changes"] = same
        return found or None

    def _add_cidr(self, name: str, after: Optional[Sequence[Any]], **block: Any) -> None:
        self.cidrs.append(
            VpcIpamPoolCidr(
                self.ipam.scope,
                name,
                provider=self.ipam.provider,
                ipam_pool_id=self.ref("id"),
                depends_on=list(after) if after else None,
                lifecycle=lifecycle(self.ipam.protect),
                **block,
            )
        )

    def share_with(self, principals: Sequence[Principal], after: Optional[Any] = None) -> str:
        """Share this pool through AWS RAM (never with external principals); returns the share's ARN.

        after: the RAM-sharing-with-organization resource when it lives in the same stack;
        principal associations must wait for it.
        """
        name = self.spec.name
        scope, provider = self.ipam.scope, self.ipam.provider
        existing_arn = self.existing.share_arn if self.existing else None
        existing_principals = set(self.existing.principals) if self.existing else set()
        # Construct IDs are unique per stack across types: pool "x" is x, its share x_share.
        share = RamResourceShare(
            scope,
            f"{name}_share",
            provider=provider,
            name=literal(share_name(self.spec)),
            allow_external_principals=False,
            tags={"Name": literal(share_name(self.spec))},
        )
        share_arn = reference("aws_ram_resource_share", f"{name}_share", "arn")
        association = RamResourceAssociation(scope, f"{name}_share_pool", provider=provider, resource_arn=self.ref("arn"), resource_share_arn=share_arn)
        if existing_arn:  # import IDs as the provider documents them: the share's ARN, then <share-arn>,<pool-arn>
            share.import_from(existing_arn, provider)
            association.import_from(f"{existing_arn},{self.existing_arn}", provider)
        for principal in sorted(principals, key=lambda p: p.name):
            associated = RamPrincipalAssociation(
                scope,
                f"{name}_share_{principal.name}",
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
        import bindings  # SsmParameter loads on first use: configs that publish nothing never pay for it

        spec = self.spec
        cidrs = ",".join(normalized_cidrs(spec.cidrs)) if spec.cidrs is not None else reference(
            "aws_vpc_ipam_pool_cidr", f"{spec.name}_netmask-{spec.netmask_length}", "cidr")
        values = {"id": self.ref("id"), "arn": self.ref("arn"), "cidrs": cidrs, "locale": spec.locale or "None"}  # AWS spells no locale "None"
        scope, provider = self.ipam.scope, self.ipam.provider
        for fact in FACTS:
            bindings.SsmParameter(
                scope,
                f"{spec.name}_param-{fact}",
                provider=provider,
                name=parameter_name(spec.name, fact),
                description=f"ipam-org: the {fact} of IPAM pool {spec.name}",
                type="StringList" if fact == "cidrs" else "String",
                tier="Advanced",
                value=values[fact],
                depends_on=list(self.cidrs),
            )
            RamResourceAssociation(scope, f"{spec.name}_share_param-{fact}", provider=provider,
                                   resource_arn=reference("aws_ssm_parameter", f"{spec.name}_param-{fact}", "arn"), resource_share_arn=share_arn)


@dataclass
class OrganizationIpam:
    """The organization's IPAM in the delegated account's home region.

    operating_regions must include the home region and every pool locale (validated upstream).
    after: the delegation resource when it lives in the same stack; the IPAM waits for it.
    Add pools with add_pool, parents before children.
    """

    scope: Any
    provider: Any
    operating_regions: Sequence[str]
    tier: str = "advanced"
    description: Optional[str] = None
    cascade: bool = False
    protect: bool = True
    after: Optional[Any] = None
    tags: Optional[dict[str, str]] = None
    existing_id: Optional[str] = None  # the IPAM already exists (adoption): Terraform imports it
    resource: Any = field(init=False)
    pools: dict[str, IpamPool] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.resource = VpcIpam(
            self.scope,
            "ipam",
            provider=self.provider,
            description=literal(self.description),
            tier=self.tier,
            cascade=self.cascade or None,
            operating_regions=[VpcIpamOperatingRegions(region_name=region) for region in sorted(self.operating_regions)],
            tags=literal_map(self.tags) or None,
            depends_on=[self.after] if self.after is not None else None,
            lifecycle=lifecycle(self.protect),
        )
        if self.existing_id:
            self.resource.import_from(self.existing_id, self.provider)

    def ref(self, attribute: str) -> str:
        return reference("aws_vpc_ipam", "ipam", attribute)

    def scope_id(self, scope: str) -> str:
        return self.ref(f"{scope}_default_scope_id")

    def add_pool(self, spec: Pool, parent: Optional[IpamPool] = None, existing: Optional[AdoptedPool] = None,
                 existing_arn: Optional[str] = None) -> IpamPool:
        if spec.name in self.pools:
            raise ValueError(f'pool "{spec.name}" already exists; pool names must be unique')
        pool = IpamPool(self, spec, parent, existing, existing_arn)
        self.pools[spec.name] = pool
        return pool
