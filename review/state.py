"""Where the reviewed stacks keep their state: a review of a plan made against local state in CI says nothing."""
from __future__ import annotations

import json
from pathlib import Path


def local_state_stacks(outdir: Path) -> list[str]:
    """The stacks in a synthesized output directory whose backend is not remote (local, or none at all)."""
    try:
        manifest = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
        found = []
        for name, stack in sorted(manifest["stacks"].items()):
            document = json.loads((outdir / stack["synthesizedStackPath"]).read_text(encoding="utf-8"))
            backend = document.get("terraform", {}).get("backend") or {"local": {}}
            if "local" in backend:
                found.append(name)
        return found
    except (OSError, KeyError, TypeError, json.JSONDecodeError) as error:
        raise ValueError(f"{outdir}: not a synthesized cdktf output directory ({error})") from None
