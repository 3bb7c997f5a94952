"""The checklist as data: items, runbook events, and the per-layer summary every view shows."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Status = Literal["ready", "drafted", "stale", "gap", "needs_input", "not_applicable"]
Owner = Literal["customer", "vendor", "counsel", "procurement"]
LAYERS = (
    "contractual",
    "security",
    "quality",
    "operational",
    "strategic",
    "transferability",
    "fit",
)
STATUSES: tuple[Status, ...] = ("ready", "drafted", "stale", "gap", "needs_input", "not_applicable")
# Half-done: a term in an unsigned draft, or evidence that has aged past its rule.
PARTIAL: tuple[Status, ...] = ("drafted", "stale")
# Statuses a reader must act on.
OPEN: tuple[Status, ...] = ("drafted", "stale", "gap", "needs_input")


@dataclass
class Item:
    """One line of the checklist; the fields and their order are the CSV columns."""

    id: str
    layer: str
    workload: str | None
    title: str
    status: Status
    evidence: str
    reference: str | None
    action: str
    owner: Owner
    evidence_status: str | None = None
    evidence_date: str | None = None
    evidence_reference: str | None = None
    evidence_by: str | None = None
    stale_since: str | None = None
    evidence_due: str | None = None


@dataclass
class RunbookEvent:
    """A dated (or relative) step of an exit, anchored as the Exit Schedule anchors it."""

    event: str
    anchor: str
    offset_days: int | None
    offset_months: int | None
    date: str | None
    every_months: int | None = None


@dataclass
class Checklist:
    """The whole checklist as data; every output format is a view of this."""

    engagement: str
    spec_sha256: str
    items: list[Item]
    fit: dict[str, Any]
    workloads: dict[str, dict[str, str]]
    runbook: list[RunbookEvent]
    exit_notice: str | None = None
    title: str = ""
    as_of: str | None = None
    evidence_sha256: str | None = None

    def summary(self) -> dict[str, Any]:
        layers: dict[str, dict[str, int]] = {}
        for layer in LAYERS:
            counts: dict[str, int] = {s: 0 for s in STATUSES}
            for item in self.items:
                if item.layer == layer:
                    counts[item.status] += 1
            counts["score"] = score(counts)
            layers[layer] = counts
        overall: dict[str, int] = {s: sum(layers[layer][s] for layer in LAYERS) for s in STATUSES}
        return {"layers": layers, "overall": score(overall)}

    def to_json(self) -> dict[str, Any]:
        return {
            "engagement": self.engagement,
            "spec_sha256": self.spec_sha256,
            "as_of": self.as_of,
            "evidence_sha256": self.evidence_sha256,
            "summary": self.summary(),
            "fit": self.fit,
            "workloads": self.workloads,
            "runbook": [asdict(e) for e in self.runbook],
            "items": [asdict(i) for i in self.items],
        }


def score(counts: dict[str, int]) -> int:
    """Percent ready among the items that can be acted on, rounded half up; a drafted or stale
    item counts half.

    Not-applicable items are left out, so a layer with nothing to do scores 100.
    """
    counted = sum(counts.get(s, 0) for s in STATUSES if s != "not_applicable")
    if counted == 0:
        return 100
    done = 2 * counts["ready"] + sum(counts.get(s, 0) for s in PARTIAL)
    return (100 * done + counted) // (2 * counted)
