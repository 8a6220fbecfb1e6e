"""The config: its schema (model), how it is read (loader), its problems and their paths (errors)."""

import argparse
import os

DEFAULT_CONFIG = "ipam.yaml"  # what every command reads when no --config is given


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    """--config, the same on every command: $IPAM_CONFIG (what cdktf's main.py reads) when set, else ipam.yaml."""
    parser.add_argument(
        "--config",
        default=os.environ.get("IPAM_CONFIG") or DEFAULT_CONFIG,
        help=f"the ipam-org config (default: $IPAM_CONFIG, else {DEFAULT_CONFIG})",
    )
