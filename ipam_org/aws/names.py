"""Resolve OU and account names in `share` to IDs through AWS Organizations.

Only configs that use names reach AWS (at synth time, with the management provider's credentials);
configs with IDs stay fully offline.
"""

from __future__ import annotations

from typing import Any

from ipam_org.config.errors import Problem
from ipam_org.config.model import Config, Pool
from ipam_org.domain import is_account_name, is_ou_name, walk


def uses_names(config: Config) -> bool:
    return any(
        any(map(is_ou_name, n.pool.share.organizational_units)) or any(map(is_account_name, n.pool.share.accounts))
        for n in walk(config.pools)
        if n.pool.share is not None
    )


class _Directory:
    """Lazy, cached look-ups in the organization."""

    def __init__(self, organizations: Any):
        self.organizations = organizations
        self._accounts: dict[str, list[str]] | None = None
        self._children: dict[str, dict[str, str]] = {}

    def account(self, name: str) -> tuple[str | None, str]:
        if self._accounts is None:
            self._accounts = {}
            for page in self.organizations.get_paginator("list_accounts").paginate():
                for account in page["Accounts"]:
                    self._accounts.setdefault(account["Name"], []).append(account["Id"])
        ids = self._accounts.get(name, [])
        if len(ids) == 1:
            return ids[0], ""
        return None, (
            f'no account named "{name}" in the organization'
            if not ids
            else f'{len(ids)} accounts are named "{name}" ({", ".join(ids)}); use the ID'
        )

    def ou(self, path: str) -> tuple[str | None, str]:
        parent = self.organizations.list_roots()["Roots"][0]["Id"]
        walked = []
        for segment in [s for s in path.strip("/").split("/") if s]:
            children = self._children.get(parent)
            if children is None:
                children = {}
                for page in self.organizations.get_paginator("list_organizational_units_for_parent").paginate(
                    ParentId=parent
                ):
                    children.update({ou["Name"]: ou["Id"] for ou in page["OrganizationalUnits"]})
                self._children[parent] = children
            if segment not in children:
                where = f'under "{"/".join(walked)}"' if walked else "at the root"
                return None, f'no OU named "{segment}" {where} of the organization'
            parent = children[segment]
            walked.append(segment)
        return parent, ""


def resolve_names(config: Config, organizations: Any) -> tuple[Config, list[Problem]]:
    """The config with every OU and account name replaced by its ID, and a problem per name not found."""
    directory = _Directory(organizations)
    problems: list[Problem] = []

    def resolve(pools: list[Pool], prefix: str) -> list[dict]:
        resolved = []
        for index, pool in enumerate(pools):
            path = f"{prefix}[{index}]"
            data = pool.model_dump(exclude={"pools"}, exclude_unset=True)
            if pool.share is not None:
                share = pool.share.model_dump(exclude_unset=True)
                for key, is_name, lookup in (
                    ("organizational_units", is_ou_name, directory.ou),
                    ("accounts", is_account_name, directory.account),
                ):
                    entries = []
                    for position, entry in enumerate(getattr(pool.share, key)):
                        if not is_name(entry):
                            entries.append(entry)
                            continue
                        found, message = lookup(entry)
                        if found is None:
                            problems.append(Problem(f"{path}.share.{key}[{position}]", message))
                        entries.append(found or entry)
                    if key in share:
                        share[key] = entries
                data["share"] = share
            data["pools"] = resolve(pool.pools, f"{path}.pools")
            resolved.append(data)
        return resolved

    data = config.model_dump(exclude={"pools"}, exclude_unset=True)
    data["pools"] = resolve(config.pools, "pools")
    return Config.model_validate(data), problems
