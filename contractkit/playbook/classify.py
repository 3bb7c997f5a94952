"""Judging one change against the playbook of its clause.

A change is ``cosmetic`` when only whitespace, punctuation or capitalisation moved; otherwise
the point it touches is found (by the clause's only point, the point's words, or the unit of
the number that changed), and the changed text is read for that point's parameter or wording.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from contractkit.playbook.model import Better, Fallback, PlaybookPoint
from contractkit.playbook.quantities import changed_values, quantities

_JINJA = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.DOTALL)
_NOT_WORD = re.compile(r"[^\w]+")


def bare(text: str) -> str:
    """Letters and digits only, lower case: what a cosmetic change leaves unchanged."""
    return _NOT_WORD.sub("", text.replace("\u00a0", " ")).lower()


def words(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


@dataclass
class Verdict:
    """How a change stands against the playbook."""

    classification: str
    point: PlaybookPoint | None = None
    fallback: str | None = None
    rationale: str = ""
    response: str = "counter"
    counter: str = ""


@dataclass
class Judged:
    """What the classifier needs to know about a change."""

    kind: str
    old: str
    new: str
    before: str
    after: str


def _point_for(change: Judged, points: list[PlaybookPoint]) -> PlaybookPoint | None:
    if not points:
        return None
    text = words(f"{change.before} {change.after} {change.old} {change.new}")
    for point in points:
        if point.parameter is not None:
            added, gone = changed_values(change.before, change.after, point.parameter.unit)
            if added or gone:
                return point
    for point in points:
        if any(words(m) in text for m in point.match):
            return point
    return points[0] if len(points) == 1 else None


def _worse(a: float, b: float, better: Better) -> bool:
    """Whether ``a`` is worse for the customer than ``b``."""
    return a < b if better is Better.up else a > b


def _nearest(point: PlaybookPoint, value: float) -> Fallback | None:
    ranges = [f for f in point.fallbacks if f.is_range]
    if not ranges:
        return None

    def distance(f: Fallback) -> float:
        ends = [e for e in (f.min, f.max) if e is not None]
        return min(abs(value - e) for e in ends)

    return min(ranges, key=distance)


def _by_parameter(change: Judged, point: PlaybookPoint, clause_text: str) -> Verdict | None:
    parameter = point.parameter
    if parameter is None:
        return None
    added, gone = changed_values(change.before, change.after, parameter.unit)
    if not added:
        if gone and point.walk_away.removal:
            return Verdict(
                "beyond_walk_away",
                point,
                rationale=point.walk_away.rationale,
                response="reject",
                counter=clause_text,
            )
        return None
    drafted = [q.value for q in quantities(change.before) if q.unit is parameter.unit]
    worst = max(added) if parameter.better is Better.down else min(added)
    if drafted and not any(_worse(worst, d, parameter.better) for d in drafted):
        return Verdict("fallback", point, "preferred", point.preferred.rationale, "accept")
    limit = point.walk_away.limit
    if limit is not None and _worse(worst, limit, parameter.better):
        return Verdict(
            "beyond_walk_away",
            point,
            rationale=point.walk_away.rationale,
            response="reject",
            counter=clause_text,
        )
    for fallback in point.fallbacks:
        if fallback.is_range and fallback.contains(worst):
            return Verdict("fallback", point, fallback.name, fallback.rationale, "accept")
    nearest = _nearest(point, worst)
    counter = nearest.describe(parameter.unit) if nearest else clause_text
    rationale = nearest.rationale if nearest else point.preferred.rationale
    name = nearest.name if nearest else None
    return Verdict("not_in_playbook", point, name, rationale, "counter", counter)


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, words(a).split(), words(b).split(), autojunk=False).ratio()


def classify(
    change: Judged,
    points: list[PlaybookPoint],
    clause_text: str,
    alternatives: dict[str, str] | None = None,
) -> Verdict:
    """The verdict on one change; ``alternatives`` holds the text of clauses named as fallbacks."""
    if change.kind != "comment" and bare(change.old) == bare(change.new):
        return Verdict("cosmetic", response="accept")
    if change.kind == "comment":
        change = Judged(change.kind, change.old, change.new, change.before, change.new)
    point = _point_for(change, points)
    if point is None:
        return Verdict("not_in_playbook", response="counter", counter=clause_text)
    added = words(change.after)
    for phrase in point.walk_away.phrases:
        if words(phrase) in added and words(phrase) not in words(change.before):
            return Verdict(
                "beyond_walk_away",
                point,
                rationale=point.walk_away.rationale,
                response="reject",
                counter=clause_text,
            )
    verdict = _by_parameter(change, point, clause_text)
    if verdict is not None:
        return verdict
    for fallback in point.fallbacks:
        if fallback.text and (
            words(fallback.text) in added or _similar(fallback.text, change.new) >= 0.8
        ):
            return Verdict("fallback", point, fallback.name, fallback.rationale, "accept")
        other = (alternatives or {}).get(fallback.clause or "")
        if other and _similar(other, change.after) >= 0.6:
            return Verdict("fallback", point, fallback.name, fallback.rationale, "accept")
    if change.kind == "deletion" and not change.new.strip() and point.walk_away.removal:
        return Verdict(
            "beyond_walk_away",
            point,
            rationale=point.walk_away.rationale,
            response="reject",
            counter=clause_text,
        )
    return Verdict(
        "not_in_playbook",
        point,
        rationale=point.preferred.rationale,
        response="counter",
        counter=clause_text,
    )


def plain_clause(body: str) -> str:
    """A clause file's body without its template tags, for comparing wording."""
    return " ".join(_JINJA.sub(" ", body).split())
