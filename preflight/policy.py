"""Least-privilege IAM policies for the two deployer roles, from the actions each resource type needs."""
from __future__ import annotations

import json

# What Terraform's AWS provider calls to create, read, update and delete each resource type we synthesize.
ACTIONS_BY_RESOURCE = {
    "aws_vpc_ipam_organization_admin_account": [
        "ec2:EnableIpamOrganizationAdminAccount",
        "ec2:DisableIpamOrganizationAdminAccount",
        "organizations:DescribeAccount",
        "organizations:DescribeOrganization",
        "organizations:EnableAWSServiceAccess",
        "organizations:ListDelegatedAdministrators",
        "organizations:RegisterDelegatedAdministrator",
        "organizations:DeregisterDelegatedAdministrator",
        "iam:CreateServiceLinkedRole",
    ],
    "aws_ram_sharing_with_organization": [
        "ram:EnableSharingWithAwsOrganization",
        "organizations:DescribeOrganization",
        "organizations:EnableAWSServiceAccess",
        "organizations:DisableAWSServiceAccess",
        "organizations:ListAWSServiceAccessForOrganization",
        "iam:CreateServiceLinkedRole",
    ],
    "aws_vpc_ipam": [
        "ec2:CreateIpam", "ec2:DescribeIpams", "ec2:ModifyIpam", "ec2:DeleteIpam", "ec2:CreateTags", "ec2:DeleteTags",
        "iam:CreateServiceLinkedRole",
    ],
    "aws_vpc_ipam_pool": [
        "ec2:CreateIpamPool", "ec2:DescribeIpamPools", "ec2:ModifyIpamPool", "ec2:DeleteIpamPool", "ec2:CreateTags", "ec2:DeleteTags",
    ],
    "aws_vpc_ipam_pool_cidr": [
        "ec2:ProvisionIpamPoolCidr", "ec2:GetIpamPoolCidrs", "ec2:DeprovisionIpamPoolCidr", "ec2:DescribeIpamPools",
    ],
    "aws_ram_resource_share": [
        "ram:CreateResourceShare", "ram:GetResourceShares", "ram:UpdateResourceShare", "ram:DeleteResourceShare",
        "ram:TagResource", "ram:UntagResource", "ram:ListResourceSharePermissions",
    ],
    "aws_ram_resource_association": [
        "ram:AssociateResourceShare", "ram:DisassociateResourceShare", "ram:GetResourceShareAssociations",
        "ec2:PutResourcePolicy", "ec2:GetResourcePolicy", "ec2:DeleteResourcePolicy",
    ],
    "aws_ram_principal_association": [
        "ram:AssociateResourceShare", "ram:DisassociateResourceShare", "ram:GetResourceShareAssociations",
        "organizations:DescribeOrganization",
    ],
}
ROLE_RESOURCES = {
    "management": ["aws_vpc_ipam_organization_admin_account", "aws_ram_sharing_with_organization"],
    "delegated": ["aws_vpc_ipam", "aws_vpc_ipam_pool", "aws_vpc_ipam_pool_cidr", "aws_ram_resource_share",
                  "aws_ram_resource_association", "aws_ram_principal_association"],
}
ALWAYS = ["sts:GetCallerIdentity"]  # the provider checks allowed_account_ids with it
SERVICE_LINKED_ROLES = {"management": ["ipam.amazonaws.com", "ram.amazonaws.com"], "delegated": ["ipam.amazonaws.com"]}


def policy(role: str) -> dict:
    actions = sorted({a for kind in ROLE_RESOURCES[role] for a in ACTIONS_BY_RESOURCE[kind]} | set(ALWAYS))
    general = [a for a in actions if a != "iam:CreateServiceLinkedRole"]
    statements = [{"Sid": "IpamOrg" + role.capitalize(), "Effect": "Allow", "Action": general, "Resource": "*"}]
    if "iam:CreateServiceLinkedRole" in actions:
        statements.append({
            "Sid": "ServiceLinkedRoles",
            "Effect": "Allow",
            "Action": "iam:CreateServiceLinkedRole",
            "Resource": "*",
            "Condition": {"StringEquals": {"iam:AWSServiceName": SERVICE_LINKED_ROLES[role]}},
        })
    return {"Version": "2012-10-17", "Statement": statements}


def render(role: str) -> str:
    return json.dumps(policy(role), indent=2) + "\n"
