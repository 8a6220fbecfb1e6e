"""Rules that relate fields to each other, run on the typed config before any construct exists."""

from ipam_org.validation.rules import Report, validate

__all__ = ["Report", "validate"]
