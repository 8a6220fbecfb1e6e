"""The one way untrusted data enters an HTML page: as JSON inside `<script type="application/json">`, with
every `<`, `>`, `&` and the JavaScript line separators written as \\uXXXX escapes, so no value can close the
script element, open a comment or start markup. The page's own script reads it with JSON.parse and puts text
into the page with textContent only, never as markup.
"""

from __future__ import annotations

import json
from typing import Any

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(data: Any) -> str:
    """data as JSON that is safe between <script type="application/json"> and </script>."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return "".join(_ESCAPES.get(char, char) for char in text)
