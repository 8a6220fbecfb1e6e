"""lean_bindings changes how the bindings load, never what they write: byte-identical output both ways."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from bench.generate import wide

ROOT = Path(__file__).resolve().parent.parent

STANDARD_SYNTH = """
import sys
from config.loader import load_config
from stacks import build_app
for source, outdir in zip(sys.argv[1::2], sys.argv[2::2]):
    build_app(load_config(source), outdir).synth()
print(len([m for m in sys.modules if m.startswith("cdktf_cdktf_provider_aws.")]))
"""


def tree(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_output_is_byte_identical_with_and_without_lean_bindings(tmp_path):
    big = tmp_path / "pools-1000.yaml"
    big.write_text(yaml.safe_dump(wide(1000)))
    configs = {"reference": ROOT / "ipam.yaml", "pools-1000": big}

    standard_env = {**os.environ, "IPAM_ORG_LEAN_BINDINGS": "0"}
    args = [str(a) for name, config in configs.items() for a in (config, tmp_path / f"standard-{name}")]
    standard = subprocess.run(
        [sys.executable, "-c", STANDARD_SYNTH, *args], cwd=ROOT, env=standard_env, capture_output=True, text=True, timeout=600
    )
    assert standard.returncode == 0, standard.stderr
    assert int(standard.stdout) > 2000  # the ordinary path really imported every provider submodule

    for name, config in configs.items():
        env = {**os.environ, "IPAM_CONFIG": str(config), "CDKTF_OUTDIR": str(tmp_path / f"lean-{name}")}
        env.pop("IPAM_ORG_LEAN_BINDINGS", None)
        lean = subprocess.run([sys.executable, "-O", "main.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert lean.returncode == 0, lean.stderr
        expected, actual = tree(tmp_path / f"standard-{name}"), tree(tmp_path / f"lean-{name}")
        assert list(actual) == list(expected)
        assert actual == expected, f"{name}: lean output differs"
    assert len(tree(tmp_path / "lean-pools-1000")["stacks/ipam/cdk.tf.json"]) > 1_000_000


def test_lean_path_loads_only_the_modules_it_uses():
    code = (
        "import sys, bindings;"
        "print(len([m for m in sys.modules if m.startswith('cdktf_cdktf_provider_aws.') and not m.endswith('._private')]))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={k: v for k, v in os.environ.items() if k != "IPAM_ORG_LEAN_BINDINGS"})
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == 10  # the nine resource modules bindings.py names, and the assembly
