"""The one way untrusted text enters a Mermaid diagram: a node label in double quotes, where every character
but letters, digits, space and `./:-_%` is written as Mermaid's numeric entity code (`#35;`), so no value can
close the label, start a link, a click handler, a directive or HTML. Node IDs are the renderer's own (n0, n1,
...), never user text (https://mermaid.js.org/syntax/flowchart.html#entity-codes-to-escape-characters).
"""

from __future__ import annotations

import re

from ipam_org.config.display import visible

_PLAIN = re.compile(r"[A-Za-z0-9 ./:\-_%]")


def label(value: object) -> str:
    """Untrusted text as the inside of a quoted Mermaid label (without the quotes)."""
    return "".join(char if _PLAIN.fullmatch(char) else f"#{ord(char)};" for char in visible(str(value)))
