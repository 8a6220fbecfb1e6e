"""lean_bindings changes how the bindings load, never what they write: byte-identical output both ways."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import yaml

from bench.generate import wide
from tests.support.corpus import MONITORED, reference, with_

ROOT = Path(__file__).resolve().parent.parent

STANDARD_SYNTH = """
import sys
from ipam_org.config.loader import load_config
from ipam_org.stacks import build_app
for source, outdir in zip(sys.argv[1::2], sys.argv[2::2]):
    build_app(load_config(source), outdir).synth()
print(len([m for m in sys.modules if m.startswith("cdktf_cdktf_provider_aws.")]))
"""


def tree(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_output_is_byte_identical_with_and_without_lean_bindings(tmp_path):
    # 250 pools: identity does not depend on size (1,000 took 50 s more); alarms: bindings loaded on demand
    big = tmp_path / "pools-250.yaml"
    big.write_text(yaml.safe_dump(wide(250)))
    monitored = tmp_path / "monitored.yaml"
    monitored.write_text(yaml.safe_dump(with_(reference(), monitoring=MONITORED)))
    configs = {"monitored": monitored, "pools-250": big}

    standard_env = {**os.environ, "IPAM_ORG_LEAN_BINDINGS": "0"}
    args = [str(a) for name, config in configs.items() for a in (config, tmp_path / f"standard-{name}")]
    standard = subprocess.run(
        [sys.executable, "-c", STANDARD_SYNTH, *args],
        cwd=ROOT,
        env=standard_env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert standard.returncode == 0, standard.stderr
    assert int(standard.stdout) > 2000  # the ordinary path really imported every provider submodule

    for name, config in configs.items():
        env = {**os.environ, "IPAM_CONFIG": str(config), "CDKTF_OUTDIR": str(tmp_path / f"lean-{name}")}
        env.pop("IPAM_ORG_LEAN_BINDINGS", None)
        lean = subprocess.run(
            [sys.executable, "-O", "main.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert lean.returncode == 0, lean.stderr
        expected, actual = tree(tmp_path / f"standard-{name}"), tree(tmp_path / f"lean-{name}")
        assert list(actual) == list(expected)
        assert actual == expected, f"{name}: lean output differs"
    assert len(tree(tmp_path / "lean-pools-250")["stacks/ipam/cdk.tf.json"]) > 250_000
    assert b"aws_cloudwatch_metric_alarm" in tree(tmp_path / "lean-monitored")["stacks/ipam/cdk.tf.json"]


def test_lean_path_loads_only_the_modules_it_uses():
    code = (
        "import sys; from ipam_org import lean_bindings; lean_bindings.install(); from ipam_org import bindings;"
        "print(len([m for m in sys.modules if m.startswith('cdktf_cdktf_provider_aws.') and not "
        "m.endswith('._private')]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "IPAM_ORG_LEAN_BINDINGS"},
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == 10  # the nine resource modules bindings.py names, and the assembly


# --- the guard: the fast path says when it stops being fast, and stays off on versions it was not written for


def kernel_stats(path: Path) -> dict:
    """What lean_bindings.js wrote when the jsii kernel exited (shortly after the Python process)."""
    deadline = time.monotonic() + 30
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return json.loads(path.read_text())


def test_a_synth_makes_every_provider_export_lazy_and_loads_only_what_it_uses(tmp_path):
    env = {
        **os.environ,
        "IPAM_CONFIG": str(ROOT / "ipam.yaml"),
        "CDKTF_OUTDIR": str(tmp_path / "out"),
        "IPAM_ORG_LEAN_STATS": str(tmp_path / "stats.json"),
    }
    env.pop("IPAM_ORG_LEAN_BINDINGS", None)
    result = subprocess.run(
        [sys.executable, "-O", "main.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0 and "lean bindings" not in result.stderr, result.stderr
    # 2,135: every `exports.x = require("./x");` of provider 20.1.0's index (one per resource and data source
    # module); 10: the index and the nine resource modules bindings.py names.
    assert kernel_stats(tmp_path / "stats.json") == {
        "lazy_exports": 2135,
        "stack_trace_replaced": True,
        "provider_modules_loaded": 10,
    }


def fake_package(root: Path, index: str, stack_trace: str) -> None:
    lib = root / "node_modules" / "@cdktf" / "provider-aws" / "lib"
    lib.mkdir(parents=True)
    (lib / "index.js").write_text(index)
    (lib / "vpc-ipam.js").write_text("exports.VpcIpam = 'loaded';")
    tokens = root / "node_modules" / "cdktf" / "lib" / "tokens" / "private"
    tokens.mkdir(parents=True)
    (tokens / "stack-trace.js").write_text(stack_trace)


PROBE = """
const index = require(process.argv[1] + "/node_modules/@cdktf/provider-aws/lib/index.js");
const trace = require(process.argv[1] + "/node_modules/cdktf/lib/tokens/private/stack-trace.js");
const loadedBefore = Object.keys(require.cache).some((f) => f.endsWith("vpc-ipam.js"));
console.log(JSON.stringify({ loadedBefore, vpcIpam: index.vpcIpam && index.vpcIpam.VpcIpam, exports:
Object.keys(trace).sort() }));
"""


def probe(root: Path) -> tuple[dict, str, dict]:
    env = {**os.environ, "IPAM_ORG_LEAN_STATS": str(root / "stats.json")}
    result = subprocess.run(
        ["node", "--require", str(ROOT / "ipam_org" / "lean_bindings.js"), "-e", PROBE, str(root)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout), result.stderr, kernel_stats(root / "stats.json")


def test_the_hooks_rewrite_files_of_the_shape_they_were_written_for(tmp_path):
    fake_package(
        tmp_path,
        'exports.vpcIpam = require("./vpc-ipam");\n',
        '"use strict";\nexports.captureStackTrace = void 0;\nfunction captureStackTrace() { return ["x"]; '
        "}\nexports.captureStackTrace = captureStackTrace;\n",
    )
    seen, stderr, stats = probe(tmp_path)
    assert seen == {
        "loadedBefore": False,
        "vpcIpam": "loaded",
        "exports": ["captureStackTrace"],
    }  # loaded on first read only
    assert stderr == "" and stats == {"lazy_exports": 1, "stack_trace_replaced": True, "provider_modules_loaded": 2}


def test_files_of_another_shape_are_left_alone_with_a_warning(tmp_path):
    fake_package(
        tmp_path,
        'const m = require("./vpc-ipam");\nexports.vpcIpam = m;\n',
        '"use strict";\nexports.captureStackTrace = () => [];\nexports.captureOtherTrace = () => [];\n',
    )
    seen, stderr, stats = probe(tmp_path)
    assert seen == {"loadedBefore": True, "vpcIpam": "loaded", "exports": ["captureOtherTrace", "captureStackTrace"]}
    assert stderr.count("warning: lean bindings:") == 2, stderr
    assert stats["lazy_exports"] == 0 and stats["stack_trace_replaced"] is False


UNPINNED = """
import importlib.metadata, os, sys
real = importlib.metadata.version
importlib.metadata.version = lambda name: "0.22.0" if name == "cdktf" else real(name)
from ipam_org import lean_bindings

lean_bindings.install()
print(lean_bindings.PROVIDER_PACKAGE in sys.modules, "lean_bindings.js" in os.environ.get("NODE_OPTIONS", ""))
"""


def test_other_versions_switch_the_hooks_off_with_one_warning():
    env = {k: v for k, v in os.environ.items() if k not in ("IPAM_ORG_LEAN_BINDINGS", "NODE_OPTIONS")}
    result = subprocess.run(
        [sys.executable, "-c", UNPINNED], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.split() == ["False", "False"]
    assert result.stderr.splitlines() == [
        "warning: lean bindings off: written for cdktf 0.21.0, installed 0.22.0; using the standard path (slower, "
        "same output)"
    ]


def test_the_pins_are_the_locked_versions():
    from ipam_org import lean_bindings

    locked = json.loads((ROOT / "Pipfile.lock").read_text())["default"]
    assert {name: locked[name]["version"].removeprefix("==") for name in lean_bindings.PINNED} == lean_bindings.PINNED
