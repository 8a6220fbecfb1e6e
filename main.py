"""ipam-org: synthesize the organization's IPAM from one YAML file.

IPAM_CONFIG names the config (default: ipam.yaml beside this file); CDKTF_OUTDIR the output
directory (cdktf sets it; default cdktf.out). The config is loaded and validated before the CDKTF
bindings are imported, so a bad file is refused in well under a second with nothing written.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import lean_bindings

lean_bindings.keep_bytecode()  # before pydantic and the rest: `python -O` finds no .opt-1.pyc from pip

from config.errors import Problem  # noqa: E402
from config.model import Config  # noqa: E402
from validation import validate  # noqa: E402
from validation.cli import EXIT_INVALID_CONFIG, load_checked, report_problems  # noqa: E402

DEFAULT_CONFIG = Path(__file__).with_name("ipam.yaml")


def resolve_share_names(config: Config) -> tuple[Config, list[Problem]]:
    """OU and account names in `share` become IDs through Organizations; configs with IDs stay offline."""
    from preflight.names import uses_names

    if not uses_names(config):
        return config, []
    from botocore.exceptions import BotoCoreError, ClientError

    from preflight.names import resolve_names
    from preflight.sessions import session_for

    try:
        organizations = session_for(config.providers.management).client("organizations")
        resolved, problems = resolve_names(config, organizations)
    except (BotoCoreError, ClientError) as error:
        message = f"share uses OU or account names, which need AWS Organizations; looking them up failed: {error}. Use IDs to stay offline"
        return config, [Problem("providers.management", message)]
    if not problems:
        problems = validate(resolved).errors  # e.g. a name that resolves to the IPAM account
    return resolved, problems


def main() -> int:
    source = os.environ.get("IPAM_CONFIG") or str(DEFAULT_CONFIG)
    outdir = os.environ.get("CDKTF_OUTDIR") or "cdktf.out"
    config = load_checked(source)
    if config is None:
        return EXIT_INVALID_CONFIG
    config, problems = resolve_share_names(config)
    if problems:
        report_problems(source, problems, [])
        return EXIT_INVALID_CONFIG

    from outdir import OutdirError, refusal, staged_outdir

    problem = refusal(outdir)
    if problem:  # before the bindings load, and before anything is written
        print(f"error: CDKTF_OUTDIR {outdir} {problem}", file=sys.stderr)
        return EXIT_INVALID_CONFIG
    from stacks import build_app  # imports the CDKTF bindings: only for a valid config

    try:
        with staged_outdir(outdir) as staging:
            build_app(config, staging).synth()
    except OutdirError as error:  # the path changed since the check above
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID_CONFIG
    return 0


if __name__ == "__main__":
    lean_bindings.exit(main())
