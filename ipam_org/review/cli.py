"""ipam-org review [STACK=]PLAN.json... [--compare BASE_OUT HEAD_OUT] [--format markdown|json] [--fail-on
risk|change|never]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ipam_org.exits import EXIT_FAILED, EXIT_INPUT, OK
from ipam_org.review.plan import PlanError, load_plan
from ipam_org.review.render import DEFAULT_MAX_CHARS, GITHUB_COMMENT_LIMIT, as_json, markdown
from ipam_org.review.risks import risks
from ipam_org.review.state import departures, local_state_stacks, synthesized_stacks


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = "Summarize `terraform show -json` plans for a pull request, dangerous changes first."
    parser.add_argument(
        "plans", nargs="+", metavar="[STACK=]PLAN.json", help="one plan per stack; STACK defaults to the file name"
    )
    parser.add_argument("--format", choices=["markdown", "json"], default="markdown")
    parser.add_argument(
        "--fail-on",
        choices=["risk", "change", "drift", "never"],
        default="never",
        help=f"exit {EXIT_FAILED} when any risk (or any change; or any change or change outside Terraform) is found",
    )
    parser.add_argument(
        "--require-remote-state",
        metavar="CDKTF_OUT",
        type=Path,
        help="refuse (exit 2) when a stack synthesized in CDKTF_OUT keeps local state: in CI that state is empty",
    )
    parser.add_argument(
        "--compare",
        nargs=2,
        metavar=("BASE_OUT", "HEAD_OUT"),
        type=Path,
        help="the base branch's and the pull request's cdktf output: a stack that leaves, a state that moves"
        " and a layout change are risks no plan shows",
    )
    parser.add_argument(
        "--max-chars",
        type=int,
        default=DEFAULT_MAX_CHARS,
        help=f"hard cap on the Markdown length (GitHub allows {GITHUB_COMMENT_LIMIT:,})",
    )


def run(args: argparse.Namespace) -> int:
    if not 2_000 <= args.max_chars <= GITHUB_COMMENT_LIMIT:
        print(f"error: --max-chars must be between 2000 and {GITHUB_COMMENT_LIMIT}", file=sys.stderr)
        return EXIT_INPUT
    if args.require_remote_state is not None:
        try:
            local = local_state_stacks(args.require_remote_state)
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_INPUT
        if local:
            print(
                f"error: stack {', '.join(local)} keeps its state in a local file, which a CI runner starts without:"
                " its plan compares the config with an empty state, so the review cannot see what really changes."
                " Set backend.s3 in the config (README: Day-2 operations).",
                file=sys.stderr,
            )
            return EXIT_INPUT
    plans = []
    for spec in args.plans:
        stack, _, path = spec.rpartition("=")
        path = Path(path)
        try:
            plans.append(load_plan(path, stack or path.name.removesuffix(".json")))
        except PlanError as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_INPUT
    found = []
    if args.compare is not None:
        try:
            found = departures(*(synthesized_stacks(outdir) for outdir in args.compare))
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_INPUT
    found += risks(plans)
    print(as_json(plans, found) if args.format == "json" else markdown(plans, found, args.max_chars))
    changed = any(plan.changes for plan in plans)
    drifted = changed or any(plan.drift for plan in plans)
    if (
        (args.fail_on == "risk" and found)
        or (args.fail_on == "change" and changed)
        or (args.fail_on == "drift" and drifted)
    ):
        return EXIT_FAILED
    return OK
