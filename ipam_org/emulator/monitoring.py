"""What IPAM monitors, in the emulator: VPCs built from pools, IPAM's view of every VPC CIDR in the organization,
and address history. Each rule cites the AWS documentation it follows:

- A VPC takes its IPv4 CIDR from a pool with Ipv4IpamPoolId and a netmask length (or a CIDR); the pool must be
  in the VPC's Region (its locale) and owned by or shared with the caller through RAM
  (https://docs.aws.amazon.com/vpc/latest/ipam/create-vpc-ipam.html,
  https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpc.html).
- A pool refuses an allocation outside its netmask rules or without its required tags
  (AllocationMin/Max/DefaultNetmaskLength and AllocationResourceTags in
  https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateIpamPool.html); an allocation takes the
  default netmask when none is given.
- AssociateVpcCidrBlock takes a further CIDR from a pool the same way
  (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateVpcCidrBlock.html); deleting the VPC
  releases its allocations (https://docs.aws.amazon.com/vpc/latest/ipam/release-alloc-ipam.html).
- IPAM monitors the VPCs of every account of the organization in the IPAM's operating Regions
  (https://docs.aws.amazon.com/vpc/latest/ipam/enable-integ-ipam.html). A resource CIDR is managed when it is
  allocated from a pool, unmanaged otherwise, ignored when marked so (ModifyIpamResourceCidr Monitored=false);
  a managed CIDR is compliant when it meets its pool's allocation rules, noncompliant otherwise; it overlaps
  when another monitored CIDR in the scope overlaps it; a VPC's IP usage is the share of its space that its
  subnets take (https://docs.aws.amazon.com/vpc/latest/ipam/monitor-cidr-compliance-ipam.html,
  https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpamResourceCidr.html).
- Auto-import: a pool with AutoImport imports the CIDRs of existing resources inside its provisioned CIDRs and
  in its locale, whatever their compliance, if the CIDR is not allocated already; of overlapping CIDRs only the
  largest (AutoImport in https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateIpamPool.html).
- Address history records each resource CIDR with the time IPAM saw it and the time it went away; a query
  returns the records of exactly the CIDR asked for, not of CIDRs inside it
  (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetIpamAddressHistory.html).

What it does not model: subnets, Elastic IPs and public IPv4 pools as resources of their own (a VPC's subnets
count only towards its IP usage), custom scopes' discovery (a custom scope shows only what its pools manage),
and the delay with which IPAM notices a change (here: at once).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from moto.core.responses import ActionResult
from moto.ec2.models import ec2_backends
from moto.organizations.models import organizations_backends

from ipam_org.emulator.ipam import (
    STATE,
    Allocation,
    Ipam,
    Network,
    Pool,
    Scope,
    _allocate_in,
    _allocation,
    _by_id,
    _free_block,
    _lock,
    _shared_with,
    error,
    page,
)


def now() -> datetime:
    """The emulator's clock (tests move it to build address history)."""
    return datetime.now(UTC)


@dataclass
class Sighting:
    """One resource CIDR as address history records it."""

    account: str
    region: str
    vpc_id: str
    name: str
    cidr: Network
    start: datetime
    end: datetime | None = None


HISTORY: list[Sighting] = []
_HISTORY_BY_CIDR: dict[Network, list[Sighting]] = {}  # what a history query asks: one exact CIDR
IGNORED: set[tuple[str, str]] = set()  # (resource ID, CIDR) marked Monitored=false


def _saw(account: str, region: str, vpc: Any, cidr: str) -> None:
    name = _vpc_tags(vpc).get("Name", "")
    sighting = Sighting(account, region, vpc.id, name, ipaddress.ip_network(cidr), now())
    HISTORY.append(sighting)
    _HISTORY_BY_CIDR.setdefault(sighting.cidr, []).append(sighting)


def _gone(vpc_id: str) -> None:
    for sighting in HISTORY:
        if sighting.vpc_id == vpc_id and sighting.end is None:
            sighting.end = now()


def _vpc_tags(vpc: Any) -> dict[str, str]:
    """A VPC's tags from moto's tag table by its ID (moto's own get_tags() scans every tag of the account)."""
    return dict(vpc.ec2_backend.tags.get(vpc.id, {}))


def _reachable_pool(pool_id: str, account: str) -> Pool:
    pool = STATE.pools.get(pool_id)
    if pool is None:
        raise error("InvalidIpamPoolId.NotFound", f"The ID '{pool_id}' does not exist")
    owner = pool.scope.ipam.account
    if account != owner and not _shared_with(owner, pool.scope.ipam.region, pool.arn, account):
        raise error("InvalidIpamPoolId.NotFound", f"The ID '{pool_id}' does not exist")  # AWS hides unshared pools
    return pool


def _rule_breaks(pool: Pool, cidr: Network, tags: dict[str, str]) -> list[str]:
    """The pool's allocation rules that cidr with tags breaks (empty: compliant)."""
    settings, breaks = pool.settings, []
    low, high = settings.get("AllocationMinNetmaskLength"), settings.get("AllocationMaxNetmaskLength")
    if low is not None and cidr.prefixlen < int(low):
        breaks.append(f"/{cidr.prefixlen} is larger than the pool's minimum netmask /{low}")
    if high is not None and cidr.prefixlen > int(high):
        breaks.append(f"/{cidr.prefixlen} is smaller than the pool's maximum netmask /{high}")
    for tag in settings.get("AllocationResourceTags") or []:
        if tags.get(tag["Key"]) != tag.get("Value", ""):
            breaks.append(f"the resource lacks the tag {tag['Key']}={tag.get('Value', '')}")
    return breaks


def _from_pool(response: Any, pool: Pool, tags: dict[str, str]) -> Allocation:
    """Allocate the CIDR a CreateVpc or AssociateVpcCidrBlock asks of pool (its resource ID is set after)."""
    if pool.locale != response.region:
        raise error(
            "InvalidParameterValue",
            f"pool {pool.id} allocates in {pool.locale}, not in {response.region}: use a pool whose locale is the "
            "VPC's Region",
        )
    if response._get_param("CidrBlock"):
        cidr = ipaddress.ip_network(response._get_param("CidrBlock"), strict=True)
    else:
        length = response._get_param("Ipv4NetmaskLength") or pool.settings.get("AllocationDefaultNetmaskLength")
        if not length:
            raise error("InvalidParameterValue", f"pool {pool.id} has no default netmask: give Ipv4NetmaskLength")
        cidr = _free_block(pool, int(length))
    breaks = _rule_breaks(pool, cidr, tags)
    if breaks:
        raise error("InvalidParameterValue", f"the allocation breaks the rules of pool {pool.id}: {'; '.join(breaks)}")
    allocation = _allocate_in(pool, cidr, "vpc", "")
    allocation.owner, allocation.region = response.current_account, response.region
    return allocation


class MonitoringResponses:
    """VPCs from pools and IPAM's monitoring actions, added to moto's EC2Response before the IPAM actions."""

    def create_vpc(self):
        pool_id = self._get_param("Ipv4IpamPoolId")
        specifications = self._get_param("TagSpecifications", [])
        tags = specifications[0].get("Tags", []) if specifications else []
        with _lock:
            if not pool_id:
                result = super().create_vpc()
                vpc = result.result["Vpc"]
            else:
                allocation = _from_pool(self, _reachable_pool(pool_id, self.current_account), _tag_dict(tags))
                vpc = self.ec2_backend.create_vpc(
                    str(allocation.cidr), self._get_param("InstanceTenancy", if_none="default"), tags=tags
                )
                allocation.resource_id = vpc.id
                result = ActionResult({"Vpc": vpc})
            _saw(self.current_account, self.region, vpc, vpc.cidr_block)
            return result

    def associate_vpc_cidr_block(self):
        pool_id = self._get_param("Ipv4IpamPoolId")
        if not pool_id:
            result = super().associate_vpc_cidr_block()
            block = result.result.get("CidrBlockAssociation")
            if block:
                _saw(
                    self.current_account,
                    self.region,
                    self.ec2_backend.get_vpc(self._get_param("VpcId")),
                    block["CidrBlock"],
                )
            return result
        with _lock:
            vpc = self.ec2_backend.get_vpc(self._get_param("VpcId"))
            tags = _vpc_tags(vpc)
            allocation = _from_pool(self, _reachable_pool(pool_id, self.current_account), tags)
            allocation.resource_id = vpc.id
            association = vpc.associate_vpc_cidr_block(str(allocation.cidr))
            _saw(self.current_account, self.region, vpc, str(allocation.cidr))
            block = {
                "AssociationId": association["association_id"],
                "CidrBlock": association["cidr_block"],
                "CidrBlockState": {"State": "associated"},
            }
            return ActionResult({"VpcId": vpc.id, "CidrBlockAssociation": block})

    def delete_vpc(self):
        vpc_id = self._get_param("VpcId")
        with _lock:
            result = super().delete_vpc()  # refuses first when subnets remain
            for pool in STATE.pools.values():
                pool.allocations = {
                    key: a
                    for key, a in pool.allocations.items()
                    if not (a.resource_type == "vpc" and a.resource_id == vpc_id)
                }
            _gone(vpc_id)
            return result

    def get_ipam_pool_allocations(self):
        """The owner's view, and that of accounts the pool is shared with (the RAM permission for IPAM pools
        grants ec2:GetIpamPoolAllocations)."""
        with _lock:
            pool = _reachable_pool(self._get_param("IpamPoolId"), self.current_account)
            discover(pool.scope.ipam)
            wanted = {f["Name"]: set(f.get("Values", [])) for f in self._get_param("Filters", []) if f.get("Name")}
            found = [
                a
                for a in pool.allocations.values()
                if not wanted.get("resource-id") or a.resource_id in wanted["resource-id"]
                if not self._get_param("IpamPoolAllocationId") or a.id == self._get_param("IpamPoolAllocationId")
            ]
            items, token = page([_allocation(a) for a in found], self)
            return ActionResult({"IpamPoolAllocations": items, "NextToken": token})

    def get_ipam_resource_cidrs(self):
        with _lock:
            scope = _by_id(
                STATE.scopes, self._get_param("IpamScopeId"), "InvalidIpamScopeId.NotFound", self.current_account
            )
            wanted = {
                "IpamPoolId": self._get_param("IpamPoolId"),
                "ResourceId": self._get_param("ResourceId"),
                "ResourceType": self._get_param("ResourceType"),
                "ResourceOwnerId": self._get_param("ResourceOwner"),
            }
            found = [
                record
                for record in resource_cidrs(scope)
                if all(value is None or record.get(key) == value for key, value in wanted.items())
            ]
            items, token = page(found, self)
            return ActionResult({"IpamResourceCidrs": items, "NextToken": token})

    def modify_ipam_resource_cidr(self):
        with _lock:
            scope = _by_id(
                STATE.scopes, self._get_param("CurrentIpamScopeId"), "InvalidIpamScopeId.NotFound", self.current_account
            )
            key = (self._get_param("ResourceId"), str(ipaddress.ip_network(self._get_param("ResourceCidr"))))
            if self._get_param("Monitored") is False:
                IGNORED.add(key)
            else:
                IGNORED.discard(key)
            record = next(r for r in resource_cidrs(scope) if (r["ResourceId"], r["ResourceCidr"]) == key)
            return ActionResult({"IpamResourceCidr": record})

    def get_ipam_address_history(self):
        with _lock:
            scope = _by_id(
                STATE.scopes, self._get_param("IpamScopeId"), "InvalidIpamScopeId.NotFound", self.current_account
            )
            cidr = ipaddress.ip_network(self._get_param("Cidr"), strict=False)
            start, end = self._get_param("StartTime"), self._get_param("EndTime")
            start = _time(start) if start else None
            end = _time(end) if end else now()
            status = {(r["ResourceId"], r["ResourceCidr"]): r for r in resource_cidrs(scope)}
            accounts, regions = _monitored(scope.ipam)
            records = []
            for sighting in _HISTORY_BY_CIDR.get(cidr, []):
                if sighting.account not in accounts or sighting.region not in regions:
                    continue
                if self._get_param("VpcId") and sighting.vpc_id != self._get_param("VpcId"):
                    continue
                if sighting.start > end or (start and sighting.end and sighting.end < start):
                    continue
                current = status.get((sighting.vpc_id, str(sighting.cidr)), {})
                records.append(
                    {
                        "ResourceOwnerId": sighting.account,
                        "ResourceRegion": sighting.region,
                        "ResourceType": "vpc",
                        "ResourceId": sighting.vpc_id,
                        "ResourceCidr": str(sighting.cidr),
                        "ResourceName": sighting.name,
                        "ResourceComplianceStatus": current.get("ComplianceStatus", "unmanaged"),
                        "ResourceOverlapStatus": current.get("OverlapStatus", "nonoverlapping"),
                        "VpcId": sighting.vpc_id,
                        "SampledStartTime": sighting.start,
                        **({"SampledEndTime": sighting.end} if sighting.end else {}),
                    }
                )
            items, token = page(records, self)
            return ActionResult({"HistoryRecords": items, "NextToken": token})


def _time(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _tag_dict(tags: list[dict[str, str]]) -> dict[str, str]:
    return {t["Key"]: t.get("Value", "") for t in tags}


def _monitored(ipam: Ipam) -> tuple[set[str], set[str]]:
    """The accounts (the IPAM's organization, or its own account alone) and Regions IPAM monitors."""
    for backends in organizations_backends.values():
        organizations = backends.get("aws")
        if organizations is not None and organizations.org is not None:
            members = {a.id for a in organizations.accounts}
            if ipam.account in members:
                return members, set(ipam.operating_regions)
    return {ipam.account}, set(ipam.operating_regions)


@dataclass
class _Cidr:
    account: str
    region: str
    vpc: Any
    cidr: Network


def _vpc_cidrs(ipam: Ipam) -> list[_Cidr]:
    accounts, regions = _monitored(ipam)
    found = []
    for account in sorted(accounts):
        for region in sorted(regions):
            for vpc in ec2_backends[account][region].vpcs.values():
                for association in vpc.cidr_block_association_set:
                    if association["cidr_block_state"]["state"] == "associated":
                        found.append(_Cidr(account, region, vpc, ipaddress.ip_network(association["cidr_block"])))
    return found


def _allocations_by_resource() -> dict[tuple[str, str], tuple[Pool, Allocation]]:
    return {
        (a.resource_id, str(a.cidr)): (pool, a)
        for pool in STATE.pools.values()
        for a in pool.allocations.values()
        if a.resource_type == "vpc"
    }


def _auto_import(ipam: Ipam, cidrs: list[_Cidr]) -> None:
    """Import unmanaged CIDRs into auto-import pools: largest first, so of overlapping CIDRs the largest wins."""
    managed = _allocations_by_resource()
    pools = [p for p in STATE.pools.values() if p.scope.ipam is ipam and p.settings.get("AutoImport")]
    for item in sorted(cidrs, key=lambda c: (c.cidr.prefixlen, str(c.cidr))):
        if (item.vpc.id, str(item.cidr)) in managed or (item.vpc.id, str(item.cidr)) in IGNORED:
            continue
        for pool in pools:
            inside = any(
                c.state == "provisioned" and item.cidr.version == c.cidr.version and item.cidr.subnet_of(c.cidr)
                for c in pool.cidrs.values()
            )
            taken = any(
                a.cidr.version == item.cidr.version and a.cidr.overlaps(item.cidr) for a in pool.allocations.values()
            )
            if pool.locale == item.region and inside and not taken:
                allocation = _allocate_in(pool, item.cidr, "vpc", item.vpc.id)
                allocation.owner, allocation.region = item.account, item.region
                break


_discovered: dict[str, tuple[tuple[int, ...], list[_Cidr]]] = {}


def discover(ipam: Ipam) -> list[_Cidr]:
    """What IPAM's background discovery has found by the time anyone looks (AWS runs it continuously): the
    monitored VPC CIDRs, with auto-import applied. Done again only when something it depends on changed."""
    accounts, regions = _monitored(ipam)
    subnets = sum(len(z) for a in accounts for r in regions for z in ec2_backends[a][r].subnets.values())
    key = (
        subnets,  # a VPC's IP usage
        len(HISTORY),
        sum(s.end is not None for s in HISTORY),
        len(IGNORED),
        len(accounts),
        sum(len(p.cidrs) + len(p.allocations) + bool(p.settings.get("AutoImport")) for p in STATE.pools.values()),
    )
    if ipam.id in _discovered and _discovered[ipam.id][0] == key:
        return _discovered[ipam.id][1]
    cidrs = _vpc_cidrs(ipam)
    _auto_import(ipam, cidrs)
    _discovered[ipam.id] = (key, cidrs)
    return cidrs


_views: dict[str, tuple[Any, list[dict[str, Any]]]] = {}


def resource_cidrs(scope: Scope) -> list[dict[str, Any]]:
    """IPAM's view of the monitored VPC CIDRs in scope (the default private scope sees every one; another scope
    only those its pools manage), worked out again only after discovery found a change."""
    cidrs = discover(scope.ipam)
    if scope.id in _views and _views[scope.id][0] is cidrs:
        return _views[scope.id][1]
    records = _view(scope, cidrs)
    _views[scope.id] = (cidrs, records)
    return records


def _view(scope: Scope, cidrs: list[_Cidr]) -> list[dict[str, Any]]:
    managed = _allocations_by_resource()
    if not scope.default:
        cidrs = [
            c
            for c in cidrs
            if (c.vpc.id, str(c.cidr)) in managed and managed[(c.vpc.id, str(c.cidr))][0].scope is scope
        ]
    elif scope.type != "private":
        cidrs = []
    overlapping = _overlapping([c for c in cidrs if (c.vpc.id, str(c.cidr)) not in IGNORED])
    records = []
    for item in cidrs:
        key = (item.vpc.id, str(item.cidr))
        tags = _vpc_tags(item.vpc)
        pool, _ = managed.get(key, (None, None))
        if key in IGNORED:
            compliance = management = overlap = "ignored"
        else:
            management = "managed" if pool else "unmanaged"
            compliance = (
                ("noncompliant" if _rule_breaks(pool, item.cidr, tags) else "compliant") if pool else "unmanaged"
            )
            overlap = "overlapping" if id(item) in overlapping else "nonoverlapping"
        records.append(
            {
                "IpamId": scope.ipam.id,
                "IpamScopeId": scope.id,
                **({"IpamPoolId": pool.id} if pool else {}),
                "ResourceRegion": item.region,
                "ResourceOwnerId": item.account,
                "ResourceId": item.vpc.id,
                "ResourceName": tags.get("Name", ""),
                "ResourceCidr": str(item.cidr),
                "ResourceType": "vpc",
                "ResourceTags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())],
                "IpUsage": _ip_usage(item),
                "ComplianceStatus": compliance,
                "ManagementState": management,
                "OverlapStatus": overlap,
                "VpcId": item.vpc.id,
            }
        )
    return records


def _overlapping(cidrs: list[_Cidr]) -> set[int]:
    """id() of each CIDR that overlaps another. CIDRs are either disjoint or nested, so in address order (larger
    first at the same start) a CIDR overlaps an earlier one exactly when it starts before the earlier ones end, and
    the one reaching furthest contains it."""
    found: set[int] = set()
    for version in (4, 6):
        ordered = sorted(
            (c for c in cidrs if c.cidr.version == version),
            key=lambda c: (int(c.cidr.network_address), c.cidr.prefixlen),
        )
        reach, holder = -1, None
        for item in ordered:
            if int(item.cidr.network_address) <= reach:
                found |= {id(item), id(holder)}
            if int(item.cidr.broadcast_address) > reach:
                reach, holder = int(item.cidr.broadcast_address), item
    return found


def _ip_usage(item: _Cidr) -> float:
    subnets = ec2_backends[item.account][item.region].describe_subnets(filters={"vpc-id": item.vpc.id})
    taken = sum(
        ipaddress.ip_network(s.cidr_block).num_addresses
        for s in subnets
        if ipaddress.ip_network(s.cidr_block).subnet_of(item.cidr)
    )
    return taken / item.cidr.num_addresses
