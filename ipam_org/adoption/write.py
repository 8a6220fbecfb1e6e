"""The discovered config as YAML (what discovery saw and could not express on top, as comments), written only
once the file itself loads and validates as the deploy will read it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ipam_org.adoption.discover import Discovery
from ipam_org.config.display import visible


class _Dumper(yaml.SafeDumper):
    """Digit-only strings (account IDs) and strings with invisible characters are double-quoted. No anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _string(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # Double quotes escape every line break and control character; other styles fold \r and NEL into \n.
    style = '"' if value.isdigit() or visible(value) != value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _string)


def _comment(title: str, lines: list[str]) -> list[str]:
    """Notes quote AWS text (Name tags, share names): one comment line each, whatever the text holds."""
    return [f"# {title}:"] + [f"#   - {visible(line)}" for line in lines] if lines else []


def render(found: Discovery) -> str:
    adopt = found.config["adopt"]
    header = [
        f"# Written by ipam-org discover: adopts IPAM {adopt['ipam']} and {len(adopt['pools'])} pools.",
        "# The first plan imports what exists (adopt:); keep adopt until that plan is applied.",
    ]
    header += _comment("Not adopted (the config cannot express it; AWS keeps it as it is)", found.cannot_express)
    header += _comment("Named differently from the Name tag", found.renamed)
    header += _comment("The first deploy would change", found.first_deploy_changes)
    body = yaml.dump(
        found.config, Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True, width=120
    )
    return "\n".join(header) + "\n\n" + body


def write_checked(found: Discovery, out: Path) -> list[str]:
    """Write the config to out if the written text loads back as exactly the discovered data and validates;
    else write nothing and return why. Whatever AWS text did to the YAML, only data that discovery saw lands."""
    from ipam_org.config.errors import ConfigError
    from ipam_org.config.loader import load_config, read_yaml
    from ipam_org.validation import validate

    draft = out.with_name(f".{out.name}.draft")
    draft.write_text(render(found), encoding="utf-8")
    try:
        if read_yaml(draft) != found.config:
            problems = [
                "the written YAML does not read back as the discovered config (text from AWS changed its structure)"
            ]
        else:
            problems = [str(p) for p in validate(load_config(draft)).errors]
    except ConfigError as error:
        problems = [str(p) for p in error.problems]
    if problems:
        draft.unlink()
        return problems
    draft.replace(out)
    return []
