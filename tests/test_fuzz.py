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


def oracle_valid(config: Any) -> bool:
    """Structural validity, from first principles."""
    try:
        return _structure_ok(config)
    except (KeyError, TypeError, AttributeError, ValueError):
        return False


def _account(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 12 and all(c in "0123456789" for c in value)


def _structure_ok(config: dict) -> bool:
    org = config["organization"]
    if not (_account(org["management_account_id"]) and _account(org["ipam_account_id"])):
        return False
    if org["management_account_id"] == org["ipam_account_id"]:
        return False
    regions = config["ipam"]["operating_regions"]
    if not isinstance(regions, list) or config["providers"]["delegated"]["region"] not in regions:
        return False
    names: set[str] = set()
    return _pools_ok(config["pools"], None, None, None, 1, regions, names)


def _networks(pool: dict) -> list | None:
    family = pool.get("address_family", "ipv4")
    cidrs = pool["cidrs"]
    if not isinstance(cidrs, list) or not cidrs:
        return None
    found = []
    for text in cidrs:
        if not isinstance(text, str) or text.count("/") != 1:
            return None
        address, prefix = text.split("/")
        if not prefix.isascii() or not prefix.isdigit() or not all(c in string.hexdigits + ":." for c in address):
            return None
        network = ipaddress.ip_network(text, strict=True)  # ValueError: host bits or not an address
        if network.version != (4 if family == "ipv4" else 6):
            return None
        found.append(network)
    return found


def _disjoint(networks: list) -> bool:
    return all(not a.overlaps(b) for i, a in enumerate(networks) for b in networks[i + 1 :])


def _pools_ok(pools: list, parent_nets, parent_family, parent_locale, depth, regions, names) -> bool:
    if not isinstance(pools, list):
        return False
    level: list = []
    for pool in pools:
        name = pool["name"]
        if (
            not (
                isinstance(name, str)
                and 0 < len(name) <= 63
                and name[0] in string.ascii_letters
                and all(c in string.ascii_letters + string.digits + "-" for c in name)
            )
            or name in names
        ):
            return False
        names.add(name)
        if depth > 10 or set(pool) - {"name", "cidrs", "locale", "address_family", "pools", "share"}:
            return False
        family = pool.get("address_family", "ipv4")
        if family not in ("ipv4", "ipv6") or (parent_family and family != parent_family):
            return False
        locale = pool.get("locale")
        if locale is not None and locale not in regions:
            return False
        if parent_locale is not None and locale != parent_locale:
            return False
        networks = _networks(pool)
        if networks is None or not _disjoint(networks):
            return False
        if parent_nets is not None and not all(any(n.subnet_of(p) for p in parent_nets) for n in networks):
            return False
        level.extend(networks)
        if not _pools_ok(pool.get("pools", []), networks, family, locale, depth + 1, regions, names):
            return False
    # siblings (and top-level pools of one family) may not overlap one another
    return all(_disjoint([n for n in level if n.version == v]) for v in (4, 6))


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
    assert oracle_valid(config)
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
        except ConfigError as error:
            errors = error.problems
        expected = oracle_valid(yaml.safe_load(text) if "x-anchor" not in text else mutated)
        anchored = "x-anchor" in text  # an unknown top-level key: refused whatever the oracle says
        valid = not errors
        outcomes["valid" if valid else "invalid"] += 1
        if valid != (expected and not anchored):
            disagreements.append((case, text, [str(e) for e in errors][:3]))
    assert not disagreements, f"{len(disagreements)} disagreements; first: {disagreements[0]}"
    assert outcomes["valid"] > 100 and outcomes["invalid"] > 500, outcomes  # both sides are exercised
