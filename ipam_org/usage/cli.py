"""ipam-org usage [--config FILE] [--format terminal|markdown|json|html] [--out FILE] [--fail-over PERCENT]
[--no-history]: how full each pool is, what IPAM flags across the organization, when pools run out. Read-only."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ipam_org.config import add_config_argument
from ipam_org.config.display import visible
from ipam_org.exits import EXIT_AWS, EXIT_FAILED, EXIT_INPUT, OK
from ipam_org.validation.cli import load_checked

FORMATS = ("terminal", "markdown", "json", "html")
DEFAULT_THRESHOLD = 80.0


def _percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value <= 100:
        raise argparse.ArgumentTypeError(f"{text} is not a percentage above 0 and at most 100")
    return value


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "How full each IPAM pool is, what IPAM flags across the organization (VPC CIDRs outside IPAM, overlaps, "
        "noncompliant CIDRs) and when pools run out. Reads the config for the tree and AWS for the facts; "
        "writes nothing to AWS."
    )
    add_config_argument(parser)
    parser.add_argument("--format", choices=FORMATS, default="terminal", help="what to write (default: terminal)")
    parser.add_argument("--out", type=Path, help="write the report to this file instead of stdout")
    parser.add_argument(
        "--fail-over",
        type=_percent,
        metavar="PERCENT",
        help=f"exit {EXIT_FAILED} and list the pools at or over PERCENT used (also the color threshold; default "
        f"{DEFAULT_THRESHOLD:g})",
    )
    parser.add_argument(
        "--no-history", action="store_true", help="skip IPAM's address history (one call per CIDR): no forecast"
    )


def run(args: argparse.Namespace) -> int:
    if args.out is not None and args.out.is_dir():
        print(f"error: --out {args.out} is a directory; name a file", file=sys.stderr)
        return EXIT_INPUT
    config = load_checked(args.config)
    if config is None:
        return EXIT_INPUT
    from ipam_org.aws.sessions import AWS_ERRORS, session_for
    from ipam_org.usage.collect import Progress, collect
    from ipam_org.usage.compute import report

    try:
        session = session_for(config.providers.delegated)
        facts = collect(config, session, session.client("organizations"), not args.no_history, Progress())
    except (*AWS_ERRORS, LookupError) as error:
        print(f"error: cannot read IPAM with the delegated account's credentials: {error}", file=sys.stderr)
        return EXIT_AWS
    found = report(facts, config, args.fail_over or DEFAULT_THRESHOLD)
    _write(_render(found, args.format), args.out)
    if args.fail_over is not None and found["over_threshold"]:
        print(f"{len(found['over_threshold'])} pools at or over {args.fail_over:g} % used:", file=sys.stderr)
        for pool in found["pools"]:
            if pool["over_threshold"]:
                print(f"  {visible(pool['name'])}: {pool['percent_used']:.1f} %", file=sys.stderr)
        return EXIT_FAILED
    return OK


def _render(found: dict, form: str) -> str:
    from ipam_org.usage import html, render

    if form == "json":
        return json.dumps(found, indent=2, sort_keys=True) + "\n"
    if form == "html":
        return html.page(found)
    return render.markdown(found) if form == "markdown" else render.terminal(found)


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text)
