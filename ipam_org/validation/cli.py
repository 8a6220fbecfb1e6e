"""Load and validate a config for a command: every problem on stderr as `<file>:<line>: <path>: <message>` (the
command exits 2)."""

from __future__ import annotations

import sys

from ipam_org.config.errors import ConfigError, Problem
from ipam_org.config.loader import load_config
from ipam_org.config.locate import locator
from ipam_org.config.model import Config
from ipam_org.validation.rules import validate


def report_problems(source: str, errors: list[Problem], warnings: list[Problem]) -> None:
    """Each problem as `<file>:<line>: <path>: <message>`, pools named (config.locate)."""
    if not errors and not warnings:
        return
    where = locator(source)
    for warning in warnings:
        print(f"warning: {where(warning)}", file=sys.stderr)
    if errors:
        noun = "problem" if len(errors) == 1 else "problems"
        print(f"error: {source} is not a valid ipam-org config ({len(errors)} {noun}):", file=sys.stderr)
        for problem in errors:
            print(f"  {where(problem)}", file=sys.stderr)


def load_checked(source: str) -> Config | None:
    """The validated config, or None after reporting why it is not valid."""
    try:
        config = load_config(source)
    except ConfigError as error:
        rules = validate(error.partial).errors if error.partial is not None else []
        report_problems(source, error.problems + rules, [])
        return None
    report = validate(config)
    report_problems(source, report.errors, report.warnings)
    return None if report.errors else config
