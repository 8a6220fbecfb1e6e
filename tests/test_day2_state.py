"""Day 2 with real Terraform: state lives outside cdktf.out, and a re-synth keeps Terraform's working files.

synth (main.py, or `npx cdktf synth`) -> terraform init in the stack directory -> a real state write
through the synthesized local backend (state push of a state built from the plan, then an apply of the
outputs) -> re-synth -> the same state, lock file, .terraform and saved plan are there, and
`terraform plan -refresh=false` shows no changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import MANAGEMENT_ACCOUNT, REFERENCE, ROOT
from tests.support.prior_state import state_from_plan
from tests.support.terraform import Terraform, cdktf_synth, provider_schemas


def synth(config: Path, outdir: Path) -> None:
    env = {**os.environ, "IPAM_CONFIG": str(config), "CDKTF_OUTDIR": str(outdir)}
    result = subprocess.run(
        [sys.executable, "-O", "main.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr


def synth_through_cdktf(config: Path, outdir: Path, cli_config: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CDKTF_OUTDIR"}
    cdktf_synth(outdir, {**env, "IPAM_CONFIG": str(config), "TF_CLI_CONFIG_FILE": str(cli_config)})


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def deploy_state(workdir: Path, terraform: Terraform) -> None:
    """Write a real state through the stack's own backend, as a first deploy would leave it."""
    terraform.init()
    plan = terraform.plan()
    schemas = provider_schemas(terraform)
    state = workdir / "pushed.tfstate.json"
    state.write_text(json.dumps(state_from_plan(plan, schemas)))
    terraform.run("state", "push", str(state))
    state.unlink()
    terraform.run("apply", "-input=false", "-refresh=false", "-auto-approve", "-no-color")  # outputs only: no AWS call


@pytest.fixture(scope="module")
def environment(sts, management_credentials):
    return {**management_credentials, "AWS_ENDPOINT_URL": sts}


# The single layout only: each split stack keeps its state, lock file and plans the same way, per stack, and the
# split life cycle checks the state files it leaves beside cdktf.out (tests/support/lifecycle.py).
def test_resynth_keeps_state_lock_file_and_working_directory(tmp_path, cli_config, environment):
    config = tmp_path / "ipam.yaml"
    config.write_text(yaml.safe_dump(yaml.safe_load(REFERENCE.read_text())))
    outdir = tmp_path / "cdktf.out"
    synth(config, outdir)
    stacks = sorted(json.loads((outdir / "manifest.json").read_text())["stacks"])
    assert stacks == ["ipam"]
    kept = {}
    for stack in stacks:
        workdir = outdir / "stacks" / stack
        terraform = Terraform(workdir, cli_config, environment)
        deploy_state(workdir, terraform)
        terraform.run("plan", "-input=false", "-refresh=false", "-no-color", "-out=saved.tfplan")
        state = tmp_path / "terraform-state" / f"{stack}.tfstate"  # beside cdktf.out, not inside it
        assert json.loads(state.read_text())["resources"], "the state holds the deployed resources"
        kept[stack] = {
            "state": digest(state),
            "lock": digest(workdir / ".terraform.lock.hcl"),
            "plan": digest(workdir / "saved.tfplan"),
        }
        assert (workdir / ".terraform" / "providers").is_dir()
    # .terraform/terraform.tfstate records the backend's settings, not resources
    assert not [p for p in outdir.rglob("*.tfstate") if p.parent.name != ".terraform"], "no state inside the output"

    synth(config, outdir)

    for stack in stacks:
        workdir = outdir / "stacks" / stack
        assert digest(tmp_path / "terraform-state" / f"{stack}.tfstate") == kept[stack]["state"]
        assert digest(workdir / ".terraform.lock.hcl") == kept[stack]["lock"]
        assert digest(workdir / "saved.tfplan") == kept[stack]["plan"]
        assert (workdir / ".terraform" / "providers").is_dir()
        result = Terraform(workdir, cli_config, environment).run(
            "plan", "-input=false", "-refresh=false", "-no-color", "-detailed-exitcode", check=False
        )
        assert result.returncode == 0, f"{stack}: expected no changes after a re-synth:\n{result.stdout}{result.stderr}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cdktf.out", "ipam.yaml", "terraform-state"]


def test_cdktf_synth_keeps_terraform_files_and_failed_synth_changes_nothing(tmp_path, cli_config, environment):
    outdir = tmp_path / "cdktf.out"
    synth_through_cdktf(REFERENCE, outdir, cli_config)
    workdir = outdir / "stacks" / "ipam"
    terraform = Terraform(workdir, cli_config, environment)
    deploy_state(workdir, terraform)
    before = {p.relative_to(outdir): digest(p) for p in outdir.rglob("*") if p.is_file()}

    broken = tmp_path / "broken.yaml"
    broken.write_text(REFERENCE.read_text().replace(f'"{MANAGEMENT_ACCOUNT}"', '"12345"'))
    env = {**os.environ, "IPAM_CONFIG": str(broken), "CDKTF_OUTDIR": str(outdir)}
    result = subprocess.run(
        [sys.executable, "-O", "main.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 2
    assert {p.relative_to(outdir): digest(p) for p in outdir.rglob("*") if p.is_file()} == before

    synth_through_cdktf(REFERENCE, outdir, cli_config)
    assert {p.relative_to(outdir): digest(p) for p in outdir.rglob("*") if p.is_file()} == before
    result = terraform.run("plan", "-input=false", "-refresh=false", "-no-color", "-detailed-exitcode", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
