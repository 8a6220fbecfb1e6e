"""A small organization in the emulator through boto3, for the tests of the emulator's own rules."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from ipam_org.emulator.moto_server import credentials_for
from ipam_org.emulator.organization import new_management_account
from tests.support.organization import ipam_member_and_ou


class Org:
    def __init__(self, url: str):
        self.url = url
        self.management = new_management_account()
        organizations = self.client("organizations", self.management)
        self.id = organizations.create_organization(FeatureSet="ALL")["Organization"]["Id"]
        self.ipam_account, self.member, self.ou = ipam_member_and_ou(organizations, "W")

    def client(self, service: str, account: str, region: str = "us-east-1") -> Any:
        credentials = {k.lower(): v for k, v in credentials_for(self.url, account).items()}
        return boto3.Session(**credentials, region_name=region).client(service, endpoint_url=self.url)

    def ec2(self) -> Any:
        return self.client("ec2", self.ipam_account)

    def ipam(self, regions=("us-east-1",)) -> dict[str, Any]:
        return self.ec2().create_ipam(OperatingRegions=[{"RegionName": r} for r in regions])["Ipam"]

    def pool(self, ipam: dict[str, Any], **fields: Any) -> str:
        fields.setdefault("IpamScopeId", ipam["PrivateDefaultScopeId"])
        fields.setdefault("AddressFamily", "ipv4")
        return self.ec2().create_ipam_pool(**fields)["IpamPool"]["IpamPoolId"]

    def provision(self, pool: str, cidr: str, wait: bool = True) -> None:
        ec2 = self.ec2()
        ec2.provision_ipam_pool_cidr(IpamPoolId=pool, Cidr=cidr)
        while wait and ec2.get_ipam_pool_cidrs(IpamPoolId=pool)["IpamPoolCidrs"][-1]["State"] != "provisioned":
            pass


def refused(call, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as raised:
        call(*args, **kwargs)
    return raised.value.response["Error"]["Message"]
