"""ipam-org synth: validate the config, then synthesize its stacks and say what was written.

The config is loaded and validated before the CDKTF bindings are imported, so a bad file is refused in well under a
second with nothing written. main.py (cdktf's app entry) runs the same function with what cdktf passes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from ipam_org.config.errors import Problem
from ipam_org.config.model import Config
from ipam_org.exits import EXIT_INPUT, OK
from ipam_org.validation import validate
from ipam_org.validation.cli import load_checked, report_problems


def resolve_share_names(config: Config) -> tuple[Config, list[Problem]]:
    """OU and account names in `share` become IDs through Organizations; configs with IDs stay offline."""
    from ipam_org.aws.names import uses_names

    if not uses_names(config):
        return config, []
    from botocore.exceptions import BotoCoreError, ClientError

    from ipam_org.aws.names import resolve_names
    from ipam_org.aws.sessions import session_for

    try:
        organizations = session_for(config.providers.management).client("organizations")
        resolved, problems = resolve_names(config, organizations)
    except (BotoCoreError, ClientError) as error:
        message = (
            f"share uses OU or account names, which need AWS Organizations; looking them up failed: {error}. "
            "Use IDs to stay offline"
        )
        return config, [Problem("providers.management", message)]
    if not problems:
        problems = validate(resolved).errors  # e.g. a name that resolves to the IPAM account
    return resolved, problems


def synth(source: str, outdir: str, report: TextIO | None = None) -> int:
    """Synthesize the config at source into outdir; a summary of the output goes to report (None: no summary)."""
    config = load_checked(source)
    if config is None:
        return EXIT_INPUT
    config, problems = resolve_share_names(config)
    if problems:
        report_problems(source, problems, [])
        return EXIT_INPUT

    from ipam_org.outdir import OutdirError, refusal, staged_outdir

    problem = refusal(outdir)
    if problem:  # before the bindings load, and before anything is written
        print(f"error: output directory {outdir} {problem}", file=sys.stderr)
        return EXIT_INPUT
    from ipam_org import lean_bindings

    lean_bindings.install()  # before the first cdktf import: that is when the jsii kernel starts
    from ipam_org.stacks import build_app

    try:
        with staged_outdir(outdir) as staging:
            build_app(config, staging).synth()
    except OutdirError as error:  # the path changed since the check above
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT
    if report is not None:
        report.write(summary(Path(outdir)))
    return OK


def summary(outdir: Path) -> str:
    """One line per stack: what it holds and where its state lives."""
    from ipam_org.outdir import backend, state_location, synthesized_stacks

    stacks = synthesized_stacks(outdir)
    lines = [f"wrote {outdir}: {len(stacks)} {'stack' if len(stacks) == 1 else 'stacks'}"]
    for name, document in stacks.items():
        resources = sum(len(by_name) for by_name in (document.get("resource") or {}).values())
        imports = len(document.get("import") or [])
        held = f"{resources} resources" + (f" ({imports} imported on the first plan)" if imports else "")
        where = state_location(backend(document), outdir / "stacks" / name)
        lines.append(f"  {name}: {held}; state: {where}")
    return "\n".join(lines) + "\n"
