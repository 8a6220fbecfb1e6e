"""The discovered config as YAML (what discovery saw and could not express on top, as comments), written only
once the file itself loads and validates as the deploy will read it."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from adoption.discover import Discovery


class _Dumper(yaml.SafeDumper):
    """Digit-only strings (account IDs) are quoted: unquoted, YAML reads them as numbers. No anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _string(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = '"' if value.isdigit() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _string)


def _comment(title: str, lines: list[str]) -> list[str]:
    return [f"# {title}:"] + [f"#   - {line}" for line in lines] if lines else []


def render(found: Discovery) -> str:
    adopt = found.config["adopt"]
    header = [
        f"# Written by python -m adoption discover: adopts IPAM {adopt['ipam']} and {len(adopt['pools'])} pools.",
        "# The first plan imports what exists (adopt:); keep adopt until that plan is applied.",
    ]
    header += _comment("Not adopted (the config cannot express it; AWS keeps it as it is)", found.cannot_express)
    header += _comment("Named differently from the Name tag", found.renamed)
    header += _comment("The first deploy would change", found.first_deploy_changes)
    body = yaml.dump(found.config, Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True, width=120)
    return "\n".join(header) + "\n\n" + body


def write_checked(found: Discovery, out: Path) -> list[str]:
    """Write the config to out if the written text loads and validates; else write nothing and return why."""
    from config.errors import ConfigError
    from config.loader import load_config
    from validation import validate

    draft = out.with_name(f".{out.name}.draft")
    draft.write_text(render(found))
    try:
        problems = [str(p) for p in validate(load_config(draft)).errors]
    except ConfigError as error:
        problems = [str(p) for p in error.problems]
    if problems:
        draft.unlink()
        return problems
    draft.replace(out)
    return []
