"""Read-only checks of the organization before deploy (preflight) and of the result after (verify)."""
from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from config.model import Config
from preflight.report import FAIL, PASS, UNKNOWN, WARN, Check
from config.principals import all_pools, principals, shares_with_organization
from validation.rules import operating_regions, walk

IPAM_SERVICE = "ipam.amazonaws.com"
RAM_SERVICE = "ram.amazonaws.com"
IPAM_SERVICE_LINKED_ROLE = "AWSServiceRoleForIPAM"
DELEGATION_ACTIONS = [
    "ec2:EnableIpamOrganizationAdminAccount",
    "organizations:EnableAwsServiceAccess",
    "organizations:RegisterDelegatedAdministrator",
    "iam:CreateServiceLinkedRole",
]


def _code(error: ClientError) -> str:
    return error.response.get("Error", {}).get("Code", "")


def _role_arn(caller_arn: str) -> str:
    """arn:aws:sts::1:assumed-role/Role/session -> arn:aws:iam::1:role/Role (what IAM can simulate)."""
    if ":assumed-role/" not in caller_arn:
        return caller_arn
    prefix, _, rest = caller_arn.partition(":assumed-role/")
    return f"{prefix.replace(':sts:', ':iam:')}:role/{rest.split('/')[0]}"


def _ipam_admins(organizations: Any) -> list[str]:
    return [a["Id"] for a in organizations.list_delegated_administrators(ServicePrincipal=IPAM_SERVICE)["DelegatedAdministrators"]]


def preflight(config: Config, management: Any, delegated: Any) -> list[Check]:
    """management / delegated: boto3 sessions (or anything with .client(name))."""
    org = config.organization
    checks: list[Check] = []
    caller = management.client("sts").get_caller_identity()
    organizations = management.client("organizations")
    if caller["Account"] != org.management_account_id:
        checks.append(Check("management credentials", FAIL, f"they belong to account {caller['Account']}, not {org.management_account_id}",
                            "use credentials (providers.management) for the organization's management account"))
        return checks
    try:
        described = organizations.describe_organization()["Organization"]
    except ClientError as error:
        checks.append(Check("management credentials", FAIL, f"DescribeOrganization failed: {_code(error)}",
                            "run from the management account of an AWS Organization"))
        return checks
    if described["Id"] != org.id:
        checks.append(Check("organization", FAIL, f"the credentials' organization is {described['Id']}, the config says {org.id}",
                            "fix organization.id or use the right credentials"))
    elif described["MasterAccountId"] != caller["Account"]:
        checks.append(Check("management credentials", FAIL, f"account {caller['Account']} is a member, not the management account {described['MasterAccountId']}",
                            "use credentials for the management account"))
    else:
        checks.append(Check("management credentials", PASS, f"account {caller['Account']} manages {org.id}"))
    checks.append(_ipam_account(organizations, config))
    checks.extend(_principals(organizations, config))
    services = [s["ServicePrincipal"] for s in organizations.list_aws_service_access_for_organization()["EnabledServicePrincipals"]]
    checks.extend(_delegated_admin(organizations, delegated, config, services))
    checks.append(_ram_sharing(services, config))
    checks.extend(_permissions(management.client("iam"), caller["Arn"]))
    return checks


def _ipam_account(organizations: Any, config: Config) -> Check:
    account_id = config.organization.ipam_account_id
    try:
        account = organizations.describe_account(AccountId=account_id)["Account"]
    except ClientError as error:
        return Check("IPAM account", FAIL, f"{account_id} is not in the organization ({_code(error)})",
                     "set organization.ipam_account_id to an ACTIVE member account")
    status = account.get("Status", "?")
    if status != "ACTIVE":
        return Check("IPAM account", FAIL, f"{account_id} is {status}", "choose an ACTIVE member account")
    return Check("IPAM account", PASS, f"{account_id} ({account.get('Name', '?')}) is an ACTIVE member account")


def _principals(organizations: Any, config: Config) -> list[Check]:
    checks = []
    for pool, principal in ((p.name, q) for p in all_pools(config.pools) for q in principals(p, config)):
        kind, value = principal.kind, principal.id
        try:
            if kind == "ou":
                organizations.describe_organizational_unit(OrganizationalUnitId=value)
            elif kind == "account":
                organizations.describe_account(AccountId=value)
            else:
                continue
        except ClientError as error:
            checks.append(Check(f'share of pool "{pool}"', FAIL, f"{kind} {value} does not exist in the organization ({_code(error)})",
                                "fix the ID in share, or create it first"))
            continue
        checks.append(Check(f'share of pool "{pool}"', PASS, f"{kind} {value} exists"))
    return checks


def _delegated_admin(organizations: Any, delegated: Any, config: Config, services: list[str]) -> list[Check]:
    account_id = config.organization.ipam_account_id
    admins = _ipam_admins(organizations)
    name = "IPAM delegated administrator"
    if not admins:
        checks = [Check(name, PASS, "none yet; the deploy delegates it with EnableIpamOrganizationAdminAccount")]
        if IPAM_SERVICE in services:
            checks.append(Check("IPAM trusted access", WARN,
                                f"trusted access for {IPAM_SERVICE} is enabled but no administrator is delegated: it was enabled without the EC2 delegation call",
                                "nothing to undo: the deploy's EnableIpamOrganizationAdminAccount completes it (never RegisterDelegatedAdministrator)"))
        return checks
    if admins != [account_id]:
        return [Check(name, FAIL, f"account {', '.join(admins)} is already the IPAM administrator (an organization has exactly one)",
                      f"aws ec2 disable-ipam-organization-admin-account --delegated-admin-account-id {admins[0]}, or set organization.ipam_account_id to it")]
    try:
        delegated.client("iam").get_role(RoleName=IPAM_SERVICE_LINKED_ROLE)
    except ClientError as error:
        if _code(error) == "NoSuchEntity":
            return [Check(name, FAIL, f"{account_id} is registered, but {IPAM_SERVICE_LINKED_ROLE} is missing in it: it was registered with Organizations' RegisterDelegatedAdministrator",
                          f"aws organizations deregister-delegated-administrator --account-id {account_id} --service-principal {IPAM_SERVICE}; the deploy then delegates with the EC2 call")]
        return [Check(name, UNKNOWN, f"{account_id} is registered; cannot read its IAM roles ({_code(error)})",
                      f"check that {IPAM_SERVICE_LINKED_ROLE} exists in {account_id}")]
    return [Check(name, PASS, f"{account_id} is already delegated, with {IPAM_SERVICE_LINKED_ROLE} in place")]


def _ram_sharing(services: list[str], config: Config) -> Check:
    if RAM_SERVICE in services:
        return Check("RAM sharing with the organization", PASS, "enabled")
    if shares_with_organization(config):
        return Check("RAM sharing with the organization", WARN, "not enabled yet; pools are shared with the organization or OUs",
                     "nothing to do: the deploy enables it (aws_ram_sharing_with_organization) before associating principals")
    return Check("RAM sharing with the organization", PASS, "not enabled, and not needed (no organization or OU shares)")


def _permissions(iam: Any, caller_arn: str) -> list[Check]:
    source = _role_arn(caller_arn)
    try:
        results = iam.simulate_principal_policy(PolicySourceArn=source, ActionNames=DELEGATION_ACTIONS)["EvaluationResults"]
    except (ClientError, BotoCoreError, ResponseParserError) as error:  # not permitted, or an endpoint without the API
        code = _code(error) if isinstance(error, ClientError) else type(error).__name__
        return [Check("delegation permissions", UNKNOWN, f"cannot simulate {source}'s policies ({code})",
                      "allow iam:SimulatePrincipalPolicy, or check by hand: " + ", ".join(DELEGATION_ACTIONS))]
    denied = [r["EvalActionName"] for r in results if r["EvalDecision"] != "allowed"]
    if denied:
        return [Check("delegation permissions", FAIL, f"{source} may not call {', '.join(denied)}",
                      "grant them (python -m preflight policy --role management prints a least-privilege policy)")]
    return [Check("delegation permissions", PASS, f"{source} may call {', '.join(DELEGATION_ACTIONS)}")]


def verify(config: Config, management: Any, delegated: Any) -> list[Check]:
    """After deploy: delegation, IPAM, pools and CIDRs, shares and principals."""
    org = config.organization
    checks = []
    admins = _ipam_admins(management.client("organizations"))
    checks.append(Check("IPAM delegated administrator", PASS if admins == [org.ipam_account_id] else FAIL,
                        f"registered: {', '.join(admins) or 'none'}", "deploy the management stack"))
    ec2 = delegated.client("ec2")
    ipams = ec2.describe_ipams()["Ipams"]
    ipam = next((i for i in ipams if i.get("IpamRegion") == config.home_region), None)
    if ipam is None:
        checks.append(Check("IPAM", FAIL, f"no IPAM in the home region {config.home_region}", "deploy the delegated stack"))
        return checks
    regions = sorted(r["RegionName"] for r in ipam.get("OperatingRegions", []))
    problems = []
    if regions != sorted(operating_regions(config)):
        problems.append(f"operating regions {', '.join(regions)} (configured: {', '.join(sorted(operating_regions(config)))})")
    if ipam.get("Tier", "advanced") != config.ipam.tier:
        problems.append(f"tier {ipam.get('Tier')} (configured: {config.ipam.tier})")
    checks.append(Check("IPAM", FAIL if problems else PASS, f"{ipam['IpamId']}: " + ("; ".join(problems) or f"tier {config.ipam.tier}, regions {', '.join(regions)}"),
                        "run cdktf deploy; someone changed the IPAM outside Terraform"))
    checks.extend(_verify_pools(ec2, ipam, config))
    checks.extend(_verify_shares(delegated.client("ram"), config))
    return checks


def _verify_pools(ec2: Any, ipam: Any, config: Config) -> list[Check]:
    scopes = {ipam.get("PrivateDefaultScopeId"), ipam.get("PublicDefaultScopeId")}
    pools = {}
    for pool in ec2.describe_ipam_pools()["IpamPools"]:
        if pool.get("IpamScopeArn", "").rsplit("/", 1)[-1] in scopes or pool.get("IpamArn") == ipam.get("IpamArn"):
            name = next((t["Value"] for t in pool.get("Tags", []) if t["Key"] == "Name"), None)
            pools[name] = pool
    checks = []
    for node in walk(config.pools):
        spec = node.pool
        found = pools.get(spec.name)
        if found is None:
            checks.append(Check(f'pool "{spec.name}"', FAIL, "not found (no pool tagged Name=" + spec.name + ")", "deploy the delegated stack"))
            continue
        cidrs = {c["Cidr"]: c.get("State") for c in ec2.get_ipam_pool_cidrs(IpamPoolId=found["IpamPoolId"])["IpamPoolCidrs"]}
        missing = [c for c in spec.cidrs or [] if cidrs.get(c) != "provisioned"]
        if spec.netmask_length is not None and "provisioned" not in cidrs.values():
            missing.append(f"/{spec.netmask_length}")
        states = ", ".join(f"{c} ({cidrs.get(c, 'absent')})" for c in missing)
        detail = f"{found['IpamPoolId']}: " + (f"not provisioned: {states}" if missing else f"{len(cidrs)} CIDR(s) provisioned")
        checks.append(Check(f'pool "{spec.name}"', FAIL if missing else PASS, detail, "wait for provisioning to finish, or deploy again"))
    return checks


def _verify_shares(ram: Any, config: Config) -> list[Check]:
    checks = []
    for node in walk(config.pools):
        if node.pool.share is None:
            continue
        name = f"ipam-pool-{node.pool.name}"
        shares = ram.get_resource_shares(resourceOwner="SELF", name=name)["resourceShares"]
        active = [s for s in shares if s.get("name") == name and s.get("status") == "ACTIVE"]
        if not active:
            checks.append(Check(f'share of pool "{node.pool.name}"', FAIL, f"no ACTIVE RAM share named {name}", "deploy the delegated stack"))
            continue
        associations = ram.get_resource_share_associations(associationType="PRINCIPAL", resourceShareArns=[active[0]["resourceShareArn"]])
        associated = {a["associatedEntity"] for a in associations["resourceShareAssociations"] if a.get("status") == "ASSOCIATED"}
        expected = {p.value for p in principals(node.pool, config)}
        missing = sorted(expected - associated)
        checks.append(Check(f'share of pool "{node.pool.name}"', FAIL if missing else PASS,
                            f"not associated: {', '.join(missing)}" if missing else f"ACTIVE, {len(expected)} principal(s) associated",
                            "deploy again; principal associations need RAM sharing with the organization"))
    return checks

