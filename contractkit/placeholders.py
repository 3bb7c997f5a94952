"""Placeholders ``contractkit init`` writes where a spec names a party, a person, an amount or a
sub-processor, and the check that refuses a spec until every one is replaced.

An example name or price that slipped through into a draft would look real; a placeholder
cannot reach a draft, because validation stops at it with the field and what belongs there.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from contractkit.errors import Problem
from contractkit.yamlread import LocatedData, YamlPath, dotted

MARK = "REPLACE: "


def placeholder(hint: str) -> str:
    """The value ``init`` writes: the mark and what the user should put there."""
    return f"{MARK}{hint}"


def hint_of(value: Any) -> str | None:
    """What a placeholder asks for, or None when ``value`` is not one."""
    if isinstance(value, str) and value.strip().startswith(MARK.strip()):
        return value.strip()[len(MARK.strip()) :].strip() or "a value"
    return None


def find(data: Any, path: YamlPath = ()) -> Iterator[tuple[YamlPath, str]]:
    """Every placeholder in parsed spec data, with its path and hint, in file order."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from find(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from find(value, (*path, index))
    else:
        hint = hint_of(data)
        if hint is not None:
            yield path, hint


def placeholder_problems(doc: LocatedData) -> tuple[list[Problem], list[str]]:
    """One problem per placeholder, and the dotted paths they sit at."""
    problems: list[Problem] = []
    paths: list[str] = []
    for path, hint in find(doc.data):
        problems.append(Problem(doc.locate(path), f"placeholder not replaced: {hint}"))
        paths.append(dotted(path))
    return problems, paths


def caused_by_placeholder(field_path: str, placeholder_paths: list[str]) -> bool:
    """Whether an error at ``field_path`` is one a placeholder there (or below it) explains."""
    return any(
        field_path == p or p.startswith((f"{field_path}.", f"{field_path}["))
        for p in placeholder_paths
    )
