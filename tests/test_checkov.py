"""checkov (IaC scanner, in its own environment under tools/checkov) passes every synthesized stack."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def checkov() -> str:
    env = {**os.environ, "PIPENV_PIPFILE": str(ROOT / "tools" / "checkov" / "Pipfile"), "PIPENV_VERBOSITY": "-1"}
    pipenv = shutil.which("pipenv")
    venv = subprocess.run([pipenv, "--venv"], env=env, capture_output=True, text=True) if pipenv else None
    binary = Path(venv.stdout.strip()) / "bin" / "checkov" if venv and venv.returncode == 0 else None
    if binary is None or not binary.exists():
        message = "checkov's environment is missing: PIPENV_PIPFILE=tools/checkov/Pipfile pipenv sync"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return str(binary)


def scan(checkov: str, directory: Path) -> dict:
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE"}  # offline: no guideline download
    result = subprocess.run(
        [checkov, "-d", str(directory), "--framework", "terraform_json", "--skip-download", "--quiet", "-o", "json"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert report["check_type"] == "terraform_json"
    assert report["summary"]["parsing_errors"] == 0
    return report


def test_every_synthesized_stack_passes(checkov, reference, split_reference):
    for synth, stack in [(reference, "ipam"), (split_reference, "ipam-management"), (split_reference, "ipam-delegated")]:
        report = scan(checkov, synth.outdir / "stacks" / stack)
        assert report["summary"]["failed"] == 0, report["results"]
        assert report["summary"]["passed"] >= 1  # the provider checks ran


def test_the_scan_is_not_a_no_op(checkov, reference, tmp_path):
    stack = reference.stack("ipam")
    stack["provider"]["aws"][0].update(access_key="AKIAIOSFODNN7EXAMPLE", secret_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    (tmp_path / "cdk.tf.json").write_text(json.dumps(stack))
    report = scan(checkov, tmp_path)
    assert [c["check_id"] for c in report["results"]["failed_checks"]] == ["CKV_AWS_41"]
