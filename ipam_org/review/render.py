"""Render a review as Markdown (under GitHub's comment limit) or JSON."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from ipam_org.formats.markdown import code
from ipam_org.formats.markdown import text as _text
from ipam_org.review.plan import ACTION_ORDER, Change, Plan
from ipam_org.review.risks import Risk

GITHUB_COMMENT_LIMIT = 65_536
DEFAULT_MAX_CHARS = 60_000  # leaves room for a workflow's own header and marker
MARKER = "<!-- ipam-org-plan-review -->"
ICONS = {
    "delete": "🗑️ destroy",
    "replace": "♻️ replace",
    "update": "✏️ update",
    "create": "➕ create",
    "import": "📥 import",
    "forget": "📤 forget (stays in AWS)",
    "unknown": "❓ unknown action",
}
COLUMNS = [("create", "add"), ("update", "change"), ("replace", "replace"), ("delete", "destroy")]


def counts(changes: list[Change]) -> dict[str, int]:
    counted = Counter(c.action for c in changes)
    return {label: counted.get(action, 0) for action, label in COLUMNS}


def imports(changes: list[Change]) -> int:
    """Adopted resources, whether they are imported unchanged or also modified."""
    return sum(1 for change in changes if change.importing is not None)


def headline(changes: list[Change]) -> str:
    if not changes:
        return "No changes."
    c = counts(changes)
    text = f"{c['add']} to add, {c['change']} to change, {c['replace']} to replace, {c['destroy']} to destroy."
    imported = imports(changes)
    if imported:
        text = f"{imported} to import, {text}"
    forgotten = sum(1 for change in changes if change.action == "forget")
    text += f" {forgotten} to forget (Terraform stops managing, AWS keeps)." if forgotten else ""
    unknown = sum(1 for change in changes if change.action == "unknown")
    return text + (f" {unknown} with actions this review does not know (see Risks)." if unknown else "")


def _risk_line(risk: Risk) -> str:
    change = risk.change
    if change is None:
        return f"- **plan** ({_text(risk.stack)}): {_text(risk.reason)}"
    return (
        f"- **{change.action}** {code(change.address)} ({_text(change.stack)}, {_text(change.alias)}): "
        f"{_text(change.describe())} — {_text(risk.reason)}"
    )


def _drift_line(change: Change) -> str:
    what = {"delete": "deleted", "update": "modified", "replace": "replaced"}.get(change.action, change.action)
    return f"- {what} outside Terraform: {_text(change.describe())} ({code(change.address)}, {_text(change.stack)})"


def _change_line(change: Change) -> str:
    return f"- {ICONS[change.action]} {_text(change.describe())} ({code(change.address)})"


def markdown(plans: list[Plan], found: list[Risk], max_chars: int = DEFAULT_MAX_CHARS) -> str:
    changes = [c for plan in plans for c in plan.changes]
    head = [MARKER, "## ipam-org plan review", "", f"**{headline(changes)}**", ""]
    if len(plans) > 1 or changes:
        head += ["| stack | add | change | replace | destroy |", "| --- | ---: | ---: | ---: | ---: |"]
        for plan in plans:
            c = counts(plan.changes)
            head.append(f"| {_text(plan.stack)} | {c['add']} | {c['change']} | {c['replace']} | {c['destroy']} |")
        if len(plans) > 1:
            c = counts(changes)
            head.append(f"| **total** | {c['add']} | {c['change']} | {c['replace']} | {c['destroy']} |")
        head.append("")
    drifted = [c for plan in plans for c in plan.drift]
    if drifted:  # a refreshed plan: what the plan below would undo was done outside Terraform
        head += [f"### 🔀 Changed outside Terraform ({len(drifted)})", ""]
        head += [_drift_line(c) for c in drifted] + [""]
    if found:
        head += [f"### ⚠️ Risks ({len(found)})", ""] + [_risk_line(r) for r in found] + [""]
    elif changes:
        head += ["### Risks", "", "None: nothing is removed, replaced, revoked or moved, and protection stays on.", ""]
    adopted = [c for c in changes if c.importing is not None]
    if adopted:
        modified = sum(1 for c in adopted if c.action != "import")
        head += [
            f"### 📥 Imports ({len(adopted)})",
            "",
            f"{len(adopted)} existing resources come under management; "
            + (f"{modified} of them would also be modified (see Risks)." if modified else "none of them is modified."),
            "",
        ]
    text = "\n".join(head)
    if len(text) > max_chars:
        return _summarized_risks(head, found, max_chars)
    hidden = 0
    for header, lines in _account_sections(plans):
        # Whole lines only, and every <details> closed: what does not fit is counted, not cut mid-line.
        budget = max_chars - len(text) - len(header) - 300
        shown = []
        for line in lines:
            if budget - len(line) - 1 < 0:
                break
            shown.append(line)
            budget -= len(line) + 1
        hidden += len(lines) - len(shown)
        if shown or not lines:
            text += "\n" + header + "\n" + "\n".join(shown) + "\n\n</details>\n"
    if hidden:
        text += (
            f"\n_{hidden} more change lines not shown (comment limit); run `ipam-org review --format json` for all._"
        )
    return text


def _account_sections(plans: list[Plan]) -> list[tuple[str, list[str]]]:
    """(header opening a <details> block, its change lines) per provider alias, management first."""
    by_alias: dict[str, list[Change]] = {}
    accounts: dict[str, str] = {}
    for plan in plans:
        accounts.update(plan.accounts)
        for change in plan.changes:
            by_alias.setdefault(change.alias, []).append(change)
    sections = []
    for alias in sorted(by_alias, key=lambda a: (a != "management", a)):
        group = sorted(by_alias[alias], key=lambda c: (ACTION_ORDER.index(c.action), c.address))
        c = counts(group)
        account = f" account {_text(accounts[alias])}" if alias in accounts else ""
        noun = "change" if len(group) == 1 else "changes"
        summary = (
            f"{len(group)} {noun}: {c['destroy']} destroy, {c['replace']} replace, {c['change']} update, "
            f"{c['add']} create"
        )
        header = "\n".join([f"### {_text(alias)}{account}", "", f"<details><summary>{summary}</summary>", ""])
        sections.append((header, [_change_line(change) for change in group]))
    return sections


def _summarized_risks(head: list[str], found: list[Risk], max_chars: int) -> str:
    """Too many risks for one comment: one line per kind of risk, with its count, then as many as fit."""
    start = head.index(f"### ⚠️ Risks ({len(found)})")
    groups: Counter = Counter((r.title, r.change.type if r.change else "plan", r.reason) for r in found)
    lines = head[: start + 2] + [
        f"- **{action}** {count} × {code(kind)} — {_text(reason)}"
        for (action, kind, reason), count in sorted(groups.items())
    ]
    lines += ["", "Individual risk lines:"]
    text = "\n".join(lines)
    shown = 0
    for risk in found:
        line = _risk_line(risk)
        if len(text) + len(line) + 200 > max_chars:
            break
        text += "\n" + line
        shown += 1
    return (
        text
        + f"\n\n_{len(found) - shown} more risk lines not shown (comment limit); run `ipam-org review --format json` "
        "for all._"
    )


def as_json(plans: list[Plan], found: list[Risk]) -> str:
    changes = [c for plan in plans for c in plan.changes]

    def change(c: Change) -> dict[str, Any]:
        return {
            "stack": c.stack,
            "address": c.address,
            "action": c.action,
            "alias": c.alias,
            "description": c.describe(),
        }

    document = {
        "headline": headline(changes),
        "totals": {**counts(changes), "import": imports(changes)},
        "stacks": [{"stack": p.stack, "accounts": p.accounts, **counts(p.changes)} for p in plans],
        "risks": [
            {**(change(r.change) if r.change else {"stack": r.stack, "action": "plan"}), "reason": r.reason}
            for r in found
        ],
        "changes": [change(c) for c in changes],
        "changed_outside_terraform": [change(c) for plan in plans for c in plan.drift],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)
