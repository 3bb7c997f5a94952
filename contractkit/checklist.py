"""Exit-readiness and SOP-transferability checklist: what procurement must know before signing.

Every item is derived from the spec alone (plus, where the library is given, the section of the
generated agreement that deals with it), so the same spec always gives the same checklist.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from contractkit.coverage import CoverageRow
from contractkit.documents import BY_KEY, selected_documents
from contractkit.loader import LoadedSpec
from contractkit.spec import (
    Certification,
    DataCategory,
    Deliverable,
    DocumentKey,
    FitAnswers,
    OperatingModel,
    Party,
    Reporting,
    Repository,
    ReviewCadence,
    Spec,
    Workload,
)
from contractkit.tree import DocumentTree

Status = Literal["ready", "gap", "needs_input", "not_applicable"]
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
STATUSES: tuple[Status, ...] = ("ready", "gap", "needs_input", "not_applicable")
INCIDENT_NOTICE_MAX_HOURS = 72
TRANSFER_DELIVERABLES = (
    Deliverable.audit_trails,
    Deliverable.edge_case_log,
    Deliverable.training_materials,
    Deliverable.tool_configurations,
)


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


@dataclass
class RunbookEvent:
    """A dated (or relative) step of an exit, anchored as the Exit Schedule anchors it."""

    event: str
    anchor: str
    offset_days: int | None
    offset_months: int | None
    date: str | None


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

    def summary(self) -> dict[str, Any]:
        layers: dict[str, dict[str, int]] = {}
        for layer in LAYERS:
            counts: dict[str, int] = {s: 0 for s in STATUSES}
            for item in self.items:
                if item.layer == layer:
                    counts[item.status] += 1
            counts["score"] = _score(counts)
            layers[layer] = counts
        overall: dict[str, int] = {s: sum(layers[layer][s] for layer in LAYERS) for s in STATUSES}
        return {"layers": layers, "overall": _score(overall)}

    def to_json(self) -> dict[str, Any]:
        return {
            "engagement": self.engagement,
            "spec_sha256": self.spec_sha256,
            "summary": self.summary(),
            "fit": self.fit,
            "workloads": self.workloads,
            "runbook": [asdict(e) for e in self.runbook],
            "items": [asdict(i) for i in self.items],
        }


def _score(counts: dict[str, int]) -> int:
    counted = counts["ready"] + counts["gap"] + counts["needs_input"]
    if counted == 0:
        return 100
    return int(100 * counts["ready"] / counted + 0.5)


class _Builder:
    def __init__(
        self, spec: Spec, references: dict[str, str], coverage: Sequence[CoverageRow] = ()
    ):
        self.spec = spec
        self.references = references
        self.coverage = list(coverage)
        self.items: list[Item] = []

    def add(
        self,
        item_id: str,
        title: str,
        status: Status,
        evidence: str,
        action: str = "",
        owner: Owner = "procurement",
        *,
        workload: str | None = None,
        reference: str | None = None,
    ) -> None:
        layer = item_id.split(".", 1)[0]
        ref = self.references.get(reference) if reference else None
        self.items.append(
            Item(
                item_id,
                layer,
                workload,
                title,
                status,
                evidence,
                ref,
                "" if status in ("ready", "not_applicable") else action,
                owner,
            )
        )


def _deliverables(spec: Spec) -> set[Deliverable]:
    return {d.key for d in spec.exit.knowledge_transfer.deliverables if d.key is not None}


def _contractual(b: _Builder) -> None:
    spec = b.spec
    produced = {d.key for d in selected_documents(spec)}
    for info in BY_KEY.values():
        key = info.key
        slug = info.stem
        if not info.allowed(spec):
            b.add(
                f"contractual.{slug}",
                f"{info.title} in place",
                "not_applicable",
                f"{info.applies}; no workload needs it",
                owner="counsel",
            )
            continue
        if key in produced:
            evidence = "produced for this engagement"
            rows = [r for r in b.coverage if r.document == key.value and r.applies]
            missing = [r.requirement for r in rows if not r.covered]
            if rows:
                evidence += f"; {len(rows) - len(missing)} of {len(rows)} requirements covered"
            b.add(
                f"contractual.{slug}",
                f"{info.title} in place and covering its requirements",
                "gap" if missing else "ready",
                evidence + (f" (not: {', '.join(missing)})" if missing else ""),
                "Add clauses that meet the uncovered requirements (contractkit coverage)",
                owner="counsel",
                reference=f"{key.value}",
            )
        elif key is DocumentKey.dpa and not spec.has_personal_data:
            b.add(
                f"contractual.{slug}",
                f"{info.title} in place",
                "not_applicable",
                "documents leaves it out and no workload carries personal data",
                owner="counsel",
            )
        else:
            b.add(
                f"contractual.{slug}",
                f"{info.title} in place",
                "gap",
                f"documents leaves out {key.value}",
                f"Add {key.value} to documents, or record why the engagement goes without it",
                "counsel",
            )
    exit_ = spec.exit
    has_exit = DocumentKey.exit_schedule in produced
    kt = exit_.knowledge_transfer
    checks: list[tuple[str, str, bool, str, str]] = [
        (
            "exit-transition-period",
            "Exit terms include a transition period",
            exit_.transition_period_days > 0,
            f"exit.transition_period_days = {exit_.transition_period_days}",
            "Agree a transition period with continued service",
        ),
        (
            "exit-knowledge-transfer",
            "Exit terms include knowledge transfer",
            bool(kt.deliverables) and kt.sessions_hours > 0,
            f"exit.knowledge_transfer: {len(kt.deliverables)} deliverables, "
            f"sessions_hours = {kt.sessions_hours}",
            "Agree knowledge-transfer deliverables and session hours",
        ),
        (
            "exit-data-return",
            "Exit terms include data return",
            bool(exit_.data_return.formats),
            f"exit.data_return: {', '.join(f.value for f in exit_.data_return.formats)} within "
            f"{exit_.data_return.within_days} days",
            "Agree return formats and a deadline",
        ),
        (
            "exit-certified-destruction",
            "Exit terms include certified destruction",
            exit_.destruction_certificate_days > 0,
            f"security.destruction_standard = {spec.security.destruction_standard.value}; "
            f"exit.destruction_certificate_days = {exit_.destruction_certificate_days}",
            "Require a destruction certificate with a deadline",
        ),
        (
            "exit-successor-cooperation",
            "Exit terms include successor cooperation",
            exit_.successor_cooperation,
            f"exit.successor_cooperation = {str(exit_.successor_cooperation).lower()}",
            "Require the vendor to cooperate with a successor vendor",
        ),
    ]
    for slug, title, ok, evidence, action in checks:
        if not has_exit:
            b.add(
                f"contractual.{slug}",
                title,
                "gap",
                "the exit schedule is not produced",
                "Produce the exit schedule",
                "counsel",
            )
        else:
            b.add(
                f"contractual.{slug}",
                title,
                "ready" if ok else "gap",
                evidence,
                action,
                "counsel",
                reference=slug,
            )


def _security(b: _Builder) -> None:
    spec = b.spec
    sec = spec.security
    certs = spec.vendor.certifications
    certified = [c.value for c in certs if c in (Certification.iso_27001, Certification.soc2_type2)]
    b.add(
        "security.certification",
        "ISO 27001 or SOC 2 Type II certification",
        "ready" if certified else "gap",
        f"vendor.certifications = [{', '.join(c.value for c in certs)}]",
        "Obtain ISO 27001 or SOC 2 Type II evidence, or require certification by a date",
        "vendor",
        reference="security",
    )
    b.add(
        "security.encryption",
        "Encryption at rest and in transit",
        "ready",
        f"security.encryption_at_rest = {sec.encryption_at_rest}; "
        f"security.encryption_in_transit = {sec.encryption_in_transit}",
        owner="vendor",
        reference="security",
    )
    b.add(
        "security.access-control",
        "Role-based access control and MFA",
        "ready" if sec.mfa else "gap",
        f"security.access_control = {sec.access_control.value}; security.mfa = "
        f"{str(sec.mfa).lower()}",
        "Require multi-factor authentication for all access",
        "vendor",
        reference="security",
    )
    b.add(
        "security.audit-logs",
        "Audit logs kept with a retention period",
        "ready" if sec.audit_log_retention_days > 0 else "gap",
        f"security.audit_log_retention_days = {sec.audit_log_retention_days}",
        "Agree an audit-log retention period",
        "vendor",
        reference="security",
    )
    ok = sec.incident_notice_hours <= INCIDENT_NOTICE_MAX_HOURS
    b.add(
        "security.incident-notice",
        "Prompt security-incident notice",
        "ready" if ok else "gap",
        f"security.incident_notice_hours = {sec.incident_notice_hours}",
        f"Shorten incident notice to {INCIDENT_NOTICE_MAX_HOURS} hours or less",
        "counsel",
        reference="security",
    )
    b.add(
        "security.data-destruction",
        "Documented data destruction standard",
        "ready",
        f"security.destruction_standard = {sec.destruction_standard.value}",
        owner="vendor",
        reference="exit-certified-destruction",
    )


def _sop_evidence(i: int, w: Workload) -> str:
    if w.sop is None:
        return f"workloads[{i}].sop is absent"
    version = w.sop.version or "no version"
    return (
        f"workloads[{i}].sop: '{w.sop.title}' {version}, owner {w.sop.owner.value}, "
        f"repository {w.sop.repository.value}"
    )


def _quality(b: _Builder) -> None:
    spec = b.spec
    for i, w in enumerate(spec.workloads):
        q = w.quality
        p = f"quality.{w.id}"
        layers = [layer.value for layer in q.qa_layers]
        b.add(
            f"{p}.qa-layers",
            "At least two QA layers",
            "ready" if len(layers) >= 2 else "gap",
            f"workloads[{i}].quality.qa_layers = [{', '.join(layers)}]",
            "Add a second QA layer (e.g. lead audit)",
            "vendor",
            workload=w.id,
            reference="quality",
        )
        b.add(
            f"{p}.accuracy-target",
            "Documented accuracy target",
            "ready",
            f"workloads[{i}].quality.accuracy_target = {q.accuracy_target:g}",
            workload=w.id,
            owner="customer",
            reference="quality",
        )
        b.add(
            f"{p}.agreement",
            "Agreement measured with a named metric and threshold",
            "ready",
            f"workloads[{i}].quality.agreement = {q.agreement.metric.value} >= "
            f"{q.agreement.threshold:g}",
            workload=w.id,
            owner="customer",
            reference="quality",
        )
        b.add(
            f"{p}.audit-sampling",
            "Audit sampling",
            "ready" if q.audit_sample_rate > 0 else "gap",
            f"workloads[{i}].quality.audit_sample_rate = {q.audit_sample_rate:g}",
            "Set an audit sample rate above zero",
            "customer",
            workload=w.id,
            reference="quality",
        )
        versioned = w.sop is not None and w.sop.version is not None
        b.add(
            f"{p}.sop-versioning",
            "SOP under version control",
            "ready" if versioned else "gap",
            _sop_evidence(i, w),
            "Put the SOP under version control with a change log",
            "customer",
            workload=w.id,
            reference="quality",
        )
    has_log = Deliverable.edge_case_log in _deliverables(spec)
    b.add(
        "quality.edge-case-escalation",
        "Edge cases escalated and logged",
        "ready" if has_log else "gap",
        "exit.knowledge_transfer.deliverables "
        + ("includes" if has_log else "lacks")
        + " edge_case_log",
        "Require an edge-case escalation path and log, handed over on exit",
        "counsel",
        reference="quality",
    )


def _operational(b: _Builder) -> None:
    spec = b.spec
    ops = spec.operations
    daily = ops.reporting is Reporting.daily
    b.add(
        "operational.daily-reporting",
        "Daily reporting",
        "ready" if daily else "gap",
        f"operations.reporting = {ops.reporting.value}",
        "Agree daily reporting of volume, quality and turnaround",
        "procurement",
        reference="reporting",
    )
    manager = spec.vendor.accountable_manager
    b.add(
        "operational.accountable-manager",
        "A single accountable manager",
        "ready",
        f"vendor.accountable_manager = {manager.name} <{manager.email}>",
        owner="vendor",
        reference="reporting",
    )
    slas = ops.slas
    credits = slas.service_credit_pct > 0
    b.add(
        "operational.slas",
        "SLAs in writing with service credits",
        "ready" if credits else "gap",
        f"operations.slas: on_time_delivery_pct = {slas.on_time_delivery_pct:g}, "
        f"service_credit_pct = {slas.service_credit_pct:g}",
        "Attach service credits to the SLAs",
        "counsel",
        reference="slas",
    )
    if spec.engagement.operating_model is OperatingModel.hybrid:
        surge = spec.staffing.surge if spec.staffing else None
        tested = surge is not None and surge.tested_in_pilot
        b.add(
            "operational.surge-tested",
            "Surge capacity tested in the pilot",
            "ready" if tested else "gap",
            f"staffing.surge.tested_in_pilot = {str(tested).lower()}",
            "Exercise a surge during the pilot",
            "procurement",
            reference="surge",
        )
    else:
        b.add(
            "operational.surge-tested",
            "Surge capacity tested in the pilot",
            "not_applicable",
            f"engagement.operating_model = {spec.engagement.operating_model.value} (no surge)",
        )
    pilot = ops.pilot
    b.add(
        "operational.pilot",
        "A pilot before production",
        "ready" if pilot else "gap",
        f"operations.pilot = {pilot.weeks} weeks, {pilot.volume} units"
        if pilot
        else "operations.pilot is absent",
        "Run a pilot before committing production volume",
        "procurement",
        reference="pilot",
    )


def _transferable(w: Workload) -> bool:
    return (
        w.sop is not None
        and w.sop.owner is Party.customer
        and w.sop.repository in (Repository.customer, Repository.shared)
    )


def _strategic(b: _Builder) -> None:
    spec = b.spec
    for i, w in enumerate(spec.workloads):
        second = w.secondary_vendor
        if second is not None:
            b.add(
                f"strategic.{w.id}.diversification",
                "A second vendor for the workload",
                "ready",
                f"workloads[{i}].secondary_vendor = {second.legal_name} ({second.status.value})",
                workload=w.id,
            )
        elif w.critical:
            b.add(
                f"strategic.{w.id}.diversification",
                "A second vendor for the workload",
                "gap",
                f"workloads[{i}].critical = true and no secondary_vendor",
                "Qualify or contract a second vendor for this critical workload",
                "procurement",
                workload=w.id,
            )
        else:
            b.add(
                f"strategic.{w.id}.diversification",
                "A second vendor for the workload",
                "not_applicable",
                f"workloads[{i}].critical = false",
                workload=w.id,
            )
    movable = [w.id for w in spec.workloads if _transferable(w)]
    stuck = [w.id for w in spec.workloads if not _transferable(w)]
    b.add(
        "strategic.sops-transferable",
        "SOPs transferable to another vendor",
        "ready" if not stuck else "gap",
        f"customer-owned SOPs held by the customer: {', '.join(movable) or 'none'}"
        + (f"; not: {', '.join(stuck)}" if stuck else ""),
        "Take ownership of each SOP and keep the master copy in customer or shared systems",
        "customer",
    )
    held = [
        w.id
        for w in spec.workloads
        if _transferable(w) and (w.ground_truth is None or w.ground_truth.owner is Party.customer)
    ]
    in_house = len(held) == len(spec.workloads) and Deliverable.audit_trails in _deliverables(spec)
    b.add(
        "strategic.knowledge-in-customer-systems",
        "Program knowledge held in customer systems",
        "ready" if in_house else "gap",
        f"SOPs and gold sets in customer hands for: {', '.join(held) or 'none'}; audit trails "
        + ("are" if Deliverable.audit_trails in _deliverables(spec) else "are not")
        + " a knowledge-transfer deliverable",
        "Keep SOPs, gold sets and audit trails in customer systems",
        "customer",
    )


def _transferability(b: _Builder) -> dict[str, dict[str, str]]:
    spec = b.spec
    ratings: dict[str, dict[str, str]] = {}
    delivered = _deliverables(spec)
    for i, w in enumerate(spec.workloads):
        p = f"transferability.{w.id}"
        sop = w.sop
        start = len(b.items)
        b.add(
            f"{p}.sop-exists",
            "SOP exists",
            "ready" if sop else "gap",
            _sop_evidence(i, w),
            "Write the SOP down before the work starts",
            "customer",
            workload=w.id,
        )
        b.add(
            f"{p}.sop-versioned",
            "SOP is versioned",
            "ready" if sop and sop.version else "gap",
            _sop_evidence(i, w),
            "Version the SOP and keep its history",
            "customer",
            workload=w.id,
        )
        b.add(
            f"{p}.sop-customer-owned",
            "SOP is owned by the customer",
            "ready" if sop and sop.owner is Party.customer else "gap",
            _sop_evidence(i, w),
            "Take ownership of the SOP (assignment in the IP agreement)",
            "counsel",
            workload=w.id,
        )
        held = sop is not None and sop.repository in (Repository.customer, Repository.shared)
        b.add(
            f"{p}.sop-copy-held",
            "Customer holds a copy of the SOP",
            "ready" if held else "gap",
            _sop_evidence(i, w),
            "Keep the master SOP in customer or shared systems",
            "customer",
            workload=w.id,
        )
        gt = w.ground_truth
        b.add(
            f"{p}.ground-truth-owned",
            "Ground-truth set owned by the customer",
            "ready" if gt and gt.owner is Party.customer else "gap",
            f"workloads[{i}].ground_truth: {gt.name}, {gt.items} items, owner {gt.owner.value}"
            if gt
            else f"workloads[{i}].ground_truth is absent",
            "Build a customer-owned gold set for the workload",
            "customer",
            workload=w.id,
        )
        b.add(
            f"{p}.quality-framework",
            "Quality framework documented",
            "ready",
            f"workloads[{i}].quality.agreement = {w.quality.agreement.metric.value} >= "
            f"{w.quality.agreement.threshold:g}",
            workload=w.id,
            owner="customer",
        )
        missing = [d.value for d in TRANSFER_DELIVERABLES if d not in delivered]
        b.add(
            f"{p}.kt-deliverables",
            "Audit trails, edge-case log, training materials and tool configurations handed over",
            "ready" if not missing else "gap",
            "exit.knowledge_transfer.deliverables"
            + (f" lacks {', '.join(missing)}" if missing else " includes all four"),
            "Add the missing items to the knowledge-transfer deliverables",
            "counsel",
            workload=w.id,
            reference="knowledge-transfer",
        )
        mine = b.items[start:]
        critical_ids = {
            f"{p}.sop-exists",
            f"{p}.sop-customer-owned",
            f"{p}.sop-copy-held",
            f"{p}.ground-truth-owned",
        }
        if all(item.status == "ready" for item in mine):
            rating = "ready"
        elif any(item.status == "gap" and item.id in critical_ids for item in mine):
            rating = "at_risk"
        else:
            rating = "partial"
        ratings[w.id] = {"rating": rating}
        b.add(
            f"{p}.rating",
            "Workload could move to another vendor",
            "ready" if rating == "ready" else "gap",
            f"rating: {rating}",
            "Close the transferability gaps above",
            "procurement",
            workload=w.id,
        )
    return ratings


FOR_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("volume_exceeds_in_house_capacity", "Volume beyond in-house capacity"),
    ("repeatable_under_sop", "Work repeatable under a documented SOP"),
    ("data_shareable", "Data shareable under a defensible contract"),
    ("in_house_cost_materially_higher", "In-house cost materially higher"),
    ("senior_talent_better_spent_elsewhere", "Senior AI talent better spent elsewhere"),
    ("speed_is_differentiator", "Speed to deployment is a differentiator"),
    ("partner_compliance_stronger", "A certified partner's compliance is stronger"),
)
DERIVED_QUESTIONS = frozenset({"repeatable_under_sop", "data_shareable", "data_cannot_leave"})
AGAINST_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("annotation_is_core_ip", "The annotation is core IP"),
    ("data_cannot_leave", "Data cannot leave a controlled environment"),
    ("volume_too_low_for_vendor_management", "Volume too low to justify vendor management"),
    ("judgment_too_domain_specific", "Judgment too domain-specific for an external team"),
    ("sop_changing_weekly", "SOP changing weekly"),
)


def _answers(spec: Spec, i: int, w: Workload) -> dict[str, tuple[bool | None, str]]:
    top = spec.fit or FitAnswers()
    own = w.fit or FitAnswers()
    answers: dict[str, tuple[bool | None, str]] = {}
    for name in FitAnswers.model_fields:
        value = getattr(own, name)
        if value is not None:
            answers[name] = (value, f"workloads[{i}].fit.{name} = {str(value).lower()}")
        else:
            top_value = getattr(top, name)
            where = (
                f"fit.{name} = {str(top_value).lower()}"
                if top_value is not None
                else (f"fit.{name} is not answered")
            )
            answers[name] = (top_value, where)
    versioned = w.sop is not None and w.sop.version is not None
    answers["repeatable_under_sop"] = (versioned, _sop_evidence(i, w))
    controlled = DataCategory.export_controlled in w.data_categories
    answers["data_shareable"] = (
        not controlled,
        f"workloads[{i}].data_categories "
        + ("include" if controlled else "exclude")
        + " export_controlled",
    )
    answers["data_cannot_leave"] = (
        answers["data_shareable"][0] is False,
        answers["data_shareable"][1],
    )
    certified = any(
        c in (Certification.iso_27001, Certification.soc2_type2) for c in spec.vendor.certifications
    )
    answers["partner_compliance_stronger"] = (
        True if certified else None,
        "vendor.certifications include ISO 27001 or SOC 2"
        if certified
        else "vendor holds no ISO 27001 or SOC 2 certification; compare with in-house controls",
    )
    return answers


def _fit(b: _Builder) -> dict[str, Any]:
    spec = b.spec
    verdicts: dict[str, str] = {}
    reasons_for: dict[str, list[str]] = {}
    reasons_against: dict[str, list[str]] = {}
    unanswered: dict[str, list[str]] = {}
    everyone = len(spec.workloads)

    def scoped(reasons: dict[str, list[str]]) -> list[str]:
        return sorted(
            text if len(ids) == everyone else f"{', '.join(ids)}: {text}"
            for text, ids in reasons.items()
        )

    per_workload = [(w, _answers(spec, i, w)) for i, w in enumerate(spec.workloads)]
    for w, answers in per_workload:
        yes = sum(answers[k][0] is True for k, _ in FOR_QUESTIONS)
        unknown_for = sum(answers[k][0] is None for k, _ in FOR_QUESTIONS)
        against = [t for k, t in AGAINST_QUESTIONS if answers[k][0] is True]
        unknown_against = sum(answers[k][0] is None for k, _ in AGAINST_QUESTIONS)
        if against:
            verdicts[w.id] = "does_not_fit"
        elif yes >= 3 and unknown_against == 0:
            verdicts[w.id] = "fits"
        elif yes + unknown_for >= 3:
            verdicts[w.id] = "undetermined"
        else:
            verdicts[w.id] = "does_not_fit"
        for key, title in (*FOR_QUESTIONS, *AGAINST_QUESTIONS):
            value, evidence = answers[key]
            evidence = re.sub(r"^workloads\[\d+\]\.", "", evidence)
            is_for = key in dict(FOR_QUESTIONS)
            if value is None:
                target, text = unanswered, f"{title} ({evidence})"
            elif value is is_for:
                target, text = reasons_for, f"{'' if is_for else 'No: '}{title} ({evidence})"
            else:
                target, text = reasons_against, f"{'No: ' if is_for else ''}{title} ({evidence})"
            target.setdefault(text, []).append(w.id)
    # Stable ids: answers from the fit section (and the vendor) are one item for the engagement;
    # answers derived from a workload, or overridden by it, are one item per workload.
    top = spec.fit or FitAnswers()
    for key, title in (*FOR_QUESTIONS, *AGAINST_QUESTIONS):
        is_for = key in dict(FOR_QUESTIONS)
        slug = key.replace("_", "-")
        if key in FitAnswers.model_fields or key == "partner_compliance_stronger":
            if key == "partner_compliance_stronger":
                value, evidence = per_workload[0][1][key]
            else:
                value = getattr(top, key)
                evidence = (
                    f"fit.{key} = {str(value).lower()}"
                    if value is not None
                    else (f"fit.{key} is not answered")
                )
            b.add(
                f"fit.{slug}",
                title,
                _fit_status(value, is_for),
                evidence,
                _fit_action(value, is_for, title),
                "customer",
            )
        for w, answers in per_workload:
            own = getattr(w.fit, key, None) if w.fit is not None else None
            if key in DERIVED_QUESTIONS or own is not None:
                value, evidence = answers[key]
                b.add(
                    f"fit.{w.id}.{slug}",
                    title,
                    _fit_status(value, is_for),
                    evidence,
                    _fit_action(value, is_for, title),
                    "customer",
                    workload=w.id,
                )
    values = set(verdicts.values())
    if values == {"fits"}:
        verdict = "fits"
    elif values == {"does_not_fit"}:
        verdict = "does_not_fit"
    elif "does_not_fit" in values:
        verdict = "partly"
    else:
        verdict = "undetermined"
    return {
        "verdict": verdict,
        "for": scoped(reasons_for),
        "against": scoped(reasons_against),
        "unanswered": scoped(unanswered),
        "keep_in_house": sorted(w for w, v in verdicts.items() if v == "does_not_fit"),
    }


def _fit_status(value: bool | None, is_for: bool) -> Status:
    if value is None:
        return "needs_input"
    if is_for:
        return "ready" if value else "not_applicable"
    return "gap" if value else "ready"


def _fit_action(value: bool | None, is_for: bool, title: str) -> str:
    if value is None:
        # Lower-case the first word only, and not an acronym ("AI", "SOP").
        first = title[:1].lower() if title[1:2].islower() else title[:1]
        return f"Answer in the fit section: {first}{title[1:]}?"
    if not is_for and value:
        return "Keep this work in house, or change the conditions before outsourcing it"
    return ""


def _add_months(date: dt.date, months: int) -> dt.date:
    month = date.month - 1 + months
    year = date.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def runbook(spec: Spec, exit_notice: dt.date | None) -> list[RunbookEvent]:
    """The exit timeline with the Exit Schedule's anchors."""
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
    end_of_term = _add_months(effective, spec.engagement.term_months)
    review = _add_months(first_due, step)
    n = 1
    while review <= end_of_term:
        events.append(
            RunbookEvent(
                f"Exit plan review {n}",
                "effective_date",
                (review - effective).days,
                None,
                review.isoformat(),
            )
        )
        review = _add_months(first_due, step * (n + 1))
        n += 1

    def dated(days: int) -> str | None:
        return (exit_notice + dt.timedelta(days=days)).isoformat() if exit_notice else None

    transition = ex.transition_period_days
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
            "Destruction certificate due",
            "receipt_confirmed",
            ex.destruction_certificate_days,
            None,
            None,
        ),
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
        runoff_end = _add_months(end_transition, ex.runoff_support_months).isoformat()
    events.append(
        RunbookEvent(
            "Run-off support ends", "transition_end", None, ex.runoff_support_months, runoff_end
        )
    )
    return events


# Where each checklist topic is dealt with: candidate clause ids, first placed one wins.
TOPIC_CLAUSES: dict[str, tuple[str, ...]] = {
    "exit-transition-period": ("exit_schedule.transition",),
    "exit-knowledge-transfer": ("exit_schedule.knowledge_transfer",),
    "knowledge-transfer": ("exit_schedule.knowledge_transfer",),
    "exit-data-return": ("exit_schedule.data_return",),
    "exit-certified-destruction": ("exit_schedule.destruction",),
    "exit-successor-cooperation": ("exit_schedule.successor",),
    "security": ("msa.security", "msa.schedule_security"),
    "quality": ("msa.quality", "msa.schedule_quality"),
    "reporting": ("msa.reporting",),
    "slas": ("msa.service_levels", "msa.service_credits"),
    "surge": ("msa.model_hybrid",),
    "pilot": ("msa.pilot",),
}


def reference_map(trees: list[DocumentTree]) -> dict[str, str]:
    """Where in the generated agreements each checklist topic is dealt with."""
    found: dict[str, str] = {tree.key: tree.stem for tree in trees}
    placed = {c.id: f"{tree.stem} §{c.number}" for tree in trees for c in tree.clauses()}
    for topic, candidates in TOPIC_CLAUSES.items():
        label = next((placed[c] for c in candidates if c in placed), None)
        if label is not None:
            found[topic] = label
    return found


def make_checklist(
    loaded: LoadedSpec,
    trees: list[DocumentTree] | None = None,
    exit_notice: dt.date | None = None,
    coverage: Sequence[CoverageRow] = (),
) -> Checklist:
    """The checklist for a valid spec; ``trees`` add section references, ``coverage`` checks
    that each agreement meets its requirements."""
    spec = loaded.spec
    references = reference_map(trees) if trees else {}
    b = _Builder(spec, references, coverage)
    _contractual(b)
    _security(b)
    _quality(b)
    _operational(b)
    _strategic(b)
    ratings = _transferability(b)
    fit = _fit(b)
    return Checklist(
        engagement=spec.engagement.id,
        spec_sha256=loaded.sha256,
        items=b.items,
        fit=fit,
        workloads=ratings,
        runbook=runbook(spec, exit_notice),
        exit_notice=exit_notice.isoformat() if exit_notice else None,
        title=spec.engagement.title,
    )


__all__ = ["Checklist", "Item", "RunbookEvent", "make_checklist"]


def checklist_for(
    spec_path: Path, libraries: tuple[Path, ...] = (), exit_notice: dt.date | None = None
) -> tuple[Checklist, LoadedSpec]:
    """Load a spec, assemble its agreements for section references, and derive the checklist."""
    from contractkit.assemble import assemble
    from contractkit.coverage import coverage
    from contractkit.library import load_library
    from contractkit.loader import load_spec

    loaded = load_spec(spec_path)
    library = load_library(libraries)
    trees = assemble(loaded.spec, library)
    rows = coverage(loaded.spec, library, trees)
    return make_checklist(loaded, trees, exit_notice, rows), loaded
