"""`ipam-org preflight teardown` (what `npm run destroy` runs before `cdktf destroy`): it refuses a config that is not
a teardown config, and one whose first step is not deployed yet, with the two steps; it passes a deployed first step."""

from __future__ import annotations

import json

import yaml

from ipam_org.cli import main
from tests.conftest import REFERENCE


def write(tmp_path, teardown: bool, protect_in_state: bool | None):
    config = yaml.safe_load(REFERENCE.read_text())
    if teardown:
        config |= {"protect": False, "teardown": {"undelegate": True}}
    path = tmp_path / "ipam.yaml"
    path.write_text(yaml.safe_dump(config))
    if protect_in_state is not None:  # the state the last deploy wrote, with the stack's `protect` output
        state = tmp_path / "terraform-state" / "ipam.tfstate"
        state.parent.mkdir()
        state.write_text(json.dumps({"version": 4, "outputs": {"protect": {"value": protect_in_state}}}))
    return path


def run(capsys, path) -> tuple[int, str]:
    status = main(["preflight", "teardown", "--config", str(path)])
    return status, capsys.readouterr().out


def test_a_config_that_is_not_a_teardown_config_is_refused_with_the_two_steps(tmp_path, capsys):
    status, out = run(capsys, write(tmp_path, teardown=False, protect_in_state=True))
    assert status == 1 and "FAIL     teardown: the config is not a teardown config" in out
    assert "a teardown is two steps. 1: add to the config `protect: false`" in out and "2: npm run destroy" in out


def test_a_teardown_config_not_deployed_yet_is_refused(tmp_path, capsys):
    status, out = run(capsys, write(tmp_path, teardown=True, protect_in_state=True))
    assert status == 1 and "the deployed state still protects its resources" in out and "ipam.tfstate" in out


def test_a_deployed_first_step_passes(tmp_path, capsys):
    status, out = run(capsys, write(tmp_path, teardown=True, protect_in_state=False))
    assert status == 0 and "PASS     teardown: step 1 is deployed" in out and "undelegates the IPAM account" in out
