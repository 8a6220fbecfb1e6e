"""Problem paths as a reader looks for them: a pool by its name, and the line of the file it is on.

The rules name places by position (`pools[0].pools[1].allocation`), which is exact but makes a user count list
items in a deep tree. For the message, each position of a pool becomes its name where the name is unique in the file
(`pools["use1-dev"].allocation`), and the line of the nearest node the path reaches is put first
(`ipam.yaml:23: ...`). Only the text changes: the problems and their order are the rules'.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import yaml

from ipam_org.config.errors import Problem
from ipam_org.files import InputFileError, read_regular_text

# A path of the rules, up to its first space (" (key)" and similar stay as written).
_STEP = re.compile(r"(?:^|\.)(?P<key>[A-Za-z_][A-Za-z0-9_-]*)|\[(?P<index>\d+)\]")
_POOL_PATH = re.compile(r"pools\[\d+\](?:\.pools\[\d+\])*")


class Located:
    """Built once per file that has problems; a file that cannot be read as YAML keeps the paths as they are."""

    def __init__(self, source: str, text: str | None) -> None:
        self.source = source  # as the user gave it: editors jump to <file>:<line>
        self.root: yaml.Node | None = None
        if text is not None:
            from ipam_org.config.loader import LimitError, StrictLoader, check_limits

            try:
                check_limits(text)  # as the loader did: composing a hostile document could exhaust the C stack
                self.root = yaml.compose(text, Loader=StrictLoader)
            except (yaml.YAMLError, LimitError):
                self.root = None
        self.names = Counter(self._pool_names(self.root))

    def __call__(self, problem: Problem) -> str:
        readable, line = self._place(problem.path)
        message = _POOL_PATH.sub(lambda match: self._place(match.group(0))[0], problem.message)
        prefix = f"{self.source}:{line}: " if line is not None else ""
        return f"{prefix}{readable}: {message}"

    def _place(self, path: str) -> tuple[str, int | None]:
        """(the path with pools by name, the line of the deepest node it reaches)."""
        head, _, rest = path.partition(" ")
        steps = _steps(head)
        if steps is None or self.root is None:
            return path, None
        node, line, named, consumed = self.root, None, None, 0
        for position, step in enumerate(steps):
            node = _child(node, step)
            if node is None:
                break
            line = node.start_mark.line + 1
            if isinstance(step, int) and position > 0 and steps[position - 1] == "pools":
                name = _name_of(node)
                if name is not None and self.names[name] == 1:
                    named, consumed = name, position + 1
        text = head
        if named is not None:
            tail = _format(steps[consumed:])
            text = f"pools[{json.dumps(named)}]" + (
                ("." if tail and not tail.startswith("[") else "") + tail if tail else ""
            )
        return (f"{text} {rest}" if rest else text), line

    @staticmethod
    def _pool_names(node: yaml.Node | None) -> list[str]:
        """Every pool's name in the file, at any depth."""
        found: list[str] = []
        pending = [node] if node is not None else []
        while pending:
            current = pending.pop()
            pools = _child(current, "pools")
            for item in pools.value if isinstance(pools, yaml.SequenceNode) else []:
                name = _name_of(item)
                if name is not None:
                    found.append(name)
                pending.append(item)
        return found


def locator(source: str) -> Callable[[Problem], str]:
    from ipam_org.config.loader import MAX_BYTES

    try:  # as the loader reads it: a FIFO, a device or an oversized file is never read (it could block or not end)
        text = read_regular_text(Path(source), MAX_BYTES, "config file")
    except InputFileError:
        text = None
    return Located(source, text)


def _steps(path: str) -> list[str | int] | None:
    steps: list[str | int] = []
    position = 0
    for match in _STEP.finditer(path):
        if match.start() != position:
            return None  # not a path of the rules (a file name, for example)
        steps.append(match["key"] if match["key"] is not None else int(match["index"]))
        position = match.end()
    return steps if steps and position == len(path) else None


def _format(steps: list[str | int]) -> str:
    text = ""
    for step in steps:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


def _child(node: yaml.Node | None, step: str | int) -> yaml.Node | None:
    if isinstance(step, int):
        return node.value[step] if isinstance(node, yaml.SequenceNode) and step < len(node.value) else None
    if isinstance(node, yaml.MappingNode):
        return next((value for key, value in node.value if key.value == step), None)
    return None


def _name_of(node: yaml.Node | None) -> str | None:
    name = _child(node, "name")
    if isinstance(name, yaml.ScalarNode) and name.tag.endswith(":str") and name.value.isprintable():
        return name.value
    return None
