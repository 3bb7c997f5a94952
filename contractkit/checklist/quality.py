"""Quality layer: QA layers, targets, sampling and a versioned SOP per workload; escalation."""

from __future__ import annotations

from contractkit.checklist.context import (
    Check,
    ChecklistContext,
    IndexedWorkload,
    agreement_evidence,
    always,
    percent,
    sop_evidence,
    sop_versioned,
    words,
)
from contractkit.spec import Deliverable, QaLayer

MIN_QA_LAYERS = 2
# The second layer an action suggests, in this order of preference.
SUGGESTED_LAYERS = (QaLayer.lead_audit, QaLayer.peer_review, QaLayer.customer_review)


def _layers(p: IndexedWorkload) -> list[QaLayer]:
    """The distinct QA layers: a layer named twice is still one layer."""
    return list(dict.fromkeys(p.workload.quality.qa_layers))


def _qa_action(p: IndexedWorkload) -> str:
    missing = next(layer for layer in SUGGESTED_LAYERS if layer not in _layers(p))
    return f"Add a second QA layer, e.g. {words(missing.value)}"


CHECKS: tuple[Check[IndexedWorkload], ...] = (
    Check(
        "qa-layers",
        "At least two QA layers",
        lambda p: len(_layers(p)) >= MIN_QA_LAYERS,
        lambda p: "QA layers: " + ", ".join(words(layer.value) for layer in _layers(p)),
        "",
        "vendor",
        "quality",
    ),
    Check(
        "accuracy-target",
        "Documented accuracy target",
        always,
        lambda p: f"accuracy target {percent(p.workload.quality.accuracy_target)}",
        owner="customer",
        reference="quality",
    ),
    Check(
        "agreement",
        "Agreement measured with a named metric and threshold",
        always,
        agreement_evidence,
        owner="customer",
        reference="quality",
    ),
    Check(
        "audit-sampling",
        "Audit sampling",
        lambda p: p.workload.quality.audit_sample_rate > 0,
        lambda p: f"{percent(p.workload.quality.audit_sample_rate)} of delivered items audited",
        "Set an audit sample rate above zero",
        "customer",
        "quality",
    ),
    Check(
        "sop-versioning",
        "SOP under version control",
        lambda p: sop_versioned(p.workload),
        sop_evidence,
        "Put the SOP under version control with a change log",
        "customer",
        "quality",
    ),
)


def quality(ctx: ChecklistContext) -> None:
    for p in ctx.workloads:
        w = p.workload
        prefix = f"quality.{w.id}"
        start = len(ctx.items)
        ctx.check(prefix, CHECKS, p, workload=w.id)
        qa = ctx.items[start]
        if qa.status == "gap":
            qa.action = _qa_action(p)
    # The MSA's quality clause drafts the escalation path and the log in every engagement; what
    # can be missing is the log's handover on exit.
    handover = ctx.handover(Deliverable.edge_case_log)
    ctx.add(
        "quality.edge-case-escalation",
        "Edge cases escalated and logged, the log handed over on exit",
        "ready" if handover else "gap",
        "the MSA requires unclear items to be escalated and kept in an edge-case log the "
        f"customer can see; the log is {handover or 'not handed over on exit'}",
        "Add edge_case_log to the knowledge-transfer deliverables",
        "counsel",
        reference="quality",
    )
