"""examples/cdktf-app: a platform repo's CDKTF app installs ipam-org from a pinned git reference and puts two IPAMs
inside its own constructs in one stack; synthesized, validated and planned offline with real Terraform.

The package is installed from this repository's HEAD commit (a clean clone in CI), as the example's
requirements.txt pins it, with the test environment's cdktf and provider bindings as its dependencies."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.support.terraform import after, configured, offline_terraform, require_tool

EXAMPLE = ROOT / "examples" / "cdktf-app"
STACK = "platform-network"
REFERENCE = re.compile(r"\$\{(aws_[a-z0-9_]+)\.([^.}]+)\.[a-z0-9_]+\}")


def pinned_requirement() -> str:
    """The example's requirement, pointed at this repository and its HEAD commit instead of the placeholder fork."""
    [line] = [
        line for line in (EXAMPLE / "requirements.txt").read_text().splitlines() if line and not line.startswith("#")
    ]
    match = re.fullmatch(r"ipam-org @ git\+(?P<url>\S+)@(?P<ref>[0-9a-f]{40})", line)
    assert match, f"requirements.txt must pin ipam-org to a commit: {line}"
    head = subprocess.run(
        [require_tool("git"), "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    return f"ipam-org @ git+file://{ROOT}@{head}"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(target),
            pinned_requirement(),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return target


def app_env(site: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(site), "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}


def test_the_package_installs_one_top_level_name(site, tmp_path):
    names = {path.name for path in site.iterdir()}
    assert {n for n in names if not n.endswith(".dist-info")} == {"ipam_org", "bin"}  # bin: the ipam-org console script
    assert (site / "bin" / "ipam-org").is_file()
    probe = (
        "import importlib.util as u; print(u.find_spec('config'), u.find_spec('modules'), "
        "u.find_spec('ipam_org.modules') is not None)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=app_env(site), capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["None", "None", "True"]
    version = subprocess.run(
        [str(site / "bin" / "ipam-org"), "--version"], env=app_env(site), capture_output=True, text=True, check=True
    )
    assert version.stdout.strip().startswith("ipam-org ")


@pytest.fixture(scope="module")
def synthesized(site, tmp_path_factory) -> tuple[Path, dict]:
    app = tmp_path_factory.mktemp("platform-repo") / "cdktf-app"
    shutil.copytree(EXAMPLE, app)
    result = subprocess.run(
        [sys.executable, "main.py"], cwd=app, env=app_env(site), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return app, json.loads((app / "cdktf.out" / "stacks" / STACK / "cdk.tf.json").read_text())


def test_two_nested_ipams_in_one_stack_get_their_own_addresses(synthesized):
    _, stack = synthesized
    resources = stack["resource"]
    assert (
        len(resources["aws_vpc_ipam"]) == 2
        and len(resources["aws_vpc_ipam_pool"]) == 6
        and len(resources["aws_s3_bucket"]) == 2
    )
    for kind in (
        "aws_vpc_ipam",
        "aws_vpc_ipam_pool",
        "aws_vpc_ipam_organization_admin_account",
        "aws_ram_sharing_with_organization",
    ):
        owners = sorted(name.split("_", 1)[0] for name in resources[kind])
        assert owners == sorted(["production", "sandbox"] * (len(resources[kind]) // 2)), (kind, list(resources[kind]))
    corps = {name: body for name, body in resources["aws_vpc_ipam_pool"].items() if body["tags"]["Name"] == "corp"}
    assert len(corps) == 2 and {b["ipam_scope_id"] for b in corps.values()} == {
        f"${{aws_vpc_ipam.{name}.private_default_scope_id}}" for name in resources["aws_vpc_ipam"]
    }


def test_every_reference_names_a_resource_of_the_same_instance(synthesized):
    """References are cdktf tokens resolved at synth: each names a resource that exists, in the same
    NetworkFoundation."""
    _, stack = synthesized
    resources, found = stack["resource"], 0
    for by_name in resources.values():
        for name, body in by_name.items():
            targets = REFERENCE.findall(json.dumps(body)) + [tuple(d.split(".")) for d in body.get("depends_on", [])]
            for target_kind, target in targets:
                assert target in resources.get(target_kind, {}), (name, target_kind, target)
                assert target.split("_", 1)[0] == name.split("_", 1)[0], (name, target)
                found += 1
    regional = next(
        b
        for b in resources["aws_vpc_ipam_pool"].values()
        if b["tags"]["Name"] == "corp-eu-west-1" and b["provider"].startswith("aws.sandbox")
    )
    assert regional["source_ipam_pool_id"].startswith("${aws_vpc_ipam_pool.sandbox_ipam_corp_")
    # per instance: 14 references (scopes, source pools, pool IDs, share and pool ARNs) and 5 depends_on entries
    assert found == 2 * (14 + 5)


def test_the_app_validates_and_plans_with_real_terraform(synthesized, cli_config, sts, management_credentials):
    app, stack = synthesized
    terraform = offline_terraform(app / "plan", stack, cli_config, sts, management_credentials)
    plan = terraform.plan()
    planned = after(plan)
    assert (
        len([c for c in plan["resource_changes"] if c["change"]["actions"] == ["create"]])
        == len(planned)
        == 2 * (1 + 1 + 1 + 3 + 3 + 2 * 3 + 1)
    )
    delegations = {
        b["delegated_admin_account_id"]
        for a, b in planned.items()
        if a.startswith("aws_vpc_ipam_organization_admin_account.")
    }
    assert delegations == {"222222222222", "666666666666"}
    for address, resource in configured(plan).items():
        if address.startswith("aws_vpc_ipam."):  # each IPAM waits for its own delegation
            [dependency] = resource["depends_on"]
            assert (
                dependency.startswith("aws_vpc_ipam_organization_admin_account.")
                and dependency.split(".")[1].split("_")[0] == address.split(".")[1].split("_")[0]
            )
