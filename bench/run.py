"""Benchmark: wall time and peak memory (the whole process tree, Node.js child included), medians.

    pipenv run python -m bench.run                  # writes bench/RESULTS.md (about 12 minutes)
    pipenv run python -m bench.run --only-refusals  # only the refusal rows, appended as their own section
    pipenv run python -m bench.run --against REF    # main.py here and at git REF, run for run in turn, as a section

Not part of the test suite: numbers are recorded, never asserted.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import yaml

from bench.generate import HOSTILE_DOCUMENTS, wide

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def measure(command: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[float, float, float]:
    """(wall seconds, peak MB of the process tree, peak MB of the top process), sampled every 5 ms."""
    start = time.perf_counter()
    process = psutil.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_tree = peak_top = 0
    while process.poll() is None:
        try:
            top = process.memory_info().rss
            tree = top + sum(child.memory_info().rss for child in process.children(recursive=True))
        except psutil.Error:
            continue
        peak_top, peak_tree = max(peak_top, top), max(peak_tree, tree)
        time.sleep(0.005)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode()
    if process.returncode not in (0, 2):
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}): {stderr[-2000:]}")
    return wall, peak_tree / 2**20, peak_top / 2**20


def median_of(
    runs: int, command: list[str], env: dict[str, str], cwd: Path = ROOT, prepare: Callable[[], None] | None = None
):
    samples = []
    for index in range(runs + 1):  # the first run warms caches and is discarded
        if prepare:
            prepare()
        result = measure(command, env, cwd)
        if index:
            samples.append(result)
    return tuple(statistics.median(s[i] for s in samples) for i in range(3))


def version(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=60).stdout.strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    parser.add_argument(
        "--only-refusals", action="store_true", help="measure only how fast bad and hostile configs are refused"
    )
    parser.add_argument(
        "--against", metavar="REF", help="compare synthesis with a git ref of this repo on this machine, run for run"
    )
    args = parser.parse_args()
    if args.against:
        compare(args.against, args.runs, Path(args.out))
        return 0

    from ipam_org.emulator.moto_server import credentials_for, moto_server
    from ipam_org.emulator.terraform import offline_copy, sts_environment, write_cli_config

    work = Path(tempfile.mkdtemp(prefix="ipam-bench-"))
    base_env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    base_env.pop("IPAM_ORG_LEAN_BINDINGS", None)
    configs = {"reference": ROOT / "ipam.yaml"}
    for pools in (10, 100, 1000):
        path = work / f"pools-{pools}.yaml"
        path.write_text(yaml.safe_dump(wide(pools)))
        configs[f"{pools} pools"] = path
    invalid = ROOT / "tests" / "configs" / "invalid" / "many-problems-at-once.yaml"
    rows: list[tuple[str, str, tuple[float, float, float], str]] = []
    outdirs: dict[Path, Path] = {}

    def synth(
        label: str, config: Path, command: list[str], extra: dict[str, str], note: str = ""
    ) -> tuple[float, float, float]:
        out = work / "out" / f"{len(rows)}"
        outdirs[config] = out
        env = {**base_env, "IPAM_CONFIG": str(config), "CDKTF_OUTDIR": str(out), **extra}
        result = median_of(args.runs, command, env)
        rows.append((label, " ".join(c if c != PYTHON else "python" for c in command), result, note))
        print(label, result, file=sys.stderr)
        return result

    if not args.only_refusals:
        baseline = synth(
            "standard app, reference config",
            configs["reference"],
            [PYTHON, "main.py"],
            {"IPAM_ORG_LEAN_BINDINGS": "0"},
            "ordinary import path: IPAM_ORG_LEAN_BINDINGS=0, no -O",
        )
        fast = synth("main.py, reference config", configs["reference"], [PYTHON, "-O", "main.py"], {})
        rows[-1] = (*rows[-1][:3], f"**{baseline[0] / fast[0]:.1f}x faster** than the standard app")
        for pools in (10, 100, 1000):
            synth(f"main.py, {pools} pools", configs[f"{pools} pools"], [PYTHON, "-O", "main.py"], {})
    synth("main.py, invalid config rejected", invalid, [PYTHON, "-O", "main.py"], {}, "exit 2, nothing written")
    for case, document in HOSTILE_DOCUMENTS.items():
        path = work / f"hostile-{case}.yaml"
        path.write_text(document)
        synth(
            f"main.py, hostile input rejected: {case}",
            path,
            [PYTHON, "-O", "main.py"],
            {},
            "exit 2, refused before parsing recurses or expands",
        )
    if args.only_refusals:
        refusals = [row for row in rows if "rejected" in row[0]]
        append_refusals(Path(args.out), refusals, args.runs)
        return 0

    cli_config = write_cli_config(work)
    with moto_server() as sts:
        credentials = credentials_for(sts, "111111111111")
        tf_env = {
            **base_env,
            **credentials,
            **sts_environment(sts),
            "TF_CLI_CONFIG_FILE": str(cli_config),
            "TF_IN_AUTOMATION": "1",
            "CHECKPOINT_DISABLE": "1",
            "AWS_EC2_METADATA_DISABLED": "true",
        }
        for pools in (10, 100, 1000):
            out = outdirs[configs[f"{pools} pools"]]
            stack = json.loads((out / "stacks" / "ipam" / "cdk.tf.json").read_text())
            workdir = work / f"tf-{pools}"
            workdir.mkdir()
            (workdir / "main.tf.json").write_text(json.dumps(offline_copy(stack)))
            subprocess.run(
                ["terraform", "init", "-input=false", "-no-color"],
                cwd=workdir,
                env=tf_env,
                check=True,
                capture_output=True,
            )
            for label, command in [
                (f"terraform validate, {pools} pools", ["terraform", "validate", "-no-color"]),
                (
                    f"terraform plan (offline), {pools} pools",
                    ["terraform", "plan", "-input=false", "-lock=false", "-refresh=false", "-no-color", "-out=tfplan"],
                ),
            ]:
                result = median_of(args.runs, command, tf_env, cwd=workdir)
                rows.append((label, " ".join(command[:2]), result, "includes the AWS provider plugin"))
                print(label, result, file=sys.stderr)
            if pools == 1000:
                plan = subprocess.run(
                    ["terraform", "show", "-json", "tfplan"], cwd=workdir, env=tf_env, check=True, capture_output=True
                ).stdout
                (work / "plan-1000.json").write_bytes(plan)
    result = median_of(args.runs, [PYTHON, "-m", "review", str(work / "plan-1000.json")], base_env)
    rows.append(
        (
            "review of the 1,000-pool plan",
            "ipam-org review PLAN.json",
            result,
            f"{len(json.loads((work / 'plan-1000.json').read_text())['resource_changes']):,} changes",
        )
    )

    write_results(Path(args.out), rows, args.runs)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


def write_results(path: Path, rows, runs: int) -> None:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "?",
    )
    pipenv_versions = {
        name: version([PYTHON, "-c", f"import importlib.metadata as m; print(m.version('{name}'))"])
        for name in ("cdktf", "cdktf-cdktf-provider-aws", "jsii")
    }
    lines = [
        "# Benchmark results",
        "",
        f"Recorded {datetime.date.today().isoformat()} by `pipenv run python -m bench.run` (one run, medians of "
        f"{runs} after one discarded warm-up).",
        "",
        f"- Machine: {psutil.cpu_count()} cores ({cpu}), {psutil.virtual_memory().total / 2**30:.0f} GiB, "
        f"{platform.platform()}",
        f"- Python {platform.python_version()}, Node.js {version(['node', '--version'])}, "
        f"{version(['terraform', 'version'])}",
        f"- cdktf {pipenv_versions['cdktf']}, cdktf-cdktf-provider-aws {pipenv_versions['cdktf-cdktf-provider-aws']} "
        f"(hashicorp/aws 5.100.0), jsii {pipenv_versions['jsii']}",
        "- Memory: peak RSS of the whole process tree (Python and its Node.js jsii kernel, or Terraform and its "
        "provider plugins), sampled every 5 ms; 'top process' is Python (or Terraform) alone.",
        "- jsii package cache warm (the warm-up run fills it).",
        "",
        "| case | command | wall (s) | peak tree (MB) | top process (MB) | note |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for label, command, (wall, tree, top), note in rows:
        lines.append(f"| {label} | `{command}` | {wall:.2f} | {tree:.0f} | {top:.0f} | {note} |")
    path.write_text("\n".join(lines) + "\n")


def append_refusals(path: Path, rows, runs: int) -> None:
    """A section of its own, so a quick run does not overwrite the full run's figures."""
    lines = [
        f"Recorded {datetime.date.today().isoformat()} by `pipenv run python -m bench.run --only-refusals` (medians "
        f"of {runs}).",
        "",
        "| case | command | wall (s) | peak tree (MB) | top process (MB) | note |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for label, command, (wall, tree, top), note in rows:
        lines.append(f"| {label} | `{command}` | {wall:.2f} | {tree:.0f} | {top:.0f} | {note} |")
    replace_section(path, "Refusals", lines)


def replace_section(path: Path, title: str, lines: list[str]) -> None:
    """Put `## title` at the end of the results, replacing an earlier section of that title."""
    text = path.read_text()
    start = text.find(f"\n## {title}\n")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + (text[end:] if end >= 0 else "")
    path.write_text(text.rstrip("\n") + "\n\n## " + title + "\n\n" + "\n".join(lines) + "\n")


def compare(ref: str, runs: int, path: Path) -> None:
    """main.py on this checkout and on a worktree of ref, alternately run by run, so that the machine's drift between
    two recordings (it reaches 20% here) cancels out: the fair test of whether a change made synthesis slower."""
    work = Path(tempfile.mkdtemp(prefix="ipam-bench-against-"))
    other = work / "checkout"
    subprocess.run(["git", "worktree", "add", "--detach", str(other), ref], cwd=ROOT, check=True, capture_output=True)
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "CDKTF_OUTDIR": str(work / "out")}
    env.pop("IPAM_ORG_LEAN_BINDINGS", None)
    configs = {"reference config": ROOT / "ipam.yaml"}
    for pools in (100, 1000):
        configs[f"{pools} pools"] = work / f"pools-{pools}.yaml"
        configs[f"{pools} pools"].write_text(yaml.safe_dump(wide(pools)))
    lines = [
        f"Recorded {datetime.date.today().isoformat()} by `pipenv run python -m bench.run --against {ref}`: `python "
        f"-O main.py` at {ref} "
        f"and here, alternately, medians of {runs} each after one discarded warm-up.",
        "",
        f"| case | wall at {ref} (s) | wall here (s) | change |",
        "| --- | ---: | ---: | ---: |",
    ]
    try:
        for label, config in configs.items():
            samples: dict[Path, list[float]] = {other: [], ROOT: []}
            for index in range(runs + 1):
                for checkout in samples:
                    wall = measure([PYTHON, "-O", "main.py"], {**env, "IPAM_CONFIG": str(config)}, cwd=checkout)[0]
                    if index:
                        samples[checkout].append(wall)
            before, after = statistics.median(samples[other]), statistics.median(samples[ROOT])
            lines.append(f"| main.py, {label} | {before:.2f} | {after:.2f} | {100 * (after / before - 1):+.1f}% |")
            print(lines[-1], file=sys.stderr)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT, check=False, capture_output=True)
    replace_section(path, f"Against {ref}", lines)


if __name__ == "__main__":
    sys.exit(main())
