"""Stacks: wire the constructs to providers, backends and outputs for the single or split layout."""

from ipam_org.stacks.organization import build_app

__all__ = ["build_app"]
