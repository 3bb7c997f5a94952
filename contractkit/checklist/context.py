"""What every layer reads (the spec, the agreements' references, coverage) and where it adds items.

Also the row type of the layers' tables and the facts about workloads that several layers share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

from contractkit.checklist.model import Item, Owner, Status
from contractkit.coverage import CoverageRow
from contractkit.documents import selected_documents
from contractkit.spec import (
    AgreementMetric,
    Certification,
    Deliverable,
    DocumentKey,
    Party,
    Repository,
    Spec,
    Workload,
)

T = TypeVar("T")

SECURITY_CERTIFICATIONS = (Certification.iso_27001, Certification.soc2_type2)
# What the Exit Schedule's knowledge-transfer clause requires whether or not the spec lists it
# (its catch-all sentence); a test checks the clause still says so.
EXIT_SCHEDULE_REQUIRES = frozenset(
    {
        Deliverable.sops,
        Deliverable.guidelines,
        Deliverable.quality_framework,
        Deliverable.ground_truth,
        Deliverable.edge_case_log,
        Deliverable.audit_trails,
        Deliverable.tool_configurations,
    }
)
CUSTOMER_SIDE = (Repository.customer, Repository.shared)


class Check(NamedTuple, Generic[T]):
    """One row of a layer's table: ready when ``met`` holds of the subject, else a gap.

    A title that depends on the spec (what exactly was checked) is a function of the subject.
    """

    slug: str
    title: str | Callable[[T], str]
    met: Callable[[T], bool]
    evidence: Callable[[T], str]
    action: str = ""
    owner: Owner = "procurement"
    reference: str | None = None


def always(_: object) -> bool:
    """For items the spec cannot get wrong: its schema already requires what they check."""
    return True


@dataclass(frozen=True)
class IndexedWorkload:
    """A workload with its index in the spec, so that evidence names the field it comes from."""

    index: int
    workload: Workload

    def at(self, field: str) -> str:
        return f"workloads[{self.index}].{field}"


class ChecklistContext:
    """The spec a checklist is derived from, where the agreements deal with each topic, the
    coverage of their requirements, and the items added so far, in checklist order."""

    def __init__(
        self, spec: Spec, references: dict[str, str], coverage: Sequence[CoverageRow] = ()
    ) -> None:
        self.spec = spec
        self.references = references
        self.coverage = list(coverage)
        self.items: list[Item] = []

    @property
    def workloads(self) -> list[IndexedWorkload]:
        return [IndexedWorkload(i, w) for i, w in enumerate(self.spec.workloads)]

    @property
    def delivered(self) -> set[Deliverable]:
        """The closed-list knowledge-transfer deliverables the spec names."""
        kt = self.spec.exit.knowledge_transfer
        return {d.key for d in kt.deliverables if d.key is not None}

    @property
    def exit_schedule(self) -> bool:
        """Whether the Exit Schedule is produced, with the handover it requires of itself."""
        return DocumentKey.exit_schedule in {d.key for d in selected_documents(self.spec)}

    def handover(self, deliverable: Deliverable) -> str | None:
        """How the vendor comes to hand a deliverable over on exit, or None when nothing
        requires it: listed in the spec, or required by the Exit Schedule regardless."""
        if deliverable in self.delivered:
            return "listed for handover"
        if self.exit_schedule and deliverable in EXIT_SCHEDULE_REQUIRES:
            return "required by the exit schedule whether or not listed"
        return None

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
        """Add an item; its layer is its id's first part, and only open items keep an action."""
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

    def check(
        self, prefix: str, rows: Iterable[Check[T]], subject: T, *, workload: str | None = None
    ) -> None:
        """Add one item per table row, ``PREFIX.SLUG``, judged on ``subject``."""
        for row in rows:
            self.add(
                f"{prefix}.{row.slug}",
                row.title if isinstance(row.title, str) else row.title(subject),
                "ready" if row.met(subject) else "gap",
                row.evidence(subject),
                row.action,
                row.owner,
                workload=workload,
                reference=row.reference,
            )


def certified(spec: Spec) -> bool:
    """Whether the vendor holds a security certification (ISO 27001 or SOC 2 Type II)."""
    return any(c in SECURITY_CERTIFICATIONS for c in spec.vendor.certifications)


def sop_versioned(w: Workload) -> bool:
    return w.sop is not None and w.sop.version is not None


def customer_owns_sop(w: Workload) -> bool:
    return w.sop is not None and w.sop.owner is Party.customer


def customer_holds_sop(w: Workload) -> bool:
    """Whether the master copy of the SOP sits where the customer can take it."""
    return w.sop is not None and w.sop.repository in CUSTOMER_SIDE


HELD = {
    Repository.customer: "held by the customer",
    Repository.shared: "held in a shared repository",
    Repository.vendor: "held only by the vendor",
}
AGREEMENT_NAMES = {
    AgreementMetric.cohen_kappa: "Cohen's kappa",
    AgreementMetric.fleiss_kappa: "Fleiss' kappa",
    AgreementMetric.krippendorff_alpha: "Krippendorff's alpha",
    AgreementMetric.f1: "F1",
}


def words(value: str) -> str:
    """An enum value as words: ``lead_audit`` -> ``lead audit``."""
    return value.replace("_", " ")


def counted(n: int, unit: str) -> str:
    """``n`` with its unit, singular for one: "1 day", "90 days"."""
    return f"{n} {unit}{'s' * (n != 1)}"


def percent(fraction: float) -> str:
    return f"{fraction * 100:.4g}%"


def sop_evidence(p: IndexedWorkload) -> str:
    """The SOP as a person names it: title, version, owner and where the master copy is."""
    sop = p.workload.sop
    if sop is None:
        return "no SOP is named for this workload"
    version = f" {sop.version}" if sop.version else ", unversioned"
    return f'SOP "{sop.title}"{version}, owned by the {sop.owner.value}, {HELD[sop.repository]}'


def agreement_evidence(p: IndexedWorkload) -> str:
    agreement = p.workload.quality.agreement
    return (
        f"agreement measured as {AGREEMENT_NAMES[agreement.metric]} of at least "
        f"{agreement.threshold:.2f}"
    )
