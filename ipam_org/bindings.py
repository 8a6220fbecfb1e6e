"""The one place that imports CDKTF, constructs and the AWS provider bindings.

Everything else (config, validation, review, module export, preflight) stays free of them, so a
bad config is refused before they load, and a later move to another CDK (for example CDK Terrain)
changes this file only. The lean loading hooks (lean_bindings) are the app's choice, made before this module is
first imported: `ipam-org synth` and main.py turn them on, a platform repo's own app that imports the constructs
keeps the standard loading.
"""

import os

# jsii warns on every run that Node.js 20 is past end of life; keep users' stderr for real problems.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from cdktf import App, LocalBackend, S3Backend, TerraformOutput, TerraformStack, Testing
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderAssumeRole, AwsProviderDefaultTags
from cdktf_cdktf_provider_aws.ram_principal_association import RamPrincipalAssociation
from cdktf_cdktf_provider_aws.ram_resource_association import RamResourceAssociation
from cdktf_cdktf_provider_aws.ram_resource_share import RamResourceShare
from cdktf_cdktf_provider_aws.ram_sharing_with_organization import RamSharingWithOrganization
from cdktf_cdktf_provider_aws.vpc_ipam import VpcIpam, VpcIpamOperatingRegions
from cdktf_cdktf_provider_aws.vpc_ipam_organization_admin_account import VpcIpamOrganizationAdminAccount
from cdktf_cdktf_provider_aws.vpc_ipam_pool import VpcIpamPool
from cdktf_cdktf_provider_aws.vpc_ipam_pool_cidr import VpcIpamPoolCidr, VpcIpamPoolCidrCidrAuthorizationContext
from constructs import Construct

# Loaded on first use (PEP 562): only configs with guardrails, published pools, custom scopes or alarms pay for these.
_ON_DEMAND = {
    "CloudwatchMetricAlarm": "cloudwatch_metric_alarm",
    "OrganizationsPolicy": "organizations_policy",
    "OrganizationsPolicyAttachment": "organizations_policy_attachment",
    "SnsTopic": "sns_topic",
    "SnsTopicSubscription": "sns_topic_subscription",
    "SsmParameter": "ssm_parameter",
    "VpcIpamScope": "vpc_ipam_scope",
}


def __getattr__(name: str):
    if name not in _ON_DEMAND:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"cdktf_cdktf_provider_aws.{_ON_DEMAND[name]}"), name)


__all__ = [
    "App",
    "Construct",
    "AwsProvider",
    "AwsProviderAssumeRole",
    "AwsProviderDefaultTags",
    "CloudwatchMetricAlarm",
    "LocalBackend",
    "OrganizationsPolicy",
    "OrganizationsPolicyAttachment",
    "RamPrincipalAssociation",
    "RamResourceAssociation",
    "RamResourceShare",
    "RamSharingWithOrganization",
    "S3Backend",
    "SnsTopic",
    "SnsTopicSubscription",
    "SsmParameter",
    "TerraformOutput",
    "TerraformStack",
    "Testing",
    "VpcIpam",
    "VpcIpamOperatingRegions",
    "VpcIpamOrganizationAdminAccount",
    "VpcIpamPool",
    "VpcIpamPoolCidr",
    "VpcIpamPoolCidrCidrAuthorizationContext",
    "VpcIpamScope",
]
