"""Deploy for real against the IPAM emulator in the split layout (management, delegated and guardrail stacks),
through `npx cdktf deploy '*'` (the whole life cycle) and through plain `terraform apply` per stack in manifest
order (deploy, verify, teardown: the second deploy and the change add nothing to what the cdktf run proves, and
their two minutes kept the suite over its time budget)."""
from __future__ import annotations

from tests.support.lifecycle import CdktfCli, PlainTerraform, life_cycle


def test_life_cycle_split_through_cdktf(emulator, tmp_path, cli_config):
    life_cycle(emulator, tmp_path, cli_config, "split", CdktfCli)


def test_deploy_and_teardown_split_through_plain_terraform(emulator, tmp_path, cli_config):
    life_cycle(emulator, tmp_path, cli_config, "split", PlainTerraform, day2=False)
