"""ipam-org module tfvars --config ipam.yaml --out ipam.tfvars.json [--imports imports.tf]   (the module's inputs)
ipam-org module levels [--module DIR]                                                 (rewrite the generated
pools.tf)"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ipam_org.config import add_config_argument
from ipam_org.exits import EXIT_INPUT, OK
from ipam_org.files import atomic_write_text
from ipam_org.module_export.imports import import_blocks
from ipam_org.module_export.levels import pools_tf
from ipam_org.module_export.tfvars import left_out, names_to_resolve, tfvars
from ipam_org.validation.cli import load_checked, report_problems

MODULE = Path("dist/terraform-aws-ipam-organization")


def configure(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    parser.description = f"Inputs for, and the generated part of, the Terraform module {MODULE}."
    commands = parser.add_subparsers(dest="module_command", required=True, metavar="{tfvars,levels}")
    inputs = commands.add_parser(
        "tfvars",
        parents=[common],
        help="write the module's variables for a config (.tfvars.json)",
        description="Write the module's variables for a config as JSON (a .tfvars.json file).",
    )
    add_config_argument(inputs)
    inputs.add_argument("--out", required=True, metavar="FILE", help="the .tfvars.json file to write")
    inputs.add_argument(
        "--imports", metavar="FILE", help="also write import blocks (HCL) for what the config's adopt names"
    )
    inputs.add_argument(
        "--module-name", default="ipam", help="the caller's module block name, for --imports (default: ipam)"
    )
    inputs.add_argument(
        "--force", action="store_true", help="replace --out and --imports files that exist (default: refuse)"
    )
    levels = commands.add_parser(
        "levels",
        parents=[common],
        help=f"rewrite {MODULE}/pools.tf (one block per pool level)",
        description=f"Rewrite {MODULE}/pools.tf (one block per pool level).",
    )
    levels.add_argument("--module", default=str(MODULE), help=f"the module directory (default: {MODULE})")


def run(args: argparse.Namespace) -> int:
    if args.module_command == "levels":
        atomic_write_text(Path(args.module) / "pools.tf", pools_tf())
        print(f"wrote {args.module}/pools.tf", file=sys.stderr)
        return OK

    problem = _output_problem([Path(p) for p in (args.out, args.imports) if p], args.force)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_INPUT
    config = load_checked(args.config)
    if config is None:
        return EXIT_INPUT
    names = names_to_resolve(config)
    if names:
        report_problems(args.config, names, [])
        return EXIT_INPUT
    for note in left_out(config):
        if not (args.imports and note.startswith("adopt:")):
            print(f"note: not a module input: {note}", file=sys.stderr)
    if args.imports:
        atomic_write_text(Path(args.imports), import_blocks(config, args.module_name))
        print(f"wrote {args.imports}", file=sys.stderr)
    atomic_write_text(Path(args.out), json.dumps(tfvars(config), indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}", file=sys.stderr)
    return OK


def _output_problem(outputs: list[Path], force: bool) -> str | None:
    """Refuse, before anything is read or written, an output that would lose a file or another output."""
    if len({path.resolve() for path in outputs}) < len(outputs):
        return f"--out and --imports name the same file ({outputs[0]}); the second would overwrite the first"
    for path in outputs:
        if path.is_dir():
            return f"{path} is a directory; give a file path"
        if path.exists() and not path.is_file():
            return f"{path} is not a regular file; give a file path"
        if path.exists() and not force:
            return f"{path} exists; pass --force to replace it"
    return None
