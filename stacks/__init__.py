"""Stacks: wire the constructs to providers, backends and outputs for the single or split layout."""
from stacks.organization import build_app, stack_names

__all__ = ["build_app", "stack_names"]
