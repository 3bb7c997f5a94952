"""Reads YAML and JSON files into plain data that remembers where every key and value was written.

YAML is composed node by node with ruamel.yaml's safe parser and turned into plain data here,
which keeps the line and column of every key and value, refuses tags that would construct
objects, and refuses anchors and aliases (so alias bombs cost nothing). Specs and the clause
library are both read this way, so their errors are located alike.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from contractkit.errors import Location, Problem, SpecError

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_NUMBER_DIGITS = 40
EMPTY_FILE = "the file is empty; run 'contractkit init' for a commented start"
YamlPath = tuple[str | int, ...]
TAG = "tag:yaml.org,2002:"
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_KINDS = {
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
}
# What YAML 1.2 does not allow in a file (JSON allows all but C0 controls inside strings).
NOT_IN_YAML = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
# In a JSON string these are plain characters; written as escapes, YAML reads them unchanged.
JSON_ESCAPED = re.compile(f"{NOT_IN_YAML.pattern}|[\x85\u2028\u2029]")
_CONTROL_NAMES = {0x00: "NUL", 0x1B: "ESC", 0x7F: "DEL"}


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
class LocatedData:
    """Plain data read from a file, with the position of every key and value in that file.

    ``first_line`` is the file's line the parsed text started on (front matter starts on 2),
    so every position, and every error, names the line a person sees in the file.
    """

    file: str
    data: Any
    positions: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    first_line: int = 1

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
            line, column = table.get(probe, (self.first_line, 1))
        return Location(self.file, line, column, dotted(path))

    def at(self, path: YamlPath) -> Any:
        """The value at a path that is known to be in the data."""
        value = self.data
        for part in path:
            value = value[part]
        return value


def dotted(path: YamlPath) -> str:
    """A field path as users write it: ``workloads[0].quality.accuracy_target``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def read_text(path: Path, *, limit: int = MAX_FILE_BYTES) -> str:
    """A file's text as UTF-8, or a located error for anything a person could get wrong."""
    return decode(read_bytes(path, limit=limit), path)


def read_bytes(path: Path, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """A file's bytes, with a located error when it cannot be read or is too large.

    Only a regular file is read: a device (``/dev/zero``), a named pipe or a socket is refused
    before a byte is read, and no more than ``limit`` bytes are ever read.
    """
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC)
    except FileNotFoundError:
        raise SpecError.at(name, "no such file") from None
    except IsADirectoryError:
        raise SpecError.at(name, "is a directory, not a file") from None
    except OSError as exc:
        raise SpecError.at(name, f"cannot read: {exc.strerror}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise SpecError.at(name, "is a directory, not a file")
        kind = _KINDS.get(stat.S_IFMT(info.st_mode), "a special file")
        raise SpecError.at(name, f"is {kind}, not a regular file; nothing was read")
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > limit:
            raise SpecError.at(name, f"file is {info.st_size} bytes; the limit is {limit}")
        try:
            raw = handle.read(limit + 1)
        except OSError as exc:
            raise SpecError.at(name, f"cannot read: {exc.strerror}") from None
    if len(raw) > limit:
        raise SpecError.at(name, f"file is more than {limit} bytes; the limit is {limit}")
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


def parse(
    text: str, file: str, *, top_level: tuple[type, ...] = (dict,), first_line: int = 1
) -> LocatedData:
    """YAML 1.2 (or JSON) text to plain data with positions; raises SpecError with a location.

    ``first_line`` is where ``text`` starts in ``file`` when it is only part of it.
    """
    shift = first_line - 1
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise SpecError.at(file, EMPTY_FILE, first_line, 1)
    if file.endswith(".json"):
        _check_json(text, file)
        # Inside JSON strings (the only place json.loads lets them be) these become escapes.
        text = JSON_ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    else:
        _check_characters(text, file, first_line)
    try:
        node = _compose(text, file, shift)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + first_line, mark.column + 1) if mark else (None, None)
        message = f"YAML syntax error: {_yaml_message(exc, shift)}"
        raise SpecError.at(file, message, line, column) from None
    except YAMLError as exc:
        raise SpecError.at(file, f"YAML syntax error: {exc}") from None
    except RecursionError:
        raise SpecError.at(file, f"nesting is deeper than {MAX_DEPTH} levels") from None
    if node is None or _is_empty(node):
        raise SpecError.at(file, EMPTY_FILE, first_line, 1)
    doc = LocatedData(file, None, first_line=first_line)
    doc.data = _construct(node, (), doc, 0)
    if not isinstance(doc.data, top_level):
        kind = "a list" if isinstance(doc.data, list) else "a single value"
        line, column = node.start_mark.line + first_line, node.start_mark.column + 1
        raise SpecError.at(
            file, f"expected a mapping of keys at the top level, found {kind}", line, column
        )
    return doc


@functools.lru_cache(maxsize=1024)
def parse_once(
    text: str, file: str, *, top_level: tuple[type, ...] = (dict,), first_line: int = 1
) -> LocatedData:
    """``parse``, kept per process for the same text and file name.

    Parsing is most of loading a spec or a library file; a watch, a review, a lint or a batch
    that reads the same text again re-validates it (models, rules, located errors) but takes
    the parsed data from here. What validates the data only reads it. A text that fails to
    parse raises again each time (an exception is not kept).
    """
    return parse(text, file, top_level=top_level, first_line=first_line)


def _compose(text: str, file: str, shift: int) -> Node | None:
    """The node tree, read by libyaml when it is installed (fast) and checked before building.

    When libyaml finds an error, the pure-Python parser reads the text again: its messages say
    more about where the problem started.
    """
    fast = _libyaml_reader()
    if fast is not None:
        fast.doc_infos.clear()  # it records each stream read; only the current one matters
        try:
            _check_events(fast, text, file, shift)
            node: Node | None = fast.compose(io.StringIO(text))
            return node
        except YAMLError:
            pass
    careful = YAML(typ="safe", pure=True)
    careful.version = (1, 2)
    _check_events(careful, text, file, shift)
    composed: Node | None = careful.compose(io.StringIO(text))
    return composed


_PER_THREAD = threading.local()


def _libyaml_reader() -> YAML | None:
    """A safe YAML 1.2 reader backed by libyaml, made once per thread (None without libyaml).

    Making one looks its plug-ins up on disk, which costs more than reading a clause file. It
    keeps no state from one file to the next: each read makes a fresh libyaml parser.
    """
    if not hasattr(_PER_THREAD, "reader"):
        yaml = YAML(typ="safe")
        yaml.version = (1, 2)
        _PER_THREAD.reader = yaml if yaml.Parser.__name__ == "CParser" else None
    reader: YAML | None = _PER_THREAD.reader
    return reader


def _yaml_message(exc: MarkedYAMLError, shift: int) -> str:
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
        line = start.line + 1 + shift
        problem += f" ({what} that starts at line {line}, column {start.column + 1})"
    return problem


def _check_events(yaml: YAML, text: str, file: str, shift: int) -> None:
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
                mark.line + 1 + shift,
                mark.column + 1,
            )
        if isinstance(event, CollectionStartEvent | ScalarEvent) and depth > MAX_DEPTH:
            raise SpecError.at(
                file,
                f"nesting is deeper than {MAX_DEPTH} levels",
                mark.line + 1 + shift,
                mark.column + 1,
            )
        if isinstance(event, CollectionStartEvent):
            depth += 1
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


def _check_characters(text: str, file: str, first_line: int) -> None:
    """The first character YAML does not allow (NUL, DEL, other controls), at its position."""
    bad = NOT_IN_YAML.search(text)
    if bad is None:
        return
    start = bad.start()
    line = text.count("\n", 0, start) + first_line
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    code = ord(bad.group())
    name = f"U+{code:04X}" + (f" ({_CONTROL_NAMES[code]})" if code in _CONTROL_NAMES else "")
    raise SpecError.at(
        file,
        f"character {name} is not allowed in YAML; remove it (in a double-quoted string it "
        f"may be written as \\u{code:04x})",
        line,
        column,
    )


def _check_json(text: str, file: str) -> None:
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError.at(file, f"JSON syntax error: {exc.msg}", exc.lineno, exc.colno) from None
    except (RecursionError, ValueError):
        pass  # nesting or huge numbers: the YAML reader reports them with their position


def _position(node: Node, doc: LocatedData) -> tuple[int, int]:
    return (node.start_mark.line + doc.first_line, node.start_mark.column + 1)


def _construct(node: Node, path: YamlPath, doc: LocatedData, depth: int) -> Any:
    doc.positions[path] = _position(node, doc)
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
            key_position = _position(key_node, doc)
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


def _expect_tag(node: Node, kind: str, doc: LocatedData) -> None:
    if node.tag != TAG + kind:
        raise _node_error(doc, node, f"tag '{_short_tag(node.tag or '')}' is not allowed in a spec")


def _scalar(node: ScalarNode, doc: LocatedData) -> Any:
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


def _node_error(doc: LocatedData, node: Node, message: str) -> SpecError:
    line, column = _position(node, doc)
    return SpecError([Problem(Location(doc.file, line, column), message)])
