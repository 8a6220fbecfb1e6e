"""Review scenarios: a base config and its modified versions, each planned by real Terraform against
a prior state written from the base's first plan."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import yaml

from bench.generate import amazon_ipv6_pool
from tests.conftest import REFERENCE


def base() -> dict[str, Any]:
    """The reference config, plus a second CIDR on use1-dev and euw1 at /13 (room to widen)."""
    config = yaml.safe_load(REFERENCE.read_text())
    use1 = config["pools"][0]["pools"][0]
    use1["pools"][1]["cidrs"] = ["10.4.0.0/14", "10.8.0.0/14"]
    config["pools"][0]["pools"][1]["cidrs"] = ["10.16.0.0/13"]
    return config


def _edit(change: Callable[[dict[str, Any]], None], protect: bool = True, teardown: bool = False) -> dict[str, Any]:
    config = copy.deepcopy(base())
    change(config)
    if not protect:
        config["protect"] = False
    if teardown:
        config["teardown"] = {"undelegate": True}
    return config


def _add_pool(config):
    config["pools"][0]["pools"][0]["pools"].append(
        {"name": "use1-test", "locale": "us-east-1", "cidrs": ["10.12.0.0/14"], "share": {"accounts": ["555555555555"]}}
    )


def _widen(config):
    config["pools"][0]["pools"][1]["cidrs"] = ["10.16.0.0/12"]


def _remove_cidr(config):
    config["pools"][0]["pools"][0]["pools"][1]["cidrs"] = ["10.4.0.0/14"]


def _remove_ou(config):
    del config["pools"][0]["pools"][0]["pools"][1]["share"]["organizational_units"]


def _remove_pool(config):
    config["pools"][0]["pools"][0]["pools"].pop(1)  # use1-dev with its CIDRs and share


def _accounts_only(config):
    """Every organization and OU share becomes an account share: RAM sharing with the organization is no longer
    needed."""
    use1 = config["pools"][0]["pools"][0]
    use1["pools"][0]["share"] = {"accounts": ["333333333333"]}
    use1["pools"][1]["share"] = {"accounts": ["333333333333"]}
    config["pools"][0]["pools"][1]["share"] = {"accounts": ["333333333333"]}


def _move_locale(config):
    euw1 = config["pools"][0]["pools"][1]
    euw1["locale"] = "us-east-1"


def _nothing(config):
    pass


def _new_admin(config):
    config["organization"]["ipam_account_id"] = "444444444444"
    config["providers"]["delegated"]["role_arn"] = "arn:aws:iam::444444444444:role/OrganizationAccountAccessRole"


# name -> modified config (planned against the base's state)
UPDATES = {
    "add-pool": _edit(_add_pool),
    "widen-cidr": _edit(_widen),
    "remove-pool-cidr": _edit(_remove_cidr),
    "remove-pool": _edit(_remove_pool),
    "remove-shared-ou": _edit(_remove_ou),
    "accounts-only-shares": _edit(_accounts_only),
    "protection-off-only": _edit(_nothing, protect=False),
    "replace-pool-locale": _edit(_move_locale, protect=False),
    "change-delegated-admin": _edit(_new_admin, protect=False, teardown=True),
}


def public_ipv6(tier: str) -> dict[str, Any]:
    """An IPAM that manages only Amazon-provided public IPv6, the one case the free tier allows."""
    config = yaml.safe_load(REFERENCE.read_text())
    config["ipam"]["tier"] = tier
    config["ipam"].pop("operating_regions")
    config["pools"] = [amazon_ipv6_pool()]
    return config
