"""ipam-org discover --region REGION --out ipam.yaml [credentials options]: read an existing organization IPAM
(read-only) and write the config that adopts it. Exit 1 when there is nothing to adopt (the message says why)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ipam_org.exits import EXIT_AWS, EXIT_FAILED, EXIT_INPUT, OK


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = "Read an existing organization IPAM (read-only) and write the ipam-org config that adopts it."
    parser.add_argument("--region", required=True, help="the IPAM's home Region")
    parser.add_argument("--out", required=True, help="the config file to write (refused if it exists)")
    parser.add_argument(
        "--management-profile", help="profile for the management account (default: ambient credentials)"
    )
    parser.add_argument("--management-role-arn", help="role to assume in the management account")
    parser.add_argument("--delegated-profile", help="profile for the IPAM account")
    parser.add_argument(
        "--delegated-role-arn", help="role to assume in the IPAM account (default: OrganizationAccountAccessRole there)"
    )


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.exists():
        print(f"error: {out} exists; choose another --out (discovery never overwrites a config)", file=sys.stderr)
        return EXIT_INPUT

    from ipam_org.adoption.discover import DiscoveryError, discover
    from ipam_org.adoption.write import write_checked
    from ipam_org.aws.sessions import AWS_ERRORS, session_for
    from ipam_org.config.model import ProviderSettings

    try:
        management = session_for(
            ProviderSettings(region=args.region, profile=args.management_profile, role_arn=args.management_role_arn)
        )
        delegated_role = args.delegated_role_arn
        if delegated_role is None and args.delegated_profile is None:
            delegated_role = _default_role(management)
        delegated = session_for(
            ProviderSettings(region=args.region, profile=args.delegated_profile, role_arn=delegated_role)
        )
        found = discover(management, delegated, args.region, delegated_role)
    except DiscoveryError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    except AWS_ERRORS as error:
        print(f"error: cannot read the organization with these credentials: {error}", file=sys.stderr)
        return EXIT_AWS
    problems = write_checked(found, out)
    if problems:
        print("error: the discovered config would not be valid; nothing written:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_INPUT
    print(
        out.read_text().split("\n\n", 1)[0]
    )  # the header: what is adopted, renamed, left out, and what the first deploy changes
    print(f"wrote {out}: review it, then plan; the first plan imports what exists")
    return OK


def _default_role(management) -> str:
    """OrganizationAccountAccessRole in the IPAM administrator's account, found through the management account."""
    from ipam_org.adoption.discover import DEFAULT_ROLE, ipam_administrator
    from ipam_org.domain.principals import partition_of

    account = ipam_administrator(management.client("organizations"))
    return f"arn:{partition_of(management.region_name)}:iam::{account}:role/{DEFAULT_ROLE}"
