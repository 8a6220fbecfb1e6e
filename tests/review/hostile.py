"""Hostile text in every text field of a plan must not change the structure of the review's Markdown.

A plan is copied twice with text appended to every string it carries (values before and after, addresses,
resource names, provider keys, allowed accounts, the stack name): once a plain word, once text built to
restructure a GitHub comment. Both copies are rendered and parsed by a real CommonMark parser (markdown-it-py
with GFM tables); their structures must be equal. The plain copy is the baseline, not the untouched plan,
because appending anything to a CIDR changes what the review can say about it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from ipam_org.review.plan import load_plan
from ipam_org.review.render import markdown
from ipam_org.review.risks import risks

PLAIN = "plain"
HOSTILE = (
    "`\n\n### ✅ Risks\n\nNone.\n\n![ok](https://example.com/ok.png) [Approve here](https://example.com) "
    "@platform-security"
    " <!-- </details> <details> | --- | ~~~\n```\n- item\n> quote\n1. one\n\u200b\u202eadmun *b* _i_ ~~s~~ $m$ \\ "
    "&amp; <b>x</b>"
    " `` \r\n===\n"
)
_PARSER = MarkdownIt("commonmark").enable("table")
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}


def injected(document: dict[str, Any], text: str) -> dict[str, Any]:
    """The plan with text appended to every string a review can quote (actions and types stay, so the plan means the
    same)."""
    copy = json.loads(json.dumps(document))
    for change in copy.get("resource_changes") or []:
        change["address"] += text
        change["name"] = change.get("name", "") + text
        if "provider_name" in change:
            change["provider_name"] += text
        for side in ("before", "after"):
            change["change"][side] = _append(change["change"].get(side), text)
    module = copy.get("configuration", {}).get("root_module", {})
    for resource in module.get("resources") or []:
        resource["address"] += text
        if "provider_config_key" in resource:
            resource["provider_config_key"] += text
    providers = copy.get("configuration", {}).get("provider_config") or {}
    for key in list(providers):
        allowed = providers[key].get("expressions", {}).get("allowed_account_ids", {})
        if "constant_value" in allowed:
            allowed["constant_value"] = [value + text for value in allowed["constant_value"]]
        providers[key + text] = providers.pop(key)
    return copy


def _append(value: Any, text: str) -> Any:
    if isinstance(value, str):
        return value + text
    if isinstance(value, list):
        return [_append(item, text) for item in value]
    if isinstance(value, dict):
        return {key: _append(item, text) for key, item in value.items()}
    return value


def structure(markdown_text: str) -> list[tuple[str, ...]]:
    """Every block and inline token by type and tag; `@` alone in code (how a mention is defused) is not structure."""
    shape: list[tuple[str, ...]] = []
    for token in _PARSER.parse(markdown_text):
        shape.append((token.type, token.tag))
        for child in token.children or []:
            if child.type == "code_inline" and child.content == "@":
                continue
            if child.type != "text":
                shape.append((child.type, child.tag))
    return shape


def rendered(plans_for: list[tuple[str, Path]], text: str, workdir: Path) -> str:
    loaded = []
    for stack, path in plans_for:
        copy = workdir / f"{stack}.{'plain' if text == PLAIN else 'hostile'}.json"
        copy.write_text(json.dumps(injected(json.loads(path.read_text()), text)))
        loaded.append(load_plan(copy, stack + text))
    return markdown(loaded, risks(loaded))


def check_hostile_text_keeps_structure(plans_for: list[tuple[str, Path]], workdir: Path) -> None:
    plain, hostile = rendered(plans_for, PLAIN, workdir), rendered(plans_for, HOSTILE, workdir)
    assert HOSTILE.count("@") and hostile.count("\\u202e"), "the hostile text must reach the comment, shown"
    assert structure(hostile) == structure(plain)
    html = _PARSER.render(hostile)
    outside_code = re.sub(r"<code>.*?</code>", "", html)  # GitHub never links a mention inside code
    assert not re.search(r"@\w", outside_code), "a live mention"
    assert not [c for c in html if unicodedata.category(c) in _INVISIBLE and c != "\n"], "an invisible character"
