"""ipam-org emulator [--port N] [--config-out FILE]: try ipam-org without AWS. Starts the AWS emulator on loopback
with an organization in it, writes a config for that organization, prints the environment to use, and runs until
Ctrl-C (or SIGTERM), when it stops cleanly. Everything lives in memory: stopping forgets it."""

from __future__ import annotations

import argparse
import json
import logging
import shlex
import signal
import sys
import threading
from pathlib import Path

from ipam_org.exits import EXIT_INPUT, OK


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Start the AWS emulator (moto plus IPAM, RAM and Organizations behaviour) on loopback with an organization "
        "in it, write a config for that organization and print the environment to export. Runs until Ctrl-C."
    )
    parser.add_argument("--port", type=int, default=0, help="the port to listen on (default: a free one)")
    parser.add_argument(
        "--config-out",
        type=Path,
        default=Path("try-ipam.yaml"),
        help="where to write the config for the emulated organization (default: try-ipam.yaml; never overwritten)",
    )


def run(args: argparse.Namespace) -> int:
    if args.config_out.exists():
        print(
            f"error: {args.config_out} exists; choose another --config-out (it is never overwritten)", file=sys.stderr
        )
        return EXIT_INPUT
    if not 0 <= args.port <= 65535:
        print(f"error: --port {args.port} is not a port number", file=sys.stderr)
        return EXIT_INPUT
    from ipam_org.emulator.organization import make_organization, small_config
    from ipam_org.emulator.server import emulator

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request is noise here; errors still show
    stop = threading.Event()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, lambda *_: stop.set())
    with emulator(args.port or None) as url:
        made = make_organization(url)
        # JSON is YAML with every string quoted: an account ID that starts with 0 stays a string.
        args.config_out.write_text(json.dumps(small_config(made), indent=2) + "\n")
        environment = {**made.credentials(), "AWS_ENDPOINT_URL": url, "AWS_REGION": "us-east-1"}
        print(f"# the emulator listens on {url}; organization {made.id}, IPAM account {made.ipam_account}")
        print(f"# config for it: {args.config_out}")
        for name, value in environment.items():
            print(f"export {name}={shlex.quote(value)}")
        print("# ready; Ctrl-C stops the emulator and forgets everything", flush=True)
        stop.wait()
    print("# stopped", flush=True)
    return OK
