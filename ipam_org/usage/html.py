"""The report as one self-contained HTML page: no network (its Content-Security-Policy allows only its own
script, by hash), the data as JSON through formats.html, the treemap and tables drawn by page.js."""

from __future__ import annotations

import base64
import hashlib
from importlib import resources
from typing import Any

from ipam_org.formats.html import script_json


def page(report: dict[str, Any]) -> str:
    template = resources.files("ipam_org.usage").joinpath("page.html").read_text()
    script = resources.files("ipam_org.usage").joinpath("page.js").read_text()
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    head, tail = template.split("REPORT_JSON")
    tail = tail.replace("<script>SCRIPT</script>", f"<script>{script}</script>")
    return head.replace("SCRIPT_HASH", digest) + script_json(report) + tail  # the data last: nothing replaces in it
