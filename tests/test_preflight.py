"""preflight against organizations built in a real AWS API emulator (moto server on loopback), healthy
and broken: one test per failing check. The EC2 IPAM half of verify, which moto lacks, uses botocore's
Stubber, whose responses botocore validates against its own EC2 service model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from ipam_org.addresses import RESOURCE_TYPES
from ipam_org.config.model import Config
from ipam_org.emulator.moto_server import credentials_for
from ipam_org.preflight import checks
from ipam_org.preflight.policy import ACTIONS_BY_RESOURCE, features, policy
from ipam_org.preflight.report import FAIL, PASS
from tests.conftest import MANAGEMENT_ACCOUNT, guarded, synthesize
from tests.support.preflight_organization import Organization, lines, run_preflight

ROOT = Path(__file__).resolve().parent.parent


def test_healthy_organization_passes(org, tmp_path):
    result = run_preflight(org, org.config(), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    out = lines(result)
    assert f"PASS     management credentials: account {MANAGEMENT_ACCOUNT} manages {org.org_id}" in out
    assert f"PASS     IPAM account: {org.ipam_account} (ipam) is an ACTIVE member account" in out
    assert f'PASS     share of pool "use1-dev": ou {org.ou} exists' in out
    assert f'PASS     share of pool "use1-dev": account {org.member} exists' in out
    assert (
        "PASS     IPAM delegated administrator: none yet; the deploy delegates it with "
        "EnableIpamOrganizationAdminAccount" in out
    )
    assert "PASS     organization features: all features enabled" in out
    assert any(
        line.startswith("PASS     delegated credentials: ")
        and line.endswith(f"acts in the IPAM account {org.ipam_account}")
        for line in out
    )
    assert "PASS     RAM sharing with the organization: enabled, with AWSServiceRoleForResourceAccessManager" in out
    # moto has no iam:SimulatePrincipalPolicy: reported as unknown, never as a pass
    assert any(line.startswith("UNKNOWN  deployer permissions: cannot simulate") for line in out)
    assert out[-1].endswith("0 failed, 0 warnings, 1 unknown"), result.stdout


def test_member_account_credentials_fail(org, tmp_path):
    result = run_preflight(org, org.config(), tmp_path, credentials=credentials_for(org.url, org.member))
    assert result.returncode == 1
    assert f"FAIL     management credentials: they belong to account {org.member}, not {MANAGEMENT_ACCOUNT}" in lines(
        result
    )


def test_wrong_organization_id_fails(org, tmp_path):
    config = org.config()
    config["organization"]["id"] = "o-zzzzzzzzzz"
    result = run_preflight(org, config, tmp_path)
    assert result.returncode == 1
    assert (
        f"FAIL     organization: the credentials' organization is {org.org_id}, the config says o-zzzzzzzzzz"
        in lines(result)
    )


def test_ipam_account_outside_the_organization_fails(org, tmp_path):
    config = org.config()
    config["organization"]["ipam_account_id"] = "999999999999"
    config["providers"]["delegated"]["role_arn"] = "arn:aws:iam::999999999999:role/OrganizationAccountAccessRole"
    result = run_preflight(org, config, tmp_path)
    assert result.returncode == 1
    assert any(
        line.startswith("FAIL     IPAM account: 999999999999 is not in the organization (AccountNotFoundException)")
        for line in lines(result)
    )


def test_unknown_ou_and_account_in_share_fail(org, tmp_path):
    config = org.config()
    config["pools"][0]["pools"][0]["pools"][1]["share"] = {
        "organizational_units": ["ou-zzzz-99999999"],
        "accounts": ["999999999999"],
    }
    result = run_preflight(org, config, tmp_path)
    assert result.returncode == 1
    out = lines(result)
    assert any(
        line.startswith('FAIL     share of pool "use1-dev": ou ou-zzzz-99999999 does not exist in the organization')
        for line in out
    )
    assert any(
        line.startswith('FAIL     share of pool "use1-dev": account 999999999999 does not exist in the organization')
        for line in out
    )


def test_another_ipam_administrator_fails(org, tmp_path):
    org.client("organizations").register_delegated_administrator(
        AccountId=org.member, ServicePrincipal="ipam.amazonaws.com"
    )
    result = run_preflight(org, org.config(), tmp_path)
    assert result.returncode == 1
    out = result.stdout
    assert (
        f"FAIL     IPAM delegated administrator: account {org.member} is already the IPAM administrator (an "
        "organization has exactly one)" in out
    )
    assert f"aws ec2 disable-ipam-organization-admin-account --delegated-admin-account-id {org.member}" in out


def test_registration_through_organizations_without_the_service_linked_role_fails(org, tmp_path):
    org.client("organizations").register_delegated_administrator(
        AccountId=org.ipam_account, ServicePrincipal="ipam.amazonaws.com"
    )
    result = run_preflight(org, org.config(), tmp_path)
    assert result.returncode == 1
    assert (
        "AWSServiceRoleForIPAM is missing in it: it was registered with Organizations' RegisterDelegatedAdministrator"
        in result.stdout
    )


def test_delegation_with_the_service_linked_role_passes(org, tmp_path):
    org.client("organizations").register_delegated_administrator(
        AccountId=org.ipam_account, ServicePrincipal="ipam.amazonaws.com"
    )
    org.client("iam", org.ipam_session()).create_service_linked_role(AWSServiceName="ipam.amazonaws.com")
    result = run_preflight(org, org.config(), tmp_path)
    assert result.returncode == 0, result.stdout
    assert (
        f"PASS     IPAM delegated administrator: {org.ipam_account} is already delegated, with AWSServiceRoleForIPAM "
        "in place; the deploy takes it over (set adopt.delegation: true to import it instead)" in lines(result)
    )


def test_trusted_access_without_delegation_warns(org, tmp_path):
    org.client("organizations").enable_aws_service_access(ServicePrincipal="ipam.amazonaws.com")
    result = run_preflight(org, org.config(), tmp_path)
    assert result.returncode == 0
    assert any(
        line.startswith(
            "WARN     IPAM trusted access: trusted access for ipam.amazonaws.com is enabled but no administrator is "
            "delegated"
        )
        for line in lines(result)
    )


def test_ram_sharing_not_enabled_warns(org, tmp_path):
    org.client("organizations").disable_aws_service_access(ServicePrincipal="ram.amazonaws.com")
    result = run_preflight(org, org.config(), tmp_path)
    assert result.returncode == 0
    assert (
        "WARN     RAM sharing with the organization: not enabled yet; pools are shared with the organization or OUs"
        in lines(result)
    )


def test_denied_permissions_fail_for_the_role_with_its_path():
    """An assumed-role ARN drops the role's path; the simulation must name the role as IAM knows it."""
    iam = boto3.client("iam", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    role_arn = "arn:aws:iam::111111111111:role/platform/Deployer"
    with Stubber(iam) as stub:
        stub.add_response(
            "get_role",
            {
                "Role": {
                    "Path": "/platform/",
                    "RoleName": "Deployer",
                    "RoleId": "AROAEXAMPLEEXAMPLE1",
                    "Arn": role_arn,
                    "CreateDate": "2026-01-01T00:00:00Z",
                }
            },
            {"RoleName": "Deployer"},
        )
        stub.add_response(
            "simulate_principal_policy",
            {
                "EvaluationResults": [
                    {
                        "EvalActionName": action,
                        "EvalDecision": "allowed" if action.startswith("ec2") else "implicitDeny",
                    }
                    for action in checks.MANAGEMENT_ACTIONS
                ]
            },
            {"PolicySourceArn": role_arn, "ActionNames": checks.MANAGEMENT_ACTIONS},
        )
        [found] = checks._permissions(
            iam, "arn:aws:sts::111111111111:assumed-role/Deployer/session", checks.MANAGEMENT_ACTIONS
        )
    assert found.status == FAIL
    assert found.detail == (
        f"{role_arn} may not call organizations:EnableAwsServiceAccess, "
        "organizations:RegisterDelegatedAdministrator, iam:CreateServiceLinkedRole, "
        "ram:EnableSharingWithAwsOrganization"
    )


def test_invalid_config_is_refused_before_any_aws_call(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("organization: {}\n")
    result = subprocess.run(
        [sys.executable, "-m", "ipam_org", "preflight", "check", "--config", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert (
        result.returncode == 2 and "organization.id: is required" in result.stderr and "Traceback" not in result.stderr
    )


# --- verify -----------------------------------------------------------------------------------


class Sessions:
    """Session-like: real moto clients for Organizations and RAM, a stubbed EC2 client for IPAM.

    RAM runs as the management account: moto resolves organization and OU principals only in the
    account that owns the organization (AWS resolves them from any member account)."""

    def __init__(self, org: Organization, session: boto3.Session, ec2: Any = None):
        self.org, self.session, self.ec2 = org, session, ec2

    def client(self, name: str) -> Any:
        if name == "ec2":
            return self.ec2
        return self.org.client(name, self.org.session if name == "ram" else self.session)


IPAM_ARN = "arn:aws:ec2::222222222222:ipam/ipam-0123456789abcdef0"


def ipam_responses(
    stub: Stubber,
    config: Config,
    tier: str,
    provisioned: bool,
    scopes: list[dict] | None = None,
    scope_of: dict[str, str] | None = None,
) -> None:
    """What EC2 answers verify; scopes: DescribeIpamScopes (asked only for a config with custom scopes); scope_of:
    the scope ID a pool is in, by name (default: the private default scope). Built from the config's own data, not
    with the walk and region rules verify itself uses."""
    pools = []

    def collect(level: list) -> None:  # depth first, parents before children: the order the stubs answer in
        for pool in level:
            pools.append(pool)
            collect(pool.pools)

    collect(config.pools)
    regions = config.ipam.operating_regions or sorted({config.home_region} | {p.locale for p in pools if p.locale})
    stub.add_response(
        "describe_ipams",
        {
            "Ipams": [
                {
                    "IpamId": "ipam-0123456789abcdef0",
                    "IpamArn": IPAM_ARN,
                    "IpamRegion": "us-east-1",
                    "Tier": tier,
                    "PrivateDefaultScopeId": "ipam-scope-private",
                    "PublicDefaultScopeId": "ipam-scope-public",
                    "OperatingRegions": [{"RegionName": r} for r in regions],
                }
            ]
        },
    )
    stub.add_response(
        "describe_ipam_pools",
        {
            "IpamPools": [
                {
                    "IpamPoolId": f"ipam-pool-{i:04d}",
                    "IpamArn": IPAM_ARN,
                    "IpamScopeArn": "arn:aws:ec2::222222222222:ipam-scope/"
                    + (scope_of or {}).get(pool.name, "ipam-scope-private"),
                    "Tags": [{"Key": "Name", "Value": pool.name}],
                }
                for i, pool in enumerate(pools)
            ]
        },
    )
    if scopes is not None:
        stub.add_response("describe_ipam_scopes", {"IpamScopes": scopes})
    for i, pool in enumerate(pools):
        state = "provisioned" if provisioned or i else "pending-provision"
        stub.add_response(
            "get_ipam_pool_cidrs",
            {"IpamPoolCidrs": [{"Cidr": c, "State": state} for c in pool.cidrs]},
            {"IpamPoolId": f"ipam-pool-{i:04d}"},
        )


def deploy_shares(org: Organization, config: Config) -> None:
    """What the delegated stack's RAM resources leave behind, made through moto's RAM API."""
    from ipam_org.domain.principals import all_pools, principals

    ram = org.client("ram")  # see Sessions
    for pool in all_pools(config.pools):
        if pool.share is not None:
            ram.create_resource_share(
                name=f"ipam-pool-{pool.name}",
                allowExternalPrincipals=False,
                principals=[p.value for p in principals(pool, config)],
            )


@pytest.mark.parametrize(
    ("tier", "provisioned", "expected_failures"), [("advanced", True, []), ("free", False, ["IPAM", 'pool "corp"'])]
)
def test_verify(org, tier, provisioned, expected_failures):
    config = Config.model_validate(org.config())
    org.client("organizations").register_delegated_administrator(
        AccountId=org.ipam_account, ServicePrincipal="ipam.amazonaws.com"
    )
    deploy_shares(org, config)
    ec2 = boto3.client("ec2", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(ec2) as stub:
        ipam_responses(stub, config, tier, provisioned)
        found = checks.verify(config, Sessions(org, org.session), Sessions(org, org.ipam_session(), ec2))
        stub.assert_no_pending_responses()
    failed = [c.name for c in found if c.status == FAIL]
    assert failed == expected_failures, [c for c in found if c.status == FAIL]
    names = [c.name for c in found]
    assert names[:2] == ["IPAM delegated administrator", "IPAM"]
    assert {'pool "use1-prod"', 'share of pool "use1-dev"', 'share of pool "euw1"'} <= set(names)
    share = next(c for c in found if c.name == 'share of pool "use1-dev"')
    assert share.status == PASS and share.detail == "ACTIVE, 2 principal(s) associated"


# --- policies -----------------------------------------------------------------------------------


def test_policies_cover_every_synthesized_resource_for_its_role(reference_config, tmp_path):
    split = synthesize(guarded(reference_config, layout="split"), tmp_path / "split")
    single = synthesize(
        guarded(reference_config, scopes=[{"name": "acquired"}], monitoring={"emails": ["ops@example.com"]}),
        tmp_path / "single",
    )
    for stack, role in (
        ("ipam-management", "management"),
        ("ipam-delegated", "delegated"),
        ("ipam-guardrails", "management"),
    ):
        kinds = set(split.stack(stack)["resource"])
        assert kinds <= set(RESOURCE_TYPES[role]), kinds - set(RESOURCE_TYPES[role])
        granted = {
            a
            for s in policy(role)["Statement"]
            for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
        }
        for kind in kinds:
            assert set(ACTIONS_BY_RESOURCE[kind]) <= granted, kind
    assert set(single.stack("ipam")["resource"]) == set(RESOURCE_TYPES["management"]) | set(RESOURCE_TYPES["delegated"])


def test_a_config_without_guardrail_or_published_pools_gets_no_actions_for_them(reference_config):
    assert features(reference_config) == set() and features(guarded(reference_config)) == {"guardrails", "publish"}
    management = json.dumps(policy("management", features(reference_config)))
    assert "organizations:CreatePolicy" not in management and "organizations:CreatePolicy" in json.dumps(
        policy("management")
    )
    assert "ssm:PutParameter" not in json.dumps(policy("delegated", set())) and "ssm:PutParameter" in json.dumps(
        policy("delegated", {"publish"})
    )


def wildcard_actions(document: dict) -> list[str]:
    """Actions (or NotActions) with a wildcard: all actions, a whole service, or a prefix."""
    found = []
    for statement in document["Statement"]:
        for key in ("Action", "NotAction"):
            actions = statement.get(key, [])
            found += [a for a in ([actions] if isinstance(actions, str) else actions) if "*" in a or "?" in a]
    return found


def test_policies_are_least_privilege():
    management = json.dumps(policy("management"))
    delegated = json.dumps(policy("delegated"))
    assert "ec2:CreateIpam" not in management and "ec2:EnableIpamOrganizationAdminAccount" not in delegated
    for role in ("management", "delegated"):
        for features_used in (None, set(), {"guardrails", "publish", "scopes"}):
            assert wildcard_actions(policy(role, features_used)) == [], role
    broken = {"Statement": [{"Action": ["ec2:DescribeIpams", "ec2:*"]}, {"Action": "*"}, {"NotAction": "ram:Get*"}]}
    assert wildcard_actions(broken) == ["ec2:*", "*", "ram:Get*"]  # the check sees each kind of wildcard
    slr = next(s for s in policy("management")["Statement"] if s["Action"] == "iam:CreateServiceLinkedRole")
    assert slr["Condition"] == {"StringEquals": {"iam:AWSServiceName": ["ipam.amazonaws.com", "ram.amazonaws.com"]}}


def test_policy_command_prints_json():
    result = subprocess.run(
        [sys.executable, "-m", "ipam_org", "preflight", "policy", "--role", "delegated"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout) == policy("delegated")


# --- OU and account names in share ----------------------------------------------------------------


def synth_with_names(
    org: Organization, tmp_path: Path, ous: list[str], accounts: list[str]
) -> subprocess.CompletedProcess:
    config = org.config()
    config["pools"][0]["pools"][0]["pools"][1]["share"] = {"organizational_units": ous, "accounts": accounts}
    path = tmp_path / "ipam.yaml"
    path.write_text(json.dumps(config))
    env = {
        **os.environ,
        **org.credentials,
        "AWS_ENDPOINT_URL": org.url,
        "AWS_DEFAULT_REGION": "us-east-1",
        "IPAM_CONFIG": str(path),
        "CDKTF_OUTDIR": str(tmp_path / "out"),
    }
    return subprocess.run(
        [sys.executable, "-O", "main.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_ou_and_account_names_resolve_at_synth(org, tmp_path):
    organizations = org.client("organizations")
    prod = organizations.create_organizational_unit(ParentId=org.ou, Name="Prod")["OrganizationalUnit"]["Id"]
    result = synth_with_names(org, tmp_path, ["Workloads/Prod"], ["app"])
    assert result.returncode == 0, result.stderr
    stack = json.loads((tmp_path / "out" / "stacks" / "ipam" / "cdk.tf.json").read_text())
    associations = stack["resource"]["aws_ram_principal_association"]
    assert (
        associations[f"use1-dev_share_{prod}"]["principal"]
        == f"arn:aws:organizations::{MANAGEMENT_ACCOUNT}:ou/{org.org_id}/{prod}"
    )
    assert associations[f"use1-dev_share_{org.member}"]["principal"] == org.member


def test_unknown_names_are_refused_with_their_paths(org, tmp_path):
    result = synth_with_names(org, tmp_path, ["Workloads/Staging"], ["nobody"])
    assert result.returncode == 2
    assert (
        'pools["use1-dev"].share.organizational_units[0]: no OU named "Staging" under "Workloads" of the '
        "organization" in result.stderr
    )
    assert 'pools["use1-dev"].share.accounts[0]: no account named "nobody" in the organization' in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


def test_configs_with_ids_never_need_aws(reference_config):
    from ipam_org.aws.names import uses_names

    assert not uses_names(reference_config)


def test_verify_finds_custom_scopes_and_pools_in_the_wrong_scope(org):
    data = org.config()
    data["scopes"] = [{"name": "acquired"}]
    data["pools"].append({"name": "acme", "scope": "acquired", "cidrs": ["10.0.0.0/8"]})
    config = Config.model_validate(data)
    org.client("organizations").register_delegated_administrator(
        AccountId=org.ipam_account, ServicePrincipal="ipam.amazonaws.com"
    )
    deploy_shares(org, config)

    def run(acme_scope: str, scopes: list[dict]) -> dict[str, Any]:
        ec2 = boto3.client("ec2", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
        with Stubber(ec2) as stub:
            ipam_responses(stub, config, "advanced", True, scopes=scopes, scope_of={"acme": acme_scope})
            found = checks.verify(config, Sessions(org, org.session), Sessions(org, org.ipam_session(), ec2))
            stub.assert_no_pending_responses()
        return {c.name: c for c in found if c.name in ('scope "acquired"', 'pool "acme"', 'pool "corp"')}

    acquired = {
        "IpamScopeId": "ipam-scope-acquired",
        "IpamArn": IPAM_ARN,
        "IsDefault": False,
        "Tags": [{"Key": "Name", "Value": "acquired"}],
    }
    right = run("ipam-scope-acquired", [acquired])
    assert {name: c.status for name, c in right.items()} == {
        'scope "acquired"': PASS,
        'pool "acme"': PASS,
        'pool "corp"': PASS,
    }
    wrong = run("ipam-scope-private", [acquired])
    assert wrong['pool "acme"'].status == FAIL
    assert (
        wrong['pool "acme"'].detail
        == "ipam-pool-0005 is in scope ipam-scope-private, not in the acquired scope (ipam-scope-acquired)"
    )
    missing = run("ipam-scope-acquired", [])
    assert missing['scope "acquired"'].status == FAIL and missing['pool "acme"'].status == FAIL
