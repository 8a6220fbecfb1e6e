"""Shared fixtures: each synthesized app and each Terraform run is built once per test module or session."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import botocore.session
import pytest

from ipam_org import lean_bindings
from ipam_org.config.loader import load_config
from ipam_org.config.model import Config
from ipam_org.emulator.moto_server import credentials_for, moto_server
from tests.support.terraform import write_cli_config

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "ipam.yaml"
MANAGEMENT_ACCOUNT = "111111111111"


@dataclass
class Synth:
    """A synthesized output directory, read back as parsed JSON."""

    outdir: Path

    @property
    def manifest(self) -> dict[str, Any]:
        return json.loads((self.outdir / "manifest.json").read_text())

    def stack_text(self, name: str) -> str:
        return (self.outdir / "stacks" / name / "cdk.tf.json").read_text()

    def stack(self, name: str) -> dict[str, Any]:
        return json.loads(self.stack_text(name))

    def resources(self, name: str, kind: str) -> dict[str, Any]:
        return self.stack(name)["resource"].get(kind, {})


def synthesize(config: Config, outdir: Path) -> Synth:
    from ipam_org.stacks import build_app  # the bindings load once per test process

    build_app(config, str(outdir)).synth()
    return Synth(outdir)


def with_changes(config: Config, **changes: Any) -> Config:
    return Config.model_validate({**config.model_dump(exclude_unset=True), **changes})


GUARDED_OU = (
    "ou-ab12-11111111"  # the reference config shares use1-dev with it, use1-prod and euw1 with the organization
)


def guarded(config: Config, publish: tuple[str, ...] = ("use1-dev",), **changes: Any) -> Config:
    """The config with the guardrail on GUARDED_OU (one more exempt account) and the named pools published."""
    data = {**config.model_dump(exclude_unset=True), **changes}

    def mark(pools: list[dict[str, Any]]) -> None:
        for pool in pools:
            if pool["name"] in publish:
                pool["share"] = {**pool["share"], "publish": True}
            mark(pool.get("pools", []))

    mark(data["pools"])
    data["guardrails"] = {
        "require_ipam_for_vpcs": {"organizational_units": [GUARDED_OU], "exempt_accounts": ["444444444444"]}
    }
    return Config.model_validate(data)


# The slowest files first. xdist (--dist loadfile) hands whole files to the three workers in collection order,
# so a long file collected last would run alone at the end while the others idle. Only with
# --no-loadscope-reorder (pytest.ini): by default xdist 3.8 reorders files by their number of tests, which put
# the one- and two-test life-cycle files last. xdist starts each worker with two files: the fourth file waits
# behind the slowest one (the split life cycle, 250-440 s), so it is a file of quick unit tests; otherwise the
# 170 s of test_lifecycle_edges.py waited there: 728 s for the suite instead of 569 s (docs/test-time.md).
SLOWEST_FIRST = [
    "test_lifecycle_split.py",
    "test_review_scenarios.py",
    "test_lifecycle.py",
    "test_addresses.py",
    "test_lifecycle_edges.py",
    "test_quickstart.py",
    "test_adoption.py",
    "test_review_tier_and_split.py",
    "test_review_guardrails.py",
    "test_guardrails.py",
    "test_module_export.py",
    "test_module_equivalence.py",
    "test_cdktf_app.py",
    "test_scopes.py",
    "test_module_validation.py",
    "test_ipam_emulator.py",
]


def pytest_configure(config: pytest.Config) -> None:
    lean_bindings.install()  # as `ipam-org synth` does: before any test module imports the CDKTF bindings
    # Terraform starts the AWS provider (a Go program) about five times per plan; most of each start is building
    # its schema. Collecting its garbage less often cuts the CPU of a plan by a fifth, for about 0.5 GB more
    # memory per provider (docs/test-time.md). Inherited by every terraform and cdktf the tests run.
    os.environ.setdefault("GOGC", "400")
    # cdktf points every `terraform init` at one shared plugin cache; two workers' cdktf deploys installing the
    # provider into it at once made one init fail ("still not detected in .terraform/providers"). The provider comes
    # from the filesystem mirror anyway: each init links it.
    os.environ.setdefault("CDKTF_DISABLE_PLUGIN_CACHE_ENV", "true")
    share_botocore_loader()


def share_botocore_loader() -> None:
    """One botocore loader for the test process. Each boto3 Session makes its own and parses a service's JSON model
    again for its first client (EC2's: 0.4 s of CPU); the tests and the code they run in-process make a session per
    account, Region and organization, hundreds in all. The loader only reads botocore's data files and caches what
    it read, so sharing it changes no answer (docs/test-time.md)."""
    create = botocore.session.create_loader
    botocore.session.create_loader = functools.cache(create)


# Each test's tier, from the fixtures it uses: `pytest -m unit` is the inner loop (no Terraform, no emulator).
TIERS = {"emulator": {"emulator", "org_server", "org"}, "terraform": {"cli_config", "checkov", "site"}}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        item.add_marker(next((tier for tier, fixtures in TIERS.items() if used & fixtures), "unit"))
    rank = {name: position for position, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order


SKIPPED: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        SKIPPED.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI a skip is a failure: a missing tool must not turn the Terraform and emulator tests green."""
    if os.environ.get("CI") and SKIPPED and exitstatus == 0:
        print(f"\nerror: {len(SKIPPED)} tests skipped with CI set (first: {SKIPPED[0]}); CI must run every test")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def reference_config() -> Config:
    return load_config(REFERENCE)


@pytest.fixture(scope="session")
def reference(reference_config: Config, tmp_path_factory: pytest.TempPathFactory) -> Synth:
    return synthesize(reference_config, tmp_path_factory.mktemp("reference"))


@pytest.fixture(scope="session")
def split_reference(reference_config: Config, tmp_path_factory: pytest.TempPathFactory) -> Synth:
    return synthesize(with_changes(reference_config, layout="split"), tmp_path_factory.mktemp("split"))


@pytest.fixture(scope="session")
def cli_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Terraform's CLI config for the tests: the provider from a mirror of launchers (tests/support/terraform.py)."""
    return write_cli_config(tmp_path_factory.mktemp("terraform-cli"))


@pytest.fixture(scope="session")
def sts() -> Iterator[str]:
    """moto on loopback: STS and IAM for the providers' account checks and role assumption."""
    with moto_server() as url:
        yield url


@pytest.fixture(scope="module")
def emulator() -> Iterator[str]:
    """The IPAM emulator (moto plus EC2 IPAM), once per test module; each test builds its own organization."""
    from ipam_org.emulator.server import emulator as start

    with start() as url:
        yield url


@pytest.fixture(scope="session")
def management_credentials(sts: str) -> dict[str, str]:
    return credentials_for(sts, MANAGEMENT_ACCOUNT)


@pytest.fixture(scope="module")
def org_server() -> Iterator[str]:
    """moto for the preflight tests, once per test module; each test empties it (`org`)."""
    from tests.support.preflight_organization import organizations_server

    with organizations_server() as url:
        yield url


@pytest.fixture
def org(org_server: str) -> Any:
    from tests.support.preflight_organization import fresh_organization

    return fresh_organization(org_server)
