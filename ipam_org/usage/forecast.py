"""When a pool runs out at its recent rate, from IPAM's address history.

IPAM answers history per exact CIDR (GetIpamAddressHistory: "you will get records that match it exactly"), so
the history read is that of the CIDRs a pool holds for resources now: the growth counted is the addresses
those CIDRs took within the window. CIDRs released within the window are not seen, so growth is an upper
bound, and the runway a lower bound. A pool that only allocates to child pools grows when the config changes,
not by itself, and has no forecast.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta
from typing import Any

from ipam_org.usage.facts import Facts

WINDOWS = (30, 90)


def _time(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def forecast(pool: dict[str, Any], facts: Facts) -> dict[str, Any]:
    """Growth over each window in addresses per day, and the date the pool's free space runs out at that rate."""
    if not facts.history_read:
        return {"status": "not read", "detail": "run without --no-history to read IPAM's address history"}
    held = [a for a in facts.allocations.get(pool["id"], []) if a.get("ResourceType") not in ("ipam-pool", None)]
    if not held:
        return {"status": "no resources", "detail": "nothing in this pool is assigned to resources"}
    starts = []
    for allocation in held:
        records = facts.history.get(allocation["Cidr"], [])
        mine = [r for r in records if r.get("ResourceId") in (allocation.get("ResourceId"), None)]
        if mine:
            first = min(_time(r["SampledStartTime"]) for r in mine)
            starts.append((first, ipaddress.ip_network(allocation["Cidr"]).num_addresses))
    if not starts:
        return {"status": "no history", "detail": "IPAM has no history for the CIDRs this pool holds"}
    now = facts.read_at
    oldest = min(start for start, _ in starts)
    windows = []
    for days in WINDOWS:
        since = now - timedelta(days=days)
        grown = sum(size for start, size in starts if start >= since)
        rate = grown / days
        windows.append(
            {
                "days": days,
                "addresses": grown,
                "per_day": round(rate, 2),
                "complete": oldest <= since,  # history reaches back over the whole window
                "runs_out": (now + timedelta(days=pool["free"] / rate)).date().isoformat() if rate > 0 else None,
            }
        )
    if not any(w["complete"] for w in windows):
        covered = (now - oldest).days
        return {
            "status": "too little history",
            "detail": f"history reaches back {covered} days, less than {WINDOWS[0]}",
            "windows": windows,
        }
    return {"status": "ok", "windows": windows}
