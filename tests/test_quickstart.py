"""The README's "Try it without AWS", run exactly as written: its shell blocks, read with a CommonMark parser, in a
copy of the repository's tracked files. The first block (the emulator) runs in the background as a user's first
terminal; the others run in order in one shell, as the second. So the README cannot drift from what works."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
from markdown_it import MarkdownIt

from tests.conftest import ROOT
from tests.support.terraform import require_tool

SECTION = "Try it without AWS"


def blocks() -> list[str]:
    """The sh blocks of the README's section, in order."""
    tokens = MarkdownIt("commonmark").parse((ROOT / "README.md").read_text())
    found, inside = [], False
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inside = tokens[index + 1].content == SECTION if token.tag == "h2" else inside
        elif inside and token.type == "fence" and token.info == "sh":
            found.append(token.content)
    return found


def copy_of_the_repository(target: Path) -> Path:
    tracked = subprocess.run(
        [require_tool("git"), "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    (target / "node_modules").symlink_to(ROOT / "node_modules")  # `npm ci` done once for the suite
    return target


def test_the_readme_quick_start_deploys_reviews_and_tears_down(tmp_path, cli_config):
    emulator_block, *second_terminal = blocks()
    assert emulator_block.strip() == "pipenv run ipam-org emulator" and len(second_terminal) == 3
    repo = copy_of_the_repository(tmp_path / "ipam-org")
    environment = {
        **os.environ,
        # pipenv runs in the suite's own environment, as `pipenv sync` made it (under `pipenv run pytest` it would
        # otherwise make a new one for the copy's directory)
        "WORKON_HOME": str(Path(sys.prefix).parent),
        "PIPENV_CUSTOM_VENV_NAME": Path(sys.prefix).name,
        "PIPENV_VERBOSITY": "-1",
        "TF_CLI_CONFIG_FILE": str(cli_config),  # offline: the provider from the filesystem mirror
        "CHECKPOINT_DISABLE": "1",
    }
    for name in (
        "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "IPAM_CONFIG",
        "PIPENV_ACTIVE", "VIRTUAL_ENV", "PIPENV_PIPFILE",
    ):  # fmt: skip
        environment.pop(name, None)
    first = subprocess.Popen(
        ["bash", "-c", emulator_block],
        cwd=repo,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline, line = time.monotonic() + 120, ""
        while not line.startswith("# ready"):
            assert first.poll() is None and time.monotonic() < deadline, first.stderr.read()
            line = first.stdout.readline()
        again = subprocess.run(
            ["bash", "-c", emulator_block], cwd=repo, env=environment, capture_output=True, text=True
        )
        assert again.returncode == 2 and "try-ipam.yaml exists" in again.stderr  # what it wrote is never overwritten
        script = "set -euo pipefail\n" + "\n".join(second_terminal)
        second = subprocess.run(
            ["bash", "-c", script], cwd=repo, env=environment, capture_output=True, text=True, timeout=900
        )
        assert second.returncode == 0, second.stdout[-6000:] + second.stderr[-4000:]
        out = second.stdout
        assert "0 failed" in out  # preflight check and verify
        assert "alarm ipam-pool-use1-used on pool" in out and "create" in out  # the review of the change
        assert "FAIL     teardown: the config is not a teardown config" in out  # a destroy before step 1
        exported = dict(
            line.removeprefix("export ").split("=", 1) for line in (repo / "try-ipam.env").read_text().splitlines()
        )
        session = boto3.Session(
            aws_access_key_id=exported["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=exported["AWS_SECRET_ACCESS_KEY"],
            aws_session_token=exported["AWS_SESSION_TOKEN"],
            region_name="us-east-1",
        )
        ec2 = session.client("ec2", endpoint_url=exported["AWS_ENDPOINT_URL"])
        assert ec2.describe_ipams()["Ipams"] == []  # torn down
    finally:
        os.killpg(first.pid, signal.SIGINT)  # the user's Ctrl-C
        out, err = first.communicate(timeout=60)
    assert first.returncode == 0 and out.strip().endswith("# stopped"), err
