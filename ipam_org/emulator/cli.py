"""ipam-org emulator [--port N] [--config-out FILE] [--env-out FILE]: try ipam-org without AWS. Starts the AWS emulator
on loopback with an organization in it, writes a config for that organization and the environment to use (also
printed), and runs until Ctrl-C (or SIGTERM), when it stops cleanly. Everything lives in memory: stopping forgets it."""

from __future__ import annotations

import argparse
import logging
import shlex
import signal
import sys
import threading
from pathlib import Path

import yaml

from ipam_org.exits import EXIT_INPUT, OK


class _QuotingDumper(yaml.SafeDumper):
    """Quotes digit strings: an account ID that starts with 0 stays a string (the loader reads 0123 as a number)."""


_QuotingDumper.add_representer(
    str,
    lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style="'" if text.isdigit() else None),
)


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
    parser.add_argument(
        "--env-out",
        type=Path,
        default=Path("try-ipam.env"),
        help="where to write the export lines, for `. ./try-ipam.env` in another shell (default: try-ipam.env; "
        "never overwritten)",
    )


def run(args: argparse.Namespace) -> int:
    for path, flag in ((args.config_out, "--config-out"), (args.env_out, "--env-out")):
        if path.exists():
            print(
                f"error: {path} exists; remove it or choose another {flag} (it is never overwritten)", file=sys.stderr
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
        args.config_out.write_text(yaml.dump(small_config(made), Dumper=_QuotingDumper, sort_keys=False))
        environment = {**made.credentials(), "AWS_ENDPOINT_URL": url, "AWS_REGION": "us-east-1"}
        exports = "".join(f"export {name}={shlex.quote(value)}\n" for name, value in environment.items())
        args.env_out.write_text(exports)
        print(f"# the emulator listens on {url}; organization {made.id}, IPAM account {made.ipam_account}")
        print(f"# config for it: {args.config_out}; its environment: {args.env_out} (or the lines below)")
        print(exports, end="")
        print("# ready; Ctrl-C stops the emulator and forgets everything", flush=True)
        stop.wait()
    print("# stopped", flush=True)
    return OK
