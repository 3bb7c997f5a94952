"""The portfolio as data: one summary per engagement and the views across them.

The HTML, JSON and CSV reports are all views of a :class:`Portfolio`, so they carry the same
numbers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from contractkit.checklist import LAYERS

DeadlineKind = Literal["contract", "evidence", "stale"]
# Days ahead of the as-of date that the deadline calendar covers.
WINDOW_DAYS = 180
# Deadlines listed for each engagement.
NEXT_DEADLINES = 3


@dataclass(frozen=True)
class Deadline:
    """A dated event of one engagement: a contract date, evidence coming due, or evidence that
    went stale on ``date``."""

    date: str
    engagement: str
    event: str
    kind: DeadlineKind

    def text(self) -> str:
        return f"{self.date}: {self.event}"


@dataclass(frozen=True)
class OpenItem:
    """A checklist item that is not ready, as the portfolio shows it."""

    id: str
    title: str
    workload: str | None
    status: str
    action: str
    owner: str
    blocking: bool


@dataclass
class EngagementStanding:
    """One engagement's standing: who and where, scores, open items and whether it could be
    exited now."""

    id: str
    title: str
    spec: str
    evidence: str | None
    vendor: str
    country: str
    operating_model: str
    workloads: list[str]
    critical_workloads: list[str]
    without_secondary: list[str]
    scores: dict[str, int]
    overall: int
    counts: dict[str, int]
    exit_ready: bool
    blocking: list[OpenItem]
    next_deadlines: list[Deadline]
    open_items: list[OpenItem]
    layer_status: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["next_deadlines"] = [asdict(d) for d in self.next_deadlines]
        return data


@dataclass(frozen=True)
class Share:
    """A vendor's or a country's part of the portfolio's critical workloads."""

    name: str
    critical: int
    share_pct: int
    engagements: list[str]


@dataclass
class Portfolio:
    """Every engagement, the concentration of critical work and the deadline calendar."""

    as_of: str
    until: str
    engagements: list[EngagementStanding]
    by_vendor: list[Share]
    by_country: list[Share]
    without_secondary: list[dict[str, Any]]
    calendar: list[Deadline]
    stale: list[Deadline]

    @property
    def not_exitable(self) -> list[EngagementStanding]:
        return [e for e in self.engagements if not e.exit_ready]

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "calendar_until": self.until,
            "layers": list(LAYERS),
            "engagements": [e.to_json() for e in self.engagements],
            "concentration": {
                "critical_workloads": sum(len(e.critical_workloads) for e in self.engagements),
                "by_vendor": [asdict(s) for s in self.by_vendor],
                "by_country": [asdict(s) for s in self.by_country],
                "without_secondary_vendor": self.without_secondary,
            },
            "calendar": [asdict(d) for d in self.calendar],
            "stale": [asdict(d) for d in self.stale],
        }


def share_pct(part: int, whole: int) -> int:
    """A whole percentage, rounded half up; 0 of nothing is 0."""
    return (200 * part + whole) // (2 * whole) if whole else 0
