"""The discovered config as YAML: what discovery saw and could not express on top, as comments."""
from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError

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


def validated(config: dict[str, Any]) -> list[str]:
    """The problems validation finds in the discovered config (none expected; a guard before writing)."""
    from config.model import Config
    from validation import validate

    try:
        model = Config.model_validate(config)
    except ValidationError as error:
        return [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]
    return [str(problem) for problem in validate(model).errors]
