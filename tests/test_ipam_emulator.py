"""Each rule the IPAM emulator enforces, through boto3 against the running emulator (the rules and their AWS
sources are listed in ipam_org/emulator/ipam.py). A rule that stopped being enforced fails here."""

from __future__ import annotations

import json

from tests.support.emulator_org import Org, refused


def test_only_the_management_account_delegates_a_member_once(emulator):
    org = Org(emulator)
    ec2 = org.client("ec2", org.management)
    assert "management account" in refused(
        org.client("ec2", org.member).enable_ipam_organization_admin_account, DelegatedAdminAccountId=org.ipam_account
    )
    assert "not a member account" in refused(
        ec2.enable_ipam_organization_admin_account, DelegatedAdminAccountId=org.management
    )
    assert "not a member account" in refused(
        ec2.enable_ipam_organization_admin_account, DelegatedAdminAccountId="999999999999"
    )
    assert ec2.enable_ipam_organization_admin_account(DelegatedAdminAccountId=org.ipam_account)["Success"]
    assert "only one" in refused(ec2.enable_ipam_organization_admin_account, DelegatedAdminAccountId=org.member)
    role = org.client("iam", org.ipam_account).get_role(RoleName="AWSServiceRoleForIPAM")["Role"]
    assert role["Path"] == "/aws-service-role/ipam.amazonaws.com/"
    admins = org.client("organizations", org.management).list_delegated_administrators(
        ServicePrincipal="ipam.amazonaws.com"
    )
    assert [a["Id"] for a in admins["DelegatedAdministrators"]] == [org.ipam_account]
    assert ec2.disable_ipam_organization_admin_account(DelegatedAdminAccountId=org.ipam_account)["Success"]


def test_pool_locale_scope_and_family_follow_the_source(emulator):
    org = Org(emulator)
    ipam = org.ipam(["us-east-1", "eu-west-1"])
    assert "not one of the IPAM's operating regions" in refused(org.pool, ipam, Locale="ap-south-1")
    parent = org.pool(ipam)
    public = ipam["PublicDefaultScopeId"]
    assert "same scope" in refused(org.pool, ipam, IpamScopeId=public, SourceIpamPoolId=parent)
    assert "address family" in refused(org.pool, ipam, AddressFamily="ipv6", SourceIpamPoolId=parent)
    regional = org.pool(ipam, Locale="eu-west-1")
    assert "source pool's locale" in refused(org.pool, ipam, SourceIpamPoolId=regional, Locale="us-east-1")


def test_cidrs_are_provisioned_asynchronously_inside_the_parent(emulator):
    org = Org(emulator)
    ipam = org.ipam()
    parent = org.pool(ipam)
    child, sibling = org.pool(ipam, SourceIpamPoolId=parent), org.pool(ipam, SourceIpamPoolId=parent)
    ec2 = org.ec2()
    ec2.provision_ipam_pool_cidr(IpamPoolId=parent, Cidr="10.0.0.0/8")
    states = [ec2.get_ipam_pool_cidrs(IpamPoolId=parent)["IpamPoolCidrs"][0]["State"] for _ in range(2)]
    assert states == ["pending-provision", "provisioned"]
    assert "not inside a CIDR provisioned" in refused(org.provision, child, "11.0.0.0/16")
    org.provision(child, "10.0.0.0/16")
    assert "overlaps 10.0.0.0/16, already allocated" in refused(org.provision, sibling, "10.0.0.0/12")
    assert "overlaps a CIDR already provisioned" in refused(org.provision, child, "10.0.0.0/17")
    grandchild = org.pool(ipam, SourceIpamPoolId=child)
    ec2.provision_ipam_pool_cidr(IpamPoolId=child, Cidr="10.1.0.0/16")  # still pending-provision
    assert "not inside a CIDR provisioned" in refused(org.provision, grandchild, "10.1.0.0/20")


def test_nothing_in_use_can_be_removed(emulator):
    org = Org(emulator)
    ipam = org.ipam()
    ec2 = org.ec2()
    parent = org.pool(ipam)
    org.provision(parent, "10.0.0.0/8")
    child = org.pool(ipam, SourceIpamPoolId=parent)
    org.provision(child, "10.0.0.0/16")
    assert "allocations" in refused(ec2.deprovision_ipam_pool_cidr, IpamPoolId=parent, Cidr="10.0.0.0/8")
    assert "has provisioned CIDRs" in refused(ec2.delete_ipam_pool, IpamPoolId=child)
    ec2.deprovision_ipam_pool_cidr(IpamPoolId=child, Cidr="10.0.0.0/16")
    looks = [[c["State"] for c in ec2.get_ipam_pool_cidrs(IpamPoolId=child)["IpamPoolCidrs"]] for _ in range(3)]
    assert looks == [["pending-deprovision"], ["deprovisioned"], []]
    ec2.deprovision_ipam_pool_cidr(IpamPoolId=parent, Cidr="10.0.0.0/8")
    while ec2.get_ipam_pool_cidrs(IpamPoolId=parent)["IpamPoolCidrs"]:
        pass
    assert "has child pools" in refused(ec2.delete_ipam_pool, IpamPoolId=parent)
    assert "still has 2 pools" in refused(ec2.delete_ipam, IpamId=ipam["IpamId"])
    assert ec2.delete_ipam(IpamId=ipam["IpamId"], Cascade=True)["Ipam"]["State"] == "delete-complete"
    assert "does not exist" in refused(ec2.describe_ipam_pools, IpamPoolIds=[child])


def test_allocations_come_from_free_space_and_are_released(emulator):
    org = Org(emulator)
    ec2 = org.ec2()
    pool = org.pool(org.ipam(), AllocationDefaultNetmaskLength=24)
    org.provision(pool, "10.0.0.0/23")
    first = ec2.allocate_ipam_pool_cidr(IpamPoolId=pool)["IpamPoolAllocation"]
    second = ec2.allocate_ipam_pool_cidr(IpamPoolId=pool, NetmaskLength=24)["IpamPoolAllocation"]
    assert {first["Cidr"], second["Cidr"]} == {"10.0.0.0/24", "10.0.1.0/24"}
    assert "no free /24" in refused(ec2.allocate_ipam_pool_cidr, IpamPoolId=pool, NetmaskLength=24)
    ec2.release_ipam_pool_allocation(
        IpamPoolId=pool, IpamPoolAllocationId=first["IpamPoolAllocationId"], Cidr=first["Cidr"]
    )
    assert len(ec2.get_ipam_pool_allocations(IpamPoolId=pool)["IpamPoolAllocations"]) == 1


def test_organization_principals_need_ram_sharing_and_accounts_the_organization(emulator):
    org = Org(emulator)
    ipam = org.ipam()
    pool_arn = org.ec2().describe_ipam_pools(IpamPoolIds=[org.pool(ipam)])["IpamPools"][0]["IpamPoolArn"]
    ram = org.client("ram", org.ipam_account)
    share = ram.create_resource_share(name="s", allowExternalPrincipals=False, resourceArns=[pool_arn])[
        "resourceShare"
    ]["resourceShareArn"]
    ou = f"arn:aws:organizations::{org.management}:ou/{org.id}/{org.ou}"
    assert "needs RAM sharing with AWS Organizations" in refused(
        ram.associate_resource_share, resourceShareArn=share, principals=[ou]
    )
    assert "outside the organization" in refused(
        ram.associate_resource_share, resourceShareArn=share, principals=["999999999999"]
    )
    assert "only the management account" in refused(ram.enable_sharing_with_aws_organization)
    org.client("ram", org.management).enable_sharing_with_aws_organization()
    ram.associate_resource_share(resourceShareArn=share, principals=[ou, org.member])
    associated = ram.get_resource_share_associations(associationType="PRINCIPAL", resourceShareArns=[share])[
        "resourceShareAssociations"
    ]
    assert sorted(a["associatedEntity"] for a in associated) == sorted([ou, org.member])
    org.client("iam", org.management).get_role(RoleName="AWSServiceRoleForResourceAccessManager")


def test_a_retried_request_acts_once(emulator):
    """The SDK retries a slow call with the same ClientToken; AWS returns the first result."""
    org = Org(emulator)
    ec2 = org.ec2()
    pool = org.pool(org.ipam())
    first = ec2.provision_ipam_pool_cidr(IpamPoolId=pool, Cidr="10.0.0.0/8", ClientToken="retry-1")["IpamPoolCidr"]
    again = ec2.provision_ipam_pool_cidr(IpamPoolId=pool, Cidr="10.0.0.0/8", ClientToken="retry-1")["IpamPoolCidr"]
    assert again["IpamPoolCidrId"] == first["IpamPoolCidrId"]
    assert len(ec2.get_ipam_pool_cidrs(IpamPoolId=pool)["IpamPoolCidrs"]) == 1
    assert "overlaps a CIDR already provisioned" in refused(
        ec2.provision_ipam_pool_cidr, IpamPoolId=pool, Cidr="10.0.0.0/8", ClientToken="other"
    )


def test_an_scp_needs_scps_enabled_and_fits_in_5120_characters(emulator):
    org = Org(emulator)
    organizations = org.client("organizations", org.management)
    deny = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:CreateVpc", "Resource": "*"}]}
    policy = organizations.create_policy(
        Name="guard", Description="", Type="SERVICE_CONTROL_POLICY", Content=json.dumps(deny)
    )["Policy"]
    policy_id = policy["PolicySummary"]["Id"]
    assert "enabled policy types" in refused(organizations.attach_policy, PolicyId=policy_id, TargetId=org.ou)
    organizations.enable_policy_type(
        RootId=organizations.list_roots()["Roots"][0]["Id"], PolicyType="SERVICE_CONTROL_POLICY"
    )
    organizations.attach_policy(PolicyId=policy_id, TargetId=org.ou)
    too_long = {**deny, "Statement": [{**deny["Statement"][0], "Sid": "x" * 5100}]}
    assert "POLICY_CONTENT_LIMIT_EXCEEDED" in refused(
        organizations.create_policy,
        Name="long",
        Description="",
        Type="SERVICE_CONTROL_POLICY",
        Content=json.dumps(too_long),
    )
    assert "valid JSON" in refused(
        organizations.create_policy, Name="bad", Description="", Type="SERVICE_CONTROL_POLICY", Content="{"
    )


def test_a_shared_parameter_is_read_by_arn_only_where_its_share_reaches(emulator):
    org = Org(emulator)
    org.client("ram", org.management).enable_sharing_with_aws_organization()
    ssm = org.client("ssm", org.ipam_account)
    ssm.put_parameter(Name="/ipam-org/pools/p/id", Value="ipam-pool-0123", Type="String", Tier="Advanced")
    arn = f"arn:aws:ssm:us-east-1:{org.ipam_account}:parameter/ipam-org/pools/p/id"
    reader = org.client("ssm", org.member)
    assert refused(reader.get_parameter, Name=arn)  # not shared yet
    org.client("ram", org.ipam_account).create_resource_share(
        name="s", resourceArns=[arn], principals=[org.member], allowExternalPrincipals=False
    )
    assert reader.get_parameter(Name=arn)["Parameter"]["Value"] == "ipam-pool-0123"
    assert refused(org.client("ssm", org.member, "eu-west-1").get_parameter, Name=arn)  # only in the parameter's Region
