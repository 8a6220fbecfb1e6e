"""Check results, printed one line each with the fix for anything that is not a pass."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TextIO

PASS, WARN, FAIL, UNKNOWN = "pass", "warn", "fail", "unknown"


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str
    fix: str = ""


def print_checks(checks: list[Check], stream: TextIO | None = None) -> int:
    """Print every check (to stdout unless stream is given); return 1 when any failed, else 0."""
    stream = stream or sys.stdout  # read at call time: a default bound at import would outlive a redirected stdout
    for check in checks:
        print(f"{check.status.upper():8} {check.name}: {check.detail}", file=stream)
        if check.fix and check.status != PASS:
            print(f"{'':8} fix: {check.fix}", file=stream)
    failed = sum(1 for c in checks if c.status == FAIL)
    counts = {s: sum(1 for c in checks if c.status == s) for s in (PASS, WARN, FAIL, UNKNOWN)}
    print(
        f"{counts[PASS]} passed, {counts[FAIL]} failed, {counts[WARN]} warnings, {counts[UNKNOWN]} unknown", file=stream
    )
    return 1 if failed else 0
