"""The report as text: a terminal view and Markdown for an issue or chat (with a Mermaid pool tree). Untrusted
text goes through visible() on a terminal (no escape sequences reach it), formats.markdown in Markdown and
formats.mermaid in the diagram."""

from __future__ import annotations

from typing import Any

from ipam_org.config.display import visible
from ipam_org.formats.markdown import text as md
from ipam_org.formats.mermaid import label


def _fits(pool: dict[str, Any]) -> str:
    return ", ".join(f"{f['count']:,} × /{f['length']}" for f in pool["fits"]) or "full"


def _runs_out(pool: dict[str, Any]) -> str:
    forecast = pool["forecast"]
    if forecast["status"] != "ok":
        return forecast["status"]
    dates = [w["runs_out"] for w in forecast["windows"] if w["complete"] and w["runs_out"]]
    return min(dates) if dates else "not growing"


def _band(pool: dict[str, Any], threshold: float) -> str:
    used = pool["percent_used"]
    return "over" if used >= threshold else "near" if used >= threshold * 0.8 else "ok"


def _summary(report: dict[str, Any]) -> list[str]:
    over = report["over_threshold"]
    return [
        f"{len(report['pools'])} pools, {len(over)} at or over {report['threshold']:g} % used",
        f"{len(report['unmanaged'])} VPC CIDRs outside IPAM ({report['unmanaged_in_guarded_ous']} in guarded OUs), "
        f"{len(report['overlaps'])} overlapping pairs, {len(report['noncompliant'])} noncompliant, "
        f"{len(report['ignored'])} ignored",
    ]


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]


POOL_COLUMNS = ["pool", "CIDRs", "used %", "to pools %", "to resources %", "free", "fits", "runs out"]


def _pool_cells(pool: dict[str, Any]) -> list[str]:
    return [
        pool["name"],
        " ".join(pool["cidrs"]) or "-",
        f"{pool['percent_used']:.1f}",
        f"{pool['percent_allocated']:.1f}",
        f"{pool['percent_assigned']:.1f}",
        f"{pool['free']:,}",
        _fits(pool),
        _runs_out(pool),
    ]


RESOURCE_COLUMNS = ["account", "region", "VPC", "CIDR", "name"]
OVERLAP_COLUMNS = ["CIDR", "account", "VPC", "overlaps CIDR", "account", "VPC"]
ACCOUNT_COLUMNS = ["account", "name", "OU", "VPC CIDRs", "addresses", "outside IPAM"]


def _resource_cells(item: dict[str, Any]) -> list[str]:
    return [item["account"], item["region"], item["vpc"] or item["id"], item["cidr"], item["name"]]


def _overlap_cells(pair: dict[str, Any]) -> list[str]:
    a, b = pair["a"], pair["b"]
    return [a["cidr"], a["account"], a["vpc"] or a["id"], b["cidr"], b["account"], b["vpc"] or b["id"]]


def _account_cells(row: dict[str, Any]) -> list[str]:
    ou = row["ou_name"] or row["ou"] or "-"
    return [row["account"], row["name"], ou, str(row["resource_cidrs"]), f"{row['addresses']:,}", str(row["unmanaged"])]


def _sections(report: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]]]]:
    """The report's tables after the pools: title, columns, rows (untrusted text still raw)."""
    found = [
        ("VPC CIDRs outside IPAM (unmanaged)", RESOURCE_COLUMNS, [_resource_cells(i) for i in report["unmanaged"]]),
        (
            "Noncompliant with their pool's rules",
            RESOURCE_COLUMNS,
            [_resource_cells(i) for i in report["noncompliant"]],
        ),
        ("Ignored", RESOURCE_COLUMNS, [_resource_cells(i) for i in report["ignored"]]),
        ("Overlapping CIDRs", OVERLAP_COLUMNS, [_overlap_cells(o) for o in report["overlaps"]]),
    ]
    tables = [section for section in found if section[2]]
    return tables + [
        ("Accounts, most addresses first", ACCOUNT_COLUMNS, [_account_cells(a) for a in report["accounts"]])
    ]


def terminal(report: dict[str, Any]) -> str:
    ipam = report["ipam"]
    head = f"IP address usage of {ipam['id']} ({ipam['region']}, {ipam['tier']} tier), read {report['read_at']}"
    lines = [visible(line) for line in [head, *_summary(report)]] + ["", "Pools, fullest first:"]
    lines += _table([POOL_COLUMNS] + [[visible(c) for c in _pool_cells(p)] for p in report["pools"]])
    for title, columns, rows in _sections(report):
        lines += ["", f"{title}:", *_table([columns] + [[visible(cell) for cell in row] for row in rows])]
    lines += ["", visible(_cost(report["cost"]))]
    return "\n".join(lines) + "\n"


def _cost(cost: dict[str, Any]) -> str:
    if not cost["estimated"]:
        return f"Cost: not estimated: {cost['reason']}."
    return (
        f"Cost: {cost['active_ips']:,} active IPs × ${cost['usd_per_ip_hour']} per IP-hour ≈ "
        f"${cost['monthly_usd']:,.2f} a month ({cost['price_source']})."
    )


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(md(cell) for cell in row) + " |" for row in rows),
    ]


def mermaid(report: dict[str, Any]) -> list[str]:
    """The pool tree, each node colored by its band against the threshold."""
    ids = {p["name"]: f"n{index}" for index, p in enumerate(report["pools"])}
    lines = ["```mermaid", "flowchart TD"]
    for pool in sorted(report["pools"], key=lambda p: (p["depth"], p["name"])):
        text = "<br/>".join(
            [
                label(pool["name"]),
                label(" ".join(pool["cidrs"]) or "no CIDR"),
                label(f"{pool['percent_used']:.1f} % used"),
            ]
        )
        lines.append(f'  {ids[pool["name"]]}["{text}"]:::{_band(pool, report["threshold"])}')
        if pool["parent"] in ids:
            lines.append(f"  {ids[pool['parent']]} --> {ids[pool['name']]}")
    lines += [
        "  classDef ok fill:#d9f2d9,stroke:#2e7d32",
        "  classDef near fill:#fff3cd,stroke:#b8860b",
        "  classDef over fill:#f8d7da,stroke:#b71c1c",
        "```",
    ]
    return lines


def markdown(report: dict[str, Any]) -> str:
    ipam = report["ipam"]
    lines = [
        f"## IP address usage of {md(ipam['id'])} ({md(ipam['region'])})",
        "",
        *(f"**{md(line)}**" if i == 0 else md(line) for i, line in enumerate(_summary(report))),
        "",
        f"Read {md(report['read_at'])}. Used = allocated to child pools + assigned to resources (AWS's pool metrics).",
        "",
        "### Pools, fullest first",
        "",
        *_md_table(POOL_COLUMNS, [_pool_cells(p) for p in report["pools"]]),
        "",
        "### Pool tree",
        "",
        *mermaid(report),
    ]
    for title, columns, rows in _sections(report):
        lines += ["", f"### {title}", "", *_md_table(columns, rows)]
        if title.startswith("VPC CIDRs outside IPAM") and not report["unmanaged_in_guarded_ous"]:
            lines += ["", "None of them is in an OU the guardrail covers."]
    lines += ["", md(_cost(report["cost"]))]
    return "\n".join(lines) + "\n"
