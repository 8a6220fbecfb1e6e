"""Fuzzing the config: mutated YAML never crashes the loader or validation, and validation agrees with an
independent oracle (written with `ipaddress` only, never calling the project's rules) on the structural
rules: host bits, family, containment in the parent's CIDRs, sibling and top-level overlap, unique names,
depth, locale and region membership, account ID shape. Fixed seed, bounded count."""

from __future__ import annotations

import contextlib
import copy
import ipaddress
import random
import string
from pathlib import Path
from typing import Any

import yaml

from ipam_org.config.errors import ConfigError
from ipam_org.config.loader import load_config
from ipam_org.validation import validate

SEED = 20261130
CASES = 1_500
REGIONS = ["us-east-1", "eu-west-1"]


def base() -> dict[str, Any]:
    """A valid config inside the oracle's domain: no allocation rules, tier or auto_import interplay."""
    return {
        "organization": {
            "id": "o-a1b2c3d4e5",
            "management_account_id": "111111111111",
            "ipam_account_id": "222222222222",
        },
        "providers": {"management": {"region": "us-east-1"}, "delegated": {"region": "us-east-1"}},
        "ipam": {"operating_regions": list(REGIONS)},
        "pools": [
            {
                "name": "corp",
                "cidrs": ["10.0.0.0/8"],
                "pools": [
                    {
                        "name": "use1",
                        "locale": "us-east-1",
                        "cidrs": ["10.0.0.0/12"],
                        "pools": [
                            {
                                "name": "use1-prod",
                                "locale": "us-east-1",
                                "cidrs": ["10.0.0.0/14"],
                                "share": {"accounts": ["333333333333"]},
                            },
                            {"name": "use1-dev", "locale": "us-east-1", "cidrs": ["10.4.0.0/14", "10.8.0.0/14"]},
                        ],
                    },
                    {"name": "euw1", "locale": "eu-west-1", "cidrs": ["10.16.0.0/12"]},
                ],
            },
            {
                "name": "v6",
                "address_family": "ipv6",
                "cidrs": ["fd00::/8"],
                "pools": [
                    {"name": "v6-a", "address_family": "ipv6", "cidrs": ["fd00::/16"]},
                ],
            },
        ],
    }


# ---- the oracle -------------------------------------------------------------------------------
# Each problem the oracle finds is the places validation may name for it (path prefixes); a config it finds no
# problem in must pass. The oracle checks the shapes itself: an exception of its own is a bug in the test.

Problem = tuple[str, ...]
SHAPE: set[Problem] = set()  # problems of shape (a wrong type): the schema refuses them before any rule runs


def shape(found: list[Problem], *places: str) -> None:
    SHAPE.add(places)
    found.append(places)


def oracle_problems(config: dict) -> list[Problem]:
    """Structural problems, from first principles."""
    SHAPE.clear()
    found: list[Problem] = []
    org = config["organization"]
    for key in ("management_account_id", "ipam_account_id"):
        if not _account(org[key]):
            found.append((f"organization.{key}",))
    if _account(org["management_account_id"]) and org["management_account_id"] == org["ipam_account_id"]:
        found.append(("organization.ipam_account_id", "organization.management_account_id"))
    regions = config["ipam"]["operating_regions"]
    if config["providers"]["delegated"]["region"] not in regions:
        found.append(("ipam.operating_regions", "providers.delegated.region"))
    names: dict[str, str] = {}
    _pools(config["pools"], "pools", None, found, regions, names)
    return found


def _account(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 12 and all(c in "0123456789" for c in value)


def _name_ok(name: Any) -> bool:
    return (
        isinstance(name, str)
        and 0 < len(name) <= 63
        and name[0] in string.ascii_letters
        and all(c in string.ascii_letters + string.digits + "-" for c in name)
    )


def _network(text: Any, family: str) -> Any:
    """The CIDR as a network, or None when it is not one of the pool's family in CIDR notation."""
    if not isinstance(text, str) or text.count("/") != 1:
        return None
    address, prefix = text.split("/")
    if not (prefix.isascii() and prefix.isdigit() and address and all(c in string.hexdigits + ":." for c in address)):
        return None
    try:
        network = ipaddress.ip_network(text, strict=True)
    except ValueError:  # host bits set, or not an address
        return None
    return network if network.version == (4 if family == "ipv4" else 6) else None


def _pools(pools: Any, prefix: str, parent: dict | None, found: list[Problem], regions: list, names: dict) -> None:
    """parent: the parent's path, family, locale and networks (None for top-level pools)."""
    if not isinstance(pools, list):
        shape(found, prefix)
        return
    level: list[tuple[Any, str]] = []
    for index, pool in enumerate(pools):
        path = f"{prefix}[{index}]"
        if not isinstance(pool, dict):
            shape(found, path)
            continue
        depth = path.count("[")
        if depth > 10:
            found.append((path,))
        for key in set(pool) - {"name", "cidrs", "locale", "address_family", "pools", "share"}:
            shape(found, f"{path}.{key}", path)
        name = pool.get("name")
        if not isinstance(name, str):
            shape(found, f"{path}.name")
        elif not _name_ok(name):
            found.append((f"{path}.name",))
        elif name in names:
            found.append((f"{path}.name", f"{names[name]}.name"))
        else:
            names[name] = path
        family = pool.get("address_family", "ipv4")
        if family not in ("ipv4", "ipv6"):
            found.append((f"{path}.address_family",))
            continue
        # containment is judged only where the family agrees and the parent's CIDRs are all sound (else that
        # is the problem, reported at the parent)
        contained = parent is not None and family == parent["family"] and parent["sound"]
        if parent and family != parent["family"]:
            found.append((f"{path}.address_family", f"{path}.cidrs", path))
        locale = pool.get("locale")
        if locale is not None and not isinstance(locale, str):
            shape(found, f"{path}.locale")
        elif locale is not None and locale not in regions:
            found.append((f"{path}.locale", "ipam.operating_regions"))
        if parent and parent["locale"] is not None and locale != parent["locale"]:
            found.append((f"{path}.locale", path))
        cidrs = pool.get("cidrs")
        networks = []
        if not isinstance(cidrs, list) or any(not isinstance(c, str) for c in cidrs):
            shape(found, f"{path}.cidrs", path)
        elif not cidrs:
            found.append((f"{path}.cidrs", path))
        else:
            for position, text in enumerate(cidrs):
                network = _network(text, family)
                if network is None:
                    found.append((f"{path}.cidrs[{position}]", f"{path}.cidrs", f"{path}.address_family"))
                    continue
                if any(network.overlaps(other) for other in networks):
                    found.append((f"{path}.cidrs",))
                if (
                    contained
                    and parent["networks"]
                    and not any(network.version == p.version and network.subnet_of(p) for p in parent["networks"])
                ):
                    found.append((f"{path}.cidrs[{position}]", f"{path}.cidrs"))
                networks.append(network)
        for network in networks:  # siblings (and top-level pools of one family) do not overlap
            for other, other_path in level:
                if network.version == other.version and network.overlaps(other):
                    found.append((f"{path}.cidrs", f"{other_path}.cidrs"))
        level.extend((network, path) for network in networks)
        if "pools" in pool:
            sound = isinstance(cidrs, list) and len(networks) == len(cidrs)
            child_parent = {"family": family, "locale": locale, "networks": networks, "sound": sound}
            _pools(pool["pools"], f"{path}.pools", child_parent, found, regions, names)


def named(problem: Problem, paths: list[str]) -> bool:
    """Whether validation names one of the problem's places (or something inside it)."""
    return any(path == place or path.startswith((f"{place}.", f"{place}[")) for place in problem for path in paths)


# ---- mutations --------------------------------------------------------------------------------


def all_pools(pools: Any) -> list:
    found = []
    for pool in pools if isinstance(pools, list) else []:
        if isinstance(pool, dict):
            found.append(pool)
            found.extend(all_pools(pool.get("pools", [])))
    return found


def mutate(config: dict, rng: random.Random) -> dict:
    config = copy.deepcopy(config)
    pools = all_pools(config["pools"])
    pool = rng.choice(pools)
    kind = rng.randrange(14)
    try:
        network = ipaddress.ip_network(pool["cidrs"][0])
    except (KeyError, IndexError, TypeError, ValueError):
        network = None
    if kind == 0 and network is not None:  # shift
        step = network.num_addresses * rng.choice([-2, -1, 1, 2, 16])
        with contextlib.suppress(ValueError):  # shifted out of the address space
            pool["cidrs"][0] = f"{network.network_address + step}/{network.prefixlen}"
    elif kind == 1 and network is not None:  # resize
        pool["cidrs"][0] = f"{network.network_address}/{max(1, network.prefixlen + rng.choice([-3, -1, 1, 2]))}"
    elif kind == 2:  # move a pool under another one
        source, target = rng.choice(pools), rng.choice(pools)
        for holder in [config] + pools:
            if isinstance(holder.get("pools"), list) and any(p is source for p in holder["pools"]):
                holder["pools"] = [p for p in holder["pools"] if p is not source]
                break
        inside = any(p is target for p in all_pools([source]))  # a pool cannot move under itself
        holder = config if inside or not isinstance(target.get("pools", []), list) else target
        holder.setdefault("pools", []).append(source)
    elif kind == 3:  # duplicate a pool (and so its name)
        config["pools"].append(copy.deepcopy(pool))
    elif kind == 4:
        pool["address_family"] = "ipv6" if pool.get("address_family", "ipv4") == "ipv4" else "ipv4"
    elif kind == 5:
        pool["locale"] = rng.choice(["us-east-1", "eu-west-1", "ap-south-1", None])
        if pool["locale"] is None:
            del pool["locale"]
    elif kind == 6:  # wrong types
        key = rng.choice(["cidrs", "name", "pools", "locale"])
        pool[key] = rng.choice([42, True, {"a": 1}, ["x"], None])
    elif kind == 7:
        pool[rng.choice(["cidr", "Name", "netmask", "parent"])] = "x"
    elif kind == 8:  # a deep chain
        chain = {"name": "deep0", "cidrs": ["172.16.0.0/12"]}
        top, current = chain, chain
        for level in range(1, rng.randrange(8, 13)):
            child = {"name": f"deep{level}", "cidrs": [f"172.16.0.0/{12 + level}"]}
            current["pools"] = [child]
            current = child
        config["pools"].append(top)
    elif kind == 9:
        org = config["organization"]
        org[rng.choice(["management_account_id", "ipam_account_id"])] = rng.choice(
            ["12345678901", "1234567890123", "٣٣٣٣٣٣٣٣٣٣٣٣", "222222222222", "111111111111\n", "abcdefghijkl"]
        )
    elif kind == 10:
        config["ipam"]["operating_regions"] = rng.choice([["eu-west-1"], ["us-east-1"], REGIONS + ["ap-south-1"]])
    elif kind == 11:
        pool["name"] = rng.choice(["Corp", "x" * 64, "9lives", "a_b", "ünicode", "corp", "ok-name"])
    elif kind == 12 and network is not None:  # a second CIDR
        pool["cidrs"].append(rng.choice(["10.32.0.0/12", "10.0.0.0/16", "fd00:1::/32", "192.168.0.0/16", "10.0.0.1/8"]))
    else:  # spellings: netmask notation, zone IDs, Unicode
        if network is not None:
            pool["cidrs"][0] = rng.choice(["10.0.0.0/255.0.0.0", "fd00::%eth0/8", "10.0.0.0/８", "10.0.0.0/8 "])
    return config


def as_yaml(config: dict, rng: random.Random) -> str:
    text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
    if rng.random() < 0.1:  # anchors, aliases and merge keys mean the same data
        text = "x-anchor: &region us-east-1\n" + text
    return text


def test_validation_agrees_with_the_oracle_and_never_crashes(tmp_path: Path):
    rng = random.Random(SEED)
    config = base()
    assert oracle_problems(config) == []
    disagreements, outcomes = [], {"valid": 0, "invalid": 0}
    path = tmp_path / "ipam.yaml"
    for case in range(CASES):
        mutated = config
        for _ in range(rng.randrange(1, 4)):
            mutated = mutate(mutated, rng)
        text = as_yaml(mutated, rng)
        path.write_text(text)
        try:
            loaded = load_config(path)
            errors = validate(loaded).errors
        except ConfigError as error:  # as the commands report it: the schema's problems, then the rules on the rest
            errors = error.problems + (validate(error.partial).errors if error.partial is not None else [])
        anchored = "x-anchor" in text  # an unknown top-level key: refused whatever the oracle says
        expected = oracle_problems(mutated)
        paths = [problem.path for problem in errors]
        outcomes["valid" if not errors else "invalid"] += 1
        shapes = [problem for problem in expected if problem in SHAPE]
        if shapes:  # a wrong type stops the loader before the rules run: one of them must be the reason given
            missed = [] if any(named(problem, paths) for problem in shapes) else shapes
        else:  # a sound shape: every rule problem the oracle sees is named
            missed = [problem for problem in expected if not named(problem, paths)]
        if bool(errors) != (bool(expected) or anchored) or missed:
            disagreements.append((case, text, [str(e) for e in errors][:3], missed[:3]))
    assert not disagreements, f"{len(disagreements)} disagreements; first: {disagreements[0]}"
    assert outcomes["valid"] > 100 and outcomes["invalid"] > 500, outcomes  # both sides are exercised
