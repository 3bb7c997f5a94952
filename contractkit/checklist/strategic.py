"""Strategic layer: a second vendor for critical work, and program knowledge in customer hands."""

from __future__ import annotations

from contractkit.checklist.context import (
    ChecklistContext,
    customer_holds_sop,
    customer_owns_sop,
)
from contractkit.spec import Deliverable, Party, Workload


def _transferable(w: Workload) -> bool:
    """Whether another vendor could take the SOP up: the customer owns it and holds the master."""
    return customer_owns_sop(w) and customer_holds_sop(w)


def _diversification(ctx: ChecklistContext) -> None:
    for p in ctx.workloads:
        w = p.workload
        item_id = f"strategic.{w.id}.diversification"
        title = "A second vendor for the workload"
        second = w.secondary_vendor
        if second is not None:
            ctx.add(
                item_id,
                title,
                "ready",
                f"second vendor {second.legal_name} ({second.status.value})",
                workload=w.id,
                reference="multi-sourcing",
            )
        elif w.critical:
            ctx.add(
                item_id,
                title,
                "gap",
                "a critical workload with no second vendor",
                "Qualify or contract a second vendor for this critical workload",
                "procurement",
                workload=w.id,
                reference="multi-sourcing",
            )
        else:
            ctx.add(item_id, title, "not_applicable", "not a critical workload", workload=w.id)


def strategic(ctx: ChecklistContext) -> None:
    spec = ctx.spec
    _diversification(ctx)
    movable = [w.id for w in spec.workloads if _transferable(w)]
    stuck = [w.id for w in spec.workloads if not _transferable(w)]
    ctx.add(
        "strategic.sops-transferable",
        "SOPs transferable to another vendor",
        "ready" if not stuck else "gap",
        f"SOPs owned by the customer and held on its side: {', '.join(movable) or 'none'}"
        + (f"; not: {', '.join(stuck)}" if stuck else ""),
        "Take ownership of each SOP and keep the master copy in customer or shared systems",
        "customer",
        reference="sops",
    )
    held = [
        w.id
        for w in spec.workloads
        if _transferable(w) and (w.ground_truth is None or w.ground_truth.owner is Party.customer)
    ]
    audit_trails = ctx.handover(Deliverable.audit_trails)
    in_house = len(held) == len(spec.workloads) and audit_trails is not None
    ctx.add(
        "strategic.knowledge-in-customer-systems",
        "Program knowledge held in customer systems",
        "ready" if in_house else "gap",
        f"SOPs and gold sets in customer hands for: {', '.join(held) or 'none'}; audit trails "
        + (audit_trails or "not handed over on exit"),
        "Keep SOPs, gold sets and audit trails in customer systems",
        "customer",
        reference="knowledge-transfer",
    )
