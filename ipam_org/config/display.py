"""Characters that act instead of showing (line breaks, controls, bidi overrides, zero-width) made visible.

Shared by every format that quotes untrusted text on one line: YAML comments (discovery) and Markdown (review).
YAML also ends a comment at NEL, LS and PS, so every line break Unicode knows is escaped, not only \\n.
"""

from __future__ import annotations

import unicodedata

_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def visible(text: str) -> str:
    """Line breaks, control, format (bidi, zero-width), private and unassigned characters as \\uXXXX."""
    return "".join(_visible_char(char) for char in text)


def _visible_char(char: str) -> str:
    if unicodedata.category(char) in _INVISIBLE_CATEGORIES or (char.isspace() and char != " "):
        return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"
    return char
