"""The module refuses, at plan, every invalid config whose mistake its inputs can express: each case in
tests/configs/invalid is refused by the variable validations it names, or accounted for with the reason the module
never sees it. Variable validations need no provider, so the cases run against the module's variables.tf alone:
0.2 s a case, where the whole module with mocked providers takes 1.6 s a run."""

from __future__ import annotations

import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.module_cases import (
    EXPECTED_FAILURES,
    HCL_ONLY_CASES,
    INVALID,
    MODULE,
    NOT_MODULE_INPUTS,
    PRECONDITION_CASES,
    TARGET,
    TYPE_LEVEL,
    cases,
    render,
    run_name,
)
from tests.support.terraform import Terraform

RULE = re.compile(r"This was checked by the validation rule at variables\.tf:(\d+),")


def test_every_invalid_case_is_accounted_for():
    every = {path.stem for path in INVALID.glob("*.yaml")}
    refused = set(cases()) - set(HCL_ONLY_CASES)
    groups = [refused, set(NOT_MODULE_INPUTS), set(TYPE_LEVEL), set(PRECONDITION_CASES)]
    assert sum(len(group) for group in groups) == len(every) and set().union(*groups) == every
    assert len(refused) >= 80
    module_tests = (MODULE / "tests" / "module.tftest.hcl").read_text()
    for case in PRECONDITION_CASES:
        assert f'run "{run_name(case)}"' in module_tests


def test_the_committed_validation_runs_are_current():
    assert TARGET.read_text() == render(), "run: pipenv run python -m tests.support.module_cases --write"


@pytest.fixture(scope="module")
def variables_only(tmp_path_factory, cli_config) -> Terraform:
    root = tmp_path_factory.mktemp("variables-only")
    shutil.copy(MODULE / "variables.tf", root / "variables.tf")
    terraform = Terraform(root, cli_config)
    terraform.init()
    return terraform


@pytest.fixture(scope="module")
def refusals(variables_only, tmp_path_factory) -> dict[str, list[dict]]:
    """Each case planned with its variables: the error diagnostics."""
    directory = tmp_path_factory.mktemp("cases")

    def plan(item: tuple[str, dict]) -> tuple[str, list[dict]]:
        name, variables = item
        path = directory / f"{name}.tfvars.json"
        path.write_text(json.dumps(variables))
        result = variables_only.run("plan", "-json", "-input=false", "-lock=false", f"-var-file={path}", check=False)
        lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
        return name, [
            line["diagnostic"]
            for line in lines
            if line.get("type") == "diagnostic" and line["diagnostic"]["severity"] == "error"
        ]

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(plan, cases().items()))


def variable_of_rule() -> dict[int, str]:
    """Each line of variables.tf, by the variable block it is in."""
    found, current = {}, None
    for number, line in enumerate((MODULE / "variables.tf").read_text().splitlines(), start=1):
        declared = re.match(r'variable "(\w+)"', line)
        current = f"var.{declared[1]}" if declared else current
        found[number] = current
    return found


def test_each_case_is_refused_by_the_validations_it_names(refusals):
    owner = variable_of_rule()
    wrong = {}
    for name, diagnostics in refusals.items():
        assert diagnostics, f"{name}: the module accepted it"
        assert {d["summary"] for d in diagnostics} == {"Invalid value for variable"}, f"{name}: {diagnostics}"
        failed = sorted({owner[int(line)] for d in diagnostics for line in RULE.findall(d["detail"])})
        if failed != sorted(EXPECTED_FAILURES.get(name, ["var.pools"])):
            wrong[name] = failed
    assert not wrong, f"these cases fail other variables than EXPECTED_FAILURES says: {wrong}"


def test_messages_name_the_pool_and_field_as_the_config_does(refusals):
    details = {name: " ".join(d["detail"] for d in diagnostics) for name, diagnostics in refusals.items()}
    assert (
        'pools["use1-prod"].cidrs[0]: 10.32.0.0/14 is not inside parent pool "use1" (10.0.0.0/12)'
        in details["child-outside-parent"]
    )
    assert (
        'pools["use1-b"].cidrs[0]: 10.8.0.0/13 overlaps sibling pool "use1" (10.0.0.0/12)' in details["sibling-overlap"]
    )
    assert (
        'pools["corp"].cidrs[1]: 10.1.0.0/16 overlaps 10.0.0.0/8 in the same pool' in details["overlap-within-one-pool"]
    )
    assert 'the parent chain of "l11" is longer than 10 levels' in details["depth-eleven"]
    assert (
        "10.0.0.1/12 has host bits set or is not spelled canonically; write 10.0.0.0/12"
        in details["cidr-host-bits-set"]
    )
    assert (
        'pools["eips"].cidr_authorization_contexts["198.51.100.0/24"].message: expired on 20201231'
        in details["byoip-authorization-expired"]
    )
    assert (
        "ipam_account_id must be a member account, not the management account" in details["ipam-account-is-management"]
    )


def test_every_validation_rule_refuses_some_case(refusals):
    """A rule no case reaches is untested: every `validation` block of variables.tf must fire for at least one case."""
    lines = (MODULE / "variables.tf").read_text().splitlines()
    rules = {index + 1 for index, line in enumerate(lines) if line.strip() == "validation {"}
    fired = {
        int(match) for diagnostics in refusals.values() for d in diagnostics for match in RULE.findall(d["detail"])
    }
    assert rules - fired == set(), [lines[rule] for rule in sorted(rules - fired)]
    assert len(fired) >= 35


def test_terraform_test_runs_the_invalid_inputs(variables_only):
    """The module's generated test file, as `terraform test` runs it (without the mocked providers it declares for
    the whole module)."""
    text = re.sub(r'mock_provider "aws" \{\n  alias = "\w+"\n\}\n', "", TARGET.read_text())
    (variables_only.workdir / "tests").mkdir(exist_ok=True)
    (variables_only.workdir / "tests" / TARGET.name).write_text(text)
    result = variables_only.run("test", "-no-color", check=False)
    assert f"Success! {len(cases())} passed, 0 failed." in result.stdout, result.stdout[-3000:]
