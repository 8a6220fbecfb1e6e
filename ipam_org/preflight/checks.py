"""Read-only checks of the organization before deploy (preflight) and of the result after (verify)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from ipam_org.aws.names import resolve_names, uses_names
from ipam_org.aws.shapes import IPAM_SERVICE, RAM_SERVICE, name_tag
from ipam_org.config.model import Config
from ipam_org.domain import ACCOUNT_ID, OU_ID, by_name, last_segment, operating_regions, walk
from ipam_org.domain.guardrails import GUARDED_ACTIONS, SCPS_PER_TARGET, guarded_ous
from ipam_org.domain.handoff import FACTS, parameter_name, published_pools
from ipam_org.domain.principals import all_pools, principals, share_name, shares_with_organization
from ipam_org.preflight.alarms import verify_alarms
from ipam_org.preflight.policy import policy
from ipam_org.preflight.report import FAIL, PASS, UNKNOWN, WARN, Check
from ipam_org.preflight.state import Deployed

IPAM_SERVICE_LINKED_ROLE = "AWSServiceRoleForIPAM"
RAM_SERVICE_LINKED_ROLE = "AWSServiceRoleForResourceAccessManager"
# What the management stack calls that a deployer role is most often missing.
MANAGEMENT_ACTIONS = [
    "ec2:EnableIpamOrganizationAdminAccount",
    "organizations:EnableAwsServiceAccess",
    "organizations:RegisterDelegatedAdministrator",
    "iam:CreateServiceLinkedRole",
    "ram:EnableSharingWithAwsOrganization",
]
GUARDRAIL_ACTIONS = ["organizations:CreatePolicy", "organizations:AttachPolicy"]


def _code(error: ClientError) -> str:
    return error.response.get("Error", {}).get("Code", "")


def _role_arn(iam: Any, caller_arn: str) -> str:
    """arn:aws:sts::1:assumed-role/Role/session -> the role's IAM ARN, with its path (what IAM can simulate).

    An assumed-role ARN drops the role's path; IAM has it.
    """
    if ":assumed-role/" not in caller_arn:
        return caller_arn
    prefix, _, rest = caller_arn.partition(":assumed-role/")
    name = rest.split("/")[0]
    try:
        return iam.get_role(RoleName=name)["Role"]["Arn"]
    except (ClientError, BotoCoreError, ResponseParserError):
        return f"{prefix.replace(':sts:', ':iam:')}:role/{name}"  # no iam:GetRole: right unless the role has a path


def _ipam_admins(organizations: Any) -> list[str]:
    return [
        a["Id"]
        for a in organizations.list_delegated_administrators(ServicePrincipal=IPAM_SERVICE)["DelegatedAdministrators"]
    ]


def preflight(config: Config, management: Any, delegated: Any, own: Deployed | None = None) -> list[Check]:
    """management / delegated: boto3 sessions (or anything with .client(name)); own: what this config's state
    holds, so that its own IPAM and delegation pass on day 2."""
    own = own or Deployed()
    org = config.organization
    checks: list[Check] = []
    caller = management.client("sts").get_caller_identity()
    organizations = management.client("organizations")
    if caller["Account"] != org.management_account_id:
        checks.append(
            Check(
                "management credentials",
                FAIL,
                f"they belong to account {caller['Account']}, not {org.management_account_id}",
                "use credentials (providers.management) for the organization's management account",
            )
        )
        return checks
    try:
        described = organizations.describe_organization()["Organization"]
    except ClientError as error:
        checks.append(
            Check(
                "management credentials",
                FAIL,
                f"DescribeOrganization failed: {_code(error)}",
                "run from the management account of an AWS Organization",
            )
        )
        return checks
    if described["Id"] != org.id:
        checks.append(
            Check(
                "organization",
                FAIL,
                f"the credentials' organization is {described['Id']}, the config says {org.id}",
                "fix organization.id or use the right credentials",
            )
        )
    elif described["MasterAccountId"] != caller["Account"]:
        checks.append(
            Check(
                "management credentials",
                FAIL,
                f"account {caller['Account']} is a member, not the management account {described['MasterAccountId']}",
                "use credentials for the management account",
            )
        )
    else:
        checks.append(Check("management credentials", PASS, f"account {caller['Account']} manages {org.id}"))
    checks.append(_feature_set(described))
    checks.append(_ipam_account(organizations, config))
    delegated_check = _delegated_credentials(delegated, organizations, config)
    checks.append(delegated_check)
    checks.extend(_principals(organizations, config))
    services = [
        s["ServicePrincipal"]
        for s in organizations.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    ]
    in_ipam_account = (
        delegated if delegated_check.status == PASS else None
    )  # else its IAM and EC2 are another account's
    checks.extend(_delegated_admin(organizations, in_ipam_account, config, services, own))
    checks.extend(_existing_ipams(management, in_ipam_account, config, own))
    if own.unreadable:
        checks.append(
            Check(
                "own state",
                UNKNOWN,
                f"cannot read {', '.join(own.unreadable)}: what this config deployed is not known",
                "allow s3:GetObject on the state, or check the IPAM and delegation by hand",
            )
        )
    iam = management.client("iam")
    checks.append(_ram_sharing(services, config, iam))
    checks.extend(_guardrail(organizations, config))
    checks.extend(
        _permissions(iam, caller["Arn"], MANAGEMENT_ACTIONS + (GUARDRAIL_ACTIONS if guarded_ous(config) else []))
    )
    return checks


def _guardrail(organizations: Any, config: Config, denied: Sequence[str] = GUARDED_ACTIONS) -> list[Check]:
    """SCPs enabled, room for one more SCP on each OU, and no deployer action among those the SCP denies."""
    ous = guarded_ous(config)
    if not ous:
        return []
    roots = organizations.list_roots()["Roots"]
    enabled = any(
        t.get("Type") == "SERVICE_CONTROL_POLICY" and t.get("Status") == "ENABLED"
        for r in roots
        for t in r.get("PolicyTypes", [])
    )
    root = roots[0]["Id"] if roots else "<root-id>"
    checks = [
        Check("SCPs", PASS, "service control policies are enabled in the organization")
        if enabled
        else Check(
            "SCPs",
            FAIL,
            "service control policies are not enabled: attaching the guardrail fails (PolicyTypeNotEnabledException)",
            f"aws organizations enable-policy-type --root-id {root} --policy-type SERVICE_CONTROL_POLICY (an "
            "organization-wide"
            " setting this tool never changes; AWS attaches FullAWSAccess everywhere first, so nothing else changes)",
        )
    ]
    for ou in ous:
        name = f"guardrail on {ou.id}"
        try:
            attached = organizations.list_policies_for_target(TargetId=ou.id, Filter="SERVICE_CONTROL_POLICY")[
                "Policies"
            ]
        except ClientError as error:
            checks.append(
                Check(
                    name,
                    FAIL,
                    f"OU {ou.id} cannot be read ({_code(error)})",
                    "fix guardrails.require_ipam_for_vpcs.organizational_units",
                )
            )
            continue
        ours = any(p.get("Name") == ou.policy_name for p in attached)
        if not ours and len(attached) >= SCPS_PER_TARGET:
            checks.append(
                Check(
                    name,
                    FAIL,
                    f"{ou.id} already has {len(attached)} SCPs attached, AWS's limit per OU",
                    "detach one, or merge SCPs, before deploying the guardrail",
                )
            )
        else:
            checks.append(
                Check(
                    name,
                    PASS,
                    f"{ou.id} has {len(attached)} SCP(s) attached" + ("" if ours else "; room for the guardrail"),
                )
            )
    deployer = set(policy("management")["Statement"][0]["Action"]) | set(policy("delegated")["Statement"][0]["Action"])
    blocked = sorted(deployer & set(denied))
    checks.append(
        Check(
            "guardrail lock-out",
            FAIL,
            f"the SCP denies {', '.join(blocked)}, which the deployer roles call",
            "report this as a bug",
        )
        if blocked
        else Check(
            "guardrail lock-out",
            PASS,
            f"the SCP denies only {', '.join(denied)}, which neither deployer role calls; the IPAM account"
            f" {config.organization.ipam_account_id} is always exempt and SCPs never restrict the management account",
        )
    )
    return checks


def _feature_set(described: dict[str, Any]) -> Check:
    feature_set = described.get("FeatureSet", "ALL")
    if feature_set == "ALL":
        return Check("organization features", PASS, "all features enabled")
    return Check(
        "organization features",
        FAIL,
        f"{described['Id']} has {feature_set} only: trusted access, delegated administrators and RAM sharing with the "
        "organization need all features",
        "aws organizations enable-all-features (every member account must then accept)",
    )


def _delegated_credentials(delegated: Any, organizations: Any, config: Config) -> Check:
    """The delegated provider must act in the IPAM account, or its allowed_account_ids refuses it after the management
    stack deployed."""
    account_id = config.organization.ipam_account_id
    name = "delegated credentials"
    try:
        caller = delegated.client("sts").get_caller_identity()
    except ClientError as error:
        return Check(
            name,
            FAIL,
            f"sts:GetCallerIdentity failed ({_code(error)})",
            "check providers.delegated (role_arn, profile)",
        )
    if caller["Account"] == account_id:
        return Check(name, PASS, f"{caller['Arn']} acts in the IPAM account {account_id}")
    try:
        organizations.describe_account(AccountId=caller["Account"])
        where = "another account of the organization"
    except ClientError:
        where = "an account outside the organization"
    return Check(
        name,
        FAIL,
        f"they belong to account {caller['Account']}, {where}, not the IPAM account {account_id}",
        f"point providers.delegated.role_arn (or profile) at a role in {account_id}",
    )


def _ipam_account(organizations: Any, config: Config) -> Check:
    account_id = config.organization.ipam_account_id
    try:
        account = organizations.describe_account(AccountId=account_id)["Account"]
    except ClientError as error:
        return Check(
            "IPAM account",
            FAIL,
            f"{account_id} is not in the organization ({_code(error)})",
            "set organization.ipam_account_id to an ACTIVE member account",
        )
    # State replaces Status (which AWS retires on 2026-09-09); read Status only where State is absent.
    status = account.get("State") or account.get("Status", "?")
    if status != "ACTIVE":
        return Check("IPAM account", FAIL, f"{account_id} is {status}", "choose an ACTIVE member account")
    return Check("IPAM account", PASS, f"{account_id} ({account.get('Name', '?')}) is an ACTIVE member account")


def _principals(organizations: Any, config: Config) -> list[Check]:
    """Every principal in share exists; OU name paths and account names are resolved first, as main.py does."""
    checks = []
    if uses_names(config):
        config, problems = resolve_names(config, organizations)
        checks.extend(
            Check(f"share {by_name(p.path, config.pools)}", FAIL, p.message, "fix the name, or use the ID")
            for p in problems
        )
    for pool, principal in ((p.name, q) for p in all_pools(config.pools) for q in principals(p, config)):
        kind, value = principal.kind, principal.id
        if (kind == "ou" and not OU_ID.fullmatch(value)) or (kind == "account" and not ACCOUNT_ID.fullmatch(value)):
            continue  # a name that did not resolve, reported above
        try:
            if kind == "ou":
                organizations.describe_organizational_unit(OrganizationalUnitId=value)
            elif kind == "account":
                organizations.describe_account(AccountId=value)
            else:
                continue
        except ClientError as error:
            checks.append(
                Check(
                    f'share of pool "{pool}"',
                    FAIL,
                    f"{kind} {value} does not exist in the organization ({_code(error)})",
                    "fix the ID in share, or create it first",
                )
            )
            continue
        checks.append(Check(f'share of pool "{pool}"', PASS, f"{kind} {value} exists"))
    return checks


def _delegated_admin(
    organizations: Any, delegated: Any | None, config: Config, services: list[str], own: Deployed
) -> list[Check]:
    """delegated: None when the delegated credentials are not the IPAM account's (its IAM cannot be read)."""
    account_id = config.organization.ipam_account_id
    admins = _ipam_admins(organizations)
    name = "IPAM delegated administrator"
    if not admins:
        checks = [Check(name, PASS, "none yet; the deploy delegates it with EnableIpamOrganizationAdminAccount")]
        if IPAM_SERVICE in services:
            checks.append(
                Check(
                    "IPAM trusted access",
                    WARN,
                    f"trusted access for {IPAM_SERVICE} is enabled but no administrator is delegated: it was enabled "
                    "without the EC2 delegation call",
                    "nothing to undo: the deploy's EnableIpamOrganizationAdminAccount completes it (never "
                    "RegisterDelegatedAdministrator)",
                )
            )
        return checks
    if admins != [account_id]:
        return [
            Check(
                name,
                FAIL,
                f"account {', '.join(admins)} is already the IPAM administrator (an organization has exactly one)",
                f"aws ec2 disable-ipam-organization-admin-account --delegated-admin-account-id {admins[0]}, or set "
                "organization.ipam_account_id to it",
            )
        ]
    if delegated is None:
        return [
            Check(
                name,
                UNKNOWN,
                f"{account_id} is registered; its IAM roles cannot be read with the delegated credentials",
                f"fix the delegated credentials, then check that {IPAM_SERVICE_LINKED_ROLE} exists in {account_id}",
            )
        ]
    try:
        delegated.client("iam").get_role(RoleName=IPAM_SERVICE_LINKED_ROLE)
    except ClientError as error:
        if _code(error) == "NoSuchEntity":
            return [
                Check(
                    name,
                    FAIL,
                    f"{account_id} is registered, but {IPAM_SERVICE_LINKED_ROLE} is missing in it: it was registered "
                    "with Organizations' RegisterDelegatedAdministrator",
                    f"aws organizations deregister-delegated-administrator --account-id {account_id} "
                    f"--service-principal {IPAM_SERVICE}; the deploy then delegates with the EC2 call",
                )
            ]
        return [
            Check(
                name,
                UNKNOWN,
                f"{account_id} is registered; cannot read its IAM roles ({_code(error)})",
                f"check that {IPAM_SERVICE_LINKED_ROLE} exists in {account_id}",
            )
        ]
    adopted = config.adopt is not None and config.adopt.delegation
    if own.holds("aws_vpc_ipam_organization_admin_account", account_id):
        how = f"this config delegated it (its state: {own.where()})"
    elif adopted:
        how = "adopt.delegation imports it"
    else:
        how = "the deploy takes it over (set adopt.delegation: true to import it instead)"
    return [Check(name, PASS, f"{account_id} is already delegated, with {IPAM_SERVICE_LINKED_ROLE} in place; {how}")]


def _existing_ipams(management: Any, delegated: Any | None, config: Config, own: Deployed) -> list[Check]:
    """IPAMs that already exist where the deploy would build one: AWS allows one per Region per account."""
    region, account = config.home_region, config.organization.ipam_account_id
    adopted = config.adopt.ipam if config.adopt else None
    discover = f"ipam-org discover --region {region} --out ipam.yaml"
    checks = []
    if delegated is not None:
        try:
            found = [
                i["IpamId"] for i in delegated.client("ec2").describe_ipams()["Ipams"] if i.get("IpamRegion") == region
            ]
        except (ClientError, BotoCoreError, ResponseParserError) as error:
            code = _code(error) if isinstance(error, ClientError) else type(error).__name__
            found = None
            checks.append(
                Check("existing IPAM", UNKNOWN, f"cannot list IPAMs in {account} ({code})", "allow ec2:DescribeIpams")
            )
        foreign = [i for i in found or [] if not own.holds("aws_vpc_ipam", i)]
        if found and not foreign:
            checks.append(
                Check(
                    "existing IPAM",
                    PASS,
                    f"{', '.join(found)} in {account} {region} is this config's own (its state: {own.where()}); "
                    "the deploy updates it",
                )
            )
        elif found is not None and adopted is not None and adopted not in found:
            checks.append(
                Check(
                    "existing IPAM",
                    FAIL,
                    f"adopt.ipam {adopted} is not an IPAM of {account} in {region} (found: "
                    f"{', '.join(found) or 'none'})",
                    f"run {discover} again",
                )
            )
        elif found and adopted is None:
            checks.append(
                Check(
                    "existing IPAM",
                    FAIL,
                    f"{account} already has IPAM {', '.join(foreign)} in {region}, which neither this config's state "
                    "holds nor the config adopts; AWS allows one IPAM per Region per account",
                    f"adopt it: {discover}",
                )
            )
        elif found is not None:
            checks.append(
                Check(
                    "existing IPAM",
                    PASS,
                    f"adopting {adopted}" if adopted else f"none in {account} {region}; the deploy creates it",
                )
            )
    try:
        stray = [
            i["IpamId"]
            for i in management.client("ec2").describe_ipams()["Ipams"]
            if i.get("OwnerId", config.organization.management_account_id) == config.organization.management_account_id
        ]
    except (ClientError, BotoCoreError, ResponseParserError):
        stray = []  # not knowing is no reason to warn; the delegated account's IPAM is what the deploy needs
    if stray:
        checks.append(
            Check(
                "IPAM in the management account",
                WARN,
                f"{', '.join(stray)} was built in the management account {config.organization.management_account_id} "
                "(before delegation); IPAMs cannot move between accounts, so ipam-org builds the organization's IPAM "
                f"in {account} beside it",
                "move VPC allocations to the new pools, then delete the old IPAM from the management account (aws ec2 "
                "delete-ipam --cascade); until then it keeps working as a single-account IPAM",
            )
        )
    return checks


def _ram_sharing(services: list[str], config: Config, iam: Any) -> Check:
    name = "RAM sharing with the organization"
    needed = shares_with_organization(config)
    if RAM_SERVICE in services:
        try:
            iam.get_role(RoleName=RAM_SERVICE_LINKED_ROLE)
        except ClientError as error:
            if _code(error) != "NoSuchEntity":
                return Check(
                    name,
                    UNKNOWN,
                    f"trusted access is enabled; cannot read {RAM_SERVICE_LINKED_ROLE} ({_code(error)})",
                    "allow iam:GetRole",
                )
            fix = (
                "nothing to do: the deploy calls EnableSharingWithAwsOrganization, which creates it"
                if needed
                else "aws ram enable-sharing-with-aws-organization, from the management account"
            )
            return Check(
                name,
                WARN,
                f"trusted access for {RAM_SERVICE} is enabled but {RAM_SERVICE_LINKED_ROLE} is missing: it was "
                "enabled outside RAM",
                fix,
            )
        return Check(name, PASS, f"enabled, with {RAM_SERVICE_LINKED_ROLE}")
    if needed:
        return Check(
            name,
            WARN,
            "not enabled yet; pools are shared with the organization or OUs",
            "nothing to do: the deploy enables it (aws_ram_sharing_with_organization) before associating principals",
        )
    if any(pool.share is not None for pool in all_pools(config.pools)):
        return Check(
            name,
            WARN,
            "not enabled, and pools are shared with accounts only: each account gets an invitation it must accept "
            "before it sees the pool",
            "accept with aws ram accept-resource-share-invitation in each account, or share with an OU or the "
            "organization",
        )
    return Check(name, PASS, "not enabled, and not needed (no shares)")


def _permissions(iam: Any, caller_arn: str, actions: list[str]) -> list[Check]:
    source = _role_arn(iam, caller_arn)
    try:
        results = iam.simulate_principal_policy(PolicySourceArn=source, ActionNames=actions)["EvaluationResults"]
    except (ClientError, BotoCoreError, ResponseParserError) as error:  # not permitted, or an endpoint without the API
        code = _code(error) if isinstance(error, ClientError) else type(error).__name__
        return [
            Check(
                "deployer permissions",
                UNKNOWN,
                f"cannot simulate {source}'s policies ({code})",
                "allow iam:SimulatePrincipalPolicy, or check by hand: " + ", ".join(actions),
            )
        ]
    denied = [r["EvalActionName"] for r in results if r["EvalDecision"] != "allowed"]
    if denied:
        return [
            Check(
                "deployer permissions",
                FAIL,
                f"{source} may not call {', '.join(denied)}",
                "grant them (ipam-org preflight policy --role management prints a least-privilege policy)",
            )
        ]
    return [Check("deployer permissions", PASS, f"{source} may call {', '.join(actions)}")]


def verify(config: Config, management: Any, delegated: Any) -> list[Check]:
    """After deploy: delegation, IPAM, pools and CIDRs, shares and principals, and the alarms."""
    org = config.organization
    checks = []
    admins = _ipam_admins(management.client("organizations"))
    checks.append(
        Check(
            "IPAM delegated administrator",
            PASS if admins == [org.ipam_account_id] else FAIL,
            f"registered: {', '.join(admins) or 'none'}",
            "deploy the management stack",
        )
    )
    ec2 = delegated.client("ec2")
    ipams = ec2.describe_ipams()["Ipams"]
    ipam = next((i for i in ipams if i.get("IpamRegion") == config.home_region), None)
    if ipam is None:
        checks.append(
            Check("IPAM", FAIL, f"no IPAM in the home region {config.home_region}", "deploy the delegated stack")
        )
        return checks
    regions = sorted(r["RegionName"] for r in ipam.get("OperatingRegions", []))
    problems = []
    if regions != sorted(operating_regions(config)):
        problems.append(
            f"operating regions {', '.join(regions)} (configured: {', '.join(sorted(operating_regions(config)))})"
        )
    if ipam.get("Tier", "advanced") != config.ipam.tier:
        problems.append(f"tier {ipam.get('Tier')} (configured: {config.ipam.tier})")
    checks.append(
        Check(
            "IPAM",
            FAIL if problems else PASS,
            f"{ipam['IpamId']}: " + ("; ".join(problems) or f"tier {config.ipam.tier}, regions {', '.join(regions)}"),
            "run cdktf deploy; someone changed the IPAM outside Terraform",
        )
    )
    pools = _pools_by_name(ec2, ipam)
    scopes = _scope_ids(ec2, ipam, config)
    checks.extend(
        Check(
            f'scope "{scope.name}"',
            PASS if scopes.get(scope.name) else FAIL,
            scopes.get(scope.name) or f"no custom scope tagged Name={scope.name} in {ipam['IpamId']}",
            "deploy the delegated stack",
        )
        for scope in config.scopes
    )
    checks.extend(_verify_pools(ec2, pools, scopes, config))
    ram = delegated.client("ram")
    checks.extend(_verify_shares(ram, config))
    checks.extend(_verify_parameters(delegated.client("ssm"), ram, pools, config))
    checks.extend(_verify_guardrails(management.client("organizations"), pools, config))
    checks.extend(verify_alarms(delegated.client("cloudwatch"), delegated.client("sns"), pools, config))
    return checks


def _pools_by_name(ec2: Any, ipam: Any) -> dict[str | None, Any]:
    """The IPAM's pools by their Name tag (the constructs tag every pool with its name)."""
    scopes = {ipam.get("PrivateDefaultScopeId"), ipam.get("PublicDefaultScopeId")}
    pools = {}
    for pool in ec2.describe_ipam_pools()["IpamPools"]:
        if last_segment(pool.get("IpamScopeArn", "")) in scopes or pool.get("IpamArn") == ipam.get("IpamArn"):
            name = name_tag(pool)
            pools[name] = pool
    return pools


def _verify_guardrails(organizations: Any, pools: dict[str | None, Any], config: Config) -> list[Check]:
    """Each guarded OU has the SCP attached, and it names exactly the IDs of the pools shared with the OU."""
    checks = []
    for ou in guarded_ous(config):
        name = f"guardrail on {ou.id}"
        attached = organizations.list_policies_for_target(TargetId=ou.id, Filter="SERVICE_CONTROL_POLICY")["Policies"]
        found = next((p for p in attached if p.get("Name") == ou.policy_name), None)
        if found is None:
            checks.append(
                Check(
                    name,
                    FAIL,
                    f"no SCP named {ou.policy_name} is attached to {ou.id}",
                    "deploy the guardrail (ipam-guardrails in the split layout)",
                )
            )
            continue
        content = json.loads(organizations.describe_policy(PolicyId=found["Id"])["Policy"]["Content"])
        named = {
            v
            for s in content.get("Statement", [])
            for key in ("ec2:Ipv4IpamPoolId", "ec2:Ipv6IpamPoolId")
            for v in s.get("Condition", {}).get("StringNotEquals", {}).get(key, [])
        }
        expected = {pools[p.name]["IpamPoolId"] for p in (*ou.ipv4, *ou.ipv6) if p.name in pools}
        problem = named != expected
        checks.append(
            Check(
                name,
                FAIL if problem else PASS,
                f"{found['Id']} names {', '.join(sorted(named))}, the pools shared with it are "
                f"{', '.join(sorted(expected))}"
                if problem
                else f"{found['Id']} attached, naming the {len(expected)} pool(s) shared with {ou.id}",
                "deploy again",
            )
        )
    return checks


def _verify_parameters(ssm: Any, ram: Any, pools: dict[str | None, Any], config: Config) -> list[Check]:
    """Each published pool's parameters hold its ID and ARN, and are in its RAM share."""
    checks = []
    for spec in published_pools(config):
        name, pool = f'parameters of pool "{spec.name}"', pools.get(spec.name)
        try:
            found = {fact: ssm.get_parameter(Name=parameter_name(spec.name, fact))["Parameter"] for fact in FACTS}
        except ClientError as error:
            checks.append(
                Check(
                    name,
                    FAIL,
                    f"missing under {parameter_name(spec.name, '')} ({_code(error)})",
                    "deploy the delegated stack",
                )
            )
            continue
        problems = [
            f"{fact} is {found[fact]['Value']}"
            for fact, key in (("id", "IpamPoolId"), ("arn", "IpamPoolArn"))
            if pool is None or found[fact]["Value"] != pool[key]
        ]
        named = share_name(spec)
        shares = ram.get_resource_shares(resourceOwner="SELF", name=named)["resourceShares"]
        shared = set()
        if shares:
            associations = ram.get_resource_share_associations(
                associationType="RESOURCE", resourceShareArns=[shares[0]["resourceShareArn"]]
            )
            shared = {
                a["associatedEntity"]
                for a in associations["resourceShareAssociations"]
                if a.get("status") == "ASSOCIATED"
            }
        problems += [f"{fact} is not in the share {named}" for fact in FACTS if found[fact]["ARN"] not in shared]
        checks.append(
            Check(
                name,
                FAIL if problems else PASS,
                "; ".join(problems) or f"{len(FACTS)} parameters, shared through {named}",
                "deploy again",
            )
        )
    return checks


def _scope_ids(ec2: Any, ipam: Any, config: Config) -> dict[str, str | None]:
    """Scope name -> ID: the IPAM's two default scopes, and its custom scopes by their Name tag (read only when the
    config has custom scopes)."""
    found = {"private": ipam.get("PrivateDefaultScopeId"), "public": ipam.get("PublicDefaultScopeId")}
    if config.scopes:
        for scope in ec2.describe_ipam_scopes()["IpamScopes"]:
            if scope.get("IpamArn") == ipam.get("IpamArn") and not scope.get("IsDefault"):
                name = name_tag(scope)
                found[name] = scope["IpamScopeId"]
    return found


def _verify_pools(ec2: Any, pools: dict[str | None, Any], scopes: dict[str, str | None], config: Config) -> list[Check]:
    checks = []
    for node in walk(config.pools):
        spec = node.pool
        found = pools.get(spec.name)
        if found is None:
            checks.append(
                Check(
                    f'pool "{spec.name}"',
                    FAIL,
                    "not found (no pool tagged Name=" + spec.name + ")",
                    "deploy the delegated stack",
                )
            )
            continue
        cidrs = {
            c["Cidr"]: c.get("State") for c in ec2.get_ipam_pool_cidrs(IpamPoolId=found["IpamPoolId"])["IpamPoolCidrs"]
        }
        missing = [c for c in spec.cidrs or [] if cidrs.get(c) != "provisioned"]
        if spec.netmask_length is not None and "provisioned" not in cidrs.values():
            missing.append(f"/{spec.netmask_length}")
        states = ", ".join(f"{c} ({cidrs.get(c, 'absent')})" for c in missing)
        detail = f"{found['IpamPoolId']}: " + (
            f"not provisioned: {states}" if missing else f"{len(cidrs)} CIDR(s) provisioned"
        )
        in_scope = last_segment(found.get("IpamScopeArn", ""))
        if in_scope != scopes.get(spec.scope):
            checks.append(
                Check(
                    f'pool "{spec.name}"',
                    FAIL,
                    f"{found['IpamPoolId']} is in scope {in_scope or '?'}, not in the {spec.scope} scope "
                    f"({scopes.get(spec.scope) or 'not found'})",
                    "a pool cannot move between scopes: replace it (deploy), after moving its allocations",
                )
            )
            continue
        checks.append(
            Check(
                f'pool "{spec.name}"',
                FAIL if missing else PASS,
                detail,
                "wait for provisioning to finish, or deploy again",
            )
        )
    return checks


def _verify_shares(ram: Any, config: Config) -> list[Check]:
    checks = []
    for node in walk(config.pools):
        if node.pool.share is None:
            continue
        name = share_name(node.pool)
        shares = ram.get_resource_shares(resourceOwner="SELF", name=name)["resourceShares"]
        active = [s for s in shares if s.get("name") == name and s.get("status") == "ACTIVE"]
        if not active:
            checks.append(
                Check(
                    f'share of pool "{node.pool.name}"',
                    FAIL,
                    f"no ACTIVE RAM share named {name}",
                    "deploy the delegated stack",
                )
            )
            continue
        associations = ram.get_resource_share_associations(
            associationType="PRINCIPAL", resourceShareArns=[active[0]["resourceShareArn"]]
        )
        associated = {
            a["associatedEntity"] for a in associations["resourceShareAssociations"] if a.get("status") == "ASSOCIATED"
        }
        expected = {p.value for p in principals(node.pool, config)}
        missing = sorted(expected - associated)
        checks.append(
            Check(
                f'share of pool "{node.pool.name}"',
                FAIL if missing else PASS,
                f"not associated: {', '.join(missing)}"
                if missing
                else f"ACTIVE, {len(expected)} principal(s) associated",
                "deploy again; principal associations need RAM sharing with the organization",
            )
        )
    return checks
