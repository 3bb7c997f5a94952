"""Reading a portfolio: every spec in the folders, its evidence, and its checklist as of a date.

An engagement without an evidence file is judged on an empty record (nothing signed, nothing
proven), since the portfolio asks what has happened, not what the drafts say.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Sequence
from pathlib import Path

from contractkit.checklist import LAYERS, Checklist, Item, make_checklist
from contractkit.checklist.model import OPEN
from contractkit.errors import ContractkitError, Problem, RefusedError
from contractkit.evidence import (
    EVIDENCE_SUFFIXES,
    Evidence,
    LoadedEvidence,
    evidence_path_for,
    load_evidence,
)
from contractkit.loader import LoadedSpec, load_spec
from contractkit.portfolio.model import (
    NEXT_DEADLINES,
    WINDOW_DAYS,
    Deadline,
    EngagementStanding,
    OpenItem,
    Portfolio,
    Share,
    share_pct,
)

# Items that must be ready (or not apply) for an engagement to be exited tomorrow: signed exit
# terms, the exit plan in hand, and for each workload what a successor needs and someone to
# take a critical workload over.
EXIT_BLOCKERS: tuple[str, ...] = (
    "contractual.msa",
    "contractual.exit-schedule",
    "contractual.exit-*",
    "operational.exit-plan-received",
    "strategic.*.diversification",
    "transferability.*.sop-exists",
    "transferability.*.sop-customer-owned",
    "transferability.*.sop-copy-held",
    "transferability.*.ground-truth-owned",
)


def blocks_exit(item_id: str) -> bool:
    return any(fnmatch.fnmatchcase(item_id, pattern) for pattern in EXIT_BLOCKERS)


def _evidence_for(spec: Path, evidence_dir: Path | None) -> Path | None:
    if evidence_dir is not None:
        for suffix in EVIDENCE_SUFFIXES:
            candidate = evidence_dir / (spec.stem + suffix)
            if candidate.is_file():
                return candidate
    return evidence_path_for(spec)


def collect(
    folders: Sequence[Path],
    evidence_dir: Path | None,
    as_of: dt.date,
    libraries: tuple[Path, ...] = (),
) -> Portfolio:
    """The portfolio of every spec directly in ``folders``; any bad file refuses the whole
    report, with every problem located."""
    from contractkit.assemble import assemble
    from contractkit.build import spec_files
    from contractkit.coverage import coverage
    from contractkit.library import load_library

    if evidence_dir is not None and not evidence_dir.is_dir():
        raise RefusedError.at(evidence_dir, "--evidence-dir is not a folder")
    library = load_library(libraries)
    problems: list[Problem] = []
    loaded: list[tuple[LoadedSpec, LoadedEvidence | None]] = []
    specs: list[LoadedSpec] = []
    for path in spec_files(folders):
        try:
            spec = load_spec(path)
        except ContractkitError as exc:
            problems += exc.problems
            continue
        specs.append(spec)
        found = _evidence_for(path, evidence_dir)
        try:
            loaded.append((spec, load_evidence(found) if found is not None else None))
        except ContractkitError as exc:
            problems += exc.problems
    seen: dict[str, Path] = {}
    for spec in sorted(specs, key=lambda s: str(s.path)):
        engagement = spec.spec.engagement.id
        if engagement in seen:
            problems.append(
                Problem(
                    spec.document.locate(("engagement", "id")),
                    f"'{engagement}' is also the id of {seen[engagement]}; each engagement in a "
                    "portfolio needs its own id",
                )
            )
        seen.setdefault(engagement, spec.path)
    if problems:
        raise RefusedError(problems)
    engagements: list[EngagementStanding] = []
    checklists: list[tuple[LoadedSpec, Checklist]] = []
    for spec, evidence in loaded:
        try:
            trees = assemble(spec.spec, library)
            rows = coverage(spec.spec, library, trees)
            record = evidence or Evidence(
                contractkit_evidence=1, engagement=spec.spec.engagement.id
            )
            checklist = make_checklist(spec, trees, None, rows, record, as_of)
        except ContractkitError as exc:
            problems += exc.problems
            continue
        checklists.append((spec, checklist))
        engagements.append(_engagement(spec, evidence, checklist, as_of))
    if problems:
        raise RefusedError(problems)
    return _portfolio(engagements, checklists, as_of)


def _open(item: Item) -> OpenItem:
    return OpenItem(
        item.id,
        item.title,
        item.workload,
        item.status,
        item.action,
        item.owner,
        blocks_exit(item.id),
    )


def layer_status(counts: dict[str, int]) -> str:
    """A layer's worst status, the one its heatmap cell shows."""
    for status in ("gap", "stale", "drafted", "needs_input"):
        if counts[status]:
            return status
    return "ready"


def deadlines(checklist: Checklist, as_of: dt.date) -> tuple[list[Deadline], list[Deadline]]:
    """An engagement's dated events from the as-of date on, and its stale evidence."""
    today = as_of.isoformat()
    found = [
        Deadline(e.date, checklist.engagement, e.event, "contract")
        for e in checklist.runbook
        if e.date is not None and e.date >= today
    ]
    stale: list[Deadline] = []
    for item in checklist.items:
        name = item.title + (f" ({item.workload})" if item.workload else "")
        if item.status == "stale" and item.stale_since is not None:
            stale.append(Deadline(item.stale_since, checklist.engagement, name, "stale"))
        elif item.evidence_due is not None and item.evidence_due >= today:
            event = f"Evidence due: {name}"
            found.append(Deadline(item.evidence_due, checklist.engagement, event, "evidence"))
    found.sort(key=lambda d: (d.date, d.event))
    stale.sort(key=lambda d: (d.date, d.event))
    return found, stale


def _engagement(
    loaded: LoadedSpec, evidence: LoadedEvidence | None, checklist: Checklist, as_of: dt.date
) -> EngagementStanding:
    spec = loaded.spec
    summary = checklist.summary()
    layers = summary["layers"]
    counts = {
        s: sum(layers[layer][s] for layer in LAYERS)
        for s in ("ready", "drafted", "stale", "gap", "needs_input", "not_applicable")
    }
    open_items = [_open(i) for i in checklist.items if i.status in OPEN]
    blocking = [i for i in open_items if i.blocking]
    upcoming, _ = deadlines(checklist, as_of)
    return EngagementStanding(
        id=spec.engagement.id,
        title=spec.engagement.title,
        spec=str(loaded.path),
        evidence=str(evidence.path) if evidence else None,
        vendor=spec.vendor.legal_name,
        country=spec.vendor.country,
        operating_model=spec.engagement.operating_model.value,
        workloads=[w.id for w in spec.workloads],
        critical_workloads=[w.id for w in spec.workloads if w.critical],
        without_secondary=[w.id for w in spec.workloads if w.secondary_vendor is None],
        scores={layer: layers[layer]["score"] for layer in LAYERS},
        overall=summary["overall"],
        counts=counts,
        exit_ready=not blocking,
        blocking=blocking,
        next_deadlines=upcoming[:NEXT_DEADLINES],
        open_items=open_items,
        layer_status={layer: layer_status(layers[layer]) for layer in LAYERS},
    )


def _shares(groups: dict[str, list[tuple[str, int]]], total: int) -> list[Share]:
    shares = [
        Share(
            name,
            sum(n for _, n in members),
            share_pct(sum(n for _, n in members), total),
            sorted({e for e, _ in members}),
        )
        for name, members in groups.items()
    ]
    return sorted(shares, key=lambda s: (-s.critical, s.name))


def _portfolio(
    engagements: list[EngagementStanding],
    checklists: list[tuple[LoadedSpec, Checklist]],
    as_of: dt.date,
) -> Portfolio:
    until = as_of + dt.timedelta(days=WINDOW_DAYS)
    total = sum(len(e.critical_workloads) for e in engagements)
    vendors: dict[str, list[tuple[str, int]]] = {}
    countries: dict[str, list[tuple[str, int]]] = {}
    for e in engagements:
        vendors.setdefault(f"{e.vendor} ({e.country})", []).append(
            (e.id, len(e.critical_workloads))
        )
        countries.setdefault(e.country, []).append((e.id, len(e.critical_workloads)))
    calendar: list[Deadline] = []
    stale: list[Deadline] = []
    for _, checklist in checklists:
        upcoming, old = deadlines(checklist, as_of)
        calendar += [d for d in upcoming if d.date <= until.isoformat()]
        stale += old
    without = [
        {"engagement": e.id, "workload": w, "critical": w in e.critical_workloads}
        for e in engagements
        for w in e.without_secondary
    ]
    return Portfolio(
        as_of=as_of.isoformat(),
        until=until.isoformat(),
        engagements=sorted(engagements, key=lambda e: e.id),
        by_vendor=_shares(vendors, total),
        by_country=_shares(countries, total),
        without_secondary=without,
        calendar=sorted(calendar, key=lambda d: (d.date, d.engagement, d.event)),
        stale=sorted(stale, key=lambda d: (d.date, d.engagement, d.event)),
    )
