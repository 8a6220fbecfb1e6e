"""A platform repo's own CDKTF app that composes ipam-org's constructs (pip install -r requirements.txt).

One stack, two IPAMs, each inside the platform team's own NetworkFoundation construct next to a resource of the
team's own (a flow-log bucket): the production organization's, and a sandbox organization's that reuses the same
10.0.0.0/8. Nothing here is at the stack root, so every address comes from the construct path and the two never
collide; references between the resources are cdktf tokens.
"""

from __future__ import annotations

from cdktf import App, LocalBackend, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderAssumeRole
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from constructs import Construct

from ipam_org.modules import IpamDelegation, OrganizationIpam, OrganizationSharing

REGION = "us-east-1"


class NetworkFoundation(Construct):
    """An organization's IPAM, delegated to its network account, with a pool per Region shared with the organization."""

    def __init__(
        self, scope: Construct, id: str, *, organization_id: str, management_account: str, network_account: str
    ) -> None:
        super().__init__(scope, id)
        # The pipeline's credentials assume a role in each account; allowed_account_ids refuses any other account.
        management = AwsProvider(
            self,
            "management",
            alias=f"{id}-management",
            region=REGION,
            allowed_account_ids=[management_account],
            assume_role=[AwsProviderAssumeRole(role_arn=f"arn:aws:iam::{management_account}:role/platform-deployer")],
        )
        network = AwsProvider(
            self,
            "network",
            alias=f"{id}-network",
            region=REGION,
            allowed_account_ids=[network_account],
            assume_role=[AwsProviderAssumeRole(role_arn=f"arn:aws:iam::{network_account}:role/platform-deployer")],
        )
        delegation = IpamDelegation(self, "delegation", provider=management, delegated_account_id=network_account)
        sharing = OrganizationSharing(self, "ram-sharing", provider=management)
        ipam = OrganizationIpam(
            self,
            "ipam",
            provider=network,
            operating_regions=[REGION, "eu-west-1"],
            depends_on=[delegation],
            description=f"{id} IPAM",
            account_id=network_account,
        )
        corp = ipam.add_pool("corp", cidrs=["10.0.0.0/8"], description="Corporate IPv4 space")
        organization = f"arn:aws:organizations::{management_account}:organization/{organization_id}"
        for region, cidr in ((REGION, "10.0.0.0/12"), ("eu-west-1", "10.16.0.0/12")):
            regional = corp.add_pool(
                f"corp-{region}", locale=region, cidrs=[cidr], allocation={"default_netmask_length": 24}
            )
            regional.share_with([organization], after=sharing)
        S3Bucket(
            self, "flow-logs", provider=network, bucket_prefix=f"{id}-flow-logs-"
        )  # the team's own resource, beside the IPAM
        self.ipam_id = ipam.id


app = App()
stack = TerraformStack(app, "platform-network")
LocalBackend(
    stack, path="../../terraform-state/platform-network.tfstate"
)  # state outside cdktf.out, which a synth replaces
production = NetworkFoundation(
    stack,
    "production",
    organization_id="o-a1b2c3d4e5",
    management_account="111111111111",
    network_account="222222222222",
)
sandbox = NetworkFoundation(
    stack, "sandbox", organization_id="o-f6g7h8i9j0", management_account="555555555555", network_account="666666666666"
)
TerraformOutput(stack, "ipam_ids", value={"production": production.ipam_id, "sandbox": sandbox.ipam_id})
app.synth()
