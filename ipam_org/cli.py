"""ipam-org: one command line for everything the project does (also `python -m ipam_org`).

Every subcommand takes --help and --version and exits with the statuses in ipam_org.exits.
"""

from __future__ import annotations

import argparse
import os
import sys

from ipam_org import __version__, lean_bindings
from ipam_org.config import add_config_argument
from ipam_org.exits import DESCRIPTION, EXIT_INPUT

# Optional dependencies, by the extra that brings them (pyproject.toml).
EXTRAS = {"boto3": "aws", "botocore": "aws", "moto": "emulator"}


def parser() -> argparse.ArgumentParser:
    from ipam_org.adoption import cli as discover
    from ipam_org.emulator import cli as emulator
    from ipam_org.module_export import cli as module
    from ipam_org.pipeline import cli as pipeline
    from ipam_org.preflight import cli as preflight
    from ipam_org.review import cli as review
    from ipam_org.usage import cli as usage

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--version", action="version", version=f"ipam-org {__version__}")
    root = argparse.ArgumentParser(
        prog="ipam-org",
        parents=[common],
        epilog=DESCRIPTION,
        description="AWS VPC IPAM for a whole AWS Organization: synthesize, review, check, adopt.",
    )
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")

    synth = commands.add_parser(
        "synth", parents=[common], epilog=DESCRIPTION, help="validate the config and synthesize its stacks"
    )
    synth.description = "Validate the config and synthesize its stacks (what `cdktf synth` runs through main.py)."
    add_config_argument(synth)
    synth.add_argument(
        "--out",
        default=os.environ.get("CDKTF_OUTDIR") or "cdktf.out",
        help="cdktf's output directory (default: $CDKTF_OUTDIR, else cdktf.out)",
    )
    synth.set_defaults(run=_synth)

    for name, package, help_text in (
        ("review", review, "review `terraform show -json` plans for a pull request, risks first"),
        ("preflight", preflight, "read-only checks of the organization before deploy and after"),
        ("discover", discover, "write the config that adopts an existing organization IPAM"),
        ("module", module, "the Terraform module's inputs, import blocks and generated levels"),
        ("usage", usage, "how full each pool is, what IPAM flags, when pools run out (read-only)"),
        ("emulator", emulator, "try it without AWS: the AWS emulator with an organization, until Ctrl-C"),
        ("pipeline", pipeline, "from pull request to production: record, compare and accept reviewed plans"),
    ):
        sub = commands.add_parser(name, parents=[common], epilog=DESCRIPTION, help=help_text)
        if name in ("preflight", "module", "pipeline"):
            package.configure(sub, common)
        else:
            package.configure(sub)
        sub.set_defaults(run=package.run)
    return root


def _synth(args: argparse.Namespace) -> int:
    from ipam_org.synth import synth

    return synth(args.config, args.out, report=sys.stdout)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except ModuleNotFoundError as missing:  # a command that reads AWS, from a wheel installed without the extra
        if missing.name not in EXTRAS:
            raise
        extra = EXTRAS[missing.name]
        print(
            f"error: `ipam-org {args.command}` needs {missing.name}: pip install 'ipam-org[{extra}]'", file=sys.stderr
        )
        return EXIT_INPUT


def run() -> None:
    """The console script: main(), then an exit that skips interpreter teardown after a synth (lean_bindings)."""
    lean_bindings.keep_bytecode()  # before pydantic and the rest load
    lean_bindings.exit(main())
