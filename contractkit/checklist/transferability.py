"""Transferability layer: whether each workload could move to another vendor, and a rating."""

from __future__ import annotations

from contractkit.checklist.context import (
    Check,
    ChecklistContext,
    IndexedWorkload,
    agreement_evidence,
    always,
    customer_holds_sop,
    customer_owns_sop,
    sop_evidence,
    sop_versioned,
    words,
)
from contractkit.spec import Deliverable, Party

# What a successor needs besides the SOP and the gold set.
TRANSFER_DELIVERABLES = (
    Deliverable.audit_trails,
    Deliverable.edge_case_log,
    Deliverable.training_materials,
    Deliverable.tool_configurations,
)


def _ground_truth_evidence(p: IndexedWorkload) -> str:
    gt = p.workload.ground_truth
    if gt is None:
        return "no ground-truth set is named for this workload"
    return f'gold set "{gt.name}" of {gt.items:,} items, owned by the {gt.owner.value}'


CHECKS: tuple[Check[IndexedWorkload], ...] = (
    Check(
        "sop-exists",
        "SOP exists",
        lambda p: p.workload.sop is not None,
        sop_evidence,
        "Write the SOP down before the work starts",
        "customer",
        "sops",
    ),
    Check(
        "sop-versioned",
        "SOP is versioned",
        lambda p: sop_versioned(p.workload),
        sop_evidence,
        "Version the SOP and keep its history",
        "customer",
        "sops",
    ),
    Check(
        "sop-customer-owned",
        "SOP is owned by the customer",
        lambda p: customer_owns_sop(p.workload),
        sop_evidence,
        "Take ownership of the SOP (assignment in the IP agreement)",
        "counsel",
        "sops",
    ),
    Check(
        "sop-copy-held",
        "Customer holds a copy of the SOP",
        lambda p: customer_holds_sop(p.workload),
        sop_evidence,
        "Keep the master SOP in customer or shared systems",
        "customer",
        "sops",
    ),
    Check(
        "ground-truth-owned",
        "Ground-truth set owned by the customer",
        lambda p: (
            p.workload.ground_truth is not None and p.workload.ground_truth.owner is Party.customer
        ),
        _ground_truth_evidence,
        "Build a customer-owned gold set for the workload",
        "customer",
        "knowledge-transfer",
    ),
    Check(
        "quality-framework",
        "Quality framework documented",
        always,
        agreement_evidence,
        owner="customer",
        reference="quality",
    ),
)


def _names(deliverables: list[Deliverable]) -> str:
    return ", ".join(words(d.value) for d in deliverables)


# A gap in any of these leaves the workload at risk rather than partly ready.
CRITICAL = frozenset({"sop-exists", "sop-customer-owned", "sop-copy-held", "ground-truth-owned"})


def transferability(ctx: ChecklistContext) -> dict[str, dict[str, str]]:
    """Add the layer's items; return each workload's rating (ready, partial or at_risk)."""
    ratings: dict[str, dict[str, str]] = {}
    missing = [d for d in TRANSFER_DELIVERABLES if ctx.handover(d) is None]
    required = [d for d in TRANSFER_DELIVERABLES if ctx.handover(d) and d not in ctx.delivered]
    parts = []
    if missing:
        parts.append(f"not handed over: {_names(missing)}")
    if required:
        parts.append(f"required by the exit schedule whether or not listed: {_names(required)}")
    evidence = "; ".join(parts) or "all four listed for handover"
    for p in ctx.workloads:
        w = p.workload
        prefix = f"transferability.{w.id}"
        start = len(ctx.items)
        ctx.check(prefix, CHECKS, p, workload=w.id)
        ctx.add(
            f"{prefix}.kt-deliverables",
            "Audit trails, edge-case log, training materials and tool configurations handed over",
            "ready" if not missing else "gap",
            evidence,
            f"Add {', '.join(d.value for d in missing)} to the knowledge-transfer deliverables",
            "counsel",
            workload=w.id,
            reference="knowledge-transfer",
        )
        mine = ctx.items[start:]
        critical_ids = {f"{prefix}.{slug}" for slug in CRITICAL}
        if all(item.status == "ready" for item in mine):
            rating = "ready"
        elif any(item.status == "gap" and item.id in critical_ids for item in mine):
            rating = "at_risk"
        else:
            rating = "partial"
        ratings[w.id] = {"rating": rating}
        ctx.add(
            f"{prefix}.rating",
            "Workload could move to another vendor",
            "ready" if rating == "ready" else "gap",
            f"rating: {rating}",
            "Close the transferability gaps above",
            "procurement",
            workload=w.id,
        )
    return ratings
