"""Real Terraform for tests: the provider comes from the machine's filesystem mirror, never the registry."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ipam_org.emulator import terraform as emulator_terraform
from ipam_org.emulator.terraform import offline_copy, sts_environment

if TYPE_CHECKING:
    from tests.conftest import Synth


def require_tool(name: str) -> str:
    """The tool's path; a missing tool fails the test in CI instead of skipping it."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not on PATH"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI must run these tests, not skip them")
        pytest.skip(message)
    return path


def write_cli_config(directory: Path) -> Path:
    """The mirror-only CLI config, the provider from a mirror of launchers (launcher_mirror); no mirror fails the test
    in CI instead of skipping it."""
    try:
        return emulator_terraform.write_cli_config(directory, launcher_mirror(directory / "mirror"))
    except emulator_terraform.MirrorMissing as missing:
        if os.environ.get("CI"):
            pytest.fail(str(missing))
        pytest.skip(str(missing))


def launcher_mirror(root: Path) -> Path:
    """A filesystem mirror whose provider package is a two-line script that execs the machine's mirror's binary: the
    same provider runs. Before every command that loads a provider (init, plan, show, apply, output, ...) Terraform
    checks the installed package against the lock file's checksum, which for the 707 MB AWS provider costs 0.55 s of
    CPU (init: 1.1 s), about 400 times in a run of the suite; a launcher's checksum costs nothing
    (docs/test-time.md)."""
    for platform in (emulator_terraform.find_mirror() / emulator_terraform.PROVIDER).iterdir():
        launchers = root / emulator_terraform.PROVIDER / platform.name
        launchers.mkdir(parents=True)
        for file in platform.iterdir():  # the provider's executable, and the files beside it (LICENSE.txt) as they are
            if not file.name.startswith("terraform-provider-"):
                shutil.copyfile(file, launchers / file.name)
                continue
            launcher = launchers / file.name
            launcher.write_text(f'#!/bin/sh\nexec {shlex.quote(str(file.resolve()))} "$@"\n')
            launcher.chmod(0o755)
    return root


def cdktf_synth(outdir: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`npx cdktf synth` of this repo's app into outdir, as a user runs it; it must succeed."""
    result = subprocess.run(
        [require_tool("npx"), "--no-install", "cdktf", "synth", "--output", str(outdir)],
        cwd=Path(__file__).resolve().parents[2],
        env={**env, "CHECKPOINT_DISABLE": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


class Terraform:
    """Runs terraform in one working directory with an offline, mirror-only environment."""

    def __init__(self, workdir: Path, cli_config: Path, extra_env: dict[str, str] | None = None):
        self.binary = require_tool("terraform")
        self.workdir = workdir
        self.env = {
            **os.environ,
            "TF_CLI_CONFIG_FILE": str(cli_config),
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            "CHECKPOINT_DISABLE": "1",
            "GOGC": "400",  # the provider's start-up is GC-heavy; this trims its CPU time
            "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
            "AWS_SECRET_ACCESS_KEY": "dummy",
            "AWS_EC2_METADATA_DISABLED": "true",
            **(extra_env or {}),
        }
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
            self.env.pop(name, None)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [self.binary, *args], cwd=self.workdir, env=self.env, capture_output=True, text=True, timeout=600
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"terraform {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
            )
        return result

    def init(self) -> None:
        self.run("init", "-input=false", "-no-color")

    def plan(self, *args: str) -> dict[str, Any]:
        self.run("plan", "-input=false", "-lock=false", "-no-color", "-out=tfplan", *args)
        return json.loads(self.run("show", "-json", "tfplan").stdout)


def consumer_workdir(root: Path, module: Path, example: Path) -> Path:
    """Copies of the module and an example that calls it (as ../../dist/<module>); run it with sts_environment()."""
    shutil.copytree(module, root / "dist" / "terraform-aws-ipam-organization")
    workdir = root / "examples" / example.name
    shutil.copytree(example, workdir)
    # Test-only override file: no instance metadata; providers otherwise as written.
    offline = [{"alias": alias, "skip_metadata_api_check": "true"} for alias in ("mgmt", "ipam")]
    (workdir / "moto_override.tf.json").write_text(json.dumps({"provider": {"aws": offline}}))
    return workdir


_SCHEMAS: dict[str, Any] = {}


def provider_schemas(terraform: Terraform) -> dict[str, Any]:
    """`terraform providers schema -json` of an initialized directory, once per test process: with one pinned
    provider it is the same everywhere, and each run starts the provider."""
    if not _SCHEMAS:
        _SCHEMAS.update(json.loads(terraform.run("providers", "schema", "-json").stdout))
    return _SCHEMAS


def plan_stack(
    synth: Synth,
    stack: str,
    workdir: Path,
    cli_config: Path,
    sts: str,
    credentials: dict[str, str],
    edit=None,
) -> dict[str, Any]:
    """The stack planned offline (a plan validates the configuration first: no separate validate run)."""
    terraform = offline_terraform(workdir, synth.stack(stack), cli_config, sts, credentials, edit)
    return terraform.plan()


def offline_terraform(
    workdir: Path, stack_json: dict[str, Any], cli_config: Path, sts: str, credentials: dict[str, str], edit=None
) -> Terraform:
    """Terraform initialized in workdir on the stack's offline copy (edited by edit, if given), its STS and IAM at the
    local moto server sts, with credentials of one of its accounts."""
    workdir.mkdir(parents=True, exist_ok=True)
    body = offline_copy(stack_json)
    if edit:
        edit(body)
    (workdir / "main.tf.json").write_text(json.dumps(body))
    terraform = Terraform(workdir, cli_config, {**credentials, **sts_environment(sts)})
    terraform.init()
    return terraform


def configured(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["address"]: r for r in plan["configuration"]["root_module"]["resources"]}


def after(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Planned attribute values by address (computed ones are absent)."""
    return {c["address"]: c["change"]["after"] or {} for c in plan["resource_changes"]}


def actions(plan: dict[str, Any]) -> dict[str, list[str]]:
    return {c["address"]: c["change"]["actions"] for c in plan["resource_changes"]}
