"""`ipam-org emulator`: the try-it command starts the emulator with an organization, writes a config the other
commands accept, prints the environment to export, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from tests.conftest import ROOT


def test_start_use_and_stop(tmp_path):
    config = tmp_path / "try-ipam.yaml"
    command = [
        sys.executable, "-m", "ipam_org", "emulator", "--config-out", str(config), "--env-out", str(tmp_path / "env"),
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        deadline = time.monotonic() + 120
        while not lines or not lines[-1].startswith("# ready"):
            assert process.poll() is None and time.monotonic() < deadline, process.stderr.read()
            lines.append(process.stdout.readline().strip())
        exported = dict(line.removeprefix("export ").split("=", 1) for line in lines if line.startswith("export "))
        assert set(exported) == {
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_REGION",
        }  # fmt: skip
        environment = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **exported}
        check = subprocess.run(
            [sys.executable, "-m", "ipam_org", "preflight", "check", "--config", str(config)],
            cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert check.returncode == 0, check.stdout + check.stderr
        assert "PASS     IPAM account" in check.stdout and "the deploy creates it" in check.stdout
        again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert again.returncode == 2 and "exists" in again.stderr  # the written config is never overwritten
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0 and out.strip().endswith("# stopped")
    assert "KeyboardInterrupt" not in err
