"""What AWS's answers look like, shared by everything that reads them (preflight, discover, usage)."""

from __future__ import annotations

from typing import Any

IPAM_SERVICE = "ipam.amazonaws.com"  # the service principal Organizations knows IPAM by
RAM_SERVICE = "ram.amazonaws.com"


def tag_map(items: list[dict[str, str]] | None) -> dict[str, str]:
    """EC2's [{"Key": k, "Value": v}] tag list as a dict."""
    return {tag["Key"]: tag.get("Value", "") for tag in items or []}


def name_tag(resource: dict[str, Any]) -> str | None:
    """An EC2 resource's Name tag, if it has one."""
    return tag_map(resource.get("Tags")).get("Name")
