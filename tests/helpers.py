"""Throwaway clause libraries and specs for scenario tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

from contractkit.loader import load_spec
from contractkit.spec import DocumentKey, Position, Spec

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
LIDAR = EXAMPLES / "lidar-project.yaml"

OUTLINES = {
    "msa/_outline.yaml": """
        document: msa
        title: Master Services Agreement
        preamble: "This Agreement is between {{ customer.legal_name }} and {{ vendor.legal_name }}."
        recitals: ["{{ customer.short_name }} needs labeling."]
        articles:
          - title: Definitions
            definitions: true
          - title: Services
            clauses: [msa.services, msa.quality]
          - title: Termination
            clauses: [msa.termination, msa.phi_only]
        schedules:
          - title: Workloads
            clauses: [msa.workloads]
        """,
    "nda/_outline.yaml": """
        document: nda
        title: Mutual Non-Disclosure Agreement
        preamble: "Between the parties."
        articles:
          - title: Definitions
            definitions: true
          - title: Confidentiality
            clauses: [nda.obligations]
        """,
    "definitions.yaml": """
        Services: the labeling services for {{ customer.short_name }}.
        Confidential Information: "non-public information, including {{ term('Customer Data') }}."
        Customer Data: the data {{ customer.short_name }} provides.
        Unused Term: never referred to.
        """,
}
CLAUSES = {
    "msa/services.md": """
        ---
        id: msa.services
        document: msa
        title: Services
        version: 1.0.0
        ---
        {{ vendor.short_name }} shall perform the {{ term('Services') }} as set out in {{ ref('msa.quality') }} and {{ ref('msa.workloads') }}.

        1. first item;
        2. second item, including:
           1. a nested item; and
           2. another nested item; and
        3. third item.

        After that:

        1. a new list restarts at (a).
        """,
    "msa/quality.md": """
        ---
        id: msa.quality
        document: msa
        title: Quality
        version: 1.0.0
        ---
        Quality is measured under {{ ref('nda.obligations') }}.
        """,
    "msa/termination-any.md": """
        ---
        id: msa.termination
        document: msa
        title: Termination
        version: 1.0.0
        ---
        Either party may terminate on {{ exit.termination_for_convenience_days|days }} notice.
        """,
    "msa/termination-balanced.md": """
        ---
        id: msa.termination
        document: msa
        title: Termination
        version: 1.1.0
        position: balanced
        ---
        BALANCED: either party may terminate on {{ exit.termination_for_convenience_days|days }} notice.
        """,
    "msa/phi-only.md": """
        ---
        id: msa.phi_only
        document: msa
        title: Protected Health Information
        version: 1.0.0
        applies_when: has_phi
        ---
        PHI terms.
        """,
    "msa/workloads.md": """
        ---
        id: msa.workloads
        document: msa
        title: Workload Table
        version: 1.0.0
        ---
        | Workload | Turnaround |
        |---|---|
        {% for w in workloads %}
        | {{ w.name }} | {{ w.turnaround_hours|counted('hour') }} |
        {% endfor %}
        """,
    "nda/obligations.md": """
        ---
        id: nda.obligations
        document: nda
        title: Obligations
        version: 1.0.0
        note: A drafting note that must never be printed.
        ---
        Each party shall protect {{ term('Confidential Information') }}.
        """,
}


def write_tree(base: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return base


def spec_for(position: Position = Position.balanced, **customer: str) -> Spec:
    spec = load_spec(LIDAR).spec
    engagement = spec.engagement.model_copy(update={"position": position})
    spec = spec.model_copy(
        update={"engagement": engagement, "documents": [DocumentKey.msa, DocumentKey.nda]}
    )
    if customer:
        spec = spec.model_copy(update={"customer": spec.customer.model_copy(update=customer)})
    return Spec.model_validate(spec.model_dump())


def quality_clause(body: str) -> str:
    """The mini library's msa.quality clause with another body; its body starts on line 7."""
    return "---\nid: msa.quality\ndocument: msa\ntitle: Quality\nversion: 1.0.0\n---\n" + body
