"""preflight check against moto-built organizations that fail a deploy halfway, and proof that it only reads.

Each case builds the organization through the real APIs; the read-only test records every API call the
command makes (through botocore, so nothing escapes it) and allows only Describe/List/Get/Simulate and STS.
"""

from __future__ import annotations

import json

import pytest

from ipam_org.cli import main as cli
from tests.conftest import MANAGEMENT_ACCOUNT
from tests.support.preflight_organization import Organization, fresh_organization, lines, run_preflight
from tests.support.read_only import record_api_calls, writes


def with_delegated_role(org: Organization, account: str) -> dict:
    config = org.config()
    config["providers"]["delegated"]["role_arn"] = f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
    return config


def failures(result) -> list[str]:
    return [line for line in lines(result) if line.startswith("FAIL")]


def test_delegated_credentials_of_another_member_account_fail(org, tmp_path):
    result = run_preflight(org, with_delegated_role(org, org.member), tmp_path)
    assert result.returncode == 1
    assert failures(result) == [
        f"FAIL     delegated credentials: they belong to account {org.member}, another account of the organization, "
        f"not the IPAM account {org.ipam_account}"
    ]


def test_delegated_credentials_outside_the_organization_fail_and_skip_its_iam(org, tmp_path):
    org.client("organizations").register_delegated_administrator(
        AccountId=org.ipam_account, ServicePrincipal="ipam.amazonaws.com"
    )
    result = run_preflight(org, with_delegated_role(org, "999999999999"), tmp_path)
    assert result.returncode == 1
    assert failures(result) == [
        f"FAIL     delegated credentials: they belong to account 999999999999, an account outside the organization, "
        f"not the IPAM account {org.ipam_account}"
    ]
    # the service-linked role is not looked up in the wrong account's IAM
    assert (
        f"UNKNOWN  IPAM delegated administrator: {org.ipam_account} is registered; its IAM roles cannot be read with "
        "the delegated credentials" in lines(result)
    )


def test_consolidated_billing_only_fails(org_server, tmp_path):
    org = fresh_organization(org_server, feature_set="CONSOLIDATED_BILLING")
    result = run_preflight(org, org.config(), tmp_path)
    assert result.returncode == 1
    assert failures(result) == [
        f"FAIL     organization features: {org.org_id} has CONSOLIDATED_BILLING only: trusted access, delegated "
        "administrators and RAM sharing with the organization need all features"
    ]


def named_shares(org: Organization, ous: list[str], accounts: list[str]) -> dict:
    config = org.config()
    config["pools"][0]["pools"][0]["pools"][1]["share"] = {"organizational_units": ous, "accounts": accounts}
    return config


def test_ou_paths_and_account_names_in_share_are_resolved(org, tmp_path):
    prod = org.client("organizations").create_organizational_unit(ParentId=org.ou, Name="Prod")["OrganizationalUnit"][
        "Id"
    ]
    result = run_preflight(org, named_shares(org, ["Workloads/Prod"], ["app"]), tmp_path)
    assert result.returncode == 0, result.stdout
    assert f'PASS     share of pool "use1-dev": ou {prod} exists' in lines(result)
    assert f'PASS     share of pool "use1-dev": account {org.member} exists' in lines(result)


def test_unknown_names_in_share_fail_with_their_paths(org, tmp_path):
    result = run_preflight(org, named_shares(org, ["Workloads/Staging"], ["nobody"]), tmp_path)
    assert result.returncode == 1
    assert failures(result) == [
        'FAIL     share pools["use1-dev"].share.organizational_units[0]: no OU named "Staging" under '
        '"Workloads" of the organization',
        'FAIL     share pools["use1-dev"].share.accounts[0]: no account named "nobody" in the organization',
    ]


@pytest.mark.parametrize("state,code", [("ACTIVE", 0), ("SUSPENDED", 1)])
def test_account_state_is_read_from_state_once_status_is_gone(org, tmp_path, monkeypatch, state, code):
    from moto.organizations.models import FakeAccount

    describe = FakeAccount.describe

    def without_status(account):
        found = {k: v for k, v in describe(account).items() if k != "Status"}
        return {**found, "State": state} if account.id == org.ipam_account else found

    monkeypatch.setattr(FakeAccount, "describe", without_status)
    result = run_preflight(org, org.config(), tmp_path)
    assert result.returncode == code, result.stdout
    expected = (
        f"PASS     IPAM account: {org.ipam_account} (ipam) is an ACTIVE member account"
        if state == "ACTIVE"
        else f"FAIL     IPAM account: {org.ipam_account} is SUSPENDED"
    )
    assert expected in lines(result)


def test_ram_trusted_access_without_its_service_linked_role_warns(org, tmp_path):
    org.client("iam").delete_role(RoleName="AWSServiceRoleForResourceAccessManager")
    result = run_preflight(org, org.config(), tmp_path)
    assert result.returncode == 0
    assert (
        "WARN     RAM sharing with the organization: trusted access for ram.amazonaws.com is enabled but "
        "AWSServiceRoleForResourceAccessManager is missing: it was enabled outside RAM"
    ) in lines(result)


def test_account_only_shares_without_organization_sharing_warn_about_invitations(org, tmp_path):
    org.client("organizations").disable_aws_service_access(ServicePrincipal="ram.amazonaws.com")
    config = org.config()
    for pool in config["pools"][0]["pools"][0]["pools"] + config["pools"][0]["pools"][1:]:
        if "share" in pool:
            pool["share"] = {"accounts": [org.member]}
    result = run_preflight(org, config, tmp_path)
    assert result.returncode == 0, result.stdout
    assert (
        "WARN     RAM sharing with the organization: not enabled, and pools are shared with accounts only: each "
        "account "
        "gets an invitation it must accept before it sees the pool"
    ) in lines(result)


def test_check_only_reads(org, tmp_path, monkeypatch, capsys):
    """Every call of a full run (delegation present, names resolved, roles read) is a read."""
    org.client("organizations").register_delegated_administrator(
        AccountId=org.ipam_account, ServicePrincipal="ipam.amazonaws.com"
    )
    org.client("iam", org.ipam_session()).create_service_linked_role(AWSServiceName="ipam.amazonaws.com")
    path = tmp_path / "ipam.json"
    path.write_text(json.dumps(named_shares(org, ["Workloads"], ["app"])))
    calls = record_api_calls(monkeypatch, org.credentials, org.url)
    assert cli(["preflight", "check", "--config", str(path)]) == 0, capsys.readouterr().out
    services = {service for service, _ in calls}
    assert services == {"sts", "organizations", "iam", "ec2"}, calls
    assert {
        "ListDelegatedAdministrators",
        "GetRole",
        "SimulatePrincipalPolicy",
        "ListOrganizationalUnitsForParent",
        "ListAccounts",
        "DescribeIpams",
    } <= {op for _, op in calls}
    assert writes(calls) == []


def test_the_read_only_rule_flags_a_write():
    assert writes([("ram", "EnableSharingWithAwsOrganization"), ("sts", "AssumeRole"), ("iam", "GetRole")]) == [
        ("ram", "EnableSharingWithAwsOrganization")
    ]


# --- adoption: what already exists where the deploy would build -------------------------------------------


def ec2(org: Organization, session=None):
    return org.client("ec2", session or org.session)


def test_an_ipam_the_config_does_not_adopt_fails_with_the_discovery_command(org, tmp_path):
    ipam = ec2(org, org.ipam_session()).create_ipam(OperatingRegions=[{"RegionName": "us-east-1"}])["Ipam"]["IpamId"]
    result = run_preflight(org, org.config(), tmp_path)
    assert result.returncode == 1
    assert failures(result) == [
        f"FAIL     existing IPAM: {org.ipam_account} already has IPAM {ipam} in us-east-1, which neither this "
        "config's state holds nor the config adopts; AWS allows one IPAM per Region per account"
    ]
    assert "fix: adopt it: ipam-org discover --region us-east-1 --out ipam.yaml" in result.stdout


def state_holding(resource_type: str, identifier: str) -> str:
    """A Terraform state (format version 4) with one managed resource of that type and ID."""
    resource = {
        "mode": "managed",
        "type": resource_type,
        "name": "x",
        "instances": [{"attributes": {"id": identifier}}],
    }
    return json.dumps({"version": 4, "resources": [resource]})


def test_an_ipam_in_this_configs_state_passes_and_a_foreign_one_beside_it_fails(org, tmp_path):
    ours = ec2(org, org.ipam_session()).create_ipam(OperatingRegions=[{"RegionName": "us-east-1"}])["Ipam"]["IpamId"]
    (tmp_path / "terraform-state").mkdir()
    (tmp_path / "terraform-state" / "ipam.tfstate").write_text(state_holding("aws_vpc_ipam", ours))
    result = run_preflight(org, org.config(), tmp_path)
    assert result.returncode == 0, result.stdout
    assert f"PASS     existing IPAM: {ours} in {org.ipam_account} us-east-1 is this config's own (its state: " in (
        result.stdout
    )
    (tmp_path / "terraform-state" / "ipam.tfstate").write_text(state_holding("aws_vpc_ipam", "ipam-0000000000000beef"))
    assert run_preflight(org, org.config(), tmp_path).returncode == 1  # a state of something else proves nothing


def test_an_unreadable_own_state_is_unknown_not_a_traceback(org, tmp_path):
    (tmp_path / "terraform-state").mkdir()
    (tmp_path / "terraform-state" / "ipam.tfstate").write_text("{not json")
    result = run_preflight(org, org.config(), tmp_path)
    assert "Traceback" not in result.stderr, result.stderr
    assert "UNKNOWN  own state: cannot read " in result.stdout and "(not a JSON Terraform state)" in result.stdout


def test_an_ipam_in_this_configs_s3_state_passes(org, tmp_path):
    ours = ec2(org, org.ipam_session()).create_ipam(OperatingRegions=[{"RegionName": "us-east-1"}])["Ipam"]["IpamId"]
    s3 = org.client("s3")
    s3.create_bucket(Bucket="state-bucket")
    s3.put_object(Bucket="state-bucket", Key="ipam/terraform.tfstate", Body=state_holding("aws_vpc_ipam", ours))
    backend = {"s3": {"bucket": "state-bucket", "key": "ipam/terraform.tfstate", "region": "us-east-1"}}
    result = run_preflight(org, {**org.config(), "backend": backend}, tmp_path)
    assert result.returncode == 0, result.stdout
    assert "is this config's own (its state: s3://state-bucket/ipam/terraform.tfstate)" in result.stdout


def test_an_adopted_ipam_passes_and_a_wrong_one_fails(org, tmp_path):
    ipam = ec2(org, org.ipam_session()).create_ipam(OperatingRegions=[{"RegionName": "us-east-1"}])["Ipam"]["IpamId"]
    assert run_preflight(org, {**org.config(), "adopt": {"ipam": ipam}}, tmp_path).returncode == 0
    result = run_preflight(org, {**org.config(), "adopt": {"ipam": "ipam-0000000000000dead"}}, tmp_path)
    assert failures(result) == [
        f"FAIL     existing IPAM: adopt.ipam ipam-0000000000000dead is not an IPAM of {org.ipam_account} in us-east-1 "
        f"(found: {ipam})"
    ]


def test_an_ipam_built_in_the_management_account_warns_that_it_cannot_move(org, tmp_path):
    stray = ec2(org).create_ipam(OperatingRegions=[{"RegionName": "us-east-1"}])["Ipam"]["IpamId"]
    try:
        result = run_preflight(org, org.config(), tmp_path)
    finally:  # every organization here has the same management account: the stray must not outlive this test
        ec2(org).delete_ipam(IpamId=stray)
    assert result.returncode == 0, result.stdout
    assert any(
        line.startswith(
            f"WARN     IPAM in the management account: {stray} was built in the management account "
            f"{MANAGEMENT_ACCOUNT} "
            "(before delegation); IPAMs cannot move between accounts"
        )
        for line in lines(result)
    )


def test_an_adopted_delegation_passes_and_says_it_is_imported(org, tmp_path):
    ec2(org).enable_ipam_organization_admin_account(DelegatedAdminAccountId=org.ipam_account)
    result = run_preflight(org, {**org.config(), "adopt": {"delegation": True}}, tmp_path)
    assert result.returncode == 0, result.stdout
    assert (
        f"PASS     IPAM delegated administrator: {org.ipam_account} is already delegated, with AWSServiceRoleForIPAM "
        "in place; "
        "adopt.delegation imports it"
    ) in lines(result)


# --- guardrail: SCPs enabled, room on each OU, nobody locked out ------------------------------------------


def test_guardrail_needs_scps_enabled_and_room_on_the_ou(org, tmp_path):
    config = org.config(guardrails={"require_ipam_for_vpcs": {"organizational_units": [org.ou]}})
    organizations = org.client("organizations")
    root = organizations.list_roots()["Roots"][0]["Id"]
    result = run_preflight(org, config, tmp_path)
    assert result.returncode == 1
    assert failures(result) == [
        "FAIL     SCPs: service control policies are not enabled: attaching the guardrail fails "
        "(PolicyTypeNotEnabledException)"
    ]
    assert (
        f"         fix: aws organizations enable-policy-type --root-id {root} --policy-type SERVICE_CONTROL_POLICY"
        in "\n".join(lines(result))
    )

    organizations.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    assert run_preflight(org, config, tmp_path).returncode == 0
    for index in range(4):  # with FullAWSAccess, which AWS attaches to every OU, five: the most an OU holds
        policy = organizations.create_policy(
            Name=f"team-{index}",
            Description="",
            Type="SERVICE_CONTROL_POLICY",
            Content=json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
            ),
        )
        organizations.attach_policy(PolicyId=policy["Policy"]["PolicySummary"]["Id"], TargetId=org.ou)
    result = run_preflight(org, config, tmp_path)
    assert failures(result) == [
        f"FAIL     guardrail on {org.ou}: {org.ou} already has 5 SCPs attached, AWS's limit per OU"
    ]
    assert any(
        line.startswith("PASS     guardrail lock-out: the SCP denies only ec2:AssociateVpcCidrBlock, ec2:CreateVpc")
        for line in lines(result)
    )


def test_the_lock_out_check_fails_when_the_scp_would_deny_a_deployer_action(org):
    from ipam_org.config.model import Config
    from ipam_org.preflight.checks import _guardrail

    config = Config.model_validate(org.config(guardrails={"require_ipam_for_vpcs": {"organizational_units": [org.ou]}}))
    [*_, lock_out] = _guardrail(org.client("organizations"), config, denied=["ec2:CreateVpc", "ec2:CreateIpamPool"])
    assert (lock_out.status, lock_out.detail) == (
        "fail",
        "the SCP denies ec2:CreateIpamPool, which the deployer roles call",
    )


# --- verify: the guardrail and the published parameters, wrong and right -----------------------------------


def test_verify_fails_a_guardrail_that_is_missing_or_names_other_pools(org):
    from ipam_org.config.model import Config
    from ipam_org.domain.guardrails import render, scp_document
    from ipam_org.preflight.checks import _verify_guardrails

    config = Config.model_validate(org.config(guardrails={"require_ipam_for_vpcs": {"organizational_units": [org.ou]}}))
    pools = {
        name: {"IpamPoolId": f"ipam-pool-{index:017x}"} for index, name in enumerate(("euw1", "use1-dev", "use1-prod"))
    }
    organizations = org.client("organizations")
    [missing] = _verify_guardrails(organizations, pools, config)
    assert (missing.status, missing.detail) == (
        "fail",
        f"no SCP named ipam-org-require-ipam-{org.ou} is attached to {org.ou}",
    )
    organizations.enable_policy_type(
        RootId=organizations.list_roots()["Roots"][0]["Id"], PolicyType="SERVICE_CONTROL_POLICY"
    )
    stale = render(scp_document("aws", ["ipam-pool-0000000000000dead"], [], [org.ipam_account]))
    policy = organizations.create_policy(
        Name=f"ipam-org-require-ipam-{org.ou}", Description="", Type="SERVICE_CONTROL_POLICY", Content=stale
    )
    policy_id = policy["Policy"]["PolicySummary"]["Id"]
    organizations.attach_policy(PolicyId=policy_id, TargetId=org.ou)
    [wrong] = _verify_guardrails(organizations, pools, config)
    assert wrong.status == "fail" and "names ipam-pool-0000000000000dead" in wrong.detail
    organizations.update_policy(
        PolicyId=policy_id,
        Content=render(scp_document("aws", [p["IpamPoolId"] for p in pools.values()], [], [org.ipam_account])),
    )
    [right] = _verify_guardrails(organizations, pools, config)
    assert right.status == "pass", right.detail


def test_verify_fails_published_parameters_that_are_missing_or_not_in_the_share(org):
    from ipam_org.config.model import Config
    from ipam_org.preflight.checks import _verify_parameters

    data = org.config()
    data["pools"][0]["pools"][0]["pools"][1]["share"]["publish"] = True  # use1-dev
    config = Config.model_validate(data)
    pool_id = "ipam-pool-0000000000000beef"
    pools = {"use1-dev": {"IpamPoolId": pool_id, "IpamPoolArn": f"arn:aws:ec2::{org.ipam_account}:ipam-pool/{pool_id}"}}
    session = org.ipam_session()
    ssm, ram = org.client("ssm", session), org.client("ram", session)
    [missing] = _verify_parameters(ssm, ram, pools, config)
    assert missing.status == "fail" and missing.detail.startswith("missing under /ipam-org/pools/use1-dev/")
    values = {"id": pool_id, "arn": pools["use1-dev"]["IpamPoolArn"], "cidrs": "10.4.0.0/14", "locale": "us-east-1"}
    arns = [
        ssm.put_parameter(Name=f"/ipam-org/pools/use1-dev/{fact}", Value=value, Type="String", Tier="Advanced")
        and f"arn:aws:ssm:us-east-1:{org.ipam_account}:parameter/ipam-org/pools/use1-dev/{fact}"
        for fact, value in values.items()
    ]
    [unshared] = _verify_parameters(ssm, ram, pools, config)
    assert unshared.status == "fail" and "id is not in the share ipam-pool-use1-dev" in unshared.detail
    ram.create_resource_share(name="ipam-pool-use1-dev", resourceArns=arns, allowExternalPrincipals=False)
    [shared] = _verify_parameters(ssm, ram, pools, config)
    assert shared.status == "pass", shared.detail
