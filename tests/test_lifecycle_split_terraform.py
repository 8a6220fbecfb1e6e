"""The split layout through plain `terraform apply` per stack in manifest order: deploy, verify, teardown. The
second deploy and the change add nothing to what the cdktf run proves (test_lifecycle_split.py), and their two
minutes kept the suite over its time budget."""

from __future__ import annotations

from tests.support.lifecycle import PlainTerraform, life_cycle


def test_deploy_and_teardown_split_through_plain_terraform(emulator, tmp_path, cli_config):
    life_cycle(emulator, tmp_path, cli_config, "split", PlainTerraform, day2=False)
