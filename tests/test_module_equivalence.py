"""The Terraform module, called with the variables `ipam-org module tfvars` writes, plans the same
resources as the CDKTF stacks for every valid config the suite synthesizes: types, attribute values, providers
and ordering edges, resource for resource, up to addresses.

One Terraform root plans them all at once: each config's stacks (their synthesized JSON, as child modules) beside
one call of the module with that config's variables. One init and one plan instead of two per config.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest

from ipam_org.config.model import Config
from ipam_org.module_export.tfvars import tfvars
from tests.conftest import ROOT
from tests.support.corpus import GOLDEN, configs, synthesized
from tests.support.terraform import Terraform

MODULE = ROOT / "dist" / "terraform-aws-ipam-organization"
GUARDRAILS_SPLIT_STACK = (
    "ipam-guardrails"  # reads pool IDs from another stack's state: the single layout's guardrails stand for it
)

# How the module names each resource the stacks name <name>: (module block, for_each key) <-> stack resource name.
BLOCK_NAMES: dict[str, Callable[[str, str], str]] = {
    "aws_vpc_ipam_scope": lambda block, key: f"ipam_scope_{key}",
    "aws_ram_resource_share": lambda block, key: f"{key}_share",
    "aws_ram_resource_association": lambda block, key: (
        f"{key}_share_pool" if block == "pool" else key.replace("_param-", "_share_param-")
    ),
    "aws_organizations_policy": lambda block, key: f"guardrail_{key}",
    "aws_organizations_policy_attachment": lambda block, key: f"guardrail_{key}_attachment",
}
INSTANCE = re.compile(r'^(?P<type>[a-z0-9_]+)\.(?P<block>[A-Za-z0-9_-]+)(?:\[(?P<key>"[^"]*"|\d+)\])?$')


def module_name(address: str) -> tuple[str, str]:
    """A module resource instance address as (type, the name the stacks give the same resource)."""
    match = INSTANCE.match(address)
    assert match, address
    kind, block, key = match["type"], match["block"], match["key"]
    if key is None or key.isdigit():
        return kind, block
    key = json.loads(key)
    return kind, BLOCK_NAMES.get(kind, lambda block, key: key)(block, key)


def hostile() -> dict[str, Any]:
    from tests.test_hostile_input import hostile_config

    return hostile_config()


def scoped() -> dict[str, Any]:
    from tests.test_scopes import scoped as scoped_config

    return scoped_config()


def valid_configs() -> dict[str, dict[str, Any]]:
    """Every config in tests/support/corpus.py, plus the scopes-and-BYOIP and the hostile-text configs."""
    found = {name: make() for name, make in configs().items()}
    found["scopes-byoip"] = scoped()
    found["hostile-text"] = hostile()
    return found


def stack_module(document: dict[str, Any]) -> dict[str, Any]:
    """A synthesized stack as a child module: its providers, backend and import blocks belong to a root."""
    document = json.loads(json.dumps(document))
    aliases = [f"aws.{provider['alias']}" for provider in document.pop("provider")["aws"]]
    document["terraform"].pop("backend", None)
    document["terraform"]["required_providers"]["aws"]["configuration_aliases"] = aliases
    document.pop("import", None)  # adoption: compared as creates
    return document


@pytest.fixture(scope="module")
def planned(
    tmp_path_factory, cli_config
) -> tuple[dict[str, Any], dict[str, Config], str, dict[str, set[tuple[str, str]]]]:
    root = tmp_path_factory.mktemp("equivalence")
    shutil.copytree(MODULE, root / "module", ignore=shutil.ignore_patterns(".terraform*", "tests"))
    (root / "vars").mkdir()
    regions: dict[tuple[str, str], int] = {}
    calls: dict[str, Any] = {}
    parsed: dict[str, Config] = {}
    forgotten: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for name, raw in valid_configs().items():
        config = parsed[name] = Config.model_validate(raw)
        pair = regions.setdefault((config.providers.management.region, config.home_region), len(regions))
        providers = {"aws.management": f"aws.m{pair}", "aws.delegated": f"aws.d{pair}"}
        golden = GOLDEN / name
        stacks = (
            {p.stem.removesuffix(".tf"): p.read_text() for p in sorted(golden.glob("*.tf.json"))}
            if golden.is_dir()
            else synthesized(raw, root / "synth" / name / "cdktf.out")
        )
        for stack, text in stacks.items():
            if stack == GUARDRAILS_SPLIT_STACK:
                continue
            document = stack_module(json.loads(text))
            forgotten[name].update(tuple(block["from"].split(".")) for block in document.get("removed", []))
            directory = root / "stacks" / name / stack
            directory.mkdir(parents=True)
            (directory / "main.tf.json").write_text(json.dumps(document))
            used = document["terraform"]["required_providers"]["aws"]["configuration_aliases"]
            calls[f"stack__{name}__{stack}"] = {
                "source": f"./stacks/{name}/{stack}",
                "providers": {a: providers[a] for a in used},
            }
        variables = tfvars(config)
        (root / "vars" / f"{name}.json").write_text(json.dumps(variables))
        calls[f"module__{name}"] = {
            "source": "./module",
            "providers": providers,
            **{key: f'${{jsondecode(file("${{path.module}}/vars/{name}.json")).{key}}}' for key in variables},
        }
    provider = {
        "access_key": "mock",
        "secret_key": "mock",
        "skip_credentials_validation": True,
        "skip_requesting_account_id": True,
        "skip_metadata_api_check": "true",
        "skip_region_validation": True,
    }
    (root / "main.tf.json").write_text(
        json.dumps(
            {
                "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": "5.100.0"}}},
                "provider": {
                    "aws": [
                        {"alias": f"{side}{index}", "region": region, **provider}
                        for (management, home), index in regions.items()
                        for side, region in (("m", management), ("d", home))
                    ]
                },
                "module": calls,
            }
        )
    )
    terraform = Terraform(root, cli_config)
    terraform.init()
    plan = terraform.plan("-refresh=false")
    graph = terraform.run("graph").stdout
    return plan, parsed, graph, forgotten


def by_call(plan: dict[str, Any]) -> dict[str, dict[tuple[str, str], dict[str, Any]]]:
    """Each module call's managed resources, by (type, name as the stacks give it)."""
    found: dict[str, dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    for change in plan["resource_changes"]:
        if change["mode"] != "managed":
            continue
        call, _, address = change["address"].removeprefix("module.").partition(".")
        key = module_name(address) if call.startswith("module__") else (change["type"], change["name"])
        group = call.split("__")[1] if call.startswith("stack__") else call.removeprefix("module__")
        side = "module" if call.startswith("module__") else "stacks"
        assert key not in found[f"{side}:{group}"], f"two resources named {key} in {group}"
        found[f"{side}:{group}"][key] = change
    return found


def compared(planned) -> dict[str, tuple[dict[tuple[str, str], dict[str, Any]], dict[tuple[str, str], dict[str, Any]]]]:
    """Each config's (stack resources, module resources), by the names the stacks give them, minus what the module
    does not make: the split guardrail stack (left out of the root) and what a teardown config forgets."""
    plan, parsed, _, forgotten = planned
    calls = by_call(plan)
    found = {}
    for name, config in parsed.items():
        stacks, module = calls[f"stacks:{name}"], calls[f"module:{name}"]
        if config.layout == "split":  # the guardrail stack is left out; the single layout's guardrail stands for it
            module = {key: change for key, change in module.items() if key[0] not in GUARDRAIL_TYPES}
        if config.teardown is not None:
            # A teardown config forgets (`removed` blocks) what the module's README says to `terraform state rm`.
            module = {key: change for key, change in module.items() if key not in forgotten[name]}
        found[name] = stacks, module
    return found


def comparable(change: dict[str, Any], config: Config, stacks: bool) -> dict[str, Any]:
    """What the plan says will exist. Tags as AWS will hold them: the stacks put the config's tags in the providers'
    default_tags (not present in this root), the module merges var.tags into each resource's tags."""
    after = dict(change["change"]["after"] or {})
    unknown = change["change"]["after_unknown"] or {}
    if "tags_all" in after or "tags_all" in unknown:
        held = dict(after.pop("tags_all", None) or {})
        after["tags"] = {**config.tags, **held} if stacks else held
        unknown = {
            key: value for key, value in unknown.items() if key != "tags_all"
        }  # unknown when tags are null: none
    return {"actions": change["change"]["actions"], "after": after, "unknown": sorted(unknown_paths(unknown))}


def unknown_paths(unknown: Any, path: str = "") -> set[str]:
    """The attributes known only after apply (after_unknown marks them True, nested in blocks and maps)."""
    if unknown is True:
        return {path}
    items = unknown.items() if isinstance(unknown, dict) else enumerate(unknown) if isinstance(unknown, list) else []
    return {found for key, value in items for found in unknown_paths(value, f"{path}.{key}" if path else str(key))}


def test_every_config_plans_the_same_resources_attributes_and_providers(planned):
    plan, parsed, _, _ = planned
    configuration = plan["configuration"]["root_module"]["module_calls"]
    assert len(parsed) == len(configs()) + 2
    for name, (stacks, module) in compared(planned).items():
        config = parsed[name]
        assert len(stacks) >= 4, f"{name}: the scanner sees no resources"
        assert sorted(module) == sorted(stacks), f"{name}: resources differ"
        differ = {
            ".".join(key): (comparable(module[key], config, False), comparable(change, config, True))
            for key, change in stacks.items()
            if comparable(module[key], config, False) != comparable(change, config, True)
        }
        assert not differ, f"{name}: {json.dumps(differ, indent=1, default=str)[:6000]}"
    # providers: every resource of every call is configured with the alias the stacks give it
    for call, body in configuration.items():
        for resource in body["module"].get("resources", []):
            if resource["mode"] == "managed":
                side = resource["provider_config_key"].split(":")[-1]
                expected = "management" if resource["type"] in MANAGEMENT_TYPES else "delegated"
                assert side.startswith(f"aws.{expected[0]}"), f"{call}: {resource['address']} uses {side}"


GUARDRAIL_TYPES = {"aws_organizations_policy", "aws_organizations_policy_attachment"}
MANAGEMENT_TYPES = {
    "aws_vpc_ipam_organization_admin_account",
    "aws_ram_sharing_with_organization",
    "aws_organizations_policy",
    "aws_organizations_policy_attachment",
}


EDGE = re.compile(
    r'^\s*"module\.(?P<call>[^."]+)\.(?P<source>[^"]+)" -> "module\.(?P=call)\.(?P<target>[^"]+)";$', re.M
)


def test_every_ordering_edge_of_the_stacks_holds_in_the_module(planned):
    """`terraform graph` draws what waits for what, between resource blocks. Each edge between two stack resources
    (a depends_on or a reference) must be a path between the module blocks that make them: the module's edges are
    coarser (a level's CIDRs wait for the whole level above), never missing."""
    _, _, graph, _ = planned
    edges: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for match in EDGE.finditer(graph):
        edges[match["call"]][match["source"]].add(match["target"])
    checked = 0
    for name, (_, module) in compared(planned).items():
        block = {key: change["address"].split(".", 2)[2].split("[")[0] for key, change in module.items()}
        reaches = edges[f"module__{name}"]
        stack_edges = [
            (source, target)
            for call, by_source in edges.items()
            if call.startswith(f"stack__{name}__")
            for source, targets in by_source.items()
            for target in targets
        ]
        assert stack_edges, f"{name}: no edges read from the graph"
        for source, target in stack_edges:
            a, b = tuple(source.split(".", 1)), tuple(target.split(".", 1))
            if a not in block or b not in block:
                continue
            assert block[a] != block[b], f"{name}: {source} -> {target} falls inside one module block"
            assert reachable(reaches, block[a], block[b]), (
                f"{name}: {source} waits for {target}, but {block[a]} does not wait for {block[b]}"
            )
            checked += 1
    assert checked > 500


def reachable(edges: dict[str, set[str]], source: str, target: str) -> bool:
    seen, todo = set(), [source]
    while todo:
        node = todo.pop()
        if node == target:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(edges.get(node, ()))
    return False
