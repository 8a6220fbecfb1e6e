"""User text as Terraform literals: Terraform reads every JSON string as a template."""

from __future__ import annotations


def literal(text: str | None) -> str | None:
    """`${` and `%{` start template code in Terraform; `$${` and `%%{` are their literal spellings.

    Every user string (descriptions, tags, provider settings) goes through here, so a config cannot
    make Terraform evaluate `${file("...")}` on the machine that plans it.
    """
    if text is None:
        return None
    return text.replace("${", "$${").replace("%{", "%%{")


def literal_map(values: dict[str, str]) -> dict[str, str]:
    """Keys and values, sorted by key so the YAML's order never changes the output."""
    return {literal(key): literal(value) for key, value in sorted(values.items())}
