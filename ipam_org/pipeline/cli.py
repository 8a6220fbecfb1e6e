"""ipam-org pipeline plan | record | compare | accept | apply: what the pull-request, apply and drift workflows run
and decide.

Plans come as a directory holding, per stack, <stack>.tfplan (the saved plan) and <stack>.json (its
`terraform show -json`), as the workflows write them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ipam_org.exits import EXIT_FAILED, EXIT_INPUT, OK
from ipam_org.files import InputFileError, read_regular_text
from ipam_org.pipeline.record import Record, RecordError, StackRecord, extract, stack_record

MAX_TEXT = 16 * 1024 * 1024


def configure(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    parser.description = "Record the reviewed plan, compare the merge plan with it, decide a risk acceptance."
    commands = parser.add_subparsers(dest="pipeline", required=True, metavar="{plan,record,compare,accept,apply}")
    for name, help_text in (
        ("plan", "plan every stack against its state (refreshed), in order, saving the plans"),
        ("apply", "apply the saved plans stack by stack (reversed when they only destroy)"),
    ):
        sub = commands.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.add_argument("--out", type=Path, default=Path("cdktf.out"), help="the synthesized output (cdktf.out)")
        sub.add_argument("--plans", type=Path, required=True, help="directory of <stack>.tfplan and <stack>.json")
    record = commands.add_parser(
        "record",
        parents=[common],
        help="print the reviewed-plan record (an HTML comment) for the review comment",
    )
    record.add_argument("--commit", required=True, help="the pull request's head commit")
    record.add_argument("--plans", type=Path, required=True, help="directory of <stack>.tfplan and <stack>.json")
    compare = commands.add_parser(
        "compare",
        parents=[common],
        help=f"exit {EXIT_FAILED} unless every stack plans now what was reviewed, on the same state",
    )
    compare.add_argument("--reviewed", type=Path, required=True, help="the review comment that carries the record")
    compare.add_argument("--plans", type=Path, required=True, help="directory of <stack>.tfplan and <stack>.json")
    accept = commands.add_parser(
        "accept",
        parents=[common],
        help=f"exit {EXIT_FAILED} unless an authorized reviewer added the acceptance label after the last push",
    )
    accept.add_argument("--timeline", type=Path, required=True, help="the pull request's timeline events (JSON)")
    accept.add_argument("--last-push", required=True, help="when the head commit was pushed (ISO 8601)")
    accept.add_argument("--authorized", required=True, help="comma-separated GitHub logins allowed to accept risks")


def run(args: argparse.Namespace) -> int:
    try:
        if args.pipeline in ("plan", "apply"):
            return _terraform(args)
        if args.pipeline == "record":
            print(Record(args.commit, _records(args.plans)).embedded())
            return OK
        if args.pipeline == "compare":
            return _compare(args)
        return _accept(args)
    except (RecordError, InputFileError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT


def _terraform(args: argparse.Namespace) -> int:
    from ipam_org.pipeline.terraform import TerraformError, apply_all, plan_all

    try:
        if args.pipeline == "plan":
            print("changes planned" if plan_all(args.out, args.plans) else "no changes")
            return OK
        print(f"applied: {', '.join(apply_all(args.out, args.plans))}")
        return OK
    except TerraformError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT


def _records(directory: Path) -> dict[str, StackRecord]:
    saved = sorted(directory.glob("*.tfplan"))
    if not saved:
        raise RecordError(f"{directory}: no <stack>.tfplan files")
    return {path.stem: stack_record(path.with_suffix(".json"), path) for path in saved}


def _compare(args: argparse.Namespace) -> int:
    from ipam_org.pipeline.compare import differences

    reviewed = extract(read_regular_text(args.reviewed, MAX_TEXT, "review comment"))
    found = differences(reviewed, _records(args.plans))
    if not found:
        print(f"The plans are the ones reviewed at {reviewed.commit}, on the same state: applying them.")
        return OK
    print(f"Not applied: the plans differ from the ones reviewed at {reviewed.commit}.\n")
    print("\n".join(f"- {line}" for line in found))
    print("\nPlan again in a pull request (or re-run the review on this one), review, and merge that.")
    return EXIT_FAILED


def _accept(args: argparse.Namespace) -> int:
    from ipam_org.pipeline.acceptance import decide

    timeline = json.loads(read_regular_text(args.timeline, MAX_TEXT, "timeline"))
    if not isinstance(timeline, list):
        raise ValueError(f"{args.timeline}: expected a JSON list of timeline events")
    if timeline and all(isinstance(page, list) for page in timeline):  # `gh api --paginate --slurp`: one list a page
        timeline = [event for page in timeline for event in page]
    authorized = {login.strip() for login in args.authorized.split(",") if login.strip()}
    decision = decide(timeline, args.last_push, authorized)
    print(decision.reason)
    return OK if decision.accepted else EXIT_FAILED
