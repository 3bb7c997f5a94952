"""Playbooks: shipped points judged inside a fallback and beyond the walk-away, numbers read
from words and digits, lint's playbook checks, and the ``playbook`` command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from contractkit.cli import main
from contractkit.library import load_library
from contractkit.lint import lint
from contractkit.playbook.classify import Judged, classify
from contractkit.playbook.model import Better, ParameterUnit, PlaybookPoint
from contractkit.playbook.quantities import quantities

ROOT = Path(__file__).resolve().parent.parent


def _shipped() -> list[tuple[str, PlaybookPoint]]:
    found: dict[str, tuple[str, PlaybookPoint]] = {}
    for file in load_library().all_clause_files:
        for point in file.meta.playbook:
            found.setdefault(f"{file.meta.id}:{point.point.id}", (file.meta.id, point))
    return sorted(found.values(), key=lambda item: (item[0], item[1].point.id))


def _written(value: float, unit: ParameterUnit) -> str:
    if unit is ParameterUnit.amount:
        return f"US${value:,.0f}"
    return f"{value:g}%" if unit is ParameterUnit.percent else f"{value:g} {unit.value}"


def _changes(point: PlaybookPoint) -> tuple[Judged, Judged]:
    """A change inside the first fallback and one beyond the walk-away."""
    lead = point.match[0] if point.match else point.point.description
    if point.parameter is not None and point.walk_away.limit is not None:
        unit, better, limit = point.parameter.unit, point.parameter.better, point.walk_away.limit
        drafted = 1.0 if better is Better.down else 10_000.0
        before = f"{lead} within {_written(drafted, unit)}."
        ranges = [f for f in point.fallbacks if f.is_range]
        inside = ranges[0].max if ranges and ranges[0].max is not None else ranges[0].min
        assert inside is not None
        beyond = limit + 1 if better is Better.down else limit - 1
        ok = f"{lead} within {_written(inside, unit)}."
        bad = f"{lead} within {_written(beyond, unit)}."
        return (
            Judged("replacement", _written(drafted, unit), _written(inside, unit), before, ok),
            Judged("replacement", _written(drafted, unit), _written(beyond, unit), before, bad),
        )
    before = f"{lead} as drafted."
    text = next(f.text for f in point.fallbacks if f.text)
    fallback = Judged("insertion", "", text, before, f"{lead} as drafted, {text}.")
    if point.walk_away.phrases:
        phrase = point.walk_away.phrases[0]
        beyond = Judged("insertion", "", phrase, before, f"{lead} as drafted, {phrase}.")
    else:
        beyond = Judged("deletion", before, "", before, "")
    return fallback, beyond


@pytest.mark.parametrize(("clause", "point"), _shipped(), ids=lambda v: getattr(v, "point", v))
def test_each_shipped_point_inside_a_fallback_and_beyond_walk_away(
    clause: str, point: PlaybookPoint
) -> None:
    inside, beyond = _changes(point)
    verdict = classify(inside, [point], "as drafted")
    assert (verdict.classification, verdict.response) == ("fallback", "accept"), clause
    assert verdict.fallback in [f.name for f in point.fallbacks]
    verdict = classify(beyond, [point], "as drafted")
    assert (verdict.classification, verdict.response) == ("beyond_walk_away", "reject"), clause
    assert verdict.rationale == point.walk_away.rationale


def test_every_listed_negotiation_point_is_shipped() -> None:
    ids = {point.point.id for _, point in _shipped()}
    assert ids >= {
        "liability-cap-amount", "liability-carve-outs", "indemnities",
        "termination-convenience-notice", "incident-notice-hours", "breach-report-days",
        "audit-rights", "subprocessor-approval", "residuals", "work-product-ownership",
        "non-solicitation", "governing-law-and-disputes", "service-credit-amount", "exit-fees",
        "data-return-days", "data-deletion-days", "knowledge-transfer",
    }  # fmt: skip


def test_numbers_read_from_words_and_digits() -> None:
    found = quantities(
        "within thirty (30) days, 72 hours, twelve months, 15%, US$2,000,000 and "
        "one hundred and twenty business days"
    )
    assert [(q.value, q.unit) for q in found] == [
        (30, ParameterUnit.days), (72, ParameterUnit.hours), (12, ParameterUnit.months), (15, ParameterUnit.percent),
        (2_000_000, ParameterUnit.amount), (120, ParameterUnit.days),
    ]  # fmt: skip


def test_cosmetic_change_is_cosmetic() -> None:
    change = Judged("replacement", "Security Incident,", "security incident ", "a", "b")
    assert classify(change, [], "a").classification == "cosmetic"


BAD_PLAYBOOK = """---
id: msa.cap_test
document: msa
title: Cap
version: 1.0.0
playbook:
  - point: {id: cap, description: The cap}
    parameter: {name: cap, unit: months, better: higher, spec: commercial.no_such_field}
    preferred: {rationale: As drafted.}
    fallbacks:
      - {name: low, min: 3, max: 12, rationale: Fine.}
      - {name: swap, clause: msa.not_a_clause, rationale: Fine.}
    walk_away: {limit: 6, rationale: Too low.}
---
Liability is limited to the fees paid in the twelve (12) months before the claim.
"""


def test_lint_reports_playbook_defects(tmp_path: Path) -> None:
    (tmp_path / "cap.md").write_text(BAD_PLAYBOOK)
    messages = [p.message for p in lint([tmp_path]) if str(tmp_path) in p.location.file]
    assert (
        "point 'cap': parameter spec field 'commercial.no_such_field' is not a field of the spec"
        in messages
    )
    assert (
        "point 'cap': fallback 'swap' swaps in clause 'msa.not_a_clause', which is not in the "
        "library" in messages
    )
    assert (
        "point 'cap': fallback 'low' (minimum 3) reaches below the walk-away limit 6; the "
        "walk-away must not be better for the customer" in messages
    )


def test_a_tier_without_rationale_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "cap.md").write_text(BAD_PLAYBOOK.replace(", rationale: Too low.", ""))
    problems = [str(p) for p in lint([tmp_path]) if str(tmp_path) in p.location.file]
    assert problems == [
        f"{tmp_path / 'cap.md'}:13:5: playbook[0].walk_away.rationale: required field "
        "'rationale' is missing"
    ]


def test_playbook_command_prints_the_engagements_playbook() -> None:
    result = CliRunner().invoke(main, ["playbook", str(ROOT / "examples/reference.yaml")])
    assert result.exit_code == 0, result.output
    assert "### §5.3 Security Incidents (`msa.security_incidents`)" in result.stdout
    assert "- Fallback `up-to-forty-eight-hours`: at most 48 hours." in result.stdout
    assert "- Walk-away: above 72 hours." in result.stdout
    assert "Within ten (10) days after discovering a Security Incident" in result.stdout
