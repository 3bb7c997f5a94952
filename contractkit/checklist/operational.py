"""Operational layer: reporting, an accountable manager, SLAs with credits, surge and a pilot."""

from __future__ import annotations

from contractkit.checklist.context import Check, ChecklistContext, always
from contractkit.spec import OperatingModel, Reporting, Spec

# Units a month (all workloads) up to which weekly reporting still catches a problem in time.
# A project is steered by its milestones and tolerates more; a team or flexible capacity the
# customer manages week to week tolerates less.
WEEKLY_REPORTING_MAX_VOLUME = {
    OperatingModel.project: 50_000,
    OperatingModel.dedicated_team: 10_000,
    OperatingModel.flexible: 10_000,
    OperatingModel.hybrid: 10_000,
}


def monthly_volume(spec: Spec) -> int:
    return sum(w.volume_per_month for w in spec.workloads)


def _cadence_suits(spec: Spec) -> bool:
    if spec.operations.reporting is Reporting.daily:
        return True
    limit = WEEKLY_REPORTING_MAX_VOLUME[spec.engagement.operating_model]
    return monthly_volume(spec) <= limit


def _cadence_evidence(spec: Spec) -> str:
    model = spec.engagement.operating_model
    cadence = spec.operations.reporting.value
    text = (
        f"{cadence} reporting for a {model.value.replace('_', ' ')} engagement of "
        f"{monthly_volume(spec):,} units a month"
    )
    if spec.operations.reporting is Reporting.weekly:
        text += f" (weekly suffices up to {WEEKLY_REPORTING_MAX_VOLUME[model]:,})"
    return text


CHECKS: tuple[Check[Spec], ...] = (
    Check(
        "reporting-cadence",
        "Reporting cadence suits the operating model and volume",
        _cadence_suits,
        _cadence_evidence,
        "Agree daily reporting of volume, quality and turnaround",
        "procurement",
        "reporting",
    ),
    Check(
        "accountable-manager",
        "A single accountable manager",
        always,
        lambda s: (
            f"{s.vendor.accountable_manager.name} <{s.vendor.accountable_manager.email}>, "
            "named in the MSA"
        ),
        owner="vendor",
        reference="reporting",
    ),
    Check(
        "slas",
        "SLAs in writing with service credits",
        lambda s: s.operations.slas.service_credit_pct > 0,
        lambda s: (
            f"{s.operations.slas.on_time_delivery_pct:g}% of batches on time; "
            + (
                f"{s.operations.slas.service_credit_pct:g}% service credit"
                if s.operations.slas.service_credit_pct
                else "no service credit"
            )
        ),
        "Attach service credits to the SLAs",
        "counsel",
        "slas",
    ),
)
PILOT = Check[Spec](
    "pilot",
    "A pilot before production",
    lambda s: s.operations.pilot is not None,
    lambda s: (
        f"{s.operations.pilot.weeks}-week pilot of {s.operations.pilot.volume:,} units"
        if s.operations.pilot
        else "no pilot"
    ),
    "Run a pilot before committing production volume",
    "procurement",
    "pilot",
)


def _surge(ctx: ChecklistContext) -> None:
    """Only a hybrid engagement relies on surge capacity, so only there must it be tested."""
    spec = ctx.spec
    model = spec.engagement.operating_model
    if model is not OperatingModel.hybrid:
        ctx.add(
            "operational.surge-tested",
            "Surge capacity tested in the pilot",
            "not_applicable",
            f"a {model.value.replace('_', ' ')} engagement has no surge capacity",
        )
        return
    surge = spec.staffing.surge if spec.staffing else None
    tested = surge is not None and surge.tested_in_pilot
    ctx.add(
        "operational.surge-tested",
        "Surge capacity tested in the pilot",
        "ready" if tested else "gap",
        "the pilot exercises a surge" if tested else "the pilot does not exercise a surge",
        "Exercise a surge during the pilot",
        "procurement",
        reference="surge",
    )


def operational(ctx: ChecklistContext) -> None:
    ctx.check("operational", CHECKS, ctx.spec)
    _surge(ctx)
    ctx.check("operational", (PILOT,), ctx.spec)
