"""The app entry cdktf runs, `python main.py`, directly and through `npx cdktf synth`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.terraform import cdktf_synth

ROOT = Path(__file__).resolve().parent.parent


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("IPAM_CONFIG", "CDKTF_OUTDIR")}
    env.pop("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", None)  # main.py must silence it itself
    return {**env, **extra}


def test_main_synthesizes_the_reference_config_with_a_clean_stderr(reference, tmp_path):
    outdir = tmp_path / "cdktf.out"
    result = subprocess.run(
        [sys.executable, "main.py"],
        cwd=ROOT,
        env=clean_env(CDKTF_OUTDIR=str(outdir)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert (outdir / "stacks" / "ipam" / "cdk.tf.json").read_text() == reference.stack_text("ipam")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cdktf.out"]  # no staging directory left behind


def test_npx_cdktf_synth_runs_the_app(reference, tmp_path, cli_config):
    outdir = tmp_path / "cli.out"
    result = cdktf_synth(outdir, clean_env(TF_CLI_CONFIG_FILE=str(cli_config)))
    assert "Generated Terraform code for the stacks: ipam" in result.stdout
    assert (outdir / "stacks" / "ipam" / "cdk.tf.json").read_text() == reference.stack_text("ipam")
