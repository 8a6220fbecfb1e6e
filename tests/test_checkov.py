"""checkov (IaC scanner, in its own environment under tools/checkov) passes every synthesized stack."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import guarded, synthesize

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def checkov() -> str:
    env = {**os.environ, "PIPENV_PIPFILE": str(ROOT / "tools" / "checkov" / "Pipfile"), "PIPENV_VERBOSITY": "-1"}
    pipenv = shutil.which("pipenv")
    venv = subprocess.run([pipenv, "--venv"], env=env, capture_output=True, text=True) if pipenv else None
    binary = Path(venv.stdout.strip()) / "bin" / "checkov" if venv and venv.returncode == 0 else None
    if binary is None or not binary.exists():
        message = "checkov's environment is missing: run bash tools/install"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return str(binary)


POLICIES = ROOT / "tools" / "checkov" / "policies"
# as the workflow skips them: published pool IDs are Strings, not secrets (a shared SecureString needs a CMK); the
# alarms' topic cannot use the AWS managed SNS key (CloudWatch cannot publish under it)
SKIPPED = "CKV2_AWS_34,CKV_AWS_26"


def scan(checkov: str, directory: Path) -> dict:
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE"}  # offline: no guideline download
    result = subprocess.run(
        [
            checkov,
            "-d",
            str(directory),
            "--framework",
            "terraform_json",
            "--skip-download",
            "-o",
            "json",
            "--external-checks-dir",
            str(POLICIES),
            "--skip-check",
            SKIPPED,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert report["check_type"] == "terraform_json"
    assert report["summary"]["parsing_errors"] == 0
    return report


def scanned(report: dict, stack: str) -> set[str]:
    """checkov's terraform_json names a resource `resource.<name>` (no type) and reports resource_count 0
    whatever it scans, so coverage is read from the checks that ran, per stack directory."""
    return {
        c["resource"]
        for kind in ("passed_checks", "failed_checks")
        for c in report["results"].get(kind, [])
        if c["file_path"] == f"/{stack}/cdk.tf.json"
    }


def failed(report: dict) -> set[tuple[str, str]]:
    return {(c["check_id"], c["resource"]) for c in report["results"].get("failed_checks", [])}


def test_every_resource_of_every_synthesized_stack_is_scanned_and_passes(
    checkov, reference, split_reference, reference_config, tmp_path
):
    guarded_split = synthesize(
        guarded(reference_config, layout="split", monitoring={"emails": ["ops@example.com"]}), tmp_path / "synth"
    )  # the guardrail stack, published parameters, alarms
    stacks = {
        "single": reference.stack("ipam"),
        "management": guarded_split.stack("ipam-management"),
        "delegated": split_reference.stack("ipam-delegated"),
        "delegated-guarded": guarded_split.stack("ipam-delegated"),
        "guardrails": guarded_split.stack("ipam-guardrails"),
    }
    for name, stack in stacks.items():  # one checkov run for all of them (each run starts checkov's ~2,000 checks)
        (tmp_path / "scan" / name).mkdir(parents=True)
        (tmp_path / "scan" / name / "cdk.tf.json").write_text(json.dumps(stack))
    report = scan(checkov, tmp_path / "scan")
    assert failed(report) == set()
    for name, stack in stacks.items():
        resources = {f"resource.{n}" for by_name in stack["resource"].values() for n in by_name}
        assert resources and resources | {"provider.aws"} == scanned(report, name), name


def broken(stack: dict) -> dict:
    """The reference stack with each invariant broken once, as a user's hand edit would."""
    resource = stack["resource"]
    resource["aws_ram_resource_share"]["euw1_share"]["allow_external_principals"] = True
    del resource["aws_vpc_ipam_pool"]["corp"]["lifecycle"]
    resource["aws_ram_sharing_with_organization"]["ram_sharing"]["lifecycle"] = {"prevent_destroy": False}
    resource["aws_ram_principal_association"]["use1-dev_share_333333333333"]["principal"] = (
        "arn:aws:iam::999999999999:root"
    )
    resource["aws_ram_resource_association"]["euw1_share_pool"]["resource_arn"] = "${aws_vpc_ipam.ipam.arn}"
    alarm = {
        "alarm_name": "ipam-pool-corp-used",
        "namespace": "AWS/IPAM",
        "metric_name": "PercentAvailable",
        "dimensions": {"IpamPoolId": "${aws_vpc_ipam_pool.corp.id}"},
        "comparison_operator": "LessThanOrEqualToThreshold",
        "threshold": 20,
        "evaluation_periods": 1,
        "period": 3600,
        "statistic": "Minimum",
        "alarm_actions": [],  # notifies no one
    }
    resource["aws_cloudwatch_metric_alarm"] = {
        "corp_alarm-used": alarm,
        "euw1_alarm-used": {  # a dimension IPAM's pool metrics lack: never any data
            **alarm,
            "dimensions": {"IpamPoolId": "${aws_vpc_ipam_pool.euw1.id}", "Region": "us-east-1"},
            "alarm_actions": ["arn:aws:sns:us-east-1:222222222222:alerts"],
        },
    }
    resource["aws_sns_topic"] = {
        "ipam_alarms": {
            "name": "ipam-pool-alarms",
            "policy": json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sns:Subscribe"}]}),
        }
    }
    resource["aws_sns_topic_subscription"] = {  # pool data sent to an endpoint outside
        "ipam_alarms_hook": {"topic_arn": "${aws_sns_topic.ipam_alarms.arn}", "protocol": "https", "endpoint": "x"}
    }
    management = next(p for p in stack["provider"]["aws"] if p["alias"] == "management")
    del management["allowed_account_ids"]
    management.update(access_key="AKIAIOSFODNN7EXAMPLE", secret_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    return stack


def test_the_guardrail_policy_fires_on_a_widened_scp_or_a_root_attachment(checkov, reference_config, tmp_path):
    stack = synthesize(guarded(reference_config, layout="split"), tmp_path / "synth").stack("ipam-guardrails")
    [policy] = stack["resource"]["aws_organizations_policy"].values()
    policy["content"] = policy["content"].replace('"Action":"ec2:CreateVpc"', '"Action":"ec2:*"', 1)
    [attachment] = stack["resource"]["aws_organizations_policy_attachment"].values()
    attachment["target_id"] = "r-ab12"
    (tmp_path / "cdk.tf.json").write_text(json.dumps(stack))
    assert failed(scan(checkov, tmp_path)) == {
        ("CKV_IPAMORG_7", "resource.guardrail_ou-ab12-11111111"),
        ("CKV_IPAMORG_7", "resource.guardrail_ou-ab12-11111111_attachment"),
    }


def test_each_policy_fires_on_the_invariant_it_guards(checkov, reference, tmp_path):
    (tmp_path / "cdk.tf.json").write_text(json.dumps(broken(reference.stack("ipam"))))
    assert failed(scan(checkov, tmp_path)) == {
        ("CKV_IPAMORG_1", "resource.euw1_share"),
        ("CKV_IPAMORG_2", "resource.corp"),
        ("CKV_IPAMORG_3", "resource.ram_sharing"),
        ("CKV_IPAMORG_4", "provider.aws"),
        ("CKV_IPAMORG_5", "resource.use1-dev_share_333333333333"),
        ("CKV_IPAMORG_6", "resource.euw1_share_pool"),
        ("CKV_IPAMORG_8", "resource.corp_alarm-used"),
        ("CKV_IPAMORG_8", "resource.euw1_alarm-used"),
        ("CKV_IPAMORG_9", "resource.ipam_alarms"),
        ("CKV_IPAMORG_9", "resource.ipam_alarms_hook"),
        ("CKV_AWS_41", "provider.aws"),  # checkov's own provider check still runs beside ours
    }
