"""The reviewed plan, as a record small enough to travel in the pull request's review comment.

Per stack: a fingerprint of the changes Terraform planned (each resource's address, actions and planned values, in a
canonical form), and the identity of the state it planned against (lineage and serial, read from the saved plan
file, which carries its prior state). The apply on the default branch re-plans and refuses unless every stack's
fingerprint and state identity are the same: a moved branch, a change made in the console, or another apply in
between all change one of them.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ipam_org.files import InputFileError, read_regular_text

SCHEMA = "ipam-org/reviewed/v1"
MARKER = "ipam-org-reviewed"  # the HTML comment that carries the record in the review comment
_EMBEDDED = re.compile(r"<!-- " + MARKER + r" (?P<record>\{.*?\}) -->")
MAX_PLAN_BYTES = 1024 * 1024 * 1024


class RecordError(Exception):
    """A plan, saved plan or record that cannot be read; the message names the file."""


@dataclass(frozen=True)
class StackRecord:
    changes: str  # sha256 of the canonical planned changes
    count: int  # how many resources change (for messages)
    lineage: str | None  # None: no state yet (a first deploy)
    serial: int | None


@dataclass(frozen=True)
class Record:
    commit: str
    stacks: dict[str, StackRecord]

    def to_json(self) -> str:
        data = {"schema": SCHEMA, "commit": self.commit, "stacks": {k: asdict(v) for k, v in self.stacks.items()}}
        return json.dumps(data, sort_keys=True, separators=(",", ":"))

    def embedded(self) -> str:
        """An HTML comment for the review comment: invisible, and JSON never holds "-->" (it escapes > as \\u003e)."""
        return f"<!-- {MARKER} {self.to_json().replace('>', chr(92) + 'u003e')} -->"


def planned_changes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """What a plan would do, resource by resource: no-ops and reads left out, sorted by address."""
    found = []
    for item in plan.get("resource_changes") or []:
        change = item.get("change") or {}
        actions = change.get("actions") or []
        if actions in (["no-op"], ["read"]) and "importing" not in change:
            continue
        found.append(
            {
                "address": item.get("address"),
                "actions": actions,
                "after": change.get("after"),
                "after_unknown": change.get("after_unknown"),
                "importing": change.get("importing"),
            }
        )
    return sorted(found, key=lambda c: str(c["address"]))


def fingerprint(plan: dict[str, Any]) -> tuple[str, int]:
    changes = planned_changes(plan)
    canonical = json.dumps(changes, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest(), len(changes)


def state_identity(saved_plan: Path) -> tuple[str | None, int | None]:
    """(lineage, serial) of the state a saved plan was made against; (None, None) before the first apply."""
    try:
        with zipfile.ZipFile(saved_plan) as archive:
            if "tfstate" not in archive.namelist():
                return None, None
            state = json.loads(archive.read("tfstate"))
    except (OSError, zipfile.BadZipFile, ValueError) as error:
        raise RecordError(f"{saved_plan}: not a saved Terraform plan ({error})") from None
    if not state.get("lineage"):  # the empty state a first plan carries (lineage "", serial 0)
        return None, None
    return state["lineage"], state.get("serial")


def read_plan_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(read_regular_text(path, MAX_PLAN_BYTES, "plan file"))
    except (InputFileError, ValueError) as error:
        raise RecordError(f"{path}: not a `terraform show -json` plan ({error})") from None
    if not isinstance(data, dict) or "format_version" not in data:
        raise RecordError(f"{path}: not a `terraform show -json` plan (no format_version)")
    return data


def stack_record(plan_json: Path, saved_plan: Path) -> StackRecord:
    changes, count = fingerprint(read_plan_json(plan_json))
    lineage, serial = state_identity(saved_plan)
    return StackRecord(changes, count, lineage, serial)


def extract(text: str) -> Record:
    """The record a review comment carries; RecordError when there is none, or it is not one."""
    found = _EMBEDDED.findall(text)
    if len(found) != 1:
        raise RecordError(f"the review comment carries {len(found)} reviewed-plan records, not 1")
    try:
        data = json.loads(found[0])
        if data.get("schema") != SCHEMA:
            raise ValueError(f"schema {data.get('schema')!r}")
        stacks = {name: StackRecord(**fields) for name, fields in data["stacks"].items()}
        return Record(str(data["commit"]), stacks)
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise RecordError(f"the reviewed-plan record cannot be read ({error})") from None
