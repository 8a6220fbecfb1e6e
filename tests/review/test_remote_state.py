"""The pull-request review refuses plans made against local state (a CI runner starts with none)."""

from __future__ import annotations

import json

from ipam_org.cli import main as cli
from tests.conftest import synthesize, with_changes

S3 = {"s3": {"bucket": "org-terraform-state", "key": "ipam/terraform.tfstate", "region": "us-east-1"}}


def empty_plan(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"format_version": "1.2", "resource_changes": []}))
    return path


def test_local_state_is_refused_with_the_fix(reference, tmp_path, capsys):
    assert cli(["review", f"ipam={empty_plan(tmp_path)}", "--require-remote-state", str(reference.outdir)]) == 2
    error = capsys.readouterr().err
    assert "stack ipam keeps its state in a local file" in error and "Set backend.s3" in error


def test_remote_state_passes_for_both_layouts(reference_config, tmp_path, capsys):
    for layout in ("single", "split"):
        out = synthesize(with_changes(reference_config, backend=S3, layout=layout), tmp_path / layout)
        assert cli(["review", f"ipam={empty_plan(tmp_path)}", "--require-remote-state", str(out.outdir)]) == 0
    assert "No changes." in capsys.readouterr().out


def test_a_directory_that_is_not_cdktf_output_is_refused(tmp_path, capsys):
    assert cli(["review", f"ipam={empty_plan(tmp_path)}", "--require-remote-state", str(tmp_path)]) == 2
    assert "not a synthesized cdktf output directory" in capsys.readouterr().err
