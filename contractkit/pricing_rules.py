"""Rules about money and disputes that need the whole spec: each price has a basis it can be
paid on, the baseline team adds up, and a chosen forum can reach the vendor.

Kept apart from :mod:`contractkit.rules` so each module stays readable; ``rules.check`` runs
these with the others.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from contractkit.spec import DisputeForum, ExitFees, PricingModel, Spec
from contractkit.templating import country, money

if TYPE_CHECKING:
    from contractkit.rules import Finding

CENT = 0.005


def pricing_findings(spec: Spec) -> Iterator[Finding]:
    """Every pricing, baseline-team, dispute and exit-pricing finding for a valid spec."""
    yield from _units(spec)
    yield from _pricing_fields(spec)
    yield from _milestones(spec)
    yield from _team(spec)
    yield from _disputes(spec)
    yield from _exit_pricing(spec)


def _finding(path: tuple[str | int, ...], message: str, severity: str = "error") -> Finding:
    from contractkit.rules import Finding

    return Finding(path, message, severity)


def _units(spec: Spec) -> Iterator[Finding]:
    """per_hour pays for an hour the spec names; output and labor time are not interchangeable."""
    for i, w in enumerate(spec.workloads):
        unit = w.unit.strip()
        words = unit.casefold().replace("-", " ").split()
        vague = words == ["hour"] or "hour" not in words
        if w.pricing.model is PricingModel.per_hour and not w.labor_time and vague:
            yield _finding(
                ("workloads", i, "unit"),
                f"workload '{w.id}' is priced per_hour, so unit must say which hour is paid "
                "for: 'labor hour' for labeling time (then time records and a monthly cap "
                f"apply), or the hour of media delivered, e.g. 'audio hour'; got '{unit}'",
            )
        if w.pricing.model is PricingModel.per_task and w.labor_time:
            yield _finding(
                ("workloads", i, "pricing", "model"),
                f"workload '{w.id}' counts its work in labor hours, which are priced per_hour; "
                "per_task pays for output",
            )


def _pricing_fields(spec: Spec) -> Iterator[Finding]:
    """Each pricing field belongs to one pricing model."""
    owners = {
        "milestones": {PricingModel.fixed},
        "total_units": {PricingModel.fixed},
        "fte": {PricingModel.per_fte_month},
        "monthly_cap": {PricingModel.per_task, PricingModel.per_hour},
    }
    for i, w in enumerate(spec.workloads):
        for name, models in owners.items():
            if getattr(w.pricing, name) in (None, []) or w.pricing.model in models:
                continue
            allowed = " and ".join(sorted(m.value for m in models))
            yield _finding(
                ("workloads", i, "pricing", name),
                f"{name} applies only to {allowed} pricing; workload '{w.id}' is priced "
                f"{w.pricing.model.value}",
            )


def _milestones(spec: Spec) -> Iterator[Finding]:
    """A fixed fee is paid exactly once over: the milestones add up to it."""
    currency = spec.engagement.currency
    for i, w in enumerate(spec.workloads):
        milestones = w.pricing.milestones
        if w.pricing.model is not PricingModel.fixed or not milestones:
            continue
        fee = w.pricing.rate
        if all(m.pct is not None for m in milestones):
            share = sum(m.pct or 0 for m in milestones)
            if abs(share - 100) > 1e-9:
                yield _finding(
                    ("workloads", i, "pricing", "milestones"),
                    f"the milestones of workload '{w.id}' add up to {share:g}% of the fixed fee, "
                    "not 100%",
                )
            continue
        total = sum(
            m.amount if m.amount is not None else fee * (m.pct or 0) / 100 for m in milestones
        )
        if abs(total - fee) > CENT:
            yield _finding(
                ("workloads", i, "pricing", "milestones"),
                f"the milestones of workload '{w.id}' add up to {_plain(money(total, currency))}, "
                f"not the fixed fee of {_plain(money(fee, currency))}",
            )


def _plain(text: str) -> str:
    return text.replace("\\", "")


def _team(spec: Spec) -> Iterator[Finding]:
    """The team serves workloads that exist and is not billed for more people than it has."""
    staffing = spec.staffing
    if staffing is None:
        return
    ids = [w.id for w in spec.workloads]
    for j, wid in enumerate(staffing.workloads or []):
        if wid not in ids:
            yield _finding(
                ("staffing", "workloads", j),
                f"'{wid}' is not a workload id; use one of {', '.join(ids)}",
            )
    billed = sum(
        w.pricing.fte or 0
        for w in spec.team_workloads
        if w.pricing.model is PricingModel.per_fte_month
    )
    if billed > staffing.baseline_fte + 1e-9:
        yield _finding(
            ("staffing", "baseline_fte"),
            f"the baseline team has {staffing.baseline_fte:g} full-time equivalents but the "
            f"workloads it serves are billed for {billed:g} (pricing.fte)",
        )


def _disputes(spec: Spec) -> Iterator[Finding]:
    """Arbitration details only with arbitration; courts with a foreign vendor need a reason."""
    given = spec.engagement.disputes
    terms = spec.dispute_terms
    base = ("engagement", "disputes")
    if given is not None and terms.forum is DisputeForum.courts:
        for name in ("institution", "seat", "arbitrators"):
            if getattr(given, name) is not None:
                yield _finding(
                    (*base, name), f"{name} applies only to arbitration; forum is courts"
                )
    if given is not None and given.reason is not None and terms.forum is DisputeForum.arbitration:
        yield _finding(
            (*base, "reason"),
            "reason explains a choice of courts; disputes go to arbitration, so it is not used",
            "warning",
        )
    foreign = spec.vendor.country != "US"
    if terms.forum is DisputeForum.courts and foreign and (given is None or given.reason is None):
        yield _finding(
            (*base, "forum"),
            "a US court judgment may not be enforceable in "
            f"{_plain(country(spec.vendor.country))}, where the vendor is established; "
            "arbitration is the default for a vendor outside the US, so give "
            "engagement.disputes.reason for choosing courts (the review notes quote it)",
            "warning",
        )
    venue = spec.engagement.venue
    if (
        spec.engagement.governing_law.value == "California"
        and terms.forum is DisputeForum.courts
        and "california" not in venue.casefold()
    ):
        yield _finding(
            ("engagement", "venue"),
            "under California law a pre-dispute jury waiver is unenforceable and judicial "
            "reference (Code of Civil Procedure section 638) is available only in a California "
            f"court; '{venue}' is outside California, so choose a California venue or arbitration",
            "warning",
        )
    if spec.vendor.process_agent is not None and not foreign:
        yield _finding(
            ("vendor", "process_agent"),
            "a vendor established in the US is served directly; process_agent is not used",
            "warning",
        )


def _exit_pricing(spec: Spec) -> Iterator[Finding]:
    """A rate card is printed only when exit assistance can be charged."""
    if spec.commercial.rate_card and spec.exit.exit_fees is ExitFees.none:
        yield _finding(
            ("commercial", "rate_card"),
            "exit.exit_fees is none, so exit assistance is free and the rate card is not printed",
            "warning",
        )
