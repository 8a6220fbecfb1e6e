"""Terraform against the emulator, offline: providers from the machine's filesystem mirror, never the registry, and
a synthesized stack pointed at a local moto for STS and IAM."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

PROVIDER = Path("registry.terraform.io/hashicorp/aws/5.100.0")  # what cdktf-cdktf-provider-aws 20.1.0 binds
MIRROR_CANDIDATES = [
    "/opt/tf-plugins",
    "~/.terraform.d/plugins",
    "~/.local/share/terraform/plugins",
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
]


class MirrorMissing(Exception):
    """No filesystem mirror holds the provider; the message says where it looked."""


def find_mirror() -> Path:
    candidates = [os.environ["IPAM_ORG_TF_MIRROR"]] if os.environ.get("IPAM_ORG_TF_MIRROR") else MIRROR_CANDIDATES
    for candidate in candidates:
        root = Path(candidate).expanduser()
        if (root / PROVIDER).is_dir():
            return root
    raise MirrorMissing(f"no Terraform filesystem mirror with {PROVIDER} in {candidates} (set IPAM_ORG_TF_MIRROR)")


def write_cli_config(directory: Path, mirror: Path | None = None) -> Path:
    """A CLI config that installs providers only from mirror, by default the machine's (TF_CLI_CONFIG_FILE may name a
    missing file)."""
    path = directory / "terraform.rc"
    path.write_text(
        "provider_installation {\n"
        f'  filesystem_mirror {{\n    path    = "{mirror or find_mirror()}"\n'
        '    include = ["registry.terraform.io/*/*"]\n  }\n}\n'
    )
    return path


def offline_copy(stack_json: dict[str, Any]) -> dict[str, Any]:
    """The synthesized stack as it is, but with a local backend and no instance metadata; run it with
    sts_environment() so that STS and IAM reach a local moto server.

    Providers keep allowed_account_ids and assume_role, so the account guards really run.
    """
    copy = json.loads(json.dumps(stack_json))
    for provider in copy["provider"]["aws"]:
        provider["skip_metadata_api_check"] = "true"
    copy["terraform"]["backend"] = {"local": {"path": "terraform.tfstate"}}
    return copy


def sts_environment(url: str) -> dict[str, str]:
    """The environment that sends the AWS provider's STS and IAM calls to url. The provider's `endpoints` block
    would do the same at about 8 s more CPU per plan of a stack with two provider aliases (docs/test-time.md)."""
    return {"AWS_ENDPOINT_URL_STS": url, "AWS_ENDPOINT_URL_IAM": url}
