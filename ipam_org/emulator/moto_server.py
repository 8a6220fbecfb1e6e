"""A real AWS API emulator (moto in server mode) on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import boto3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def credentials_for(url: str, account_id: str) -> dict[str, str]:
    """Environment credentials that moto attributes to account_id.

    moto maps credentials from sts:AssumeRole to the role's account, as AWS does (MOTO_ACCOUNT_ID
    would instead force one account on every request, assumed roles included).
    """
    sts = boto3.client(
        "sts",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="dummy",
    )
    role = f"arn:aws:iam::{account_id}:role/ipam-org-test-deployer"
    creds = sts.assume_role(RoleArn=role, RoleSessionName="ipam-org-tests")["Credentials"]
    return {
        "AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
        "AWS_SESSION_TOKEN": creds["SessionToken"],
    }


@contextmanager
def moto_server() -> Iterator[str]:
    """Yield the endpoint URL of a fresh moto server on loopback."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "MOTO_ACCOUNT_ID"}
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
