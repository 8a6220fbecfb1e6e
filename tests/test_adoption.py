"""Adoption against the IPAM emulator: an IPAM built by hand with boto3 is discovered, the written config is
synthesized, and real Terraform plans imports only (zero changes), applies them, and plans nothing more;
then (single layout) a pool added to the discovered config is exactly what the next deploy adds. Both layouts."""

from __future__ import annotations

import pytest
import yaml

from ipam_org.review.plan import load_plan
from ipam_org.review.render import headline, markdown
from ipam_org.review.risks import risks
from tests.support.handmade import apply, discover, no_changes, reference_like, synth_and_plan
from tests.support.organization import Organization, module_caller

IMPORTS = 17  # delegation, RAM sharing, IPAM, 4 pools, 4 CIDRs, 2 shares, 2 pool attachments, 2 principals


@pytest.mark.parametrize("layout", ["single", "split"])
def test_discover_plan_imports_only_apply_then_nothing_left(emulator, tmp_path, cli_config, layout):
    org = Organization(emulator, tmp_path, cli_config)
    built = reference_like(org)
    written = tmp_path / "discovered.yaml"
    result = discover(org, written)
    assert f"wrote {written}" in result.stdout
    config = yaml.safe_load(written.read_text())
    assert config["adopt"]["ipam"] == built.ipam["IpamId"]
    assert config["pools"][0]["name"] == "corp" and [p["name"] for p in config["pools"][0]["pools"]] == ["euw1", "use1"]
    # the file as discovery wrote it is what the deploy reads
    (tmp_path / "ipam.yaml").write_text(written.read_text() + ("layout: split\n" if layout == "split" else ""))

    plans = synth_and_plan(org)
    loaded = [load_plan(path, stack) for stack, path in plans.items()]
    changes = [c for plan in loaded for c in plan.changes]
    assert headline(changes) == f"{IMPORTS} to import, 0 to add, 0 to change, 0 to replace, 0 to destroy.", [
        (c.address, c.action, c.changed) for c in changes if c.action != "import"
    ]
    assert risks(loaded) == []
    comment = markdown(loaded, [])
    assert f"### 📥 Imports ({IMPORTS})" in comment and "none of them is modified." in comment
    apply(org, plans)
    assert no_changes(org, plans)
    [ipam] = org.ipams()
    assert ipam.id == built.ipam["IpamId"]  # adopted, not rebuilt
    assert set(org.pools()) == {"corp", "use1", "use1-prod", "euw1"}
    if layout == "split":
        return  # the day after adoption is the same in both layouts; once is enough for the suite's time

    # a pool added to the discovered config is all the next deploy adds
    config["pools"][0]["pools"].append({"name": "apse2", "cidrs": ["10.32.0.0/12"]})
    org.write(config)
    plans = synth_and_plan(org)
    changes = [c for stack, path in plans.items() for c in load_plan(path, stack).changes]
    assert sorted((c.action, c.address) for c in changes) == [
        ("create", "aws_vpc_ipam_pool.apse2"),
        ("create", "aws_vpc_ipam_pool_cidr.apse2_10-32-0-0-12"),
    ]
    apply(org, plans)
    assert "apse2" in org.pools() and no_changes(org, plans)


def test_a_terraform_caller_adopts_the_discovered_ipam_into_the_module(emulator, tmp_path, cli_config):
    """The same hand-made IPAM, discovered, then adopted by examples/from-config: `--tfvars` and `--imports` from the
    discovered config, and the plan imports all 17 resources at the module's addresses. The only change it plans is
    the one the stacks avoid with ignore_changes (the provider does not read the allocation lengths back): the
    module's pools cannot ignore them, so it writes the same values once. After the apply, nothing is left to do."""
    org = Organization(emulator, tmp_path, cli_config)
    built = reference_like(org)
    written = tmp_path / "discovered.yaml"
    discover(org, written)
    terraform = module_caller(org, written, "--imports", "imports.tf")
    plan = terraform.plan()
    changes = {c["address"]: c for c in plan["resource_changes"] if c["mode"] == "managed"}
    assert sum("importing" in c["change"] for c in changes.values()) == IMPORTS and len(changes) == IMPORTS
    updated = {
        address: sorted(k for k in c["change"]["after"] if c["change"]["before"].get(k) != c["change"]["after"][k])
        for address, c in changes.items()
        if c["change"]["actions"] != ["no-op"]
    }
    assert updated == {
        'module.ipam.aws_vpc_ipam_pool.level_3["use1-prod"]': [
            "allocation_default_netmask_length",
            "allocation_max_netmask_length",
            "allocation_min_netmask_length",
        ]
    }
    terraform.run("apply", "-input=false", "-no-color", "tfplan")
    assert terraform.run("plan", "-detailed-exitcode", "-no-color", check=False).returncode == 0
    [ipam] = org.ipams()
    assert ipam.id == built.ipam["IpamId"] and set(org.pools()) == {"corp", "use1", "use1-prod", "euw1"}
