"""The exit runbook: the exit timeline with the Exit Schedule's anchors, dated given notice."""

from __future__ import annotations

import calendar
import datetime as dt

from contractkit.checklist.model import RunbookEvent
from contractkit.spec import Renewal, ReviewCadence, Spec

# Automatic renewals listed after the initial term (all of them before a termination date).
RENEWALS_SHOWN = 3


def add_months(date: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    month = date.month - 1 + months
    year = date.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def runbook(spec: Spec, exit_notice: dt.date | None) -> list[RunbookEvent]:
    """The exit timeline with the Exit Schedule's anchors: the exit plan and its reviews, the
    term and its renewals, then each step of an exit, dated when notice is given. Steps whose
    period is zero are left out, and so is anything after a termination that comes first."""
    ex = spec.exit
    effective = spec.engagement.effective_date
    events = [
        RunbookEvent(
            "Exit plan due",
            "effective_date",
            ex.exit_plan_due_days,
            None,
            (effective + dt.timedelta(days=ex.exit_plan_due_days)).isoformat(),
        ),
    ]
    step = 12 if ex.exit_plan_review is ReviewCadence.annual else 6
    first_due = effective + dt.timedelta(days=ex.exit_plan_due_days)
    end_of_term = add_months(effective, spec.engagement.term_months)
    ends = (
        exit_notice + dt.timedelta(days=ex.termination_for_convenience_days)
        if exit_notice
        else None
    )
    review = add_months(first_due, step)
    n = 1
    while review <= end_of_term and (ends is None or review <= ends):
        events.append(
            RunbookEvent(
                f"Exit plan review {n}",
                "exit_plan_due",
                None,
                step * n,
                review.isoformat(),
                every_months=step,
            )
        )
        review = add_months(first_due, step * (n + 1))
        n += 1
    events += _term(spec, ends)

    def dated(days: int) -> str | None:
        return (exit_notice + dt.timedelta(days=days)).isoformat() if exit_notice else None

    transition = ex.transition_period_days
    events.append(
        RunbookEvent(
            "Termination for convenience takes effect",
            "exit_notice",
            ex.termination_for_convenience_days,
            None,
            ends.isoformat() if ends else None,
        )
    )
    # The Receipt Date comes at the latest when a silent customer is deemed to have confirmed
    # receipt of data returned on the last day allowed; destruction deadlines run from it.
    receipt = transition + ex.data_return.within_days + ex.data_return.deemed_receipt_days
    events += [
        RunbookEvent("Transition period ends", "exit_notice", transition, None, dated(transition)),
        RunbookEvent(
            "All data returned",
            "exit_notice",
            transition + ex.data_return.within_days,
            None,
            dated(transition + ex.data_return.within_days),
        ),
        RunbookEvent(
            "Receipt Date at the latest (receipt deemed confirmed)",
            "exit_notice",
            receipt,
            None,
            dated(receipt),
        ),
        RunbookEvent(
            "Destruction certificate due at the latest",
            "exit_notice",
            receipt + ex.destruction_certificate_days,
            None,
            dated(receipt + ex.destruction_certificate_days),
        ),
        RunbookEvent(
            "Backups purged at the latest",
            "exit_notice",
            receipt + ex.backup_purge_days,
            None,
            dated(receipt + ex.backup_purge_days),
        ),
        RunbookEvent(
            "Destruction certificate due",
            "receipt_date",
            ex.destruction_certificate_days,
            None,
            None,
        ),
        RunbookEvent("Backups purged", "receipt_date", ex.backup_purge_days, None, None),
        RunbookEvent(
            "Key-personnel retention ends",
            "exit_notice",
            ex.knowledge_transfer.key_personnel_retention_days,
            None,
            dated(ex.knowledge_transfer.key_personnel_retention_days),
        ),
    ]
    runoff_end = None
    if exit_notice is not None:
        end_transition = exit_notice + dt.timedelta(days=transition)
        runoff_end = add_months(end_transition, ex.runoff_support_months).isoformat()
    events.append(
        RunbookEvent(
            "Run-off support ends", "transition_end", None, ex.runoff_support_months, runoff_end
        )
    )
    return [e for e in events if not _empty(e, spec)]


def _empty(event: RunbookEvent, spec: Spec) -> bool:
    """A row for a period of zero that the exit does not have (no run-off, no retention)."""
    ex = spec.exit
    zero = {
        "Transition period ends": ex.transition_period_days,
        "Key-personnel retention ends": ex.knowledge_transfer.key_personnel_retention_days,
        "Run-off support ends": ex.runoff_support_months,
    }
    return zero.get(event.event, 1) == 0


def _term(spec: Spec, termination: dt.date | None) -> list[RunbookEvent]:
    """The end of the initial term and, for automatic renewal, the next renewal dates; none
    after a termination that takes effect first."""
    effective = spec.engagement.effective_date
    months = spec.engagement.term_months
    renewal = spec.engagement.renewal
    names = {
        Renewal.none: "Term expires",
        Renewal.mutual_agreement: "Initial term expires unless renewed by agreement",
        Renewal.auto_annual: "Initial term ends; renews for 12 months (renewal 1)",
    }
    events = [
        RunbookEvent(
            names[renewal],
            "effective_date",
            None,
            months,
            add_months(effective, months).isoformat(),
        )
    ]
    if renewal is Renewal.auto_annual:
        for n in range(2, RENEWALS_SHOWN + 1):
            date = add_months(effective, months + 12 * (n - 1))
            events.append(
                RunbookEvent(
                    f"Renewal {n} begins",
                    "term_end",
                    None,
                    12 * (n - 1),
                    date.isoformat(),
                    every_months=12,
                )
            )
    if termination is None:
        return events
    return [e for e in events if e.date is not None and e.date <= termination.isoformat()]
