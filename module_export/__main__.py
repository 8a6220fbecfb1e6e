"""python -m module_export --config ipam.yaml --out dist/terraform-aws-ipam-organization"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from config.model import Config
from module_export import documents, transform
from validation.cli import EXIT_INVALID_CONFIG, load_checked

DEFAULT_OUT = "dist/terraform-aws-ipam-organization"


def _json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def build(config: Config, source: str, out: Path) -> None:
    """Write the module for the config (read from source) into out (generated files replaced atomically)."""
    config = config.model_copy(update={"layout": "single", "backend": None})
    from outdir import staged_outdir
    from stacks import build_app  # the same constructs and stacks as `cdktf synth`

    with tempfile.TemporaryDirectory() as synth_dir:
        build_app(config, synth_dir).synth()
        stack = json.loads((Path(synth_dir) / "stacks" / "ipam" / "cdk.tf.json").read_text())
    variables = transform.variables(config)
    resources = transform.resources(stack)
    outputs = transform.outputs(stack)
    with staged_outdir(out) as staging:
        module = Path(staging)
        (module / "versions.tf.json").write_text(_json(transform.versions()))
        (module / "variables.tf.json").write_text(_json({"variable": variables}))
        (module / "main.tf.json").write_text(_json(transform.main_document(stack)))
        (module / "outputs.tf.json").write_text(_json({"output": outputs}))
        (module / "README.md").write_text(documents.readme(config, Path(source).name, variables, outputs, resources))
        (module / "tests").mkdir()
        (module / "tests" / "module.tftest.hcl").write_text(documents.tftest(config, resources))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m module_export", description="Emit ipam-org as a plain Terraform module.")
    parser.add_argument("--config", default="ipam.yaml", help="the config the pool tree is generated from (default: ipam.yaml)")
    parser.add_argument("--out", default=DEFAULT_OUT, help=f"module directory; its generated files are replaced (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    config = load_checked(args.config)
    if config is None:
        return EXIT_INVALID_CONFIG
    build(config, args.config, Path(args.out))
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    import lean_bindings

    lean_bindings.exit(main(sys.argv[1:]))
