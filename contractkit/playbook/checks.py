"""Playbook checks for ``contractkit lint``: every fallback parses and fits its point, every
parameter exists, the walk-away is never better for the customer than a fallback."""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator

from pydantic import BaseModel

from contractkit.errors import Location, Problem
from contractkit.library import ClauseFile, Library
from contractkit.playbook.classify import plain_clause, words
from contractkit.playbook.model import Better, ParameterUnit, PlaybookPoint
from contractkit.playbook.quantities import quantities
from contractkit.spec import Spec

# How a clause body prints a number of each unit through the template filters.
UNIT_FILTERS = {
    ParameterUnit.hours: ("counted('hour')",),
    ParameterUnit.days: ("|days", "counted('day')"),
    ParameterUnit.months: ("counted('month')",),
    ParameterUnit.years: ("counted('year')",),
    ParameterUnit.percent: ("|pct", "|percent"),
    ParameterUnit.amount: ("|money",),
}


def _models(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType) or origin is not None:
        for arg in typing.get_args(annotation):
            found += _models(arg)
    return found


def spec_field_exists(path: str, model: type[BaseModel] = Spec) -> bool:
    """Whether a dotted path names a field of the spec."""
    head, _, rest = path.partition(".")
    field = model.model_fields.get(head)
    if field is None:
        return False
    if not rest:
        return True
    return any(spec_field_exists(rest, m) for m in _models(field.annotation))


def _prints_unit(file: ClauseFile, unit: ParameterUnit) -> bool:
    body = file.body.replace(" ", "")
    if any(f.replace(" ", "") in body for f in UNIT_FILTERS[unit]):
        return True
    return any(q.unit is unit for q in quantities(plain_clause(file.body)))


def _point_problems(file: ClauseFile, point: PlaybookPoint, library: Library) -> Iterator[str]:
    name = f"point '{point.point.id}'"
    parameter = point.parameter
    if parameter is not None:
        if parameter.spec and not spec_field_exists(parameter.spec):
            yield f"{name}: parameter spec field '{parameter.spec}' is not a field of the spec"
        elif not parameter.spec and not _prints_unit(file, parameter.unit):
            yield (
                f"{name}: the clause prints no number in {parameter.unit.value}, so the "
                f"parameter '{parameter.name}' cannot be read from its text"
            )
    for fallback in point.fallbacks:
        where = f"{name}: fallback '{fallback.name}'"
        if fallback.is_range and parameter is None:
            yield f"{where} is a range but the point names no parameter"
        if fallback.clause and not library.variants(fallback.clause):
            yield f"{where} swaps in clause '{fallback.clause}', which is not in the library"
        if not fallback.rationale.strip():
            yield f"{where} has no rationale"
        for phrase in point.walk_away.phrases:
            if fallback.text and words(phrase) in words(fallback.text):
                yield f"{where}: its text contains the walk-away phrase '{phrase}'"
    limit = point.walk_away.limit
    if limit is not None and parameter is None:
        yield f"{name}: walk-away limit {limit:g} but the point names no parameter"
    if limit is not None and parameter is not None:
        for fallback in (f for f in point.fallbacks if f.is_range):
            if parameter.better is Better.up and (fallback.min is None or fallback.min < limit):
                shown = "no minimum" if fallback.min is None else f"minimum {fallback.min:g}"
                yield (
                    f"{name}: fallback '{fallback.name}' ({shown}) reaches below the walk-away "
                    f"limit {limit:g}; the walk-away must not be better for the customer"
                )
            if parameter.better is Better.down and (fallback.max is None or fallback.max > limit):
                shown = "no maximum" if fallback.max is None else f"maximum {fallback.max:g}"
                yield (
                    f"{name}: fallback '{fallback.name}' ({shown}) reaches above the walk-away "
                    f"limit {limit:g}; the walk-away must not be better for the customer"
                )
    for tier, rationale in (
        ("preferred", point.preferred.rationale),
        ("walk_away", point.walk_away.rationale),
    ):
        if not rationale.strip():
            yield f"{name}: {tier} has no rationale"


def playbook_problems(library: Library) -> list[Problem]:
    """Every playbook defect in the library, located at the clause file's ``playbook`` key."""
    problems = []
    for file in library.all_clause_files:
        seen: set[str] = set()
        for point in file.meta.playbook:
            location = Location(str(file.path), file.line_of("playbook"))
            if point.point.id in seen:
                problems.append(Problem(location, f"point '{point.point.id}' is listed twice"))
            seen.add(point.point.id)
            problems += [Problem(location, m) for m in _point_problems(file, point, library)]
    return problems
