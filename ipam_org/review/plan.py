"""Read `terraform show -json` plans into resource changes described in IPAM terms."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ipam_org import addresses
from ipam_org.files import InputFileError, read_regular_text

MAX_PLAN_BYTES = 1024 * 1024 * 1024  # far above any plan of this tool; a bound, not a budget
# The resource types ipam-org's stacks write: a change of any other type, or in a module, is not one this review was
# built for, and describing it in IPAM terms would be a confident wrong description (load_plan refuses it).
DESCRIBED_TYPES = frozenset(t for types in addresses.RESOURCE_TYPES.values() for t in types)
MANAGEMENT_TYPES = frozenset(addresses.RESOURCE_TYPES["management"])
# unknown first (an action list this review does not know), then deletions; import: an existing resource adopted
# unchanged; forget: a `removed` block
ACTION_ORDER = ["unknown", "delete", "replace", "update", "create", "import", "forget"]
# Terraform's action lists and what each is here; any other list is "unknown" and a risk (the review fails closed).
ACTIONS = {
    ("create",): "create",
    ("update",): "update",
    ("delete",): "delete",
    ("forget",): "forget",
    ("delete", "create"): "replace",
    ("create", "delete"): "replace",
    ("no-op",): None,
    ("read",): None,
}


class PlanError(Exception):
    """A plan file that cannot be reviewed; the message names the file."""


@dataclass
class Change:
    stack: str
    address: str
    type: str
    name: str
    # create, update, replace, delete, import (adopted unchanged), forget (leaves the state, stays in AWS), unknown
    action: str
    alias: str  # provider alias: management, delegated, or the provider's key
    before: dict[str, Any]
    after: dict[str, Any]
    changed: list[str] = field(default_factory=list)
    in_config: bool = True  # False: its block left the config (prevent_destroy left with it)
    replace_paths: list[str] = field(default_factory=list)  # attributes that forced a replace
    importing: str | None = None  # the import ID when this change adopts an existing resource
    actions: tuple[str, ...] = ()  # Terraform's own action list, named in the risk when the review does not know it
    scope: str | None = (
        None  # a pool's scope (private, public or a custom scope's name), when its block is in the config
    )

    @property
    def values(self) -> dict[str, Any]:
        return self.after or self.before

    @property
    def named(self) -> addresses.Named:
        """The pool, published fact, scope or guarded OU this resource's name says it belongs to."""
        return addresses.parse(self.type, self.name)

    def describe(self) -> str:
        """One line in IPAM terms: pool name, CIDR, principal."""
        values, name = self.values, self.name
        named = self.named
        pool, fact = named.pool, named.fact
        text = {
            "aws_vpc_ipam_organization_admin_account": lambda: (
                f"IPAM delegated administrator: account {_delegate(self)}"
            ),
            "aws_ram_sharing_with_organization": lambda: "RAM sharing with the organization",
            "aws_vpc_ipam": lambda: (
                f"IPAM (tier {values.get('tier') or '?'}; operating regions {', '.join(_regions(values)) or '?'})"
            ),
            "aws_vpc_ipam_scope": lambda: f'custom scope "{(values.get("tags") or {}).get("Name") or name}"',
            "aws_vpc_ipam_pool": lambda: (
                f'pool "{name}" ({values.get("address_family") or "?"}, '
                f"{f'{self.scope} scope, ' if self.scope else ''}{_locale(values)})"
            ),
            "aws_vpc_ipam_pool_cidr": lambda: f'CIDR {_cidr(values)} of pool "{pool}"{_authorization(values)}',
            "aws_ram_resource_share": lambda: f'RAM share of pool "{pool}"',
            "aws_ram_resource_association": lambda: (
                f'parameter {fact} of pool "{pool}" in its RAM share'
                if fact
                else f'pool "{pool}" attached to its RAM share'
            ),
            "aws_ssm_parameter": lambda: f'parameter {values.get("name") or fact} of pool "{pool}"',
            "aws_organizations_policy": lambda: f"SCP requiring IPAM pools for VPCs in OU {named.ou}",
            "aws_organizations_policy_attachment": lambda: f"SCP requiring IPAM pools attached to OU {named.ou}",
            "aws_ram_principal_association": lambda: (
                f'principal {values.get("principal") or "?"} on the share of pool "{pool}"'
            ),
            "aws_sns_topic": lambda: f"SNS topic {values.get('name') or '?'} for the pool alarms",
            "aws_sns_topic_subscription": lambda: (
                f"{values.get('protocol') or '?'} subscription {values.get('endpoint') or '?'} to the pool alarms"
            ),
            "aws_cloudwatch_metric_alarm": lambda: (
                f'alarm {values.get("alarm_name") or "?"} on pool "{pool}" ({values.get("metric_name") or "?"} '
                f"{_COMPARISONS.get(values.get('comparison_operator'), '?')} {_number(values.get('threshold'))})"
            ),
        }[self.type]()
        if self.action == "update" and self.changed:
            text += f" — {', '.join(_change_text(self, key) for key in self.changed)}"
        return text


_COMPARISONS = {
    "GreaterThanOrEqualToThreshold": ">=",
    "GreaterThanThreshold": ">",
    "LessThanThreshold": "<",
    "LessThanOrEqualToThreshold": "<=",
}


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else "?"


def _delegate(change: Change) -> str:
    before, after = change.before.get("delegated_admin_account_id"), change.after.get("delegated_admin_account_id")
    if change.action in ("replace", "update") and before and after and before != after:
        return f"{before} → {after}"
    return str(after or before or "?")


def _locale(values: dict[str, Any]) -> str:
    locale = values.get("locale")
    return locale if locale and locale != "None" else "no locale"  # AWS spells an absent locale "None"


def _regions(values: dict[str, Any]) -> list[str]:
    return sorted(r.get("region_name", "?") for r in values.get("operating_regions") or [])


def _authorization(values: dict[str, Any]) -> str:
    """A BYOIP CIDR's authorization: its message, never its signature."""
    context = values.get("cidr_authorization_context") or []
    message = context[0].get("message") if context and isinstance(context[0], dict) else None
    return f" (BYOIP, authorized by {message}; signature not shown)" if message else ""


def _scopes(resources: list[dict[str, Any]]) -> dict[str, str]:
    """Each pool's scope, read from the reference its ipam_scope_id is written with: the IPAM's private or public
    default scope, or a custom scope (aws_vpc_ipam_scope.ipam_scope_<name> where the stacks place it)."""
    found = {}
    for resource in resources:
        for reference in resource.get("expressions", {}).get("ipam_scope_id", {}).get("references") or []:
            kind, _, rest = reference.partition(".")
            if kind == "aws_vpc_ipam" and rest.endswith("_default_scope_id"):
                found[resource["address"]] = rest.rsplit(".", 1)[-1].removesuffix("_default_scope_id")
            elif kind == "aws_vpc_ipam_scope":
                found[resource["address"]] = addresses.parse(kind, rest.split(".", 1)[0]).scope
            else:
                continue
            break
    return found


def _scope_names(prior_state: dict[str, Any]) -> dict[str, str]:
    """Scope ID -> its name in the review (private, public or a custom scope), from the state before the plan."""
    found = {}
    for resource in prior_state.get("values", {}).get("root_module", {}).get("resources") or []:
        values = resource.get("values") or {}
        if resource.get("type") == "aws_vpc_ipam":
            for kind in ("private", "public"):
                if values.get(f"{kind}_default_scope_id"):
                    found[values[f"{kind}_default_scope_id"]] = kind
        elif resource.get("type") == "aws_vpc_ipam_scope" and values.get("id"):
            found[values["id"]] = addresses.parse("aws_vpc_ipam_scope", resource.get("name", "")).scope or values["id"]
    return found


def _cidr(values: dict[str, Any]) -> str:
    if values.get("cidr"):
        return str(values["cidr"])
    return f"/{values['netmask_length']} (Amazon-provided)" if values.get("netmask_length") else "?"


def _change_text(change: Change, key: str) -> str:
    before, after = change.before.get(key), change.after.get(key)
    if key == "operating_regions":
        before, after = ", ".join(_regions(change.before)), ", ".join(_regions(change.after))
    if isinstance(before, (dict, list)) or isinstance(after, (dict, list)):
        return f"{key} changed"
    return f"{key} {before} → {after}"


def _action(actions: list[str], importing: bool) -> str | None:
    key = tuple(actions) if isinstance(actions, list) else ("?",)
    if key not in ACTIONS:
        return "unknown"
    action = ACTIONS[key]
    return action or ("import" if importing else None)  # no-op, read: nothing changes unless it adopts


def _changed_keys(before: dict[str, Any], after: dict[str, Any], unknown: dict[str, Any]) -> list[str]:
    keys = sorted(set(before) | set(after))
    return [
        k
        for k in keys
        if k not in ("tags_all",) and (before.get(k) != after.get(k) or unknown.get(k) is True) and k in after
    ]


@dataclass
class Plan:
    stack: str
    changes: list[Change]
    accounts: dict[str, str]  # provider alias -> account ID (from allowed_account_ids)
    outputs: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # changed outputs: name -> (before, after)
    drift: list[Change] = field(default_factory=list)  # changed outside Terraform (the plan's resource_drift)


def load_plan(path: Path, stack: str) -> Plan:
    try:
        data = json.loads(read_regular_text(path, MAX_PLAN_BYTES, "plan file"))
    except InputFileError as error:
        raise PlanError(f"{path}: {error}") from None
    except json.JSONDecodeError as error:
        raise PlanError(f"{path}: not a JSON plan ({error})") from None
    if (
        not isinstance(data, dict)
        or "format_version" not in data
        or "resource_changes" not in data
        and "planned_values" not in data
    ):
        raise PlanError(f"{path}: not a `terraform show -json` plan (no format_version/resource_changes)")
    configuration = data.get("configuration", {})
    configured = configuration.get("root_module", {}).get("resources", [])
    keys = {r["address"]: r.get("provider_config_key", "") for r in configured}
    scopes = _scopes(configured)
    scope_names = _scope_names(data.get("prior_state") or {})
    changes, drift = [], []
    for section, found in (("resource_changes", changes), ("resource_drift", drift)):
        for item in data.get(section) or []:
            if item.get("module_address") or (
                item.get("mode") == "managed" and item.get("type") not in DESCRIBED_TYPES
            ):
                raise PlanError(
                    f"{path}: {item.get('address')} is not a resource ipam-org's stacks write, so this review cannot"
                    " describe it truthfully; it reviews the plans of the stacks main.py synthesizes (for a plan of"
                    " the Terraform module, read `terraform show` itself)"
                )
            change = _change(item, stack, keys, scopes, scope_names)
            if change is not None:
                found.append(change)
    changes.sort(key=lambda c: (ACTION_ORDER.index(c.action), c.address))
    outputs = {
        name: (output.get("before"), output.get("after"))
        for name, output in (data.get("output_changes") or {}).items()
        if output.get("actions") != ["no-op"]
    }
    # Drift that matters is what this plan undoes: a resource deleted outside Terraform, or one it changes back.
    # A refresh also reads back values AWS spells differently ([] for null, tags re-read): no change, not drift.
    undone = {c.address for c in changes}
    drift = [c for c in drift if c.action == "delete" or c.address in undone]
    drift.sort(key=lambda c: (ACTION_ORDER.index(c.action), c.address))
    return Plan(stack=stack, changes=changes, accounts=_accounts(configuration), outputs=outputs, drift=drift)


def _change(
    item: dict[str, Any], stack: str, keys: dict[str, str], scopes: dict[str, str], scope_names: dict[str, str]
) -> Change | None:
    """One entry of resource_changes (or resource_drift) as a Change; None when nothing changes."""
    change = item.get("change", {})
    importing = change.get("importing")  # present (with the import ID) when this change adopts a resource
    actions = change.get("actions", [])
    action = _action(actions, importing is not None)
    if action is None or (item.get("mode") != "managed" and action != "unknown"):
        return None
    before, after = change.get("before") or {}, change.get("after") or {}
    key = keys.get(item["address"]) or ("aws.management" if item["type"] in MANAGEMENT_TYPES else "aws.delegated")
    return Change(
        stack=stack,
        address=item["address"],
        type=item["type"],
        name=item.get("name", item["address"]),
        action=action,
        actions=tuple(str(a) for a in actions) if isinstance(actions, list) else (str(actions),),
        alias=key.split(".", 1)[-1],
        before=before,
        after=after,
        changed=_changed_keys(before, after, change.get("after_unknown") or {}) if action == "update" else [],
        in_config=item["address"] in keys,
        replace_paths=sorted({str(path[0]) for path in change.get("replace_paths") or [] if path}),
        importing=importing.get("id", "") if importing is not None else None,
        # a pool that leaves the config has no configured scope: its prior state names the scope's ID
        scope=scopes.get(item["address"]) or scope_names.get(str(before.get("ipam_scope_id"))),
    )


def _accounts(configuration: dict[str, Any]) -> dict[str, str]:
    accounts = {}
    for key, provider in configuration.get("provider_config", {}).items():
        allowed = provider.get("expressions", {}).get("allowed_account_ids", {}).get("constant_value") or []
        if allowed:
            accounts[key.split(".", 1)[-1]] = ", ".join(allowed)
    return accounts
