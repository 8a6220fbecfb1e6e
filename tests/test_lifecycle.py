"""Deploy for real against the IPAM emulator in the single layout, through `npx cdktf deploy '*'` and through
plain `terraform apply` (the life cycle itself: tests/support/lifecycle.py; the split layout: its own file)."""
from __future__ import annotations

import pytest

from tests.support.lifecycle import CdktfCli, PlainTerraform, life_cycle


@pytest.mark.parametrize("tool", [CdktfCli, PlainTerraform], ids=["cdktf", "terraform"])
def test_life_cycle_single(emulator, tmp_path, cli_config, tool):
    life_cycle(emulator, tmp_path, cli_config, "single", tool)
