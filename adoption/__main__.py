"""python -m adoption discover --region REGION --out ipam.yaml [credentials options]

Exit status: 0 the config was written, 1 nothing to adopt (the message says why), 2 the discovered config
would not be valid (nothing written), 3 AWS could not be reached with the given credentials.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

EXIT_NOTHING_TO_ADOPT, EXIT_INVALID, EXIT_AWS = 1, 2, 3


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m adoption", description="Read an existing organization IPAM (read-only) and write the ipam-org config that adopts it.",
        epilog="exit status: 0 written, 1 nothing to adopt, 2 the result would not be valid, 3 AWS unreachable")
    commands = parser.add_subparsers(dest="command", required=True)
    discover_parser = commands.add_parser("discover", help="write a config that describes and adopts what exists")
    discover_parser.add_argument("--region", required=True, help="the IPAM's home Region")
    discover_parser.add_argument("--out", required=True, help="the config file to write (refused if it exists)")
    discover_parser.add_argument("--management-profile", help="profile for the management account (default: ambient credentials)")
    discover_parser.add_argument("--management-role-arn", help="role to assume in the management account")
    discover_parser.add_argument("--delegated-profile", help="profile for the IPAM account")
    discover_parser.add_argument("--delegated-role-arn", help="role to assume in the IPAM account (default: OrganizationAccountAccessRole there)")
    args = parser.parse_args(argv)

    out = Path(args.out)
    if out.exists():
        print(f"error: {out} exists; choose another --out (discovery never overwrites a config)", file=sys.stderr)
        return EXIT_INVALID

    from adoption.discover import DiscoveryError, discover
    from adoption.write import write_checked
    from config.model import ProviderSettings
    from preflight.sessions import session_for

    try:
        management = session_for(ProviderSettings(region=args.region, profile=args.management_profile, role_arn=args.management_role_arn))
        delegated_role = args.delegated_role_arn
        if delegated_role is None and args.delegated_profile is None:
            delegated_role = _default_role(management)
        delegated = session_for(ProviderSettings(region=args.region, profile=args.delegated_profile, role_arn=delegated_role))
        found = discover(management, delegated, args.region, delegated_role)
    except DiscoveryError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_NOTHING_TO_ADOPT
    except (ClientError, BotoCoreError, ResponseParserError) as error:
        print(f"error: cannot read the organization with these credentials: {error}", file=sys.stderr)
        return EXIT_AWS
    problems = write_checked(found, out)
    if problems:
        print("error: the discovered config would not be valid; nothing written:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_INVALID
    print(out.read_text().split("\n\n", 1)[0])  # the header: what is adopted, renamed, left out, and what the first deploy changes
    print(f"wrote {out}: review it, then plan; the first plan imports what exists")
    return 0


def _default_role(management) -> str:
    """OrganizationAccountAccessRole in the IPAM administrator's account, found through the management account."""
    from adoption.discover import DEFAULT_ROLE, ipam_administrator
    from config.principals import partition_of

    account = ipam_administrator(management.client("organizations"))
    return f"arn:{partition_of(management.region_name)}:iam::{account}:role/{DEFAULT_ROLE}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
