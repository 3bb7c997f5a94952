"""Requirement coverage: which clause, at which section, meets each requirement that applies.

A requirement applies when its condition holds for the spec; it is covered when a clause placed in
its agreement declares it in ``satisfies``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from contractkit.documents import BY_KEY, selected_documents
from contractkit.errors import Location
from contractkit.facts import evaluate_condition, spec_context
from contractkit.library import Library
from contractkit.spec import Spec
from contractkit.templating import clause_environment
from contractkit.tree import DocumentTree


@dataclass
class CoverageRow:
    """One requirement against one engagement."""

    requirement: str
    citation: str
    summary: str
    document: str
    applies: bool
    clauses: list[str]
    sections: list[str]
    covered: bool


def coverage(spec: Spec, library: Library, trees: list[DocumentTree]) -> list[CoverageRow]:
    """Every requirement in the registry, whether it applies and what covers it."""
    env = clause_environment()
    context = spec_context(spec, [d.key for d in selected_documents(spec)])
    by_document = {t.key: t for t in trees}
    rows = []
    for entry in library.requirements.values():
        req = entry.requirement
        where = Location(str(entry.path), entry.line)
        applies = evaluate_condition(env, req.applies_when, context, where)
        tree = by_document.get(req.document.value)
        clauses = [c for c in tree.clauses() if req.id in c.satisfies] if tree else []
        rows.append(
            CoverageRow(
                requirement=req.id,
                citation=req.citation,
                summary=req.summary,
                document=req.document.value,
                applies=applies,
                clauses=[c.id for c in clauses],
                sections=[f"{BY_KEY[req.document].stem} §{c.number}" for c in clauses],
                covered=bool(clauses),
            )
        )
    return rows


def uncovered(rows: list[CoverageRow]) -> list[CoverageRow]:
    """Requirements that apply and that no clause meets."""
    return [r for r in rows if r.applies and not r.covered]


def coverage_markdown(rows: list[CoverageRow], engagement: str) -> str:
    """The coverage table counsel reads in ``internal/coverage.md``."""
    applicable = [r for r in rows if r.applies]
    missing = uncovered(rows)
    lines = [
        "# Privileged & Confidential",
        "",
        f"Requirement coverage for `{engagement}`: {len(applicable) - len(missing)} of "
        f"{len(applicable)} applicable requirements met.",
        "",
        "| requirement | citation | clause | section | covered |",
        "|---|---|---|---|---|",
    ]
    for r in applicable:
        lines.append(
            f"| `{r.requirement}` | {r.citation} | {', '.join(r.clauses) or '-'} "
            f"| {', '.join(r.sections) or '-'} | {'yes' if r.covered else '**NO**'} |"
        )
    return "\n".join(lines) + "\n"


def coverage_json(rows: list[CoverageRow]) -> list[dict[str, Any]]:
    """Plain data for ``coverage --json``."""
    return [asdict(r) for r in rows]


def coverage_for(spec_path: Path, libraries: tuple[Path, ...]) -> tuple[list[CoverageRow], str]:
    """Load, assemble and measure coverage for one spec."""
    from contractkit.assemble import assemble
    from contractkit.library import load_library
    from contractkit.loader import load_spec

    loaded = load_spec(spec_path)
    library = load_library(libraries)
    trees = assemble(loaded.spec, library)
    return coverage(loaded.spec, library, trees), loaded.spec.engagement.id
