"""Turn a synthesized single-layout stack into a Terraform module (JSON syntax).

The pool tree, shares and lifecycle protection come from the config the module is generated from:
Terraform's type system has no recursive types, and `depends_on` cannot name one instance of a
for_each, which the child-after-parent CIDR ordering needs. Account IDs, the organization ID,
operating regions, tier, description and tags are variables with validation.
"""
from __future__ import annotations

import copy
import json
from typing import Any

from config.model import Config
from validation.rules import ACCOUNT_ID, ORGANIZATION_ID, REGION, free_tier_problems, operating_regions, walk

PROVIDER_VERSION = ">= 5.100.0, < 6.0.0"
TAGGED_TYPES = ("aws_vpc_ipam", "aws_vpc_ipam_scope", "aws_vpc_ipam_pool", "aws_ram_resource_share")


def hcl_string(value: str) -> str:
    """A quoted HCL string inside a JSON-syntax expression.

    Values come from the synthesized stack, where the constructs already spelled `${` and `%{` as
    `$${` and `%%{`: an HCL string literal reads those escapes the same way, so they are kept as they are.
    """
    return json.dumps(value, ensure_ascii=False)


def _tags_expression(tags: dict[str, str]) -> str:
    literal = ", ".join(f"{hcl_string(k)} = {hcl_string(v)}" for k, v in sorted(tags.items()))
    return f"${{merge(var.tags, {{{literal}}})}}"


def _hcl_regex(pattern: str) -> str:
    """A full-match validation pattern as an HCL regex: Terraform's regex() searches, so anchor it (RE2's `$`
    matches only at the very end, never before a trailing newline)."""
    return f"^(?:{pattern})$"


def variables(config: Config) -> dict[str, Any]:
    org = config.organization
    required = sorted({config.home_region, *(n.pool.locale for n in walk(config.pools) if n.pool.locale)})
    shared_accounts = sorted({a for n in walk(config.pools) if n.pool.share for a in n.pool.share.accounts})
    ipam_account_rules = [
        {"condition": f'${{can(regex("{_hcl_regex(ACCOUNT_ID.pattern)}", var.ipam_account_id))}}',
         "error_message": "ipam_account_id must be exactly 12 digits (a quoted string)."},
        {"condition": "${var.ipam_account_id != var.management_account_id}",
         "error_message": "ipam_account_id must be a member account, not the management account: AWS refuses to delegate IPAM administration to it."},
    ]
    if shared_accounts:
        ipam_account_rules.append({
            "condition": f"${{!contains({json.dumps(shared_accounts)}, var.ipam_account_id)}}",
            "error_message": "ipam_account_id is one of the accounts the pools are shared with; the IPAM account owns the pools and needs no share.",
        })
    tier_rules = [{"condition": '${contains(["advanced", "free"], var.tier)}', "error_message": "tier must be \"advanced\" or \"free\"."}]
    if free_tier_problems(config):
        tier_rules.append({
            "condition": '${var.tier == "advanced"}',
            "error_message": "This module's pools use what the free tier does not have (private scope pools, pools outside the home Region, RAM shares); use tier = \"advanced\".",
        })
    return {
        "organization_id": {
            "type": "string", "default": org.id, "description": "The AWS Organization's ID (o-...).",
            "validation": [{"condition": f'${{can(regex("{_hcl_regex(ORGANIZATION_ID.pattern)}", var.organization_id))}}',
                            "error_message": "organization_id must be o- followed by 10-32 lowercase letters or digits."}],
        },
        "management_account_id": {
            "type": "string", "default": org.management_account_id,
            "description": "The organization's management account: aws.management must be its credentials.",
            "validation": [{"condition": f'${{can(regex("{_hcl_regex(ACCOUNT_ID.pattern)}", var.management_account_id))}}',
                            "error_message": "management_account_id must be exactly 12 digits (a quoted string)."}],
        },
        "ipam_account_id": {
            "type": "string", "default": org.ipam_account_id,
            "description": "The member account delegated as IPAM administrator: aws.delegated must be its credentials.",
            "validation": ipam_account_rules,
        },
        "operating_regions": {
            "type": "list(string)", "default": operating_regions(config),
            "description": f"Regions the IPAM operates in; must include the home region and every pool locale ({', '.join(required)}).",
            "validation": [
                {"condition": f'${{alltrue([for r in var.operating_regions : can(regex("{_hcl_regex(REGION.pattern)}", r))])}}',
                 "error_message": "operating_regions must be AWS region names such as us-east-1."},
                {"condition": f"${{alltrue([for r in {json.dumps(required)} : contains(var.operating_regions, r)])}}",
                 "error_message": f"operating_regions must include the home region and every pool locale: {', '.join(required)}."},
            ],
        },
        "tier": {"type": "string", "default": config.ipam.tier, "description": "IPAM tier: advanced or free.", "validation": tier_rules},
        "description": {"type": "string", "default": config.ipam.description or "", "description": "The IPAM's description."},
        "tags": {"type": "map(string)", "default": dict(sorted(config.tags.items())),
                 "description": "Tags on the IPAM, every pool and every RAM share (the callers' providers may add default_tags)."},
    }


def _principal(value: str) -> str:
    if not value.startswith("arn:"):
        return value  # an account ID
    partition = value.split(":")[1]  # the config's partition, as principals() built it
    kind, _, rest = value.split(":", 5)[-1].partition("/")
    prefix, account = f"arn:{partition}:organizations::", "${var.management_account_id}"
    if kind == "organization":
        return f"{prefix}{account}:organization/${{var.organization_id}}"
    return f"{prefix}{account}:ou/${{var.organization_id}}/{rest.split('/')[-1]}"


def _exempting_ipam_account_variable(content: str, ipam_account: str) -> str:
    """The guardrail SCP always exempts the IPAM account: in the module, whichever account var.ipam_account_id names."""
    document = json.loads(content)
    for statement in document["Statement"]:
        for keys in statement["Condition"].values():
            if "aws:PrincipalAccount" in keys:
                keys["aws:PrincipalAccount"] = ["${var.ipam_account_id}" if a == ipam_account else a for a in keys["aws:PrincipalAccount"]]
    return json.dumps(document, separators=(",", ":"))


def resources(stack: dict[str, Any]) -> dict[str, Any]:
    found = copy.deepcopy(stack["resource"])
    for by_name in found.values():
        for body in by_name.values():
            body.pop("//", None)  # cdktf's construct metadata
    ipam_account = next((b["delegated_admin_account_id"] for b in found.get("aws_vpc_ipam_organization_admin_account", {}).values()), None)
    for body in found.get("aws_vpc_ipam_organization_admin_account", {}).values():
        body["delegated_admin_account_id"] = "${var.ipam_account_id}"
    for body in found.get("aws_organizations_policy", {}).values():
        body["content"] = _exempting_ipam_account_variable(body["content"], ipam_account)
    for body in found.get("aws_vpc_ipam", {}).values():
        body["tier"] = "${var.tier}"
        body["description"] = "${var.description}"
        body.pop("operating_regions")
        body["dynamic"] = {"operating_regions": {"for_each": "${toset(var.operating_regions)}",
                                                 "content": {"region_name": "${operating_regions.value}"}}}
    for kind in TAGGED_TYPES:
        for body in found.get(kind, {}).values():
            body["tags"] = _tags_expression(body.get("tags", {}))
    for body in found.get("aws_ram_principal_association", {}).values():
        body["principal"] = _principal(body["principal"])
    return found


OUTPUT_DESCRIPTIONS = {
    "delegated_admin_account_id": "The account delegated as IPAM administrator.",
    "ipam_id": "The IPAM's ID.",
    "ipam_arn": "The IPAM's ARN.",
    "private_default_scope_id": "The IPAM's default private scope.",
    "public_default_scope_id": "The IPAM's default public scope.",
    "custom_scope_ids": "Each custom scope's ID, by scope name.",
    "pools": "Every pool's id and arn, by pool name.",
    "share_arns": "The RAM share ARN of every shared pool, by pool name.",
}


REVIEW_ONLY_OUTPUTS = {"protect"}  # read by the plan review from a stack's own plan; a module's caller has no use for it


def outputs(stack: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {"description": OUTPUT_DESCRIPTIONS[name], "value": body["value"]}
        for name, body in sorted(stack["output"].items())
        if name not in REVIEW_ONLY_OUTPUTS
    }


def main_document(stack: dict[str, Any]) -> dict[str, Any]:
    """Resources, and the `removed` blocks that forget (never destroy) organization-wide settings."""
    document: dict[str, Any] = {"resource": resources(stack)}
    if stack.get("removed"):
        document["removed"] = stack["removed"]
    return document


def versions() -> dict[str, Any]:
    return {"terraform": {
        "required_version": ">= 1.9",  # cross-variable validation (ipam_account_id != management_account_id)
        "required_providers": {"aws": {
            "source": "hashicorp/aws",
            "version": PROVIDER_VERSION,
            "configuration_aliases": ["aws.management", "aws.delegated"],
        }},
    }}
