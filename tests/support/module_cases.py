"""The module's own refusals: each invalid config in tests/configs/invalid whose mistake the module's inputs can
express becomes a `terraform test` run that expects the module to refuse it, in
dist/terraform-aws-ipam-organization/tests/invalid_inputs.tftest.hcl (`python -m tests.support.module_cases --write`).

Every invalid case is accounted for: refused by the module (EXPECTED_FAILURES, default var.pools), or listed in
NOT_MODULE_INPUTS or TYPE_LEVEL with the reason the module never sees it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from typing import Any

import yaml
from pydantic import ValidationError

from ipam_org.config.model import Config
from ipam_org.module_export.tfvars import tfvars
from ipam_org.modules.text import literal
from tests.conftest import ROOT

INVALID = ROOT / "tests" / "configs" / "invalid"
MODULE = ROOT / "dist" / "terraform-aws-ipam-organization"
TARGET = MODULE / "tests" / "invalid_inputs.tftest.hcl"

# What each case's validation (or precondition) names, when it is not var.pools alone.
EXPECTED_FAILURES = {
    "account-fullwidth-digits": ["var.ipam_account_id"],
    "account-too-short": ["var.ipam_account_id"],
    "ipam-account-is-management": ["var.ipam_account_id"],
    "many-problems-at-once": ["var.ipam_account_id"],  # cross-variable rules wait for the variables they read
    "hcl-management-account-malformed": ["var.management_account_id"],
    "hcl-tier-unknown": ["var.tier"],
    "hcl-partition-unknown": ["var.partition"],
    "hcl-tags-too-many": ["var.tags"],
    "organization-id-malformed": ["var.organization_id"],
    "organization-id-trailing-newline": ["var.organization_id"],
    "operating-region-malformed": ["var.operating_regions"],
    "region-trailing-newline": ["var.operating_regions"],
    "locale-malformed": ["var.operating_regions"],
    "scope-name-default": ["var.scopes"],
    "scope-name-invalid": ["var.scopes"],
    "guardrail-exempt-accounts-wrong": ["var.guardrails"],
    "hcl-guardrail-no-ou": ["var.guardrails"],
    "guardrail-only-pool-without-locale": ["var.guardrails"],
    "guardrail-ou-listed-twice": ["var.guardrails"],
    "guardrail-ou-not-an-id": ["var.guardrails"],
    "guardrail-ou-without-a-pool": ["var.guardrails"],
    **{
        case: ["var.monitoring"]
        for case in (
            "monitoring-used-percent-out-of-range",
            "monitoring-pool-unknown",
            "monitoring-topic-arn-malformed",
            "monitoring-emails-wrong",
            "monitoring-no-alarms",
            "monitoring-emails-on-foreign-topic",
            "monitoring-topic-name-malformed",
        )
    },
}

# Refused by a precondition (the IPAM's and the alarms', which read the home Region from aws.delegated; the SCP's
# size): hand-written
# runs of the same name in tests/module.tftest.hcl (they need the whole module and its mocked providers).
PRECONDITION_CASES = ("tier-free-locale-outside-home", "guardrail-scp-too-large", "monitoring-topic-other-region")

# Valid as module inputs: what is wrong lies in what the module does not take.
NOT_MODULE_INPUTS = {
    "provider-settings-malformed": "providers are the caller's",
    "backend-key-template": "the backend is the caller's",
    "backend-bucket-region-malformed": "the backend is the caller's",
    "token-text": "cdktf token markers mean something only to CDKTF; Terraform reads the module's strings as HCL "
    "values",
    **{
        case: "adoption is the caller's import blocks (Terraform allows them only in a root module)"
        for case in (
            "adopt-cidr-not-in-pool",
            "adopt-ids-malformed",
            "adopt-pool-not-in-config",
            "adopt-pool-without-ipam",
            "adopt-principal-not-shared",
            "adopt-ram-sharing-not-needed",
        )
    },
    "teardown-without-protect-off": "teardown is the README's state rm and destroy, not an input",
    "provider-region-malformed": "providers are the caller's; the AWS provider refuses a malformed region",
    "partition-iso-region": "the home Region is aws.delegated's; the AWS provider refuses operating_regions without "
    "it at plan",
    "home-region-not-operating": "the AWS provider refuses operating_regions without the home Region at plan",
    "partition-mixed-govcloud-and-commercial": "the management provider's Region is the caller's (the module checks "
    "var.partition against the home Region)",
    "duplicate-pool-name": "pools is a map: a name is one key",
    "scope-listed-twice": "scopes is a map: a name is one key",
    "pool-name-reserved": "the names are reserved for the CDKTF stacks' own resources; the module keys pools apart "
    "from them",
    "account-unquoted-leading-zero": "a YAML number; Terraform takes the string as written",
}

# Refused by the config's schema before any rule: Terraform's own type constraints refuse these (a number where a
# string is required, an unknown tier); YAML-level mistakes have no Terraform form.
TYPE_LEVEL = {
    "account-unquoted-octal": "YAML reads an unquoted octal number",
    "account-unquoted": "a number where Terraform converts to the string as written",
    "address-family-unknown": "refused by the module's address_family validation when written in HCL",
    "monitoring-alarm-unknown": "refused by the module's monitoring validation when written in HCL",
    "allocation-not-a-number": "Terraform's type constraint: a number is required",
    "empty-file": "YAML",
    "guardrail-exempt-account-unquoted": "a number where Terraform converts to the string as written",
    "layout-unknown": "not a module input",
    "not-a-mapping": "YAML",
    "organization-missing": "Terraform requires organization_id, management_account_id and ipam_account_id",
    "pools-not-a-list": "Terraform's type constraint: pools is a map of objects",
    "publish-not-a-boolean": "Terraform's type constraint: a bool is required",
    "share-account-unquoted": "a number where Terraform converts to the string as written",
    "teardown-without-undelegate-choice": "not a module input",
    "tier-unknown": "refused by the module's tier validation when written in HCL",
    "unknown-allocation-key": "Terraform drops object attributes the type does not declare (see the module README)",
    "unknown-pool-key": "Terraform drops object attributes the type does not declare (see the module README)",
    "misspelt-key-and-rule-problems": "Terraform drops the misspelt attribute; the rule problems have their own cases "
    "(child-outside-parent, sibling overlap)",
    "unknown-provider-key": "providers are the caller's",
    "unknown-top-level-key": "an undeclared module argument: Terraform refuses it",
    "yaml-syntax-error": "YAML",
}


# Mistakes only a Terraform caller can make (the flat map's parent links), or that the config's schema stops before
# its rules (a tier or family outside the enum): the module refuses them too.
BASE = {
    "organization_id": "o-a1b2c3d4e5",
    "management_account_id": "111111111111",
    "ipam_account_id": "222222222222",
    "operating_regions": ["us-east-1"],
}
HCL_ONLY_CASES: dict[str, dict[str, Any]] = {
    "hcl-management-account-malformed": {**BASE, "management_account_id": "1111"},
    "hcl-tier-unknown": {**BASE, "tier": "premium"},
    "hcl-partition-unknown": {**BASE, "partition": "aws-mars"},
    "hcl-tags-too-many": {**BASE, "tags": {f"key{i}": "value" for i in range(50)}},
    "hcl-parent-missing": {
        **BASE,
        "pools": {"corp": {"cidrs": ["10.0.0.0/8"]}, "use1": {"parent": "crop", "cidrs": ["10.0.0.0/12"]}},
    },
    "hcl-parent-cycle": {
        **BASE,
        "pools": {"a": {"parent": "b", "cidrs": ["10.0.0.0/8"]}, "b": {"parent": "a", "cidrs": ["10.0.0.0/12"]}},
    },
    "hcl-address-family-unknown": {**BASE, "pools": {"corp": {"address_family": "ipv5", "cidrs": ["10.0.0.0/8"]}}},
    "hcl-locale-malformed": {**BASE, "pools": {"corp": {"locale": "useast1", "cidrs": ["10.0.0.0/8"]}}},
    # The YAML config accepts no OU as the first step of removing the split layout's guardrail stack; the module
    # keeps its SCPs in the caller's one state, where removing the OUs destroys them.
    "hcl-guardrail-no-ou": {**BASE, "guardrails": {"require_ipam_for_vpcs": {"organizational_units": []}}},
}


def hcl(value: Any, indent: str = "") -> str:
    """A value as an HCL expression; strings stay literal (${ and %{ escaped)."""
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{\n" + "".join(f"{inner}{json.dumps(k)} = {hcl(v, inner)}\n" for k, v in value.items()) + indent + "}"
    if isinstance(value, list):
        return "[" + ", ".join(hcl(v, inner) for v in value) + "]"
    if isinstance(value, str):
        return literal(json.dumps(value, ensure_ascii=False))
    return json.dumps(value)


def run_name(case: str) -> str:
    return case.replace("-", "_")


def cases() -> dict[str, dict[str, Any]]:
    """Each invalid case a variable validation refuses, and its variables (CIDRs as written)."""
    found = {}
    for path in sorted(INVALID.glob("*.yaml")):
        name = path.stem
        if name in NOT_MODULE_INPUTS or name in TYPE_LEVEL or name in PRECONDITION_CASES:
            continue
        try:
            config = Config.model_validate(yaml.safe_load(path.read_text()))
        except ValidationError as error:
            raise AssertionError(f"{name} fails the config schema: list it in TYPE_LEVEL with the reason") from error
        found[name] = tfvars(config, as_written=True)
    return {**found, **HCL_ONLY_CASES}


def render() -> str:
    lines = [
        "# Generated by `python -m tests.support.module_cases --write` from ipam-org's tests/configs/invalid: each "
        "run is an",
        "# invalid config the module must refuse at plan, before anything is created.",
        "",
        'mock_provider "aws" {\n  alias = "management"\n}',
        "",
        'mock_provider "aws" {\n  alias = "delegated"\n}',
    ]
    for name, variables in cases().items():
        body = "\n".join(f"    {key} = {hcl(value, '    ')}" for key, value in variables.items())
        expected = ", ".join(EXPECTED_FAILURES.get(name, ["var.pools"]))
        lines += [
            "",
            f'run "{run_name(name)}" {{',
            "  command = plan",
            "",
            "  variables {",
            body,
            "  }",
            "",
            f"  expect_failures = [{expected}]",
            "}",
        ]
    return formatted("\n".join(lines) + "\n")


def formatted(text: str) -> str:
    """As `terraform fmt` writes it (the module's files are checked with fmt -check)."""
    result = subprocess.run(
        ["terraform", "fmt", "-no-color", "-"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TF_CLI_CONFIG_FILE": os.devnull},
    )
    return result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help=f"rewrite {TARGET.relative_to(ROOT)}")
    if not parser.parse_args().write:
        parser.error("--write is the only action")
    TARGET.write_text(render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
