"""Read a config file into the typed model, turning every YAML or schema problem into a Problem.

Deliberately free of the CDKTF bindings: a bad file is refused before they load.
"""
from __future__ import annotations

import difflib
import os
import re
import typing
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from config.errors import ConfigError, PathPart, Problem, format_path
from config.model import Config


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 5x faster on large files


class DuplicateKeyError(yaml.MarkedYAMLError):
    pass


class StrictLoader(_BaseLoader):
    """The safe loader, refusing duplicate keys (a loader that keeps the last one hides mistakes).

    Unquoted digits with a leading zero are numbers here, as in YAML 1.2 (YAML 1.1 would keep
    012345678901 a string but read 012345670123 as octal): the schema then asks for quotes.
    """

    def construct_leading_zero_int(self, node: yaml.ScalarNode) -> int:
        text = node.value.replace("_", "")
        if re.fullmatch(r"0\d*[89]\d*", text):
            return int(text, 10)
        return self.construct_yaml_int(node)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise DuplicateKeyError(problem=f'duplicate key "{key}"', problem_mark=key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


StrictLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^0[0-9_]+$"), list("0"))
StrictLoader.add_constructor("tag:yaml.org,2002:int", StrictLoader.construct_leading_zero_int)


def _mark(error: yaml.MarkedYAMLError) -> str:
    mark = error.problem_mark or error.context_mark
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"


def read_yaml(path: Path) -> object:
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([Problem(source, "file not found")]) from None
    except IsADirectoryError:
        raise ConfigError([Problem(source, "is a directory, not a config file")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError([Problem(source, f"cannot be read: {error}")]) from None
    try:
        return yaml.load(text, Loader=StrictLoader)
    except DuplicateKeyError as error:
        message = f"{error.problem} at {_mark(error)}: a YAML loader would silently keep only the last one"
        raise ConfigError([Problem(source, message)]) from None
    except yaml.MarkedYAMLError as error:
        message = f"YAML syntax error at {_mark(error)}: {error.problem or error.context}"
        raise ConfigError([Problem(source, message)]) from None


def _model_at(loc: tuple[PathPart, ...]) -> typing.Optional[type[BaseModel]]:
    """The model class whose fields are allowed at this location, for did-you-mean hints."""
    model: typing.Any = Config
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        model = _model_in(field.annotation)
        if model is None:
            return None
    return model


def _model_in(annotation: typing.Any) -> typing.Optional[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _describe(error: dict) -> str:
    kind, loc = error["type"], error["loc"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        model = _model_at(tuple(loc[:-1]))
        allowed = sorted(model.model_fields) if model else []
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f'; did you mean "{close[0]}"?' if close else f"; allowed keys: {', '.join(allowed)}"
        return f'unknown key "{key}"{hint}'
    if kind == "missing":
        return "is required"
    if kind == "literal_error":
        return f"{error['msg'].replace('Input should be', 'must be')}, not {error['input']!r}"
    if kind == "value_error":
        return error["msg"].removeprefix("Value error, ")
    if kind == "model_type":
        return f"must be a mapping of keys, not {type(error['input']).__name__}"
    return f"{error['msg'].replace('Input should be', 'must be')} (got {error['input']!r})"


def schema_problems(error: ValidationError) -> list[Problem]:
    return [Problem(format_path(e["loc"]), _describe(e)) for e in error.errors(include_url=False)]


def load_config(path: os.PathLike | str) -> Config:
    """Parse and type-check the file; raises ConfigError with every schema problem."""
    path = Path(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError([Problem(str(path), "must be a YAML mapping with organization, providers and pools")])
    try:
        return Config.model_validate(data)
    except ValidationError as error:
        raise ConfigError(schema_problems(error)) from None
