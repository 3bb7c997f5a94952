"""Exit-readiness and SOP-transferability checklist: what procurement must know before signing.

Every item is derived from the spec (plus, where the library is given, the section of the
generated agreement that deals with it), so the same spec always gives the same checklist; an
evidence file then judges each item on what has actually happened as of a date. Each layer
lives in its own module and adds its items in checklist order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from contractkit.checklist.context import ChecklistContext
from contractkit.checklist.contractual import contractual
from contractkit.checklist.fit import fit
from contractkit.checklist.freshness import FRESHNESS, NEEDS_EXPIRY, apply_evidence, extra_items
from contractkit.checklist.model import (
    LAYERS,
    STATUSES,
    Checklist,
    Item,
    Owner,
    RunbookEvent,
    Status,
)
from contractkit.checklist.operational import operational
from contractkit.checklist.quality import quality
from contractkit.checklist.references import TOPIC_CLAUSES, reference_map
from contractkit.checklist.runbook import runbook
from contractkit.checklist.security import INCIDENT_NOTICE_MAX_HOURS, security
from contractkit.checklist.strategic import strategic
from contractkit.checklist.transferability import TRANSFER_DELIVERABLES, transferability
from contractkit.coverage import CoverageRow
from contractkit.documents import selected_documents
from contractkit.errors import Problem, RefusedError
from contractkit.evidence import (
    Evidence,
    LoadedEvidence,
    check_against,
    evidence_path_for,
    load_evidence,
)
from contractkit.loader import LoadedSpec
from contractkit.tree import DocumentTree

__all__ = [
    "FRESHNESS",
    "INCIDENT_NOTICE_MAX_HOURS",
    "LAYERS",
    "STATUSES",
    "TOPIC_CLAUSES",
    "TRANSFER_DELIVERABLES",
    "Checklist",
    "ChecklistContext",
    "Item",
    "Owner",
    "RunbookEvent",
    "Status",
    "checklist_for",
    "make_checklist",
    "reference_map",
    "runbook",
]


def make_checklist(
    loaded: LoadedSpec,
    trees: list[DocumentTree] | None = None,
    exit_notice: dt.date | None = None,
    coverage: Sequence[CoverageRow] = (),
    evidence: LoadedEvidence | Evidence | None = None,
    as_of: dt.date | None = None,
) -> Checklist:
    """The checklist for a valid spec; ``trees`` add section references, ``coverage`` checks
    that each agreement meets its requirements, ``evidence`` judges each item on what has
    happened as of ``as_of`` (a file's entries are checked against the checklist first)."""
    spec = loaded.spec
    if exit_notice is not None and exit_notice < spec.engagement.effective_date:
        where = loaded.document.locate(("engagement", "effective_date"))
        raise RefusedError(
            [
                Problem(
                    where,
                    f"--exit-notice {exit_notice.isoformat()} is before the effective date "
                    f"{spec.engagement.effective_date.isoformat()}; notice can only be given "
                    "once the agreements are in effect",
                )
            ]
        )
    references = reference_map(trees) if trees else {}
    ctx = ChecklistContext(spec, references, coverage)
    contractual(ctx)
    security(ctx)
    quality(ctx)
    operational(ctx)
    strategic(ctx)
    ratings = transferability(ctx)
    verdict = fit(ctx)
    items = ctx.items
    record: Evidence | None = None
    if evidence is not None:
        record = evidence.evidence if isinstance(evidence, LoadedEvidence) else evidence
        produced = frozenset(d.key for d in selected_documents(spec))
        extras = extra_items(spec, produced, references)
        if isinstance(evidence, LoadedEvidence):
            ids = {i.id for i in items} | {i.id for i in extras}
            check_against(evidence, spec.engagement.id, loaded.path, ids, produced, NEEDS_EXPIRY)
        as_of = as_of or record.as_of or record.latest_date() or spec.engagement.effective_date
        items = apply_evidence(items, spec, record, as_of, produced, references)
    return Checklist(
        engagement=spec.engagement.id,
        spec_sha256=loaded.sha256,
        items=items,
        fit=verdict,
        workloads=ratings,
        runbook=runbook(spec, exit_notice),
        exit_notice=exit_notice.isoformat() if exit_notice else None,
        title=spec.engagement.title,
        as_of=as_of.isoformat() if record is not None and as_of else None,
        evidence_sha256=evidence.sha256 if isinstance(evidence, LoadedEvidence) else None,
    )


def checklist_for(
    spec_path: Path,
    libraries: tuple[Path, ...] = (),
    exit_notice: dt.date | None = None,
    evidence_path: Path | None = None,
    as_of: dt.date | None = None,
) -> tuple[Checklist, LoadedSpec]:
    """Load a spec (and its evidence: ``evidence_path``, else the file beside the spec when
    there is one), assemble its agreements for section references, and derive the checklist.

    Evidence is judged as of ``as_of``, else the file's own ``as_of``, else today.
    """
    from contractkit.assemble import assemble
    from contractkit.coverage import coverage
    from contractkit.library import load_library
    from contractkit.loader import load_spec

    loaded = load_spec(spec_path)
    found = evidence_path or evidence_path_for(spec_path)
    evidence = load_evidence(found) if found is not None else None
    if evidence is not None and as_of is None:
        as_of = evidence.evidence.as_of or dt.date.today()
    library = load_library(libraries)
    trees = assemble(loaded.spec, library)
    rows = coverage(loaded.spec, library, trees)
    return make_checklist(loaded, trees, exit_notice, rows, evidence, as_of), loaded
