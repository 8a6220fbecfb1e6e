"""python -m module_export --config ipam.yaml --tfvars ipam.tfvars.json   (the module's inputs for a config)
python -m module_export --levels                                         (rewrite the module's generated pools.tf)"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from module_export.imports import import_blocks
from module_export.levels import pools_tf
from module_export.tfvars import left_out, names_to_resolve, tfvars
from outdir import atomic_write_text
from validation.cli import EXIT_INVALID_CONFIG, load_checked, report_problems

MODULE = Path("dist/terraform-aws-ipam-organization")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m module_export", description="Inputs for, and the generated part of, the Terraform module "
                                     f"{MODULE}.")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--tfvars", metavar="FILE", help="write the module's variables for --config as JSON (a .tfvars.json file)")
    action.add_argument("--levels", action="store_true", help=f"rewrite {MODULE}/pools.tf (one block per pool level)")
    parser.add_argument("--imports", metavar="FILE", help="with --tfvars: also write import blocks (HCL) for what the config's adopt names")
    parser.add_argument("--module-name", default="ipam", help="the caller's module block name, for --imports (default: ipam)")
    parser.add_argument("--config", default="ipam.yaml", help="the ipam-org config (default: ipam.yaml)")
    parser.add_argument("--module", default=str(MODULE), help=f"the module directory for --levels (default: {MODULE})")
    parser.add_argument("--force", action="store_true", help="replace --tfvars and --imports files that exist (default: refuse)")
    args = parser.parse_args(argv)
    if args.levels:
        atomic_write_text(Path(args.module) / "pools.tf", pools_tf())
        print(f"wrote {args.module}/pools.tf", file=sys.stderr)
        return 0
    problem = _output_problem([Path(p) for p in (args.tfvars, args.imports) if p], args.force)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_INVALID_CONFIG
    config = load_checked(args.config)
    if config is None:
        return EXIT_INVALID_CONFIG
    names = names_to_resolve(config)
    if names:
        report_problems(args.config, names, [])
        return EXIT_INVALID_CONFIG
    for note in left_out(config):
        if not (args.imports and note.startswith("adopt:")):
            print(f"note: not a module input: {note}", file=sys.stderr)
    if args.imports:
        atomic_write_text(Path(args.imports), import_blocks(config, args.module_name))
        print(f"wrote {args.imports}", file=sys.stderr)
    atomic_write_text(Path(args.tfvars), json.dumps(tfvars(config), indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {args.tfvars}", file=sys.stderr)
    return 0


def _output_problem(outputs: list[Path], force: bool) -> str | None:
    """Refuse, before anything is read or written, an output that would lose a file or another output."""
    if len({path.resolve() for path in outputs}) < len(outputs):
        return f"--tfvars and --imports name the same file ({outputs[0]}); the second would overwrite the first"
    for path in outputs:
        if path.is_dir():
            return f"{path} is a directory; give a file path"
        if path.exists() and not path.is_file():
            return f"{path} is not a regular file; give a file path"
        if path.exists() and not force:
            return f"{path} exists; pass --force to replace it"
    return None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
