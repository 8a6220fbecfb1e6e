"""No string of a config is ever Terraform code: every string field the config model has gets a template marker.

The fields are read from the model itself (pydantic's annotations), so a field added later is covered or this
test fails naming it. One config sets every field; each field in turn gets a marker that would read a file,
fail or vanish if Terraform evaluated it. Either validation refuses it, naming the field (IDs, regions, CIDRs,
names, backend and provider settings have grammars that cannot hold `${`), or the marker is synthesized, and a
real `terraform plan` must show it byte for byte, evaluated nowhere.
"""

from __future__ import annotations

import copy
import json
import re
import types
import typing
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, ValidationError

from ipam_org.config.loader import schema_problems
from ipam_org.config.model import Config
from ipam_org.domain import is_account_name, is_ou_name
from ipam_org.validation import validate
from tests.conftest import GUARDED_OU, REFERENCE, synthesize
from tests.support.terraform import offline_terraform

Where = tuple[Any, ...]  # keys and indices into the config's data; ("key", name) renames a mapping key


def marker(index: int) -> str:
    return f'M{index}${{file("/nonexistent/m{index}")}}%{{if false}}gone%{{endif}}$${{x}}'


def schema_fields(model: type[BaseModel], prefix: str = "", seen: frozenset = frozenset()) -> set[str]:
    """Every place the model holds free text: `pools[].description`, `tags{}` (values), `tags{key}` (keys)."""
    found: set[str] = set()
    for name, field in model.model_fields.items():
        found |= _annotation_fields(field.annotation, f"{prefix}{name}", seen | {model})
    return found


def _annotation_fields(annotation: Any, path: str, seen: frozenset) -> set[str]:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if annotation is str:
        return {path}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return (
            set() if annotation in seen else schema_fields(annotation, f"{path}.", seen)
        )  # a pool's pools: same fields
    if origin in (typing.Union, types.UnionType):
        return set().union(*(_annotation_fields(arg, path, seen) for arg in args if arg is not type(None)))
    if origin is list:
        return _annotation_fields(args[0], f"{path}[]", seen)
    if origin is dict:
        keys = {f"{path}{{key}}"} if args[0] is str else set()
        return keys | _annotation_fields(args[1], f"{path}{{}}", seen)
    return set()  # bool, int, Literal: not free text


def data_fields(data: Any, path: Where = (), shape: str = "") -> Iterator[tuple[str, Where]]:
    """(schema field, where in the data) for every string in the config's data."""
    if isinstance(data, str):
        yield shape, path
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from data_fields(item, (*path, index), f"{shape}[]")
    elif isinstance(data, dict):
        for key, item in data.items():
            if _is_mapping_field(shape):
                yield f"{shape}{{key}}", (*path, ("key", key))
                yield from data_fields(item, (*path, key), f"{shape}{{}}")
            else:
                yield from data_fields(item, (*path, key), f"{shape}.{key}" if shape else key)


def _is_mapping_field(shape: str) -> bool:
    """Fields whose keys the user chooses (tags, adopt.pools by pool name, ...), as the model declares them."""
    return _any_depth(shape) in _MAPPINGS


def everything() -> dict[str, Any]:
    """One valid config that sets every string field the model has (checked below against the model)."""
    config = yaml.safe_load(REFERENCE.read_text())
    corp = config["pools"][0]
    use1_prod = corp["pools"][0]["pools"][0]
    use1_prod["share"]["name"] = "corp-prod"
    use1_prod["allocation"]["resource_tags"] = {"team": "platform"}
    corp["pools"][0]["pools"][1]["share"]["publish"] = True
    corp["tags"] = {"cost-center": "network"}
    config["pools"].append(
        {
            "name": "eips",
            "scope": "public",
            "description": "BYOIP",
            "cidrs": ["198.51.100.0/24"],
            "cidr_authorization_contexts": {
                "198.51.100.0/24": {
                    "message": "1|aws|222222222222|198.51.100.0/24|20991231|SHA256|RSAPSS",
                    "signature": "c2lnbmF0dXJl",
                }
            },
        }
    )
    config["pools"].append({"name": "acquired-root", "scope": "acquired", "cidrs": ["172.16.0.0/12"]})
    config["scopes"] = [{"name": "acquired", "description": "Acme"}]
    config["tags"] = {"owner": "platform"}
    config["ipam"]["tags"] = {"purpose": "organization"}
    for alias, account in (("management", "111111111111"), ("delegated", "222222222222")):
        config["providers"][alias].update(
            role_arn=f"arn:aws:iam::{account}:role/deployer",
            external_id="ext-1",
            session_name="ipam-org",
            profile="platform",
        )
    config["backend"] = {
        "s3": {
            "bucket": "platform-tfstate",
            "key": "ipam/terraform.tfstate",
            "region": "us-east-1",
            "kms_key_id": "alias/tfstate",
            "profile": "platform",
            "workspace_key_prefix": "env",
        }
    }
    config["guardrails"] = {
        "require_ipam_for_vpcs": {"organizational_units": [GUARDED_OU], "exempt_accounts": ["444444444444"]}
    }
    config["monitoring"] = {
        "pools": ["use1-dev"],
        "topic_arn": "arn:aws:sns:us-east-1:222222222222:network-alerts",
        "topic_name": "unused-beside-topic-arn",
        "emails": ["ops@example.com"],
    }
    config["adopt"] = {
        "ipam": "ipam-0123456789abcdef0",
        "pools": {
            "use1-prod": {
                "id": "ipam-pool-0000000000000000b",
                "cidrs": ["10.0.0.0/14"],
                "share_arn": "arn:aws:ram:us-east-1:222222222222:resource-share/0a1b2c3d-0000-4000-8000-000000000001",
                "principals": ["arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5"],
            }
        },
    }
    return config


def _any_depth(field: str) -> str:
    """pools[].pools[].description -> pools[].description: a pool's fields are the same at every depth."""
    return re.sub(r"(pools\[\]\.)+", "pools[].", field)


_MAPPINGS = {field.removesuffix("{key}") for field in schema_fields(Config) if field.endswith("{key}")}


def put(data: dict[str, Any], where: Where, text: str) -> dict[str, Any]:
    edited = copy.deepcopy(data)
    holder = edited
    for step in where[:-1]:
        holder = holder[step]
    last = where[-1]
    if isinstance(last, tuple):  # a mapping key: rename it, keeping its value
        holder[text] = holder.pop(last[1])
    else:
        holder[last] = text
    return edited


def _dotted(where: Where) -> str:
    """The problem path validation reports for this place (mapping keys report the mapping or its entry)."""
    text = ""
    for step in where:
        if isinstance(step, int):
            text += f"[{step}]"
        elif isinstance(step, tuple):
            break
        else:
            text += f".{step}" if text else step
    return text


def outcomes() -> tuple[dict[str, Any], dict[str, str], list[str]]:
    """The config with every accepted marker, each field's outcome, and the fields the base config leaves unset."""
    base = everything()
    assert not validate(Config.model_validate(base)).errors, validate(Config.model_validate(base)).errors
    places = list(data_fields(base))
    missing = sorted(schema_fields(Config) - {_any_depth(field) for field, _ in places})
    combined, outcome = copy.deepcopy(base), {}
    for index, (field, where) in enumerate(places):
        edited = put(base, where, marker(index))
        try:
            problems = validate(Config.model_validate(edited)).errors
        except ValidationError as error:  # the schema's own refusal
            problems = schema_problems(error)
        if problems:
            outcome[f"{field}#{index}"] = "refused: " + " | ".join(str(p) for p in problems)
            assert any(p.path.startswith(_dotted(where)) for p in problems), (field, _dotted(where), problems)
        elif field.endswith(("organizational_units[]", "accounts[]")) and (
            is_ou_name(marker(index)) or is_account_name(marker(index))
        ):
            outcome[f"{field}#{index}"] = "a name: replaced by the ID Organizations gives it before synthesis"
        else:
            outcome[f"{field}#{index}"] = "accepted"
            combined = put(combined, where, marker(index))
    return combined, outcome, missing


@pytest.fixture(scope="module")
def marked():
    return outcomes()


def test_the_base_config_sets_every_string_field_of_the_model(marked):
    _, _, missing = marked
    assert missing == [], f"add these fields to everything() so their markers are tested: {missing}"


def test_template_text_is_refused_or_accepted_and_both_happen(marked):
    _, outcome, _ = marked
    accepted = sorted(_any_depth(k.split("#")[0]) for k, v in outcome.items() if v == "accepted")
    refused = sorted(_any_depth(k.split("#")[0]) for k, v in outcome.items() if v.startswith("refused"))
    # Free text is accepted and must reach Terraform literally; identifiers and settings have grammars.
    for field in (
        "ipam.description",
        "pools[].description",
        "tags{}",
        "tags{key}",
        "scopes[].description",
        "pools[].share.name",
    ):
        assert field in accepted, (field, accepted)
    for field in (
        "backend.s3.key",
        "backend.s3.profile",
        "providers.management.session_name",
        "organization.id",
        "pools[].name",
    ):
        assert field in refused, (field, refused)


# The single layout only: its one stack holds every resource the split stacks hold, and the split layout's only text
# of its own (the guardrail stack's remote-state settings) comes from backend fields whose markers are refused.
def test_terraform_evaluates_no_marker(marked, tmp_path, cli_config, sts, management_credentials):
    """Every stack validates and plans. An evaluated marker fails (no file) or changes its text; either way it is
    missing from the plans."""
    combined, outcome, _ = marked
    accepted = {int(k.split("#")[1]) for k, v in outcome.items() if v == "accepted"}
    assert not any(k.startswith("adopt") for k, v in outcome.items() if v == "accepted")
    data = {
        key: value for key, value in copy.deepcopy(combined).items() if key != "adopt"
    }  # offline: nothing to import from
    for settings in data["providers"].values():
        settings.pop("profile")  # offline: no shared config files (the field's marker is refused anyway)
    synth = synthesize(Config.model_validate(data), tmp_path / "synth")
    seen: set[int] = set()
    for stack in synth.manifest["stacks"]:
        terraform = offline_terraform(tmp_path / stack, synth.stack(stack), cli_config, sts, management_credentials)
        planned = json.dumps(terraform.plan("-refresh=false"), ensure_ascii=False)
        seen |= {index for index in accepted if json.dumps(marker(index))[1:-1] in planned}
    assert seen == accepted, f"markers missing from the plans (evaluated or dropped): {sorted(accepted - seen)}"
