"""Write a Terraform state (format version 4) from a plan's planned values, for offline update plans.

Computed attributes get typed placeholders from the provider schema; attributes that reference
another resource get that resource's placeholder, so unchanged resources plan as no-ops and
`terraform plan -refresh=false` against this state computes real updates, replacements and deletions.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]'


def placeholder(address: str, attribute: str, kind: Any) -> Any:
    if kind == "string":
        if attribute == "arn" or attribute.endswith("_arn"):  # the provider validates ARN syntax
            return f"arn:aws:placeholder:us-east-1:000000000000:{address}"
        return f"{address}.{attribute}"
    if kind == "number":
        return 0
    if kind == "bool":
        return False
    if isinstance(kind, list) and kind[0] in ("list", "set"):
        return []
    if isinstance(kind, list) and kind[0] == "map":
        return {}
    return None


def state_from_plan(plan: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    aws = schemas["provider_schemas"]["registry.terraform.io/hashicorp/aws"]["resource_schemas"]
    configured = {r["address"]: r for r in plan["configuration"]["root_module"]["resources"]}
    resources = []
    for change in plan["resource_changes"]:
        if change["mode"] != "managed" or change["change"]["after"] is None:
            continue
        address, kind = change["address"], change["type"]
        schema = aws[kind]
        attributes_schema = schema["block"].get("attributes", {})
        after = dict(change["change"]["after"])
        unknown = change["change"].get("after_unknown") or {}
        expressions = configured[address].get("expressions", {})
        attributes: dict[str, Any] = {}
        for name, spec in attributes_schema.items():
            if unknown.get(name) is True:
                references = expressions.get(name, {}).get("references") or []
                if references:  # e.g. source_ipam_pool_id = aws_vpc_ipam_pool.parent.id
                    target, _, target_attribute = references[0].rpartition(".")
                    attributes[name] = placeholder(target, target_attribute, "string")
                else:
                    attributes[name] = placeholder(address, name, spec.get("type"))
            else:
                attributes[name] = after.get(name)
        for name in schema["block"].get("block_types", {}):
            attributes[name] = after.get(name, [])
        key = configured[address].get("provider_config_key", "aws")
        alias = key.split(".", 1)[1] if "." in key else None
        resources.append(
            {
                "mode": "managed",
                "type": kind,
                "name": change["name"],
                "provider": f"{PROVIDER}.{alias}" if alias else PROVIDER,
                "instances": [
                    {
                        "schema_version": schema.get("version", 0),
                        "attributes": attributes,
                        "sensitive_attributes": [],
                        "private": "bnVsbA==",
                    }
                ],
            }
        )
    return {
        "version": 4,
        "terraform_version": plan["terraform_version"],
        "serial": 1,
        "lineage": str(uuid.UUID(int=0)),
        "outputs": _known_outputs(plan),
        "resources": resources,
    }


def _known_outputs(plan: dict[str, Any]) -> dict[str, Any]:
    """Outputs whose planned value is a known scalar (the `protect` flag the review compares)."""
    types = {bool: "bool", str: "string", int: "number", float: "number"}
    outputs = {}
    for name, output in (plan.get("planned_values", {}).get("outputs") or {}).items():
        value = output.get("value")
        if type(value) in types:
            outputs[name] = {"value": value, "type": types[type(value)]}
    return outputs


def write_state(path, plan: dict[str, Any], schemas: dict[str, Any]) -> None:
    path.write_text(json.dumps(state_from_plan(plan, schemas), indent=1))
