"""Reads spec files into models; the only place that does, so every error is located alike.

YAML is composed node by node with ruamel.yaml's safe, pure-Python parser and turned into plain
data here, which keeps the line and column of every key and value, refuses tags that would
construct objects, and refuses anchors and aliases (so alias bombs cost nothing).
"""

from __future__ import annotations

import difflib
import hashlib
import io
import json
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from contractkit import rules
from contractkit.errors import Location, Problem, SpecError
from contractkit.spec import SPEC_FORMAT, Spec

MAX_SPEC_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_NUMBER_DIGITS = 40
EMPTY_FILE = "the file is empty; run 'contractkit init' for a commented start"
YamlPath = tuple[str | int, ...]
TAG = "tag:yaml.org,2002:"


class SourceFloat(float):
    """A float that remembers how it was written, so a bare version like 3.10 keeps its zero."""

    source_text: str

    def __new__(cls, value: float, text: str) -> SourceFloat:
        obj = super().__new__(cls, value)
        obj.source_text = text
        return obj


class SourceInt(int):
    """An int that remembers how it was written (a version written as 3)."""

    source_text: str

    def __new__(cls, value: int, text: str) -> SourceInt:
        obj = super().__new__(cls, value)
        obj.source_text = text
        return obj


@dataclass
class Document:
    """Plain data read from a file, with the position of every key and value."""

    file: str
    data: Any
    positions: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: YamlPath, *, key: bool = False) -> Location:
        """The best position for a path: the value itself (or its key, with ``key``).

        A path that is not in the file (a missing field) is placed at the key of the nearest
        mapping that should hold it, e.g. ``customer:`` for ``customer.hipaa_role``.
        """
        if key and path in self.key_positions:
            line, column = self.key_positions[path]
        elif path in self.positions:
            line, column = self.positions[path]
        else:
            probe = path[:-1]
            while probe and probe not in self.positions:
                probe = probe[:-1]
            table = self.key_positions if probe in self.key_positions else self.positions
            line, column = table.get(probe, (1, 1))
        return Location(self.file, line, column, dotted(path))


@dataclass
class LoadedSpec:
    """A valid spec with what was learned while loading it."""

    spec: Spec
    path: Path
    sha256: str
    warnings: list[Problem]
    document: Document


def dotted(path: YamlPath) -> str:
    """A field path as users write it: ``workloads[0].quality.accuracy_target``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def read_text(path: Path, *, limit: int = MAX_SPEC_BYTES) -> str:
    """A file's text as UTF-8, or a located error for anything a person could get wrong."""
    return decode(read_bytes(path, limit=limit), path)


def read_bytes(path: Path, *, limit: int = MAX_SPEC_BYTES) -> bytes:
    """A file's bytes, with a located error when it cannot be read or is too large."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise SpecError.at(name, f"file is {size} bytes; the limit is {limit}")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SpecError.at(name, "no such file") from None
    except IsADirectoryError:
        raise SpecError.at(name, "is a directory, not a file") from None
    except OSError as exc:
        raise SpecError.at(name, f"cannot read: {exc.strerror}") from None
    return raw


def decode(raw: bytes, path: Path) -> str:
    """UTF-8 text (a byte-order mark is allowed), or the line and column of the bad byte."""
    name = str(path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise SpecError.at(
            name,
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
            line,
            column,
        ) from None


def parse(text: str, file: str, *, top_level: tuple[type, ...] = (dict,)) -> Document:
    """YAML 1.2 (or JSON) text to plain data with positions; raises SpecError with a location."""
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise SpecError.at(file, EMPTY_FILE, 1, 1)
    if file.endswith(".json"):
        _check_json(text, file)
    try:
        node = _compose(text, file)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise SpecError.at(file, f"YAML syntax error: {_yaml_message(exc)}", line, column) from None
    except YAMLError as exc:
        raise SpecError.at(file, f"YAML syntax error: {exc}") from None
    except RecursionError:
        raise SpecError.at(file, f"nesting is deeper than {MAX_DEPTH} levels") from None
    if node is None or _is_empty(node):
        raise SpecError.at(file, EMPTY_FILE, 1, 1)
    doc = Document(file, None)
    doc.data = _construct(node, (), doc, 0)
    if not isinstance(doc.data, top_level):
        kind = "a list" if isinstance(doc.data, list) else "a single value"
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        raise SpecError.at(
            file, f"expected a mapping of keys at the top level, found {kind}", line, column
        )
    return doc


def _compose(text: str, file: str) -> Node | None:
    """The node tree, read by libyaml when it is installed (fast) and checked before building.

    When libyaml finds an error, the pure-Python parser reads the text again: its messages say
    more about where the problem started.
    """
    fast = YAML(typ="safe")
    fast.version = (1, 2)
    if fast.Parser.__name__ == "CParser":
        try:
            _check_events(fast, text, file)
            node: Node | None = fast.compose(io.StringIO(text))
            return node
        except YAMLError:
            pass
    careful = YAML(typ="safe", pure=True)
    careful.version = (1, 2)
    _check_events(careful, text, file)
    composed: Node | None = careful.compose(io.StringIO(text))
    return composed


def _yaml_message(exc: MarkedYAMLError) -> str:
    """The parser's complaint, with where the unfinished construct began."""
    problem: str | None = exc.problem
    context: str | None = exc.context
    start = exc.context_mark
    if not problem:
        return context or "invalid YAML"
    for token, words in (("'<scalar>'", "a value"), ("'<stream end>'", "the end of the file")):
        problem = problem.replace(token, words)
    if problem.startswith("expected <block end>"):
        problem = "this line is indented differently from the lines above it"
    elif problem == "mapping values are not allowed here":
        problem = (
            "unexpected ':'; put a value that contains ': ' in quotes, or check the indentation"
        )
    elif "'\\t'" in problem:
        problem = "found a tab; indent with spaces, not tabs"
    if context and problem.startswith("but "):
        return f"{context}, {problem}"
    if (
        context
        and start is not None
        and context.startswith(("while parsing a", "while scanning a"))
    ):
        what = context.split(" ", 2)[2]
        problem += f" ({what} that starts at line {start.line + 1}, column {start.column + 1})"
    return problem


def _check_events(yaml: YAML, text: str, file: str) -> None:
    """Refuse anchors, aliases and deep nesting while streaming, before anything is built.

    Stopping at the first level too deep keeps a file of nested brackets cheap to reject.
    """
    depth = 0
    for event in yaml.parse(io.StringIO(text)):
        mark = event.start_mark
        if isinstance(event, AliasEvent) or (
            isinstance(event, CollectionStartEvent | ScalarEvent) and event.anchor
        ):
            raise SpecError.at(
                file,
                "anchors and aliases (& and *) are not supported; write the value out",
                mark.line + 1,
                mark.column + 1,
            )
        if isinstance(event, CollectionStartEvent | ScalarEvent) and depth > MAX_DEPTH:
            raise SpecError.at(
                file, f"nesting is deeper than {MAX_DEPTH} levels", mark.line + 1, mark.column + 1
            )
        if isinstance(event, CollectionStartEvent):
            depth += 1
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


def _check_json(text: str, file: str) -> None:
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError.at(file, f"JSON syntax error: {exc.msg}", exc.lineno, exc.colno) from None
    except (RecursionError, ValueError):
        pass  # nesting or huge numbers: the YAML reader reports them with their position


def _construct(node: Node, path: YamlPath, doc: Document, depth: int) -> Any:
    doc.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if depth > MAX_DEPTH:
        raise _node_error(doc, node, f"nesting is deeper than {MAX_DEPTH} levels")
    if isinstance(node, MappingNode):
        _expect_tag(node, "map", doc)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or not (key_node.tag or "").endswith(":str"):
                raise _node_error(doc, key_node, "keys must be plain names")
            key = key_node.value
            if key in result:
                raise _node_error(doc, key_node, f"duplicate key '{key}'")
            key_position = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            doc.key_positions[(*path, key)] = key_position
            result[key] = _construct(value_node, (*path, key), doc, depth + 1)
            if _is_empty(value_node):
                # An empty value has no text of its own; its mark is wherever the next token is.
                doc.positions[(*path, key)] = key_position
        return result
    if isinstance(node, SequenceNode):
        _expect_tag(node, "seq", doc)
        return [_construct(item, (*path, i), doc, depth + 1) for i, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    return _scalar(node, doc)


def _is_empty(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == TAG + "null" and node.value == ""


def _expect_tag(node: Node, kind: str, doc: Document) -> None:
    if node.tag != TAG + kind:
        raise _node_error(doc, node, f"tag '{_short_tag(node.tag or '')}' is not allowed in a spec")


def _scalar(node: ScalarNode, doc: Document) -> Any:
    tag, text = node.tag or "", node.value
    if not tag.startswith(TAG):
        raise _node_error(doc, node, f"tag '{_short_tag(tag)}' is not allowed in a spec")
    kind = tag[len(TAG) :]
    if kind == "str" or kind == "timestamp":
        return text
    if kind == "null":
        return None
    if kind == "bool":
        return text.lower() == "true"
    if kind == "int":
        digits = text.replace("_", "")
        if len(digits) > MAX_NUMBER_DIGITS:
            raise _node_error(doc, node, f"number has more than {MAX_NUMBER_DIGITS} digits")
        try:
            value = int(digits, 0)
        except ValueError:
            value = int(digits, 10)
        return SourceInt(value, text)
    if kind == "float":
        lowered = text.lower().replace("_", "")
        if lowered.lstrip("+-") in (".inf", ".nan"):
            number = float(lowered.replace(".", ""))
        else:
            number = float(lowered)
        return SourceFloat(number, text)
    raise _node_error(doc, node, f"tag '{_short_tag(tag)}' is not allowed in a spec")


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(TAG) :] if tag.startswith(TAG) else tag


def _node_error(doc: Document, node: Node, message: str) -> SpecError:
    mark = node.start_mark
    return SpecError([Problem(Location(doc.file, mark.line + 1, mark.column + 1), message)])


def validate(doc: Document) -> tuple[Spec, list[Problem]]:
    """Structural validation then cross-field rules; raises with every error of the file."""
    try:
        spec = Spec.model_validate(doc.data)
    except ValidationError as exc:
        raise SpecError(_pydantic_problems(exc, doc)) from None
    problems = [
        Problem(
            _finding_location(doc, f),
            f.message,
            f.severity,
        )
        for f in rules.check(spec)
    ]
    problems.sort(key=lambda p: (p.location.line or 0, p.location.column or 0))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise SpecError(problems)
    return spec, problems


def _finding_location(doc: Document, finding: rules.Finding) -> Location:
    where = finding.path if finding.path in doc.positions else (finding.anchor or finding.path)
    located = doc.locate(where)
    return Location(located.file, located.line, located.column, dotted(finding.path))


def _pydantic_problems(exc: ValidationError, doc: Document) -> list[Problem]:
    found: list[tuple[YamlPath, str, Problem]] = []
    suggested: set[YamlPath] = set()
    for err in exc.errors(include_url=False):
        path = _data_path(err["loc"], doc.data)
        kind = err["type"]
        if kind == "extra_forbidden":
            message, suggestion = _unknown_key_message(path)
            if suggestion:
                suggested.add((*path[:-1], suggestion))
            location = doc.locate(path, key=True)
        elif kind == "missing":
            message = f"required field '{path[-1]}' is missing"
            location = doc.locate(path)
        elif path == ("contractkit",) and kind == "literal_error":
            message = (
                f"must be {SPEC_FORMAT}, the spec format this contractkit reads; "
                f"got {_shown(err.get('input'))}"
            )
            location = doc.locate(path)
        else:
            message = _humane(err)
            location = doc.locate(path)
        found.append((path, kind, Problem(location, message)))
    problems: list[Problem] = []
    seen: set[tuple[YamlPath, str]] = set()
    for path, kind, problem in found:
        # A misspelt key also leaves the right one missing; the suggestion already says so.
        if (kind == "missing" and path in suggested) or (path, problem.message) in seen:
            continue
        seen.add((path, problem.message))
        problems.append(problem)
    problems.sort(key=lambda p: (p.location.line or 0, p.location.column or 0))
    return problems


def _data_path(loc: tuple[str | int, ...], data: Any) -> YamlPath:
    """The part of a pydantic location that names real keys and indexes in the data.

    pydantic also puts union members and validator names into locations; they are dropped.
    A final key that is not in the data (a missing field) is kept.
    """
    path: list[str | int] = []
    current = data
    for i, part in enumerate(loc):
        in_dict = isinstance(current, dict) and isinstance(part, str) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_dict or in_list:
            current = current[part]
        elif i == len(loc) - 1 and isinstance(current, dict):
            path.append(part)
            break
        else:
            continue
        path.append(part)
    return tuple(path)


def _shown(value: Any) -> str:
    """A value as the user wrote it: text quoted, numbers as typed."""
    text = getattr(value, "source_text", None)
    return text if text is not None else repr(value)


# pydantic's wording for a value of the wrong kind, in the words of a spec's author.
_EXPECTED = {
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be text",
    "list_type": "must be a list, e.g. [a, b]",
    "model_type": "must be a mapping of fields (name: value)",
    "model_attributes_type": "must be a mapping of fields (name: value)",
    "dict_type": "must be a mapping of fields (name: value)",
}


def _humane(err: Any) -> str:
    """pydantic's message for one error, rewritten for the person who wrote the spec."""
    kind: str = err["type"]
    value = err.get("input")
    ctx: dict[str, Any] = err.get("ctx") or {}
    message: str = err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if value is None:
        return "is empty; a value is required"
    if kind in _EXPECTED:
        return f"{_EXPECTED[kind]}; got {_shown(value)}"
    if kind == "less_than_equal" and ctx.get("le") == 1:
        hint = ""
        if isinstance(value, int | float) and 1 < value <= 100:
            hint = f" (did you mean {value / 100:g}?)"
        return f"must be a fraction from 0 to 1 (0.98 = 98%); got {_shown(value)}{hint}"
    bounds = {
        "less_than_equal": ("at most", "le"),
        "less_than": ("less than", "lt"),
        "greater_than_equal": ("at least", "ge"),
        "greater_than": ("greater than", "gt"),
    }
    if kind in bounds and isinstance(value, int | float):
        words, key = bounds[kind]
        return f"must be {words} {ctx[key]:g}; got {_shown(value)}"
    if kind in ("enum", "literal_error") and "expected" in ctx:
        message = f"must be {ctx['expected']}; got {_shown(value)}"
        choices = re.findall(r"'([^']*)'", str(ctx["expected"]))
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
        return message + (f"; did you mean '{close[0]}'?" if close else "")
    if kind.startswith("date"):
        if isinstance(value, str) and "outside expected range" in str(ctx.get("error", "")):
            return f"'{value}' is not a valid date: {ctx['error']}"
        return f"{_shown(value)} is not a date in the form YYYY-MM-DD"
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return "must not be empty"
    if kind == "too_short":
        count = ctx.get("min_length", 1)
        return f"must list at least {count} item{'s' * (count != 1)}; got none"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if pattern.startswith("^[a-z0-9]"):
            return (
                f"'{value}' is not a valid id: use lower-case letters, digits and hyphens, "
                "starting with a letter or digit, at most 63 characters"
            )
        if pattern == "^[A-Z]{3}$":
            return f"'{value}' is not an ISO 4217 currency code: three capital letters, e.g. USD"
    if message.startswith("value is not a valid email address"):
        return f"'{value}' is not a valid e-mail address: " + message.split(": ", 1)[-1]
    if message.startswith("Input should be") and isinstance(value, str | int | float | bool):
        return f"{message}; got {_shown(value)}"
    return message


def _unknown_key_message(path: YamlPath) -> tuple[str, str | None]:
    """The message for a key no model has, and the field it was probably meant to be."""
    key = str(path[-1])
    allowed = _fields_at(Spec, path[:-1])
    message = f"unknown field '{key}'"
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"{message}; did you mean '{close[0]}'?", close[0]
    if allowed:
        message += f"; expected one of: {', '.join(allowed)}"
    return message, None


def _fields_at(model: type[BaseModel], path: YamlPath) -> list[str]:
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        target = _model_in(current)
        if target is None or part not in target.model_fields:
            return []
        current = target.model_fields[part].annotation
    target = _model_in(current)
    return list(target.model_fields) if target else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType) or origin is typing.Annotated:
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


def load_spec(path: str | Path) -> LoadedSpec:
    """Read, parse and validate one spec file; raises SpecError listing every problem."""
    path = Path(path)
    raw = read_bytes(path)
    doc = parse(decode(raw, path), str(path))
    spec, warnings = validate(doc)
    digest = hashlib.sha256(raw).hexdigest()
    return LoadedSpec(spec, path, digest, warnings, doc)
