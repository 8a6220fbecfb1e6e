"""Deploy for real against the IPAM emulator in the split layout (management, delegated and guardrail stacks),
through `npx cdktf deploy '*'`: the whole life cycle (tests/support/lifecycle.py). Plain `terraform apply` per
stack: test_lifecycle_split_terraform.py, a file of its own so that the two workers can run both at once."""

from __future__ import annotations

from tests.support.lifecycle import CdktfCli, life_cycle


def test_life_cycle_split_through_cdktf(emulator, tmp_path, cli_config):
    life_cycle(emulator, tmp_path, cli_config, "split", CdktfCli)
