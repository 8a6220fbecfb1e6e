"""Least-privilege IAM policies for the two deployer roles, from the actions each resource type needs."""

from __future__ import annotations

import json

from ipam_org.addresses import RESOURCE_TYPES
from ipam_org.config.model import Config
from ipam_org.domain.guardrails import guarded_ous
from ipam_org.domain.handoff import published_pools

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
        "ec2:CreateIpam",
        "ec2:DescribeIpams",
        "ec2:ModifyIpam",
        "ec2:DeleteIpam",
        "ec2:CreateTags",
        "ec2:DeleteTags",
        "iam:CreateServiceLinkedRole",
    ],
    "aws_vpc_ipam_scope": [
        "ec2:CreateIpamScope",
        "ec2:DescribeIpamScopes",
        "ec2:ModifyIpamScope",
        "ec2:DeleteIpamScope",
        "ec2:CreateTags",
        "ec2:DeleteTags",
    ],
    "aws_vpc_ipam_pool": [
        "ec2:CreateIpamPool",
        "ec2:DescribeIpamPools",
        "ec2:ModifyIpamPool",
        "ec2:DeleteIpamPool",
        "ec2:CreateTags",
        "ec2:DeleteTags",
    ],
    "aws_vpc_ipam_pool_cidr": [
        "ec2:ProvisionIpamPoolCidr",
        "ec2:GetIpamPoolCidrs",
        "ec2:DeprovisionIpamPoolCidr",
        "ec2:DescribeIpamPools",
    ],
    "aws_ram_resource_share": [
        "ram:CreateResourceShare",
        "ram:GetResourceShares",
        "ram:UpdateResourceShare",
        "ram:DeleteResourceShare",
        "ram:TagResource",
        "ram:UntagResource",
        "ram:ListResourceSharePermissions",
    ],
    "aws_ram_resource_association": [
        "ram:AssociateResourceShare",
        "ram:DisassociateResourceShare",
        "ram:GetResourceShareAssociations",
        "ec2:PutResourcePolicy",
        "ec2:GetResourcePolicy",
        "ec2:DeleteResourcePolicy",
    ],
    "aws_organizations_policy": [
        "organizations:CreatePolicy",
        "organizations:DescribePolicy",
        "organizations:UpdatePolicy",
        "organizations:DeletePolicy",
        "organizations:ListTagsForResource",
        "organizations:TagResource",
        "organizations:UntagResource",
    ],
    "aws_organizations_policy_attachment": [
        "organizations:AttachPolicy",
        "organizations:DetachPolicy",
        "organizations:ListPoliciesForTarget",
        "organizations:ListTargetsForPolicy",
    ],
    "aws_ssm_parameter": [
        "ssm:PutParameter",
        "ssm:GetParameter",
        "ssm:GetParameters",
        "ssm:DescribeParameters",
        "ssm:DeleteParameter",
        "ssm:AddTagsToResource",
        "ssm:RemoveTagsFromResource",
        "ssm:ListTagsForResource",
        # RAM shares a parameter by putting a resource policy on it, with the sharer's permissions
        "ssm:PutResourcePolicy",
        "ssm:GetResourcePolicies",
        "ssm:DeleteResourcePolicy",
    ],
    "aws_ram_principal_association": [
        "ram:AssociateResourceShare",
        "ram:DisassociateResourceShare",
        "ram:GetResourceShareAssociations",
        "organizations:DescribeOrganization",
    ],
    "aws_sns_topic": [
        "sns:CreateTopic",
        "sns:GetTopicAttributes",
        "sns:SetTopicAttributes",
        "sns:DeleteTopic",
        "sns:ListTagsForResource",
        "sns:TagResource",
        "sns:UntagResource",
    ],
    "aws_sns_topic_subscription": [
        "sns:Subscribe",
        "sns:Unsubscribe",
        "sns:GetSubscriptionAttributes",
        "sns:SetSubscriptionAttributes",
        "sns:ListSubscriptionsByTopic",
    ],
    "aws_cloudwatch_metric_alarm": [
        "cloudwatch:PutMetricAlarm",
        "cloudwatch:DescribeAlarms",
        "cloudwatch:DeleteAlarms",
        "cloudwatch:ListTagsForResource",
        "cloudwatch:TagResource",
        "cloudwatch:UntagResource",
        "cloudwatch:ListMetrics",  # preflight verify: does IPAM publish the metric the alarm watches
    ],
}
FEATURE_RESOURCES = {  # only configs that use them need these actions
    "aws_sns_topic": "monitoring",
    "aws_sns_topic_subscription": "monitoring",
    "aws_cloudwatch_metric_alarm": "monitoring",
    "aws_organizations_policy": "guardrails",
    "aws_organizations_policy_attachment": "guardrails",
    "aws_ssm_parameter": "publish",
    "aws_vpc_ipam_scope": "scopes",
}
ALWAYS = ["sts:GetCallerIdentity"]  # the provider checks allowed_account_ids with it
SERVICE_LINKED_ROLES = {"management": ["ipam.amazonaws.com", "ram.amazonaws.com"], "delegated": ["ipam.amazonaws.com"]}


def policy(role: str, features: set[str] | None = None) -> dict:
    """features: guardrails, publish, scopes and/or monitoring, as the config uses them (preflight.policy.features);
    None: all of them. The usage role only reads, whatever the config uses."""
    if role == "usage":
        from ipam_org.usage.collect import ACTIONS

        statement = {"Sid": "IpamOrgUsage", "Effect": "Allow", "Action": ACTIONS, "Resource": "*"}
        return {"Version": "2012-10-17", "Statement": [statement]}
    kinds = [
        k
        for k in RESOURCE_TYPES[role]
        if k not in FEATURE_RESOURCES or features is None or FEATURE_RESOURCES[k] in features
    ]
    actions = sorted({a for kind in kinds for a in ACTIONS_BY_RESOURCE[kind]} | set(ALWAYS))
    general = [a for a in actions if a != "iam:CreateServiceLinkedRole"]
    statements = [{"Sid": "IpamOrg" + role.capitalize(), "Effect": "Allow", "Action": general, "Resource": "*"}]
    if "iam:CreateServiceLinkedRole" in actions:
        statements.append(
            {
                "Sid": "ServiceLinkedRoles",
                "Effect": "Allow",
                "Action": "iam:CreateServiceLinkedRole",
                "Resource": "*",
                "Condition": {"StringEquals": {"iam:AWSServiceName": SERVICE_LINKED_ROLES[role]}},
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


def features(config: Config) -> set[str]:
    return (
        ({"guardrails"} if guarded_ous(config) else set())
        | ({"publish"} if published_pools(config) else set())
        | ({"scopes"} if config.scopes else set())
        | ({"monitoring"} if config.monitoring else set())
    )


def render(role: str, features: set[str] | None = None) -> str:
    return json.dumps(policy(role, features), indent=2) + "\n"
