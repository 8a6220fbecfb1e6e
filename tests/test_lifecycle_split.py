"""Deploy for real against the IPAM emulator in the split layout (management and delegated stacks), through
`npx cdktf deploy '*'` and through plain `terraform apply` per stack in manifest order."""
from __future__ import annotations

import pytest

from tests.support.lifecycle import CdktfCli, PlainTerraform, life_cycle


@pytest.mark.parametrize("tool", [CdktfCli, PlainTerraform], ids=["cdktf", "terraform"])
def test_life_cycle_split(emulator, tmp_path, cli_config, tool):
    life_cycle(emulator, tmp_path, cli_config, "split", tool)
