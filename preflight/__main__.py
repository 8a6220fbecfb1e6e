"""python -m preflight check CONFIG | verify CONFIG | policy --role management|delegated

Exit status: 0 every check passed (warnings and unknowns allowed), 1 a check failed, 2 the config is not
valid (nothing was asked of AWS), 3 AWS could not be reached with the configured credentials.
"""
from __future__ import annotations

import argparse
import sys

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from validation.cli import EXIT_INVALID_CONFIG, load_checked

EXIT_AWS = 3


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m preflight", description="Check the organization before deploy, verify it after. Read-only.",
        epilog="exit status: 0 passed (warnings allowed), 1 a check failed, 2 invalid config, 3 AWS unreachable")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("check", "read-only checks before deploy"), ("verify", "read-only checks after deploy")):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("config", help="the ipam-org config file")
    policy_parser = commands.add_parser("policy", help="print a least-privilege IAM policy for a deployer role")
    policy_parser.add_argument("--role", choices=["management", "delegated"], required=True)
    policy_parser.add_argument("--config", help="only the actions this config needs (without: guardrail, publish and custom scope actions included)")
    args = parser.parse_args(argv)

    if args.command == "policy":
        from preflight.policy import features, render

        if args.config is None:
            sys.stdout.write(render(args.role))
            return 0
        config = load_checked(args.config)
        if config is None:
            return EXIT_INVALID_CONFIG
        sys.stdout.write(render(args.role, features(config)))
        return 0
    config = load_checked(args.config)
    if config is None:
        return EXIT_INVALID_CONFIG

    from preflight import checks
    from preflight.report import print_checks
    from preflight.sessions import session_for

    try:
        management = session_for(config.providers.management)
        delegated = session_for(config.providers.delegated)
        run = checks.preflight if args.command == "check" else checks.verify
        found = run(config, management, delegated)
    except (ClientError, BotoCoreError, ResponseParserError) as error:
        print(f"error: cannot reach AWS with the configured credentials: {error}", file=sys.stderr)
        return EXIT_AWS
    return print_checks(found)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
