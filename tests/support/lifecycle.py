"""A life cycle against the IPAM emulator, through `npx cdktf deploy '*'` or plain `terraform apply` per stack in
manifest order: deploy, deploy again (nothing created twice, a refreshed plan shows no changes), a change,
`preflight verify`, the two-step teardown; the organization ends with no IPAM, pool or share. The tests run it
per layout from two files, so that the two pytest workers share the suite's slowest tests; the split one hands
the organization from cdktf to plain Terraform half way."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3

from ipam_org.emulator.moto_server import credentials_for
from tests.conftest import ROOT
from tests.support.organization import (
    ALARMED,
    REFERENCE_POOLS,
    Organization,
    assert_deployed,
    assert_empty,
    changed,
    torn_down,
)
from tests.support.terraform import Terraform, require_tool
from tests.support.usage_proof import check_usage, delete_vpcs, make_vpcs, member_vpc_applied


class CdktfCli:
    """The user's path: `cdktf deploy '*'` (synth included) and `cdktf destroy '*'`."""

    def __init__(self, org: Organization):
        self.org, self.npx = org, require_tool("npx")

    def command(self, verb: str) -> list[str]:
        return [
            self.npx,
            "--no-install",
            "cdktf",
            verb,
            "*",
            "--auto-approve",
            "--skip-provider-lock",
            "--output",
            str(self.org.root / "cdktf.out"),
        ]

    def deploy(self) -> None:
        self.org.run(self.command("deploy"))

    def synth(self) -> None:
        self.org.run([self.npx, "--no-install", "cdktf", "synth", "--output", str(self.org.root / "cdktf.out")])

    def destroy(self) -> None:
        self.org.run(self.command("destroy"))


class PlainTerraform:
    """A pipeline's path: `ipam-org synth`, then the apply workflow's steps, `ipam-org pipeline plan` (every stack in
    order, saved plans) and `ipam-org pipeline apply`. deploy_reviewed: the whole road from pull request to
    production (docs/cicd.md). Destroy: `terraform apply -destroy` per stack, in reverse."""

    def __init__(self, org: Organization):
        self.org, self.runs = org, 0
        org.env["CDKTF_OUTDIR"] = str(org.root / "cdktf.out")

    def stacks(self) -> list[str]:
        manifest = json.loads((self.org.root / "cdktf.out" / "manifest.json").read_text())["stacks"]
        return sorted(manifest, key=lambda s: len(manifest[s]["dependencies"]))  # the management stack first

    def merge_plans(self) -> Path:
        """`ipam-org synth` of the config, then every stack planned as the apply workflow plans on merge."""
        self.runs += 1
        cli(self.org, "synth", "--config", str(self.org.root / "ipam.yaml"))
        return planned(self.org, f"merge-{self.runs}")

    def deploy_reviewed(self, risk: str) -> None:
        """The pull request: every stack planned, the gate fails on the risk until an authorized reviewer accepts
        it after the last push, the plans recorded in the review comment. Between review and merge someone takes
        a member off a share by hand: the merge plans differ, nothing is applied, the review of those plans says
        what changed outside Terraform. The review run again records the new plans; merged, they compare equal and
        are applied (the drift repaired with the change), and `preflight verify` passes."""
        self.runs += 1
        cli(self.org, "synth", "--config", str(self.org.root / "ipam.yaml"))
        pull_request = planned(self.org, f"reviewed-{self.runs}")
        gate = review(self.org, pull_request, "risk")
        assert gate.returncode == 1 and risk in gate.stdout, gate.stdout + gate.stderr
        accepted_after_the_last_push(self.org)
        comment = recorded(self.org, pull_request)

        remove_member_by_hand(self.org)
        moved = planned(self.org, f"drifted-{self.runs}")
        refused = cli(self.org, "pipeline", "compare", "--reviewed", str(comment), "--plans", str(moved), check=False)
        assert refused.returncode == 1 and "Not applied" in refused.stdout, refused.stdout + refused.stderr
        assert "ipam-delegated: the plan differs from the reviewed one" in refused.stdout, refused.stdout
        assert self.org.member not in self.org.shares()["ipam-pool-use1-dev"].principals  # nothing was applied
        assert_drift_described(self.org, moved)

        comment = recorded(self.org, moved)  # the review run again, on the new state
        merge = planned(self.org, f"merge-{self.runs}")
        compared = cli(self.org, "pipeline", "compare", "--reviewed", str(comment), "--plans", str(merge))
        assert "The plans are the ones reviewed at pr-head" in compared.stdout
        self.applied(merge)
        assert self.org.member in self.org.shares()["ipam-pool-use1-dev"].principals
        verified = cli(self.org, "preflight", "verify", "--config", str(self.org.root / "ipam.yaml"))
        assert "FAIL" not in verified.stdout, verified.stdout

    def applied(self, plans: Path) -> None:
        out = str(self.org.root / "cdktf.out")
        applied = cli(self.org, "pipeline", "apply", "--out", out, "--plans", str(plans)).stdout
        assert sorted(applied.strip().removeprefix("applied: ").split(", ")) == sorted(self.stacks()), applied

    def destroy(self) -> None:
        cli(self.org, "synth", "--config", str(self.org.root / "ipam.yaml"))
        for stack in reversed(self.stacks()):
            terraform = self.org.terraform(stack)
            terraform.init()
            terraform.run("apply", "-auto-approve", "-input=false", "-no-color", "-destroy")


def cli(org: Organization, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """`ipam-org <args>` as a pipeline runs it (python -O, as cdktf.json does)."""
    return org.run([sys.executable, "-O", "-m", "ipam_org", *args], check=check)


def planned(org: Organization, name: str) -> Path:
    """`ipam-org pipeline plan`: every stack of cdktf.out planned against its state, refreshed, saved in name/."""
    plans = org.root / name
    cli(org, "pipeline", "plan", "--out", str(org.root / "cdktf.out"), "--plans", str(plans))
    return plans


def review(org: Organization, plans: Path, fail_on: str, *options: str) -> subprocess.CompletedProcess:
    stacks = [f"{plan.stem}={plan}" for plan in sorted(plans.glob("*.json"))]
    return cli(org, "review", *stacks, "--fail-on", fail_on, *options, check=False)


def recorded(org: Organization, plans: Path) -> Path:
    """The review comment of the pull request, carrying the record of plans."""
    comment = org.root / f"comment-{plans.name}.md"
    record = cli(org, "pipeline", "record", "--commit", "pr-head", "--plans", str(plans)).stdout
    comment.write_text("## ipam-org plan review\n" + record)
    return comment


def accepted_after_the_last_push(org: Organization) -> None:
    """`ipam-org pipeline accept` on the pull request's timeline, as plan.yml runs it: refused with no label,
    passed once a listed reviewer adds it after the push."""
    timeline, pushed = org.root / "timeline.json", "2026-12-01T10:00:00Z"
    accept = ["pipeline", "accept", "--timeline", str(timeline), "--last-push", pushed, "--authorized", "alice,bob"]
    timeline.write_text("[]")
    refused = cli(org, *accept, check=False)
    assert refused.returncode == 1 and "no ipam-risk-accepted label" in refused.stdout, refused.stdout
    label = {"name": "ipam-risk-accepted"}
    timeline.write_text(
        json.dumps(
            [{"event": "labeled", "actor": {"login": "alice"}, "label": label, "created_at": "2026-12-01T11:00:00Z"}]
        )
    )
    assert "accepted by alice" in cli(org, *accept).stdout


def remove_member_by_hand(org: Organization) -> None:
    """Drift, as someone in the console makes it: the member account taken off the use1-dev share with boto3."""
    ram = boto3.Session(
        **{k.lower(): v for k, v in credentials_for(org.url, org.ipam_account).items()}, region_name="us-east-1"
    ).client("ram", endpoint_url=org.url)
    share = org.shares()["ipam-pool-use1-dev"]
    ram.disassociate_resource_share(resourceShareArn=share.arn, principals=[org.member])
    assert org.member not in org.shares()["ipam-pool-use1-dev"].principals


def assert_drift_described(org: Organization, plans: Path) -> None:
    """The review of refreshed plans with `--fail-on drift`: exit 1, the removed principal in IPAM terms, and only
    the drift the plan undoes."""
    drift = review(org, plans, "drift")
    assert drift.returncode == 1, drift.stdout + drift.stderr
    assert "### 🔀 Changed outside Terraform (1)" in drift.stdout, drift.stdout
    assert f'deleted outside Terraform: principal {org.member} on the share of pool "use1-dev"' in drift.stdout


def assert_guarded_and_published(org: Organization) -> None:
    """The SCP on the OU names the IDs of exactly the pools shared with it; use1-dev's facts are published and
    shared."""
    pools = org.pools()
    named = {
        v for s in org.guardrail()["Statement"] for v in s["Condition"]["StringNotEquals"].get("ec2:Ipv4IpamPoolId", [])
    }
    assert named == {pools[name].id for name in ("use1-dev", "use1-prod", "euw1")}
    assert org.parameters() == {
        "/ipam-org/pools/use1-dev/id": pools["use1-dev"].id,
        "/ipam-org/pools/use1-dev/arn": pools["use1-dev"].arn,
        "/ipam-org/pools/use1-dev/cidrs": "10.4.0.0/14",
        "/ipam-org/pools/use1-dev/locale": "us-east-1",
    }
    share = org.shares()["ipam-pool-use1-dev"]
    assert sum(":parameter/ipam-org/pools/use1-dev/" in arn for arn in share.resource_arns) == 4


def plan_member_vpc(org: Organization, workdir: Path) -> tuple[Terraform, list[str]]:
    """examples/member-vpc as written, planned by a member account the pool is shared with: it finds the pool by
    name through the shared parameter. An account the share no longer names cannot read it."""
    shutil.copytree(ROOT / "examples" / "member-vpc", workdir)
    variables = [
        "-var",
        "name=app",
        "-var",
        "region=us-east-1",
        "-var",
        "ipam_home_region=us-east-1",
        "-var",
        f"ipam_account_id={org.ipam_account}",
        "-var",
        "pool_name=use1-dev",
    ]
    terraform = Terraform(
        workdir, org.cli_config, {**credentials_for(org.url, org.member), "AWS_ENDPOINT_URL": org.url}
    )
    terraform.init()
    vpc = next(c for c in terraform.plan(*variables)["resource_changes"] if c["address"] == "aws_vpc.this")
    assert vpc["change"]["actions"] == ["create"]
    assert (
        vpc["change"]["after"]["ipv4_ipam_pool_id"] == org.pools()["use1-dev"].id
        and vpc["change"]["after"]["ipv4_netmask_length"] == 24
    )
    outsider = Terraform(
        workdir, org.cli_config, {**credentials_for(org.url, org.other_member), "AWS_ENDPOINT_URL": org.url}
    )
    refused = outsider.run("plan", "-input=false", "-lock=false", "-no-color", *variables, check=False)
    assert refused.returncode != 0 and "couldn't find resource" in refused.stderr, (
        refused.stdout[-3000:] + refused.stderr[-3000:]
    )
    return terraform, variables


def usage_of_member_vpcs(org: Organization, config: dict, workdir: Path) -> None:
    """Member accounts build VPCs (the example applied, boto3), `ipam-org usage` reports them, they go again."""
    terraform, variables = plan_member_vpc(org, workdir)
    member_vpc = member_vpc_applied(terraform, variables)
    made = make_vpcs(org)
    check_usage(org, config, made, member_vpc)
    delete_vpcs(org, made)
    terraform.run("destroy", "-auto-approve", "-input=false", "-no-color", *variables)


def checked_before_deploy(org: Organization) -> None:
    """`preflight check`, as a pipeline runs it before every deploy, passes on what this config deployed, and says
    why (its state holds the IPAM and the delegation)."""
    result = cli(org, "preflight", "check", "--config", str(org.root / "ipam.yaml"))
    assert "FAIL" not in result.stdout, result.stdout
    assert "is this config's own (its state: " in result.stdout and "this config delegated it" in result.stdout


def digests(root: Path) -> dict[Path, str]:
    return {p.relative_to(root): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}


def synths_keep_what_the_deploy_left(org: Organization, deployer: CdktfCli, stacks: list[str]) -> None:
    """Day 2's premise on a real deploy: the state lives beside cdktf.out, never in it, and neither a refused synth
    (main.py with a broken config: exit 2) nor a re-synth (`cdktf synth`) changes a byte of the state or of the
    output the deploy left: the stacks' JSON, each stack's .terraform/, lock file and a plan saved beside them."""
    out, state = org.root / "cdktf.out", org.root / "terraform-state"
    for stack in stacks:
        org.terraform(stack).run("plan", "-input=false", "-refresh=false", "-no-color", "-out=saved.tfplan")
        kept = out / "stacks" / stack
        assert (kept / ".terraform.lock.hcl").is_file() and (kept / ".terraform" / "providers").is_dir(), stack
        assert json.loads((state / f"{stack}.tfstate").read_text())["resources"], "the state holds what was deployed"
    # .terraform/terraform.tfstate records the backend's settings, not resources
    assert not [p for p in out.rglob("*.tfstate") if p.parent.name != ".terraform"], "no state inside the output"
    before = (digests(out), digests(state))

    broken = org.root / "broken.json"
    broken.write_text((org.root / "ipam.yaml").read_text().replace(f'"{org.management_account}"', '"12345"'))
    refused = subprocess.run(
        [sys.executable, "-O", "main.py"],
        cwd=ROOT,
        env={**org.env, "IPAM_CONFIG": str(broken), "CDKTF_OUTDIR": str(out)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert refused.returncode == 2 and "management_account_id" in refused.stderr, refused.stderr
    assert (digests(out), digests(state)) == before, "a refused synth changed the output or the state"
    deployer.synth()
    assert (digests(out), digests(state)) == before, "a re-synth changed the output or the state"


def day_two(
    org: Organization, deployer: CdktfCli, config: dict, stacks: list[str], ipam: Any, redeploy: bool = True
) -> dict:
    """Deploy again (nothing created twice, no changes planned), then a change; returns the changed config.
    redeploy=False: re-synthesize and plan only (the single layout proves the second deploy itself; the split
    layout's three-stack deploy would prove it again at a minute's cost)."""
    if redeploy:
        synths_keep_what_the_deploy_left(org, deployer, stacks)
        deployer.deploy()  # the second deploy: the state survived the re-synth, nothing is created twice
    else:
        deployer.synth()
    assert [i.id for i in org.ipams()] == [ipam.id]
    for stack in stacks:
        assert org.terraform(stack).run("plan", "-detailed-exitcode", "-no-color", check=False).returncode == 0, stack

    checked_before_deploy(org)
    config = changed(config, org)
    org.write(config)
    deployer.deploy()
    checked_before_deploy(org)
    pools = org.pools()
    assert set(pools) == REFERENCE_POOLS | {"apse2"} and pools["apse2"].locale == "ap-southeast-2"
    assert set(pools["corp"].cidrs) == {"10.0.0.0/8", "172.16.0.0/12"}
    assert org.member in org.shares()["ipam-pool-use1-dev"].principals
    assert org.other_member not in org.shares()["ipam-pool-use1-dev"].principals
    assert "ap-southeast-2" in org.ipams()[0].operating_regions
    alarms = org.alarms()
    kinds = ("used", "noncompliant")
    assert set(alarms) == {f"ipam-pool-{p}-{k}" for p in ALARMED["pools"] for k in kinds} | {"ipam-pool-alarms"}
    used = alarms["ipam-pool-apse2-used"]  # the new pool's own ID, read from the apply
    assert [(d.name, d.value) for d in used.dimensions] == [("IpamPoolId", pools["apse2"].id)]
    assert used.threshold == 100 - ALARMED["used_percent"] and used.alarm_actions == [alarms["ipam-pool-alarms"].arn]
    return config


def drift_detected_described_and_repaired(org: Organization) -> None:
    """The drift workflow's path: an account removed from a share by hand is found by a refreshed plan of every
    stack (`ipam-org pipeline plan`) and described by the review in IPAM terms (`--fail-on drift`: exit 1). The
    repair goes the merge path: those plans recorded as reviewed, planned again on merge, compared equal, applied."""
    remove_member_by_hand(org)
    drift = planned(org, "drift")
    assert_drift_described(org, drift)
    comment = recorded(org, drift)
    merge = planned(org, "drift-merge")
    compared = cli(org, "pipeline", "compare", "--reviewed", str(comment), "--plans", str(merge))
    assert "The plans are the ones reviewed at pr-head" in compared.stdout
    cli(org, "pipeline", "apply", "--out", str(org.root / "cdktf.out"), "--plans", str(merge))
    assert org.member in org.shares()["ipam-pool-use1-dev"].principals


def kept_output(org: Organization, name: str) -> Path:
    """A copy of the deployed output without the providers: a pull request's --compare base."""
    shutil.copytree(org.root / "cdktf.out", org.root / name, ignore=shutil.ignore_patterns(".terraform"))
    return org.root / name


def remove_guardrail_in_two_steps(org: Organization, deployer: PlainTerraform, config: dict) -> None:
    """Dropping the guardrail block at once would leave the SCPs attached with no stack to destroy them: the review
    says so and fails the gate. The two steps the review names: no OU (the still-present stack's deploy destroys the
    SCPs: a risk, accepted on the road from pull request to production), then the block goes, which the gate passes.
    The first step is also the teardown's first step (protection off, organization-wide settings let go), so the
    organization is ready for the destroy after the second."""
    guarded = kept_output(org, "guarded.out")  # the output deployed with the SCPs, as plan.yml's --compare base
    no_ou = {"require_ipam_for_vpcs": {**config["guardrails"]["require_ipam_for_vpcs"], "organizational_units": []}}
    emptied = torn_down({**config, "guardrails": no_ou})
    org.write(emptied)
    deployer.deploy_reviewed(risk=f"changes what every account under OU {org.ou} may do")
    assert org.guardrail() == {}  # the SCP is detached and deleted

    emptied_out = kept_output(org, "emptied.out")
    org.write({key: value for key, value in emptied.items() if key != "guardrails"})
    plans, head = deployer.merge_plans(), str(org.root / "cdktf.out")
    # The review finds a stack's departure by comparing outputs: the same plans, with the output that still had the
    # SCPs as the base, are the block dropped at once.
    at_once = review(org, plans, "risk", "--compare", str(guarded), head)
    assert at_once.returncode == 1, at_once.stdout + at_once.stderr
    assert "stack ipam-guardrails leaves the synthesized output while its state manages" in at_once.stdout
    assert "organizational\\_units: \\[\\] and deploy" in at_once.stdout and "**No changes.**" in at_once.stdout
    second = review(org, plans, "risk", "--compare", str(emptied_out), head)
    assert second.returncode == 0, second.stdout + second.stderr
    deployer.applied(plans)


def life_cycle(
    emulator: str, tmp_path: Path, cli_config: Path, layout: str, tool: type, then: type | None = None
) -> None:
    """Deploy, deploy again, change, verify and tear down with tool; then: a second tool that takes over the same
    organization and state after the change (the guardrail's two steps and the teardown), as a team moving from
    `cdktf deploy` to a pipeline that applies each stack with Terraform would."""
    org = Organization(emulator, tmp_path, cli_config)
    deployer = tool(org)
    config = org.config(layout)
    org.write(config)
    deployer.deploy()
    ipam = assert_deployed(org, REFERENCE_POOLS)
    assert sorted(org.shares()["ipam-pool-use1-dev"].principals) == sorted(
        [f"arn:aws:organizations::{org.management_account}:ou/{org.id}/{org.ou}", org.member, org.other_member]
    )
    assert_guarded_and_published(org)
    stacks = ["ipam"] if layout == "single" else ["ipam-management", "ipam-delegated", "ipam-guardrails"]
    assert sorted(p.name for p in (tmp_path / "terraform-state").iterdir()) == sorted(f"{s}.tfstate" for s in stacks)

    config = day_two(org, deployer, config, stacks, ipam, redeploy=layout == "single")
    if then is not None:  # the review in remove_guardrail_in_two_steps plans every stack: "No changes" from here on
        deployer = then(org)

    result = cli(org, "preflight", "verify", "--config", str(tmp_path / "ipam.yaml"))
    assert "FAIL" not in result.stdout and result.stdout.count("PASS") >= 10, result.stdout
    assert "guardrail on " in result.stdout and 'parameters of pool "use1-dev"' in result.stdout
    # the alarms are as configured; the emulator publishes no AWS/IPAM metrics, so verify says they have no data yet
    assert (
        'WARN     alarms on pool "apse2": ipam-pool-apse2-used: IPAM has published no PercentAvailable' in result.stdout
    )
    if layout == "single":  # drift, the member accounts' side and the usage report: the layout changes nothing there
        drift_detected_described_and_repaired(org)
        usage_of_member_vpcs(org, config, tmp_path / "member-vpc")
        org.write(torn_down(config))
        deployer.deploy()  # lifts prevent_destroy, forgets RAM sharing with the organization
    else:
        remove_guardrail_in_two_steps(org, deployer, config)  # its first step is the teardown's first step
    deployer.destroy()
    assert_empty(org)
