"""Every bad config is refused: exit 2, each problem as `<file>:<line>: <path>: <message>` with pools by name, no
traceback, nothing written.

Each case is a YAML file under tests/configs/invalid with an `# expect:` line per problem it must report, and it
reports no other. They run in-process, as `ipam-org synth` does; a handful also through main.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.generate import amazon_ipv6_pool, wide
from ipam_org.config.loader import load_config
from ipam_org.config.model import Config
from ipam_org.exits import EXIT_INPUT
from ipam_org.synth import synth
from ipam_org.validation import validate

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "tests" / "configs" / "invalid").glob("*.yaml"))


def run_main(config: Path, outdir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "IPAM_CONFIG": str(config), "CDKTF_OUTDIR": str(outdir)}
    return subprocess.run([sys.executable, str(ROOT / "main.py")], env=env, capture_output=True, text=True, timeout=60)


def expectations(case: Path, prefix: str = "# expect:") -> list[str]:
    """`# expect:` lines, one per problem the case reports; `# also:` lines, more text one of them must contain."""
    return [line.removeprefix(prefix).strip() for line in case.read_text().splitlines() if line.startswith(prefix)]


def test_there_are_at_least_forty_cases():
    assert len(CASES) >= 40


def reported_problems(stderr: str) -> list[str]:
    """The problem lines under `error: ... (N problems):`, checked against N."""
    header = re.search(r"^error: .* \((\d+) problems?\):$", stderr, re.M)
    assert header, stderr
    lines = [line[2:] for line in stderr[header.end() :].splitlines() if line.startswith("  ")]
    assert len(lines) == int(header.group(1)), stderr
    return lines


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_invalid_config_is_refused_precisely(case, tmp_path, capsys):
    """In-process, as `ipam-org synth` runs it: every problem expected and nothing else reported, nothing written."""
    expected = expectations(case)
    assert expected, f"{case.name} has no # expect: lines"
    outdir = tmp_path / "cdktf.out"
    assert synth(str(case), str(outdir)) == EXIT_INPUT
    stdout, stderr = capsys.readouterr()
    for line in expected + expectations(case, "# also:"):
        assert line in stderr, f"missing {line!r} in:\n{stderr}"
    assert len(reported_problems(stderr)) == len(expected), f"problems no # expect: line names:\n{stderr}"
    assert stdout == ""
    assert list(tmp_path.iterdir()) == []


DEEP = """\
organization: {id: o-a1b2c3d4e5, management_account_id: "111111111111", ipam_account_id: "222222222222"}
providers: {management: {region: us-east-1}, delegated: {region: us-east-1}}
pools:
  - name: corp
    cidrs: [10.0.0.0/8]
    pools:
      - name: use1
        locale: us-east-1
        cidrs: [10.0.0.0/12]
        pools:
          - name: team-a
            locale: us-east-1
            cidrs: [10.0.0.0/16]
            alocation: {default_netmask_length: 24}
          - name: team-b
            locale: us-east-1
            cidrs: [10.0.0.0/15]
      - name: use1
        locale: us-east-1
        cidrs: [10.32.0.0/12]
"""


def test_problems_name_the_pool_and_the_line(tmp_path, capsys):
    """Written by hand, not by the code that renders them: the line of each problem in the file above, and each pool
    by its name, or by its position where two pools share a name."""
    config = tmp_path / "ipam.yaml"
    config.write_text(DEEP)
    assert synth(str(config), str(tmp_path / "out")) == EXIT_INPUT
    problems = reported_problems(capsys.readouterr().err)
    assert problems == [
        f'{config}:14: pools["team-a"].alocation: unknown key "alocation"; did you mean "allocation"?',
        f'{config}:18: pools["corp"].pools[1].name: "use1" is already used by pools["corp"].pools[0]; pool names are '
        "unique identities",
        f'{config}:13: pools["team-a"].cidrs[0]: 10.0.0.0/16 overlaps sibling pool "team-b" (10.0.0.0/15)',
    ]


THROUGH_MAIN = ["sibling-overlap", "unknown-top-level-key", "account-unicode-digits", "publish-cidrs-too-long"]


@pytest.mark.parametrize("name", THROUGH_MAIN)
def test_main_refuses_as_the_command_does(name, tmp_path):
    """A handful through the real entry point (cdktf's main.py, a process of its own): exit 2, no traceback."""
    case = ROOT / "tests" / "configs" / "invalid" / f"{name}.yaml"
    result = run_main(case, tmp_path / "cdktf.out")
    assert result.returncode == EXIT_INPUT, result.stderr
    assert all(line in result.stderr for line in expectations(case)) and "Traceback" not in result.stderr
    assert len(reported_problems(result.stderr)) == len(expectations(case))
    assert result.stdout == "" and list(tmp_path.iterdir()) == []


def test_missing_file_is_reported_plainly(tmp_path):
    result = run_main(tmp_path / "nope.yaml", tmp_path / "out")
    assert result.returncode == EXIT_INPUT
    assert f"{tmp_path / 'nope.yaml'}: file not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_refused_config_leaves_existing_output_untouched(tmp_path):
    outdir = tmp_path / "cdktf.out"
    (outdir / "stacks" / "ipam").mkdir(parents=True)
    previous = outdir / "stacks" / "ipam" / "cdk.tf.json"
    previous.write_text('{"previous": true}')
    result = run_main(CASES[0], outdir)
    assert result.returncode == EXIT_INPUT
    assert previous.read_text() == '{"previous": true}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cdktf.out"]


def test_validation_does_not_load_the_cdktf_bindings():
    code = (
        "import sys, main; from ipam_org.config.loader import load_config; from ipam_org.validation import validate;"
        f"validate(load_config({str(ROOT / 'ipam.yaml')!r}));"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('cdktf', 'jsii', 'constructs', "
        "'cdktf_cdktf_provider_aws')];"
        "print(loaded)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_quotas_are_warnings_not_errors():
    config = Config.model_validate(wide(60))
    big_pool = wide(6)
    big_pool["pools"][0]["pools"][0]["pools"][0]["cidrs"] = [f"10.0.{i}.0/24" for i in range(51)]
    report = validate(config)
    assert report.errors == []
    assert [str(w) for w in report.warnings] == [
        "pools: 60 private pools exceed the default quota of 50 per scope; request an increase before deploying"
    ]
    report = validate(Config.model_validate(big_pool))
    assert report.errors == []
    assert [str(w) for w in report.warnings] == [
        "pools[0].pools[0].pools[0].cidrs: 51 CIDRs exceed the default quota of 50 per pool; request an increase "
        "before deploying"
    ]


def test_the_reference_config_is_valid():
    report = validate(load_config(ROOT / "ipam.yaml"))
    assert report.errors == [] and report.warnings == []


def test_publicly_advertisable_false_is_accepted_on_amazon_provided_ipv6():
    """false is the provider's default and never sent (aws-ia's contiguous_block_ipv6 example sets it); true is
    refused."""
    import yaml

    from tests.conftest import REFERENCE

    config = yaml.safe_load(REFERENCE.read_text())
    config["pools"].append(amazon_ipv6_pool(publicly_advertisable=False))
    assert not validate(Config.model_validate(config)).errors
    config["pools"][-1]["publicly_advertisable"] = True
    assert [p.path for p in validate(Config.model_validate(config)).errors] == ["pools[1].publicly_advertisable"]
