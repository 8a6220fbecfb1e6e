"""Deploy for real against the IPAM emulator in the split layout (management, delegated and guardrail stacks):
deployed, re-synthesized (every stack plans no changes) and changed through `npx cdktf deploy '*'`, then handed to
plain `terraform apply` per stack in manifest order (what a CI pipeline runs), which removes the guardrail in its
two steps and tears down. The whole life cycle: tests/support/lifecycle.py."""

from __future__ import annotations

from tests.support.lifecycle import CdktfCli, PlainTerraform, life_cycle


def test_life_cycle_split_through_cdktf_then_terraform(emulator, tmp_path, cli_config):
    life_cycle(emulator, tmp_path, cli_config, "split", CdktfCli, then=PlainTerraform)
