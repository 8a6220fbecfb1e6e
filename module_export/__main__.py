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
    args = parser.parse_args(argv)
    if args.levels:
        atomic_write_text(Path(args.module) / "pools.tf", pools_tf())
        print(f"wrote {args.module}/pools.tf", file=sys.stderr)
        return 0
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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
