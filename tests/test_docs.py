"""The README and docs as a reader meets them: the set-up commands are the ones CI runs, and every relative link
(file and heading anchor) resolves, read through a real CommonMark parser."""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PARSER = MarkdownIt("commonmark").enable("table")


def tokens(path: Path) -> list:
    return PARSER.parse(path.read_text(encoding="utf-8"))


def shell_blocks(path: Path) -> list[str]:
    return [t.content.strip() for t in tokens(path) if t.type == "fence" and t.info.strip() == "sh"]


def test_the_readme_gives_exactly_the_two_set_up_commands_and_ci_runs_the_second():
    section = (ROOT / "README.md").read_text().split("## Set-up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    blocks = [t.content.strip() for t in PARSER.parse(section) if t.type == "fence"]
    assert len(blocks) == 2 and all("\n" not in block for block in blocks), blocks
    main_job, all_tests = blocks
    assert main_job.startswith("pip install pipenv==") and main_job.endswith("pipenv run ipam-org synth")
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if "pipenv run pytest" in line]
    assert ci == [all_tests]


def test_every_config_the_readme_shows_is_valid():
    """A reader copies them: each YAML block of the README loads and passes every rule."""
    import yaml

    from ipam_org.config.model import Config
    from ipam_org.validation import validate

    configs = [t.content for t in tokens(ROOT / "README.md") if t.type == "fence" and t.info.strip() == "yaml"]
    assert configs
    for text in configs:
        report = validate(Config.model_validate(yaml.safe_load(text)))
        assert report.errors == [] and report.warnings == [], text


def anchors(path: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    found = set()
    stream = tokens(path)
    for index, token in enumerate(stream):
        if token.type == "heading_open":
            text = stream[index + 1].content.lower()
            found.add(re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", text)))
    return found


def links(path: Path) -> list[str]:
    found = []
    for token in tokens(path):
        for child in token.children or []:
            if child.type == "link_open":
                found.append(child.attrGet("href"))
    return found


def test_every_relative_link_resolves():
    broken = []
    for document in DOCUMENTS:
        for href in links(document):
            if re.match(r"[a-z]+:", href):
                continue
            target, _, anchor = href.partition("#")
            path = (document.parent / target).resolve() if target else document
            if not path.exists():
                broken.append(f"{document.relative_to(ROOT)}: {href}")
            elif anchor and path.suffix == ".md" and anchor not in anchors(path):
                broken.append(f"{document.relative_to(ROOT)}: {href} (no such heading)")
    assert not broken, broken
