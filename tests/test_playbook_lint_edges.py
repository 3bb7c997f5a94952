"""``contractkit lint`` on a clause's playbook: each inconsistency a point can have is reported
once, located at the file's ``playbook`` key, and a consistent point is not reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractkit.lint import lint
from contractkit.playbook.checks import spec_field_exists

from helpers import CLAUSES, LIDAR, OUTLINES, write_tree

HEAD = """---
id: msa.extra
document: msa
title: Extra
version: 1.0.0
after: msa.quality
playbook:
"""
PLAYBOOK_LINE = 7
FALLBACK_ISSUE = (
    "reaches above the walk-away limit 5; the walk-away must not be better for the customer"
)


def _lint(
    tmp_path: Path, playbook: str, body: str = "Notice is given within thirty (30) days."
) -> list[str]:
    """Lint's messages for a clause ``msa.extra`` with ``playbook`` under its playbook key."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        LIDAR.read_text(encoding="utf-8") + "\ndocuments: [msa, nda]\n", encoding="utf-8"
    )
    clause = f"{HEAD}{playbook.strip(chr(10))}\n---\n{body}\n"
    library = write_tree(tmp_path / "lib", {**OUTLINES, **CLAUSES, "msa/extra.md": clause})
    path = library / "msa" / "extra.md"
    found = [str(p) for p in lint([library], [spec], builtin=False)]
    prefix = f"{path}:{PLAYBOOK_LINE}: "
    assert all(m.startswith(prefix) for m in found if str(path) in m), found
    return [m.removeprefix(prefix) for m in found if m.startswith(prefix)]


def _point(parameter: str, *, fallbacks: str = "", walk_away: str = "limit: 60") -> str:
    return f"""
  - point: {{id: notice, description: Notice period}}
    {parameter}
    preferred: {{rationale: As drafted.}}
    fallbacks: [{fallbacks}]
    walk_away: {{{walk_away}, rationale: Too long.}}
"""


@pytest.mark.parametrize(
    ("unit", "body", "problems"),
    [
        ("days", "Notice is given within thirty (30) days.", []),
        ("days", "Notice is given within {{ exit.termination_for_convenience_days|days }}.", []),
        ("amount", "Fees are capped at {{ commercial.liability_cap_amount|money }}.", []),
        (
            "hours",
            "Notice is given within thirty (30) days.",
            [
                "point 'notice': the clause prints no number in hours, so the parameter 'notice' "
                "cannot be read from its text"
            ],
        ),
        (
            "percent",
            "Notice is given promptly.",
            [
                "point 'notice': the clause prints no number in percent, so the parameter "
                "'notice' cannot be read from its text"
            ],
        ),
    ],
)
def test_a_parameter_without_a_spec_field_must_be_printed_by_the_clause(
    tmp_path: Path, unit: str, body: str, problems: list[str]
) -> None:
    parameter = f"parameter: {{name: notice, unit: {unit}, better: lower}}"
    assert _lint(tmp_path, _point(parameter), body) == problems


def test_ranges_and_a_limit_need_a_parameter(tmp_path: Path) -> None:
    playbook = _point(
        "match: [notice]",
        fallbacks="{name: short, max: 30, rationale: Fine.}, "
        "{name: wording, text: within a month, rationale: Fine.}",
        walk_away="limit: 6",
    )
    assert _lint(tmp_path, playbook) == [
        "point 'notice': fallback 'short' is a range but the point names no parameter",
        "point 'notice': walk-away limit 6 but the point names no parameter",
    ]


def test_a_blank_rationale_is_reported_for_each_tier(tmp_path: Path) -> None:
    playbook = """
  - point: {id: notice, description: Notice period}
    parameter: {name: notice, unit: days, better: lower}
    preferred: {rationale: "  "}
    fallbacks:
      - {name: short, max: 45, rationale: " "}
    walk_away: {limit: 60, rationale: "   "}
"""
    assert _lint(tmp_path, playbook) == [
        "point 'notice': fallback 'short' has no rationale",
        "point 'notice': preferred has no rationale",
        "point 'notice': walk_away has no rationale",
    ]


def test_a_fallback_text_may_not_contain_a_walk_away_phrase(tmp_path: Path) -> None:
    playbook = _point(
        "match: [notice]",
        fallbacks="{name: loose, text: 'Notice may be waived, at its discretion.', "
        "rationale: Fine.}, "
        "{name: firm, text: Notice is given in writing., rationale: Fine.}",
        walk_away="phrases: [At its Discretion]",
    )
    assert _lint(tmp_path, playbook) == [
        "point 'notice': fallback 'loose': its text contains the walk-away phrase "
        "'At its Discretion'"
    ]


@pytest.mark.parametrize(
    ("fallbacks", "problems"),
    [
        ("{name: fine, min: 1, max: 4, rationale: Fine.}", []),
        ("{name: at-limit, max: 5, rationale: Fine.}", []),
        (
            "{name: open, min: 2, rationale: Fine.}",
            [f"fallback 'open' (no maximum) {FALLBACK_ISSUE}"],
        ),
        (
            "{name: wide, max: 9, rationale: Fine.}",
            [f"fallback 'wide' (maximum 9) {FALLBACK_ISSUE}"],
        ),
    ],
)
def test_a_lower_is_better_fallback_may_not_reach_past_the_walk_away(
    tmp_path: Path, fallbacks: str, problems: list[str]
) -> None:
    parameter = "parameter: {name: notice, unit: days, better: lower}"
    playbook = _point(parameter, fallbacks=fallbacks, walk_away="limit: 5")
    assert _lint(tmp_path, playbook) == [f"point 'notice': {p}" for p in problems]


def test_a_point_listed_twice_is_reported_once(tmp_path: Path) -> None:
    point = _point("match: [notice]", walk_away="phrases: [at its discretion]")
    assert _lint(tmp_path, point + point + point) == ["point 'notice' is listed twice"]


@pytest.mark.parametrize(
    ("path", "exists"),
    [
        ("security.incident_notice_hours", True),
        ("operations.pilot.weeks", True),
        ("staffing.surge.notice_days", True),
        ("vendor.subprocessors.location", True),
        ("vendor.security_contact.email", True),
        ("staffing.surge.nonsense", False),
        ("staffing.workloads.name", False),
        ("commercial.liability_cap_months.total", False),
        ("nonsense.field", False),
    ],
)
def test_a_spec_path_is_followed_through_optional_and_list_fields(path: str, exists: bool) -> None:
    assert spec_field_exists(path) is exists


def test_a_spec_path_that_is_not_a_field_is_a_located_error(tmp_path: Path) -> None:
    parameter = (
        "parameter: {name: notice, unit: days, better: lower, spec: staffing.surge.notice_period}"
    )
    assert _lint(tmp_path, _point(parameter)) == [
        "point 'notice': parameter spec field 'staffing.surge.notice_period' is not a field of "
        "the spec"
    ]
