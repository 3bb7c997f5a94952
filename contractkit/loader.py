"""Reads spec files into models; the only place that does, so every error is located alike.

The file is read by :mod:`contractkit.yamlread`, which keeps the position of every key and
value; pydantic's errors and the cross-field rules are then reported at those positions.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from contractkit import rules
from contractkit.errors import Location, Problem, SpecError
from contractkit.hidden_text import hidden_text_problems
from contractkit.humane import located_problems, shown
from contractkit.placeholders import caused_by_placeholder, placeholder_problems
from contractkit.spec import SLUG_PATTERN, SPEC_FORMAT, US_STATES, Spec
from contractkit.yamlread import LocatedData, YamlPath, decode, dotted, parse_once, read_bytes

# What each pattern in the spec asks for, in the words of a spec's author.
SPEC_PATTERNS = {
    SLUG_PATTERN: (
        "'{value}' is not a valid id: use lower-case letters, digits and hyphens, "
        "starting with a letter or digit, at most 63 characters"
    ),
    r"^[A-Z]{3}$": "'{value}' is not an ISO 4217 currency code: three capital letters, e.g. USD",
}

# The postal codes people type for a governing law, and the state names the spec wants.
STATE_CODES = dict(
    zip(
        (
            "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL",
            "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE",
            "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD",
            "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
        ),
        US_STATES,
        strict=True,
    )
)  # fmt: skip


@dataclass
class LoadedSpec:
    """A valid spec with what was learned while loading it."""

    spec: Spec
    path: Path
    sha256: str
    warnings: list[Problem]
    document: LocatedData


def validate(doc: LocatedData) -> tuple[Spec, list[Problem]]:
    """Structural validation then cross-field rules; raises with every error of the file."""
    unreplaced, at = placeholder_problems(doc)
    hidden = hidden_text_problems(doc)
    blocking = [*unreplaced, *(p for p in hidden if p.severity == "error")]
    try:
        spec = Spec.model_validate(doc.data)
    except ValidationError as exc:
        problems = located_problems(exc, doc, Spec, patterns=SPEC_PATTERNS, explain=_explain)
        problems = [p for p in problems if not caused_by_placeholder(p.location.path, at)]
        raise SpecError(_in_file_order([*blocking, *problems])) from None
    if blocking:
        raise SpecError(_in_file_order(blocking))
    problems = [p for p in hidden if p.severity == "warning"] + [
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


def _explain(path: YamlPath, err: ErrorDetails) -> str | None:
    """Messages only a spec has: its format version, and a US state given by its code."""
    if path == ("contractkit",) and err["type"] == "literal_error":
        return (
            f"must be {SPEC_FORMAT}, the spec format this contractkit reads; "
            f"got {shown(err.get('input'))}"
        )
    if path == ("engagement", "governing_law") and err["type"] == "enum":
        return _state_message(err.get("input"))
    return None


def _state_message(value: object) -> str:
    """A governing law that is not a state's name: the name it most likely stands for."""
    text = str(value).strip()
    guess = STATE_CODES.get(text.upper().replace(".", ""))
    if guess is None:
        by_case = {s.casefold(): s for s in US_STATES}
        guess = by_case.get(text.casefold())
    if guess is None:
        close = difflib.get_close_matches(text.title(), US_STATES, n=1, cutoff=0.75)
        guess = close[0] if close else None
    message = f"must be the full name of a US state or the District of Columbia; got {shown(value)}"
    return message + (f"; did you mean '{guess}'?" if guess else "")


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.location.line or 0, p.location.column or 0))


def _finding_location(doc: LocatedData, finding: rules.Finding) -> Location:
    where = finding.path if finding.path in doc.positions else (finding.anchor or finding.path)
    located = doc.locate(where)
    return Location(located.file, located.line, located.column, dotted(finding.path))


def load_spec(path: str | Path) -> LoadedSpec:
    """Read, parse and validate one spec file; raises SpecError listing every problem."""
    path = Path(path)
    raw = read_bytes(path)
    doc = parse_once(decode(raw, path), str(path))
    spec, warnings = validate(doc)
    digest = hashlib.sha256(raw).hexdigest()
    return LoadedSpec(spec, path, digest, warnings, doc)
