"""The one way text from a plan, a config or AWS enters the review's Markdown.

A value must never restructure the comment reviewers read: open or close a block, list, heading, table,
fence, link, image, HTML comment or `<details>`, mention anyone, or hide characters. Text is only ever placed
inside a line after the renderer's own prefix, and line breaks are shown as `\\u000a`, so no block can start;
inside the line, every character that starts inline markup is backslash-escaped (`\\`, code, emphasis,
strikethrough, links and images, HTML and autolinks, entities, table cells, a heading's closing `#`s, GitHub's
`$` math); `@` is set apart in a code span (GitHub links mentions in text, never in code); control, bidi and
zero-width characters are shown as `\\uXXXX` instead of acting. CIDRs, IDs and names stay as they are.
"""

from __future__ import annotations

import re

from ipam_org.config.display import visible

_MARKUP = re.compile(r"[\\`*_~\[\]!<>&|#$]")


def text(value: object) -> str:
    """Untrusted text as inline Markdown that renders as exactly these characters and nothing else."""
    escaped = _MARKUP.sub(lambda match: "\\" + match.group(), str(value))
    # After escaping, so the backslash of \\uXXXX stays literal (a backslash before a letter is not an escape).
    return visible(escaped).replace("@", "`@`")


def code(value: object) -> str:
    """Untrusted text as one inline code span: a fence longer than any run of backticks inside, one line.

    Not for table cells: GFM splits cells on `|` even inside code, and escapes do not work in code. Use text() there.
    """
    shown = visible(str(value))
    longest = max((len(run) for run in re.findall("`+", shown)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if shown.startswith(("`", " ")) or shown.endswith(("`", " ")) or not shown else ""
    return f"{fence}{pad}{shown}{pad}{fence}"
