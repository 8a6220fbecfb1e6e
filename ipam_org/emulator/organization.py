"""An organization made in the emulator through the real APIs (management account, IPAM account, two members, an
OU with SCPs on), and a small config for it: what `ipam-org emulator` starts with and the life-cycle tests build on."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import boto3

from ipam_org.emulator.moto_server import credentials_for

# moto's backends live in the process, shared by every emulator it starts: each organization needs a management
# account no other in the process has used.
_management_accounts = itertools.count(300000000001)


def new_management_account() -> str:
    return str(next(_management_accounts))


@dataclass
class MadeOrganization:
    url: str
    id: str
    management_account: str
    ipam_account: str
    member: str
    other_member: str
    ou: str

    def credentials(self) -> dict[str, str]:
        """Environment credentials of the management account (what `cdktf deploy` and `ipam-org` run with)."""
        return credentials_for(self.url, self.management_account)


def make_organization(url: str) -> MadeOrganization:
    management = new_management_account()
    credentials = {k.lower(): v for k, v in credentials_for(url, management).items()}
    organizations = boto3.Session(**credentials, region_name="us-east-1").client("organizations", endpoint_url=url)
    organization = organizations.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    accounts = [
        organizations.create_account(Email=f"{name}@{management}.example.com", AccountName=name)["CreateAccountStatus"][
            "AccountId"
        ]
        for name in ("ipam", "app", "data")
    ]
    root = organizations.list_roots()["Roots"][0]["Id"]
    organizations.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")  # most organizations have it
    ou = organizations.create_organizational_unit(ParentId=root, Name="Workloads")["OrganizationalUnit"]["Id"]
    return MadeOrganization(url, organization, management, *accounts, ou)


def small_config(made: MadeOrganization) -> dict[str, Any]:
    """A /8, two Regions, a pool per Region, one shared with the organization and one with the OU."""
    return {
        "organization": {
            "id": made.id,
            "management_account_id": made.management_account,
            "ipam_account_id": made.ipam_account,
        },
        "providers": {
            "management": {"region": "us-east-1"},
            "delegated": {
                "region": "us-east-1",
                "role_arn": f"arn:aws:iam::{made.ipam_account}:role/OrganizationAccountAccessRole",
            },
        },
        "ipam": {"description": "Try-it IPAM", "tier": "advanced", "operating_regions": ["us-east-1", "eu-west-1"]},
        "pools": [
            {
                "name": "corp",
                "cidrs": ["10.0.0.0/8"],
                "pools": [
                    {
                        "name": "use1",
                        "locale": "us-east-1",
                        "cidrs": ["10.0.0.0/12"],
                        "allocation": {"default_netmask_length": 24},
                        "share": {"organization": True},
                    },
                    {
                        "name": "euw1",
                        "locale": "eu-west-1",
                        "cidrs": ["10.16.0.0/12"],
                        "allocation": {"default_netmask_length": 24},
                        "share": {"organizational_units": [made.ou]},
                    },
                ],
            }
        ],
    }
