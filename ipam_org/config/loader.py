"""Read a config file into the typed model, turning every YAML or schema problem into a Problem.

Deliberately free of the CDKTF bindings: a bad file is refused before they load.
"""

from __future__ import annotations

import difflib
import os
import re
import reprlib
import typing
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from ipam_org.config.errors import ConfigError, PathPart, Problem, format_path
from ipam_org.config.model import Config
from ipam_org.files import InputFileError, read_regular_text

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 5x faster on large files
MERGE_TAG = "tag:yaml.org,2002:merge"

# Hard limits, checked on libyaml's event stream (a loop, no recursion) before anything is composed:
# libyaml's composer recurses on the C stack (a deep document kills the interpreter), and aliases let
# a small file expand to billions of nodes. A 1,000-pool config is about 150 KB, 20 levels and 20,000 nodes.
MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64  # collections inside collections; ten pool levels need about 25
MAX_ALIASES = 1_000
MAX_NODES = 500_000  # after expanding every alias

_repr = reprlib.Repr()  # never quote unbounded input (Python 3.11's Repr takes no keyword arguments)
_repr.maxlevel, _repr.maxstring, _repr.maxother, _repr.maxlist, _repr.maxdict = 2, 60, 60, 4, 4
_short = _repr.repr


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
            if key_node.tag == MERGE_TAG:
                continue  # `<<: *defaults` merges; explicit keys beside it override, as YAML says
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, typing.Hashable):
                raise DuplicateKeyError(problem="a list or mapping cannot be a key", problem_mark=key_node.start_mark)
            if key in seen:
                raise DuplicateKeyError(problem=f'duplicate key "{_clip(str(key))}"', problem_mark=key_node.start_mark)
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
        text = read_regular_text(path, MAX_BYTES, "config file")
    except InputFileError as error:
        raise ConfigError([Problem(source, str(error))]) from None
    try:
        check_limits(text)
        return yaml.load(text, Loader=StrictLoader)
    except DuplicateKeyError as error:
        hint = "" if "duplicate" not in str(error.problem) else ": a YAML loader would silently keep only the last one"
        raise ConfigError([Problem(source, f"{error.problem} at {_mark(error)}{hint}")]) from None
    except LimitError as error:
        raise ConfigError([Problem(source, str(error))]) from None
    except yaml.MarkedYAMLError as error:
        message = f"YAML syntax error at {_mark(error)}: {error.problem or error.context}"
        raise ConfigError([Problem(source, message)]) from None
    except yaml.YAMLError as error:  # the reader's errors (control characters) carry no mark
        raise ConfigError([Problem(source, f"not readable as YAML: {_clip(str(error), 200)}")]) from None
    except Exception as error:  # noqa: BLE001 - a tag's constructor raises anything on a bad value: !!int abc, !!timestamp abc
        raise ConfigError(
            [Problem(source, f"a YAML value cannot be read ({type(error).__name__}): {_clip(str(error), 200)}")]
        ) from None


class LimitError(Exception):
    pass


def check_limits(text: str) -> None:
    """Refuse documents too deep or too large once aliases are expanded, walking libyaml's events once."""
    sizes: dict[str, int] = {}  # anchor -> nodes in the anchored node, aliases expanded
    open_nodes: list[list] = []  # per open collection: [anchor, nodes so far]
    total = aliases = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            open_nodes.append([event.anchor, 1])
            if len(open_nodes) > MAX_DEPTH:
                raise LimitError(
                    f"nests collections more than {MAX_DEPTH} levels deep (line {event.start_mark.line + 1}); a "
                    "config needs about 25"
                )
            continue
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            anchor, count = open_nodes.pop()
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise LimitError(f"uses more than {MAX_ALIASES:,} aliases")
            anchor, count = None, sizes.get(event.anchor, 1)
        elif isinstance(event, yaml.ScalarEvent):
            anchor, count = event.anchor, 1
        else:
            continue
        if anchor is not None:
            sizes[anchor] = count
        if open_nodes:
            open_nodes[-1][1] += count
        total += count if not open_nodes else 0
        if (open_nodes and open_nodes[-1][1] > MAX_NODES) or total > MAX_NODES:
            raise LimitError(
                f"expands to more than {MAX_NODES:,} values once its aliases are expanded (an alias bomb?)"
            )


def _model_at(loc: tuple[PathPart, ...], root: type[BaseModel]) -> type[BaseModel] | None:
    """The model class whose fields are allowed at this location, for did-you-mean hints."""
    model: typing.Any = root
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


def _model_in(annotation: typing.Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _describe(error: dict, root: type[BaseModel]) -> str:
    kind, loc = error["type"], error["loc"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        model = _model_at(tuple(loc[:-1]), root)
        allowed = sorted(model.model_fields) if model else []
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f'; did you mean "{close[0]}"?' if close else f"; allowed keys: {', '.join(allowed)}"
        return f'unknown key "{_clip(key)}"{hint}'
    if kind == "missing":
        return "is required"
    if kind == "literal_error":
        return f"{error['msg'].replace('Input should be', 'must be')}, not {_short(error['input'])}"
    if kind == "value_error":
        return error["msg"].removeprefix("Value error, ")
    if kind == "model_type":
        return f"must be a mapping of keys, not {type(error['input']).__name__}"
    return f"{error['msg'].replace('Input should be', 'must be')} (got {_short(error['input'])})"


def schema_problems(error: ValidationError, root: type[BaseModel] = Config) -> list[Problem]:
    """Each problem pydantic found, at its path (relative to root: the config, or a construct's props)."""
    return [Problem(format_path(e["loc"]), _describe(e, root)) for e in error.errors(include_url=False)]


def load_config(path: os.PathLike | str) -> Config:
    """Parse and type-check the file; raises ConfigError with every schema problem."""
    path = Path(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError([Problem(str(path), "must be a YAML mapping with organization, providers and pools")])
    try:
        return Config.model_validate(data)
    except ValidationError as error:
        raise ConfigError(schema_problems(error), partial=_without_unknown_keys(data, error)) from None


def _without_unknown_keys(data: dict, error: ValidationError) -> Config | None:
    """The config with its misspelt keys dropped, if that is all that kept it from parsing: the rules then report
    the file's other problems in the same run (a CIDR outside its parent is not hidden behind a typo)."""
    errors = error.errors(include_url=False)
    if any(e["type"] != "extra_forbidden" for e in errors):
        return None
    import copy

    pruned = copy.deepcopy(data)
    for e in errors:
        holder: typing.Any = pruned
        for part in e["loc"][:-1]:
            holder = holder[part]
        holder.pop(e["loc"][-1], None)
    try:
        return Config.model_validate(pruned)
    except ValidationError:
        return None
