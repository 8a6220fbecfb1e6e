"""An organization built in moto (with the emulator's EC2 IPAM) through the real APIs, for the preflight tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import yaml

from ipam_org.emulator.moto_server import credentials_for
from tests.conftest import MANAGEMENT_ACCOUNT, REFERENCE, ROOT
from tests.support.organization import ipam_member_and_ou


class Organization:
    """An organization built in moto through the real APIs, and a config that matches it."""

    def __init__(self, url: str, credentials: dict[str, str], feature_set: str = "ALL"):
        self.url, self.credentials = url, credentials
        self.session = self.session_for(credentials)
        organizations = self.client("organizations")
        self.org_id = organizations.create_organization(FeatureSet=feature_set)["Organization"]["Id"]
        self.ipam_account, self.member, self.ou = ipam_member_and_ou(organizations, "Workloads")
        # trusted access for RAM and RAM's service-linked role, as AWS's call leaves them (the emulator's RAM)
        self.client("ram").enable_sharing_with_aws_organization()

    def session_for(self, credentials: dict[str, str]) -> boto3.Session:
        return boto3.Session(
            aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=credentials["AWS_SECRET_ACCESS_KEY"],
            aws_session_token=credentials["AWS_SESSION_TOKEN"],
            region_name="us-east-1",
        )

    def client(self, name: str, session: boto3.Session | None = None) -> Any:
        return (session or self.session).client(name, endpoint_url=self.url)

    def ipam_session(self) -> boto3.Session:
        return self.session_for(credentials_for(self.url, self.ipam_account))

    def config(self, **changes: Any) -> dict[str, Any]:
        config = yaml.safe_load(REFERENCE.read_text())
        config["organization"] = {
            "id": self.org_id,
            "management_account_id": MANAGEMENT_ACCOUNT,
            "ipam_account_id": self.ipam_account,
        }
        config["providers"]["delegated"]["role_arn"] = (
            f"arn:aws:iam::{self.ipam_account}:role/OrganizationAccountAccessRole"
        )
        dev = config["pools"][0]["pools"][0]["pools"][1]
        dev["share"] = {"organizational_units": [self.ou], "accounts": [self.member]}
        for key, value in changes.items():
            config[key] = value
        return config


@contextmanager
def organizations_server() -> Iterator[str]:
    """The IPAM emulator (moto plus EC2 IPAM: preflight reads the IPAMs that exist), with IAM naming IPAM's
    service-linked role as AWS does when a test creates it with iam:CreateServiceLinkedRole (moto says
    AWSServiceRoleForipam)."""
    from moto.iam.models import SERVICE_NAME_CONVERSION

    from ipam_org.emulator.server import emulator

    SERVICE_NAME_CONVERSION["ipam"] = "IPAM"
    try:
        with emulator() as url:
            yield url
    finally:
        del SERVICE_NAME_CONVERSION["ipam"]


def fresh_organization(url: str, feature_set: str = "ALL") -> Organization:
    """An emptied server, and a new organization in it."""
    urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"))
    return Organization(url, credentials_for(url, MANAGEMENT_ACCOUNT), feature_set)


def run_preflight(
    org: Organization,
    config: dict[str, Any],
    tmp_path: Path,
    credentials: dict[str, str] | None = None,
    command: str = "check",
) -> subprocess.CompletedProcess:
    path = tmp_path / "ipam.yaml"
    path.write_text(json.dumps(config))  # JSON is YAML with every string quoted (moto's IDs may start with 0)
    env = {
        **os.environ,
        **(credentials or org.credentials),
        "AWS_ENDPOINT_URL": org.url,
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    for name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "ipam_org", "preflight", command, "--config", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def lines(result: subprocess.CompletedProcess) -> list[str]:
    return result.stdout.splitlines()
