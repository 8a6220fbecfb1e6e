"""Accepting a risk on purpose: a reviewer allowed to accept adds the acceptance label after the last push.

The workflow hands over what GitHub says (the pull request's timeline and its head commit's time); this decides.
A push after the label clears it: what was accepted is no longer what would be applied. A label added by anyone
else, or removed again, accepts nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

LABEL = "ipam-risk-accepted"


@dataclass(frozen=True)
class Acceptance:
    accepted: bool
    by: str | None
    at: str | None
    reason: str


def decide(timeline: list[dict[str, Any]], last_push: str, authorized: set[str], label: str = LABEL) -> Acceptance:
    """timeline: the issue timeline's events (GitHub REST: event, actor.login, label.name, created_at), oldest first;
    last_push: when the head commit was pushed (ISO 8601); authorized: logins allowed to accept."""
    pushed = _time(last_push)
    held: dict[str, Any] | None = None
    for event in timeline:
        if (event.get("label") or {}).get("name") != label:
            continue
        if event.get("event") == "labeled":
            held = event
        elif event.get("event") == "unlabeled":
            held = None
    if held is None:
        return Acceptance(False, None, None, f"no {label} label")
    who, when = (held.get("actor") or {}).get("login"), held.get("created_at", "")
    if who not in authorized:
        return Acceptance(False, who, when, f"{who} added {label} but may not accept risks")
    if _time(when) <= pushed:
        return Acceptance(False, who, when, f"{label} was added before the last push ({last_push}): accept again")
    return Acceptance(True, who, when, f"accepted by {who} at {when}, after the last push")


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
