"""Deploy for real against the IPAM emulator in the single layout, through `npx cdktf deploy '*'` (the life
cycle itself: tests/support/lifecycle.py; the split layout, through cdktf and through plain `terraform apply`
per stack: its own file). Plain Terraform on the single stack adds nothing the split run does not prove, and
its two and a half minutes kept the suite over its time budget."""

from __future__ import annotations

from tests.support.lifecycle import CdktfCli, life_cycle


def test_life_cycle_single(emulator, tmp_path, cli_config):
    life_cycle(emulator, tmp_path, cli_config, "single", CdktfCli)
