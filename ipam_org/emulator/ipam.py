"""An AWS API emulator for IPAM: moto in server mode on loopback, plus the EC2 IPAM actions moto lacks and
the RAM calls the provider needs for `ipam-pool` shares.

It enforces the rules AWS documents, and only those, each citing its source:
- IPAM delegated administrator: only the management account calls EnableIpamOrganizationAdminAccount, the
  account must be a member of the organization, and there is one per organization
  (https://docs.aws.amazon.com/vpc/latest/ipam/enable-integ-ipam.html).
- A pool's locale must be one of the IPAM's operating Regions; a child pool is in its source pool's scope and
  address family (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateIpamPool.html,
  https://docs.aws.amazon.com/vpc/latest/ipam/create-top-ipam.html).
- A child pool's CIDR must lie inside a CIDR provisioned in its source pool and must not overlap what is
  already allocated there (https://docs.aws.amazon.com/vpc/latest/ipam/create-reg-ipam-pool.html); a pool's
  own CIDRs do not overlap.
- Provisioning is asynchronous (pending-provision -> provisioned; pending-deprovision -> deprovisioned), so the
  provider's waiters run for real (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpamPoolCidr.html).
- A CIDR cannot be deprovisioned while allocations use it, a pool cannot be deleted while it has CIDRs or
  child pools, an IPAM cannot be deleted while it has pools unless cascade
  (https://docs.aws.amazon.com/vpc/latest/ipam/depro-pool-cidr-ipam.html,
  https://docs.aws.amazon.com/vpc/latest/ipam/delete-pool-ipam.html,
  https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteIpam.html).
- Sharing with an organization or OU needs RAM sharing with AWS Organizations enabled
  (https://docs.aws.amazon.com/ram/latest/userguide/getting-started-sharing.html#getting-started-sharing-orgs).
- An SCP can be attached only once SCPs are enabled on the root, and its document is JSON of at most 5,120
  characters (https://docs.aws.amazon.com/organizations/latest/APIReference/API_AttachPolicy.html,
  https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html).
- A parameter shared through RAM is read by its full ARN from an account the share reaches, in its own Region
  (https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-shared-parameters.html).
Responses are serialized by moto from botocore's EC2 and RAM service models, so their shapes are AWS's.
"""

from __future__ import annotations

import ipaddress
import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError
from moto.iam.models import iam_backends
from moto.organizations.exceptions import PolicyTypeNotEnabledException
from moto.organizations.models import FakeRoot, organizations_backends
from moto.ssm.models import ssm_backends

from ipam_org.domain.guardrails import SCP_MAX_CHARACTERS

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAM_POOL_PERMISSION = "arn:aws:ram::aws:permission/AWSRAMDefaultPermissionsIpamPool"
RAM_PATHS = [
    "associateresourceshare",
    "disassociateresourceshare",
    "listresourcesharepermissions",
    "tagresource",
    "untagresource",
]
AMAZON_IPV6 = ipaddress.ip_network("2600:1f00::/24")  # where Amazon-provided IPv6 blocks come from, here
_ids = itertools.count(1)
_lock = threading.RLock()


def new_id(prefix: str) -> str:
    return f"{prefix}-{next(_ids):017x}"


def error(code: str, message: str) -> Exception:
    return EC2ClientError(code, message)


@dataclass
class Allocation:
    id: str
    cidr: Network
    resource_type: str  # ipam-pool (a child pool's CIDR), vpc or custom
    resource_id: str = ""
    description: str = ""
    owner: str = ""  # a VPC's account and Region (emulator/monitoring.py)
    region: str = ""


@dataclass
class PoolCidr:
    id: str
    cidr: Network
    state: str = "pending-provision"
    polls: int = 0


@dataclass
class Scope:
    id: str
    arn: str
    ipam: Ipam
    type: str  # private or public
    default: bool
    description: str = ""
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class Pool:
    id: str
    arn: str
    scope: Scope
    family: str
    locale: str | None
    source: Pool | None
    settings: dict[str, Any]
    tags: dict[str, str]
    cidrs: dict[str, PoolCidr] = field(default_factory=dict)
    allocations: dict[str, Allocation] = field(default_factory=dict)
    state: str = "create-complete"  # modify-complete after a change, which the provider waits for

    @property
    def depth(self) -> int:
        return 1 + (self.source.depth if self.source else 0)


@dataclass
class Ipam:
    id: str
    arn: str
    account: str
    region: str
    description: str
    tier: str
    operating_regions: list[str]
    tags: dict[str, str]
    scopes: dict[str, Scope] = field(default_factory=dict)
    state: str = "create-complete"


class IpamState:
    """Everything the emulator knows about IPAM, across accounts (one organization)."""

    def __init__(self) -> None:
        self.ipams: dict[str, Ipam] = {}
        self.scopes: dict[str, Scope] = {}
        self.pools: dict[str, Pool] = {}
        self.delegated_admins: dict[str, str] = {}  # organization ID -> account
        self.ram_sharing: set[str] = set()  # organizations with RAM sharing enabled
        self.tokens: dict[tuple[str, str], Any] = {}  # (action, ClientToken) -> the result already returned


STATE = IpamState()


def _tags(specifications: list[dict[str, Any]]) -> dict[str, str]:
    return {t["Key"]: t.get("Value", "") for spec in specifications or [] for t in spec.get("Tags", [])}


def _tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in sorted(tags.items())]


def _by_id(table: dict[str, Any], identifier: str, code: str, account: str) -> Any:
    found = table.get(identifier)
    if found is None or _owner(found) != account:
        raise error(code, f"The ID '{identifier}' does not exist")
    return found


def page(items: list[Any], response: Any) -> tuple[list[Any], str | None]:
    """One page of items by the request's MaxResults and NextToken (the token is the next item's index)."""
    start = int(response._get_param("NextToken") or 0)
    size = int(response._get_param("MaxResults") or 1000)
    following = start + size
    return items[start:following], (str(following) if following < len(items) else None)


def _owner(item: Any) -> str:
    if isinstance(item, Ipam):
        return item.account
    if isinstance(item, Scope):
        return item.ipam.account
    return item.scope.ipam.account


def idempotent(action):
    """AWS's ClientToken: a retried request (the SDK fills the token and retries a slow call) gets the first
    result instead of acting twice (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html)."""

    def wrapper(self):
        token = self._get_param("ClientToken")
        with _lock:
            key = (action.__name__, f"{self.current_account}:{token}")
            if token and key in STATE.tokens:
                return STATE.tokens[key]
            result = action(self)
            if token:
                STATE.tokens[key] = result
            return result

    wrapper.__name__ = action.__name__
    return wrapper


class IpamResponses:
    """EC2 IPAM actions, added to moto's EC2Response (moto parses requests and serializes results)."""

    # --- organization admin ---------------------------------------------------------------------
    def enable_ipam_organization_admin_account(self):
        account = self._get_param("DelegatedAdminAccountId")
        organizations = organizations_backends[self.current_account][self.partition]
        org = organizations.org
        if org is None or org.master_account_id != self.current_account:
            raise error(
                "UnauthorizedOperation", "Only the organization's management account can delegate IPAM administration"
            )
        if account == self.current_account or account not in {a.id for a in organizations.accounts}:
            raise error("InvalidParameterValue", f"{account} is not a member account of the organization")
        with _lock:
            current = STATE.delegated_admins.get(org.id)
            if current not in (None, account):
                raise error(
                    "InvalidParameterValue",
                    f"{current} is already the IPAM delegated administrator; the organization can have only one",
                )
            STATE.delegated_admins[org.id] = account
        # Organizations then lists the account as IPAM's delegated administrator, as AWS does
        admins = organizations.list_delegated_administrators(ServicePrincipal="ipam.amazonaws.com")[
            "DelegatedAdministrators"
        ]
        if account not in {a["Id"] for a in admins}:
            organizations.register_delegated_administrator(AccountId=account, ServicePrincipal="ipam.amazonaws.com")
        _create_service_linked_role(account, self.partition, "ipam.amazonaws.com", "AWSServiceRoleForIPAM")
        return ActionResult({"Success": True})

    def disable_ipam_organization_admin_account(self):
        account = self._get_param("DelegatedAdminAccountId")
        organizations = organizations_backends[self.current_account][self.partition]
        org_id = organizations.org.id if organizations.org else ""
        with _lock:
            if STATE.delegated_admins.get(org_id) != account:
                raise error("InvalidParameterValue", f"{account} is not the IPAM delegated administrator")
            del STATE.delegated_admins[org_id]
        organizations.deregister_delegated_administrator(AccountId=account, ServicePrincipal="ipam.amazonaws.com")
        return ActionResult({"Success": True})

    # --- IPAMs and scopes -----------------------------------------------------------------------
    @idempotent
    def create_ipam(self):
        account, region = self.current_account, self.region
        regions = [r["RegionName"] for r in self._get_param("OperatingRegions", [])]
        if region not in regions:
            regions.insert(0, region)
        ipam_id = new_id("ipam")
        ipam = Ipam(
            ipam_id,
            f"arn:aws:ec2::{account}:ipam/{ipam_id}",
            account,
            region,
            self._get_param("Description", ""),
            self._get_param("Tier", "advanced"),
            regions,
            _tags(self._get_param("TagSpecifications", [])),
        )
        with _lock:
            STATE.ipams[ipam_id] = ipam
            for kind in ("private", "public"):
                self._new_scope(ipam, kind, default=True)
        return ActionResult({"Ipam": _ipam(ipam)})

    def _new_scope(
        self, ipam: Ipam, kind: str, default: bool, description: str = "", tags: dict | None = None
    ) -> Scope:
        scope_id = new_id("ipam-scope")
        scope = Scope(
            scope_id, f"arn:aws:ec2::{ipam.account}:ipam-scope/{scope_id}", ipam, kind, default, description, tags or {}
        )
        ipam.scopes[scope_id] = scope
        STATE.scopes[scope_id] = scope
        return scope

    def describe_ipams(self):
        ids = self._get_param("IpamIds", [])
        with _lock:
            found = (
                [_by_id(STATE.ipams, i, "InvalidIpamId.NotFound", self.current_account) for i in ids]
                if ids
                else [i for i in STATE.ipams.values() if i.account == self.current_account]
            )
            return ActionResult({"Ipams": [_ipam(i) for i in found]})

    def modify_ipam(self):
        with _lock:
            ipam = _by_id(STATE.ipams, self._get_param("IpamId"), "InvalidIpamId.NotFound", self.current_account)
            if self._get_param("Description") is not None:
                ipam.description = self._get_param("Description")
            if self._get_param("Tier"):
                ipam.tier = self._get_param("Tier")
            for region in self._get_param("AddOperatingRegions", []):
                if region["RegionName"] not in ipam.operating_regions:
                    ipam.operating_regions.append(region["RegionName"])
            removed = {r["RegionName"] for r in self._get_param("RemoveOperatingRegions", [])}
            ipam.operating_regions = [r for r in ipam.operating_regions if r not in removed]
            ipam.state = "modify-complete"
            return ActionResult({"Ipam": _ipam(ipam)})

    def delete_ipam(self):
        with _lock:
            ipam = _by_id(STATE.ipams, self._get_param("IpamId"), "InvalidIpamId.NotFound", self.current_account)
            pools = [p for p in STATE.pools.values() if p.scope.ipam is ipam]
            if pools and not self._get_param("Cascade", False):
                raise error(
                    "IncorrectState",
                    f"The IPAM {ipam.id} still has {len(pools)} pools; delete them first, or use cascade",
                )
            if self._get_param("Cascade", False) and any(p.scope.type == "public" for p in pools):
                raise error("IncorrectState", "cascade cannot delete an IPAM with pools in its public scope")
            for pool in pools:
                del STATE.pools[pool.id]
            for scope_id in ipam.scopes:
                del STATE.scopes[scope_id]
            del STATE.ipams[ipam.id]
            return ActionResult({"Ipam": {**_ipam(ipam), "State": "delete-complete"}})

    @idempotent
    def create_ipam_scope(self):
        with _lock:
            ipam = _by_id(STATE.ipams, self._get_param("IpamId"), "InvalidIpamId.NotFound", self.current_account)
            scope = self._new_scope(
                ipam,
                "private",
                False,
                self._get_param("Description", ""),
                _tags(self._get_param("TagSpecifications", [])),
            )
            return ActionResult({"IpamScope": _scope(scope)})

    def describe_ipam_scopes(self):
        ids = self._get_param("IpamScopeIds", [])
        with _lock:
            found = (
                [_by_id(STATE.scopes, i, "InvalidIpamScopeId.NotFound", self.current_account) for i in ids]
                if ids
                else [s for s in STATE.scopes.values() if s.ipam.account == self.current_account]
            )
            return ActionResult({"IpamScopes": [_scope(s) for s in found]})

    def delete_ipam_scope(self):
        with _lock:
            scope = _by_id(
                STATE.scopes, self._get_param("IpamScopeId"), "InvalidIpamScopeId.NotFound", self.current_account
            )
            if scope.default:
                raise error("InvalidParameterValue", "a default scope cannot be deleted")
            if any(p.scope is scope for p in STATE.pools.values()):
                raise error("IncorrectState", "the scope still has pools")
            del STATE.scopes[scope.id], scope.ipam.scopes[scope.id]
            return ActionResult({"IpamScope": _scope(scope)})

    # --- pools ------------------------------------------------------------------------------------
    def _requested_cidr(self, pool: Pool, pick: Any, default_length: int) -> Network:
        """The request's Cidr, or a block of its NetmaskLength (default_length when absent) that pick finds in pool."""
        if self._get_param("Cidr"):
            return ipaddress.ip_network(self._get_param("Cidr"), strict=True)
        return pick(pool, int(self._get_param("NetmaskLength") or default_length))

    def _pool(self) -> Pool:
        return _by_id(STATE.pools, self._get_param("IpamPoolId"), "InvalidIpamPoolId.NotFound", self.current_account)

    @idempotent
    def create_ipam_pool(self):
        with _lock:
            scope = _by_id(
                STATE.scopes, self._get_param("IpamScopeId"), "InvalidIpamScopeId.NotFound", self.current_account
            )
            family = self._get_param("AddressFamily")
            locale = self._get_param("Locale")
            source = None
            if self._get_param("SourceIpamPoolId"):
                source = _by_id(
                    STATE.pools, self._get_param("SourceIpamPoolId"), "InvalidIpamPoolId.NotFound", self.current_account
                )
                if source.scope is not scope:
                    raise error("InvalidParameterValue", "a pool must be in the same scope as its source pool")
                if source.family != family:
                    raise error("InvalidParameterValue", "a pool must have the address family of its source pool")
                if source.locale and locale != source.locale:
                    raise error(
                        "InvalidParameterValue", f"the locale must be {source.locale}, the source pool's locale"
                    )
                if source.depth >= 10:
                    raise error("InvalidParameterValue", "pools can be nested at most 10 deep")
            if locale and locale not in scope.ipam.operating_regions:
                raise error("InvalidParameterValue", f"The locale {locale} is not one of the IPAM's operating regions")
            settings = {
                key: self._get_param(key)
                for key in (
                    "Description",
                    "AutoImport",
                    "PubliclyAdvertisable",
                    "AllocationMinNetmaskLength",
                    "AllocationMaxNetmaskLength",
                    "AllocationDefaultNetmaskLength",
                    "AwsService",
                    "PublicIpSource",
                )
            }
            settings["AllocationResourceTags"] = self._get_param("AllocationResourceTags", [])
            pool_id = new_id("ipam-pool")
            pool = Pool(
                pool_id,
                f"arn:aws:ec2::{self.current_account}:ipam-pool/{pool_id}",
                scope,
                family,
                locale,
                source,
                settings,
                _tags(self._get_param("TagSpecifications", [])),
            )
            STATE.pools[pool_id] = pool
            return ActionResult({"IpamPool": _pool(pool)})

    def describe_ipam_pools(self):
        ids = self._get_param("IpamPoolIds", [])
        with _lock:
            found = (
                [_by_id(STATE.pools, i, "InvalidIpamPoolId.NotFound", self.current_account) for i in ids]
                if ids
                else [p for p in STATE.pools.values() if _owner(p) == self.current_account]
            )
            return ActionResult({"IpamPools": [_pool(p) for p in found]})

    def modify_ipam_pool(self):
        with _lock:
            pool = self._pool()
            for key in (
                "Description",
                "AutoImport",
                "AllocationMinNetmaskLength",
                "AllocationMaxNetmaskLength",
                "AllocationDefaultNetmaskLength",
            ):
                if self._get_param(key) is not None:
                    pool.settings[key] = self._get_param(key)
            if self._get_param("ClearAllocationDefaultNetmaskLength"):
                pool.settings["AllocationDefaultNetmaskLength"] = None
            removed = {(t["Key"], t.get("Value")) for t in self._get_param("RemoveAllocationResourceTags", [])}
            tags = [t for t in pool.settings["AllocationResourceTags"] if (t["Key"], t.get("Value")) not in removed]
            pool.settings["AllocationResourceTags"] = tags + self._get_param("AddAllocationResourceTags", [])
            pool.state = "modify-complete"
            return ActionResult({"IpamPool": _pool(pool)})

    def delete_ipam_pool(self):
        with _lock:
            pool = self._pool()
            if pool.cidrs:
                raise error("IncorrectState", f"The pool {pool.id} has provisioned CIDRs; deprovision them first")
            if any(p.source is pool for p in STATE.pools.values()):
                raise error("IncorrectState", f"The pool {pool.id} has child pools; delete them first")
            del STATE.pools[pool.id]
            return ActionResult({"IpamPool": {**_pool(pool), "State": "delete-complete"}})

    # --- pool CIDRs and allocations --------------------------------------------------------------------
    @idempotent
    def provision_ipam_pool_cidr(self):
        with _lock:
            pool = self._pool()
            cidr = self._requested_cidr(pool, _amazon_block, 0)
            if (cidr.version == 4) != (pool.family == "ipv4"):
                raise error("InvalidParameterValue", f"{cidr} is not an {pool.family} CIDR")
            if any(c.cidr.overlaps(cidr) for c in pool.cidrs.values()):
                raise error("InvalidParameterValue", f"{cidr} overlaps a CIDR already provisioned in {pool.id}")
            if pool.source is not None:
                _allocate_in(pool.source, cidr, "ipam-pool", pool.id)
            record = PoolCidr(new_id("ipam-pool-cidr"), cidr)
            pool.cidrs[str(cidr)] = record
            return ActionResult({"IpamPoolCidr": _pool_cidr(record)})

    def get_ipam_pool_cidrs(self):
        with _lock:
            pool = self._pool()
            wanted = {v for f in self._get_param("Filters", []) if f.get("Name") == "cidr" for v in f.get("Values", [])}
            found = []
            for key, record in list(pool.cidrs.items()):
                if wanted and key not in wanted:
                    continue
                _advance(pool, key, record)
                found.append(_pool_cidr(record))
            return ActionResult({"IpamPoolCidrs": found})

    def deprovision_ipam_pool_cidr(self):
        with _lock:
            pool = self._pool()
            key = str(ipaddress.ip_network(self._get_param("Cidr"), strict=False))
            record = pool.cidrs.get(key)
            if record is None:
                raise error("InvalidParameterValue", f"{key} is not provisioned in {pool.id}")
            users = [a for a in pool.allocations.values() if a.cidr.subnet_of(record.cidr)]
            if users:
                raise error(
                    "IncorrectState",
                    f"{key} has {len(users)} allocations (child pool CIDRs or resources); release them first",
                )
            record.state, record.polls = "pending-deprovision", 0
            return ActionResult({"IpamPoolCidr": _pool_cidr(record)})

    @idempotent
    def allocate_ipam_pool_cidr(self):
        with _lock:
            pool = self._pool()
            cidr = self._requested_cidr(pool, _free_block, pool.settings.get("AllocationDefaultNetmaskLength") or 0)
            allocation = _allocate_in(pool, cidr, "custom", "", self._get_param("Description", ""))
            return ActionResult({"IpamPoolAllocation": _allocation(allocation)})

    def release_ipam_pool_allocation(self):
        with _lock:
            pool = self._pool()
            allocation = pool.allocations.get(self._get_param("IpamPoolAllocationId"))
            if allocation is None or allocation.resource_type != "custom":
                raise error("InvalidIpamPoolAllocationId.NotFound", "no such custom allocation")
            del pool.allocations[allocation.id]
            return ActionResult({"Success": True})

    # --- tags on IPAM resources (the rest goes to moto) ---------------------------------------------------
    def create_tags(self):
        return self._ipam_tags(add=True) or super().create_tags()

    def delete_tags(self):
        return self._ipam_tags(add=False) or super().delete_tags()

    def _ipam_tags(self, add: bool):
        ids = self._get_param("Resources", [])
        if not ids or not all(i.startswith("ipam") for i in ids):
            return None
        tags = {t["Key"]: t.get("Value", "") for t in self._get_param("Tags", [])}
        with _lock:
            for identifier in ids:
                table = (
                    STATE.pools
                    if identifier.startswith("ipam-pool")
                    else STATE.scopes
                    if identifier.startswith("ipam-scope")
                    else STATE.ipams
                )
                item = _by_id(table, identifier, "InvalidID", self.current_account)
                if add:
                    item.tags.update(tags)
                else:
                    for key in tags:
                        item.tags.pop(key, None)
        return ActionResult({})


class RamResponses:
    """What moto's RAM lacks for IPAM pool shares: associations, tags, ARN filters, organization state."""

    def enable_sharing_with_aws_organization(self):
        organizations = organizations_backends[self.current_account][self.partition]
        if organizations.org is None or organizations.org.master_account_id != self.current_account:
            raise _ram_error(
                "OperationNotPermittedException",
                "only the management account can enable sharing with AWS Organizations",
            )
        # AWS turns on trusted access for RAM and creates its service-linked role in the management account
        organizations.enable_aws_service_access(ServicePrincipal="ram.amazonaws.com")

        _create_service_linked_role(
            self.current_account, self.partition, "ram.amazonaws.com", "AWSServiceRoleForResourceAccessManager"
        )
        STATE.ram_sharing.add(organizations.org.id)
        return json.dumps({"returnValue": True})

    def create_resource_share(self):
        params = self.request_params
        _check_ram_resources(params.get("resourceArns", []))
        principals = params.get("principals", [])
        _check_principals(self.current_account, self.partition, principals)
        share = self.ram_backend.create_resource_share(**{**params, "principals": [], "resourceArns": []})
        created = self._share(share["resourceShare"]["resourceShareArn"])
        created.principals.extend(principals)
        created.resource_arns.extend(params.get("resourceArns", []))
        created.tags = {t["key"]: t.get("value", "") for t in params.get("tags", [])}
        return json.dumps({"resourceShare": _share(created)})

    def get_resource_shares(self):
        params = self.request_params
        arns = params.get("resourceShareArns") or []
        shares = [
            s
            for s in self.ram_backend.resource_shares
            if (not arns or s.arn in arns)
            and (not params.get("name") or s.name == params["name"])
            and (not params.get("resourceShareStatus") or s.status == params["resourceShareStatus"])
        ]
        return json.dumps({"resourceShares": [_share(s) for s in shares]})

    def associate_resource_share(self):
        params = self.request_params
        share = self._share(params["resourceShareArn"])
        _check_ram_resources(params.get("resourceArns", []))
        _check_principals(self.current_account, self.partition, params.get("principals", []))
        share.resource_arns.extend(a for a in params.get("resourceArns", []) if a not in share.resource_arns)
        share.principals.extend(p for p in params.get("principals", []) if p not in share.principals)
        return json.dumps({"resourceShareAssociations": _associations(share, params)})

    def disassociate_resource_share(self):
        params = self.request_params
        share = self._share(params["resourceShareArn"])
        gone = _associations(share, params)
        share.resource_arns = [a for a in share.resource_arns if a not in params.get("resourceArns", [])]
        share.principals = [p for p in share.principals if p not in params.get("principals", [])]
        return json.dumps({"resourceShareAssociations": [{**a, "status": "DISASSOCIATING"} for a in gone]})

    def list_resource_share_permissions(self):
        self._share(self.request_params["resourceShareArn"])
        return json.dumps(
            {
                "permissions": [
                    {
                        "arn": IPAM_POOL_PERMISSION,
                        "version": "1",
                        "defaultVersion": True,
                        "name": "AWSRAMDefaultPermissionsIpamPool",
                        "resourceType": "ec2:IpamPool",
                        "status": "ASSOCIATED",
                        "isResourceTypeDefault": True,
                        "permissionType": "AWS_MANAGED",
                    }
                ]
            }
        )

    def tag_resource(self):
        params = self.request_params
        self._share(params["resourceShareArn"]).tags.update(
            {t["key"]: t.get("value", "") for t in params.get("tags", [])}
        )
        return json.dumps({})

    def untag_resource(self):
        params = self.request_params
        share = self._share(params["resourceShareArn"])
        for key in params.get("tagKeys", []):
            share.tags.pop(key, None)
        return json.dumps({})

    def _share(self, arn: str):
        share = next((s for s in self.ram_backend.resource_shares if s.arn == arn), None)
        if share is None:
            raise _ram_error("UnknownResourceException", f"ResourceShare {arn} could not be found.")
        if not hasattr(share, "tags"):
            share.tags = {}
        return share


def _ram_error(code: str, message: str) -> Exception:
    error = JsonRESTError(code, message)
    error.code = 400
    return error


def _share(share: Any) -> dict[str, Any]:
    return {**share.describe(), "tags": [{"key": k, "value": v} for k, v in sorted(getattr(share, "tags", {}).items())]}


def _associations(share: Any, params: dict[str, Any]) -> list[dict[str, Any]]:
    entries = [(a, "RESOURCE") for a in params.get("resourceArns", [])] + [
        (p, "PRINCIPAL") for p in params.get("principals", [])
    ]
    return [
        {
            "resourceShareArn": share.arn,
            "resourceShareName": share.name,
            "associatedEntity": entity,
            "associationType": kind,
            "status": "ASSOCIATED",
            "external": False,
        }
        for entity, kind in entries
    ]


def _check_ram_resources(arns: list[str]) -> None:
    for arn in arns:
        if ":ipam-pool/" in arn and not any(p.arn == arn for p in STATE.pools.values()):
            raise _ram_error("UnknownResourceException", f"{arn} could not be found")


def _check_principals(account: str, partition: str, principals: list[str]) -> None:
    """Organization and OU principals need sharing with AWS Organizations; with external principals off,
    accounts must be in the organization."""
    backend = next(
        (
            b[partition]
            for b in organizations_backends.values()
            if partition in b and b[partition].org is not None and any(a.id == account for a in b[partition].accounts)
        ),
        None,
    )
    org = backend.org if backend else None
    for principal in principals:
        if ":organization/" in principal or ":ou/" in principal:
            if org is None or org.id not in STATE.ram_sharing:
                raise _ram_error(
                    "OperationNotPermittedException",
                    f"sharing with {principal} needs RAM sharing with AWS Organizations enabled "
                    "(EnableSharingWithAwsOrganization)",
                )
            if org is None or f"/{org.id}" not in principal:
                raise _ram_error("UnknownResourceException", f"{principal} is not in the caller's organization")
            if ":ou/" in principal and principal.rsplit("/", 1)[-1] not in {ou.id for ou in backend.ou}:
                raise _ram_error("UnknownResourceException", f"OrganizationalUnit {principal} could not be found")
        elif org is None or principal not in {a.id for a in backend.accounts}:
            raise _ram_error(
                "InvalidParameterException",
                f"{principal} is outside the organization and external principals are not allowed",
            )


def _advance(pool: Pool, key: str, record: PoolCidr) -> None:
    """Asynchronous provisioning: the state a waiter polls for appears on the second look (a deprovisioned
    CIDR is shown once more as deprovisioned, then it is gone)."""
    record.polls += 1
    if record.polls < 2:
        return
    if record.state == "pending-provision":
        record.state = "provisioned"
    elif record.state == "pending-deprovision":
        record.state = "deprovisioned"
        del pool.cidrs[key]
        if pool.source is not None:
            pool.source.allocations = {
                i: a
                for i, a in pool.source.allocations.items()
                if not (a.resource_id == pool.id and a.cidr == record.cidr)
            }


def _allocate_in(pool: Pool, cidr: Network, kind: str, resource: str, description: str = "") -> Allocation:
    provisioned = [c.cidr for c in pool.cidrs.values() if c.state == "provisioned"]
    if not any(cidr.version == p.version and cidr.subnet_of(p) for p in provisioned):
        raise error("InvalidParameterValue", f"{cidr} is not inside a CIDR provisioned in pool {pool.id}")
    clash = next(
        (a for a in pool.allocations.values() if a.cidr.version == cidr.version and a.cidr.overlaps(cidr)), None
    )
    if clash is not None:
        raise error("InvalidParameterValue", f"{cidr} overlaps {clash.cidr}, already allocated in pool {pool.id}")
    allocation = Allocation(new_id("ipam-pool-alloc"), cidr, kind, resource, description)
    pool.allocations[allocation.id] = allocation
    return allocation


def _free_block(pool: Pool, length: int) -> Network:
    for parent in (c.cidr for c in pool.cidrs.values() if c.state == "provisioned"):
        if length < parent.prefixlen:
            continue
        for candidate in parent.subnets(new_prefix=length):
            if not any(a.cidr.overlaps(candidate) for a in pool.allocations.values()):
                return candidate
    raise error("InsufficientCidrBlocks", f"pool {pool.id} has no free /{length}")


def _amazon_block(pool: Pool, length: int) -> Network:
    if pool.source is not None:
        return _free_block(pool.source, length)
    taken = [c.cidr for p in STATE.pools.values() for c in p.cidrs.values() if c.cidr.version == 6]
    return next(c for c in AMAZON_IPV6.subnets(new_prefix=length) if not any(c.overlaps(t) for t in taken))


def _create_service_linked_role(account: str, partition: str, service: str, name: str) -> None:
    """The service-linked role AWS creates with the call, under AWS's name (moto spells it AWSServiceRoleForipam
    and may have made it already, for example when Organizations registered the delegated administrator)."""
    iam = iam_backends[account][partition]
    moto_name = f"AWSServiceRoleFor{service.split('.')[0]}"
    role = next((r for r in iam.roles.values() if r.name in (name, moto_name)), None)
    if role is None:
        role = iam.create_service_linked_role(service_name=service, description=name, suffix="")
    role.name = name


def _ipam(ipam: Ipam) -> dict[str, Any]:
    private = next(s for s in ipam.scopes.values() if s.default and s.type == "private")
    public = next(s for s in ipam.scopes.values() if s.default and s.type == "public")
    return {
        "OwnerId": ipam.account,
        "IpamId": ipam.id,
        "IpamArn": ipam.arn,
        "IpamRegion": ipam.region,
        "PublicDefaultScopeId": public.id,
        "PrivateDefaultScopeId": private.id,
        "ScopeCount": len(ipam.scopes),
        "Description": ipam.description,
        "OperatingRegions": [{"RegionName": r} for r in ipam.operating_regions],
        "State": ipam.state,
        "Tags": _tag_list(ipam.tags),
        "Tier": ipam.tier,
        "DefaultResourceDiscoveryId": f"ipam-res-disco-{ipam.id[5:]}",
        "DefaultResourceDiscoveryAssociationId": f"ipam-res-disco-assoc-{ipam.id[5:]}",
        "ResourceDiscoveryAssociationCount": 1,
        "EnablePrivateGua": False,
    }


def _scope(scope: Scope) -> dict[str, Any]:
    return {
        "OwnerId": scope.ipam.account,
        "IpamScopeId": scope.id,
        "IpamScopeArn": scope.arn,
        "IpamArn": scope.ipam.arn,
        "IpamRegion": scope.ipam.region,
        "IpamScopeType": scope.type,
        "IsDefault": scope.default,
        "Description": scope.description,
        "PoolCount": sum(1 for p in STATE.pools.values() if p.scope is scope),
        "State": "create-complete",
        "Tags": _tag_list(scope.tags),
    }


def _pool(pool: Pool) -> dict[str, Any]:
    settings = {k: v for k, v in pool.settings.items() if v is not None}
    return {
        **settings,
        "OwnerId": _owner(pool),
        "IpamPoolId": pool.id,
        "IpamPoolArn": pool.arn,
        "IpamScopeArn": pool.scope.arn,
        "IpamScopeType": pool.scope.type,
        "IpamArn": pool.scope.ipam.arn,
        "IpamRegion": pool.scope.ipam.region,
        "Locale": pool.locale or "None",
        "PoolDepth": pool.depth,
        "State": pool.state,
        "AddressFamily": pool.family,
        "SourceIpamPoolId": pool.source.id if pool.source else None,
        "Tags": _tag_list(pool.tags),
    }


def _pool_cidr(record: PoolCidr) -> dict[str, Any]:
    return {
        "Cidr": str(record.cidr),
        "State": record.state,
        "IpamPoolCidrId": record.id,
        "NetmaskLength": record.cidr.prefixlen,
    }


def _allocation(allocation: Allocation) -> dict[str, Any]:
    return {
        "Cidr": str(allocation.cidr),
        "IpamPoolAllocationId": allocation.id,
        "Description": allocation.description,
        "ResourceId": allocation.resource_id,
        "ResourceType": allocation.resource_type,
        **({"ResourceOwner": allocation.owner, "ResourceRegion": allocation.region} if allocation.owner else {}),
    }


def _attach_policy(original):
    def attach_policy(self, **kwargs: Any) -> None:
        policy = self.get_policy_by_id(kwargs["PolicyId"])
        root = next((ou for ou in self.ou if isinstance(ou, FakeRoot)), None)
        if (
            policy.type == "SERVICE_CONTROL_POLICY"
            and not policy.aws_managed
            and root is not None
            and not any(t["Type"] == "SERVICE_CONTROL_POLICY" and t["Status"] == "ENABLED" for t in root.policy_types)
        ):
            raise PolicyTypeNotEnabledException
        return original(self, **kwargs)

    return attach_policy


def _create_policy(original):
    def create_policy(self, **kwargs: Any) -> dict[str, Any]:
        content = kwargs.get("Content", "")
        if kwargs.get("Type") == "SERVICE_CONTROL_POLICY":
            try:
                json.loads(content)
            except ValueError:
                raise _ram_error(
                    "MalformedPolicyDocumentException", "The provided policy document isn't valid JSON"
                ) from None
            if len(content) > SCP_MAX_CHARACTERS:
                raise _ram_error(
                    "ConstraintViolationException",
                    f"POLICY_CONTENT_LIMIT_EXCEEDED: {len(content)} characters, over {SCP_MAX_CHARACTERS}",
                )
        return original(self, **kwargs)

    return create_policy


def _shared_parameter(original):
    """GetParameter by the ARN of another account's parameter: allowed when a RAM share of that account holds the
    parameter and names the caller's account, its organization or an OU it is in."""

    def get_parameter(self, name: str):
        arn = re.fullmatch(r"arn:[a-z-]+:ssm:([a-z0-9-]+):([0-9]{12}):parameter(/.+)", name)
        if arn is None or arn[2] == self.account_id:
            return original(self, name)
        region, owner, path = arn[1], arn[2], arn[3]
        if region != self.region_name or not _shared_with(owner, region, name, self.account_id):
            return None
        return original(ssm_backends[owner][region], path)

    return get_parameter


def _shared_with(owner: str, region: str, resource_arn: str, account: str) -> bool:
    from moto.ram.models import ram_backends

    organizations = next(
        (
            b["aws"]
            for b in organizations_backends.values()
            if "aws" in b and b["aws"].org is not None and any(a.id == account for a in b["aws"].accounts)
        ),
        None,
    )
    reach = {account}
    if organizations is not None:
        member = next(a for a in organizations.accounts if a.id == account)
        reach |= {f"organization/{organizations.org.id}", f"ou/{organizations.org.id}/{member.parent_id}"}
    for share in ram_backends[owner][region].resource_shares:
        active = share.status == "ACTIVE" and resource_arn in share.resource_arns
        if active and any(p in reach or p.split(":", 5)[-1] in reach for p in share.principals):
            return True
    return False
