"""ipam-org preflight check | verify | teardown [--config FILE] | policy --role management|delegated|usage
[--config FILE]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ipam_org.config import add_config_argument
from ipam_org.config.model import Config
from ipam_org.exits import EXIT_AWS, EXIT_INPUT, OK
from ipam_org.validation.cli import load_checked


def configure(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    parser.description = "Check the organization before deploy, verify it after. Read-only."
    commands = parser.add_subparsers(dest="preflight", required=True, metavar="{check,verify,teardown,policy}")
    for name, help_text in (
        ("check", "read-only checks before deploy"),
        ("verify", "read-only checks after deploy"),
        ("teardown", "before `cdktf destroy`: the config is a teardown config and its first step is deployed"),
    ):
        sub = commands.add_parser(name, help=help_text, description=help_text, parents=[common])
        add_config_argument(sub)
        sub.add_argument(
            "--state-dir",
            type=Path,
            help="where local state lives (default: terraform-state beside the config); an S3 backend is read as "
            "the config names it",
        )
    policy = commands.add_parser(
        "policy", help="print a least-privilege IAM policy for a deployer role", parents=[common]
    )
    policy.add_argument(
        "--role",
        choices=["management", "delegated", "usage"],
        required=True,
        help="a deployer role, or the read-only role `ipam-org usage` needs in the IPAM account",
    )
    policy.add_argument(
        "--config",
        help="only the actions this config needs (without: guardrail, publish and custom scope actions included)",
    )


def run(args: argparse.Namespace) -> int:
    if args.preflight == "policy":
        from ipam_org.preflight.policy import features, render

        if args.config is None:
            sys.stdout.write(render(args.role))
            return OK
        config = load_checked(args.config)
        if config is None:
            return EXIT_INPUT
        sys.stdout.write(render(args.role, features(config)))
        return OK

    config = load_checked(args.config)
    if config is None:
        return EXIT_INPUT
    if args.preflight == "teardown":
        from ipam_org.preflight.report import print_checks
        from ipam_org.preflight.state import default_state_dir, deployed
        from ipam_org.preflight.teardown import ready_to_destroy

        own = deployed(config, args.state_dir or default_state_dir(args.config), _state_s3(config))
        return print_checks([ready_to_destroy(config, own)])
    from ipam_org.aws.sessions import AWS_ERRORS, session_for
    from ipam_org.preflight import checks
    from ipam_org.preflight.report import print_checks
    from ipam_org.preflight.state import default_state_dir, deployed

    try:
        management = session_for(config.providers.management)
        delegated = session_for(config.providers.delegated)
        if args.preflight == "check":
            own = deployed(config, args.state_dir or default_state_dir(args.config), _state_s3(config))
            found = checks.preflight(config, management, delegated, own)
        else:
            found = checks.verify(config, management, delegated)
    except AWS_ERRORS as error:
        print(f"error: cannot reach AWS with the configured credentials: {error}", file=sys.stderr)
        return EXIT_AWS
    return print_checks(found)


def _state_s3(config: Config) -> Any:
    """An S3 client with the backend's own profile and Region, when the state is in S3."""
    s3 = config.backend.s3 if config.backend else None
    if s3 is None:
        return None
    import boto3

    return boto3.Session(profile_name=s3.profile, region_name=s3.region).client("s3")
