"""pydantic's validation errors, rewritten for the person who wrote the file and placed at its line.

Specs and clause-library files (front matter, outlines, definitions, requirements) are checked
by pydantic models; both kinds of author get the same wording, e.g. ``unknown field 'colur';
did you mean 'colour'?`` rather than pydantic's own.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from contractkit.errors import Problem
from contractkit.yamlread import LocatedData, YamlPath

# A message for one error at one path, or None to use the general wording.
Explain = Callable[[YamlPath, ErrorDetails], str | None]

# pydantic's wording for a value of the wrong kind, in the words of a file's author.
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


def located_problems(
    exc: ValidationError,
    doc: LocatedData,
    model: type[BaseModel],
    *,
    base: YamlPath = (),
    patterns: Mapping[str, str] | None = None,
    explain: Explain | None = None,
) -> list[Problem]:
    """Every error of ``exc`` as one located, humane problem, in file order.

    ``model`` validated the data found at ``base`` in ``doc``. ``patterns`` maps a field's
    regular expression to what it asks for, with ``{value}`` standing for the text given.
    """
    found: list[tuple[YamlPath, str, Problem]] = []
    suggested: set[YamlPath] = set()
    data = doc.at(base)
    for err in exc.errors(include_url=False):
        path = (*base, *_data_path(err["loc"], data))
        kind = err["type"]
        message = explain(path, err) if explain else None
        if message is None and kind == "extra_forbidden":
            message, suggestion = _unknown_key_message(path, model, len(base))
            if suggestion:
                suggested.add((*path[:-1], suggestion))
            location = doc.locate(path, key=True)
        else:
            if message is None:
                message = (
                    f"required field '{path[-1]}' is missing"
                    if kind == "missing"
                    else humane_message(err, patterns or {})
                )
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


def shown(value: Any) -> str:
    """A value as the user wrote it: text quoted, numbers as typed."""
    text = getattr(value, "source_text", None)
    return text if text is not None else repr(value)


def humane_message(err: ErrorDetails, patterns: Mapping[str, str]) -> str:
    """pydantic's message for one error, rewritten for the person who wrote the file."""
    kind: str = err["type"]
    value = err.get("input")
    ctx: dict[str, Any] = err.get("ctx") or {}
    message: str = err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if value is None:
        return "is empty; a value is required"
    if kind in _EXPECTED:
        return f"{_EXPECTED[kind]}; got {shown(value)}"
    if kind == "less_than_equal" and ctx.get("le") == 1:
        hint = ""
        if isinstance(value, int | float) and 1 < value <= 100:
            hint = f" (did you mean {value / 100:g}?)"
        return f"must be a fraction from 0 to 1 (0.98 = 98%); got {shown(value)}{hint}"
    bounds = {
        "less_than_equal": ("at most", "le"),
        "less_than": ("less than", "lt"),
        "greater_than_equal": ("at least", "ge"),
        "greater_than": ("greater than", "gt"),
    }
    if kind in bounds and isinstance(value, int | float):
        words, key = bounds[kind]
        return f"must be {words} {ctx[key]:g}; got {shown(value)}"
    if kind in ("enum", "literal_error") and "expected" in ctx:
        message = f"must be {ctx['expected']}; got {shown(value)}"
        choices = re.findall(r"'([^']*)'", str(ctx["expected"]))
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
        return message + (f"; did you mean '{close[0]}'?" if close else "")
    if kind.startswith("date"):
        if isinstance(value, str) and "outside expected range" in str(ctx.get("error", "")):
            return f"'{value}' is not a valid date: {ctx['error']}"
        return f"{shown(value)} is not a date in the form YYYY-MM-DD"
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return "must not be empty"
    if kind == "too_short":
        count = ctx.get("min_length", 1)
        return f"must list at least {count} item{'s' * (count != 1)}; got none"
    if kind == "string_pattern_mismatch":
        wanted = patterns.get(str(ctx.get("pattern", "")))
        if wanted is not None:
            return wanted.format(value=value)
    if message.startswith("value is not a valid email address"):
        return f"'{value}' is not a valid e-mail address: " + message.split(": ", 1)[-1]
    if message.startswith("Input should be") and isinstance(value, str | int | float | bool):
        return f"{message}; got {shown(value)}"
    return message


def _unknown_key_message(
    path: YamlPath, model: type[BaseModel], depth: int
) -> tuple[str, str | None]:
    """The message for a key no model has, and the field it was probably meant to be."""
    key = str(path[-1])
    allowed = _fields_at(model, path[depth:-1])
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


_NO_ATTRIBUTE = re.compile(
    r"^'(?:[\w.]+\.)?(?P<model>\w+) object' has no attribute '(?P<name>\w+)'$"
)


def undefined_message(message: str, models: Mapping[str, type[BaseModel]]) -> str:
    """Jinja's undefined-value message in a clause author's words: ``'contractkit.spec.Vendor
    object' has no attribute 'nickname'`` becomes ``Vendor has no field 'nickname'``, with the
    field meant when one is close."""
    match = _NO_ATTRIBUTE.match(message or "")
    model = models.get(match["model"]) if match else None
    if match is None or model is None:
        return message
    fields = list(model.model_fields)
    close = difflib.get_close_matches(match["name"], fields, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"{match['model']} has no field '{match['name']}'{hint}"
