"""Throwaway clause libraries and specs for scenario tests, and shared readers of built files."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import textwrap
from pathlib import Path
from typing import Any

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


def copy_bundle(bundle: Path, out: Path) -> Path:
    """A copy of a built bundle as ``out/<engagement id>``, for a test that changes or rebuilds it.

    Building the bundle takes seconds; copying it takes milliseconds, and file times are kept.
    The manifest records the spec's path relative to the bundle, so the copy must sit as deep as
    the original (``tmp_path / "out"`` does for the session's bundles).
    """
    copy = out / bundle.name
    assert len(copy.parts) == len(bundle.parts), (bundle, copy)
    return Path(shutil.copytree(bundle, copy))


def pdf_pages(path: Path) -> tuple[str, ...]:
    """The text of each page of a PDF, extracted once per distinct file content in a test run.

    Several tests, in either pytest-xdist worker, read the same session-built PDFs or copies
    of them, so each text is extracted once.
    """
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest not in _PAGES:
        _PAGES[digest] = _extracted(data, digest)
    return _PAGES[digest]


_PAGES: dict[str, tuple[str, ...]] = {}
PDF_TEXTS: Path | None = None
"""Where extracted texts are kept for every process of the run (set by conftest)."""


def _pdftotext(data: bytes) -> tuple[str, ...]:
    """Each page's text in the order the PDF draws it, by poppler's ``pdftotext`` (poppler-utils,
    which the tests need for page images too): over ten times faster than pypdf's extraction."""
    if shutil.which("pdftotext") is None:
        raise RuntimeError("pdftotext is not installed; the tests need poppler-utils")
    command = ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"]
    done = subprocess.run(command, input=data, capture_output=True, check=True)
    return tuple(done.stdout.decode("utf-8").split("\f")[:-1])


def _extracted(data: bytes, digest: str) -> tuple[str, ...]:
    kept = PDF_TEXTS / f"{digest}.json" if PDF_TEXTS is not None else None
    if kept is not None and kept.is_file():
        return tuple(json.loads(kept.read_text(encoding="utf-8")))
    pages = _pdftotext(data)
    if kept is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_name(f".{digest}.{os.getpid()}.tmp")
        partial.write_text(json.dumps(pages), encoding="utf-8")
        partial.replace(kept)
    return pages


def pdf_text(path: Path) -> str:
    """The whole text of a PDF, pages joined by a space."""
    return " ".join(pdf_pages(path))


def spec_variant(base: Path, changes: dict[str, Any]) -> Spec:
    """A spec file's data with values replaced at dotted paths, validated with every rule.

    ``{"workloads.0.pricing": {"model": "fixed", "rate": 1000}}`` replaces one value; ``None``
    removes the key. A rule that the change breaks fails the calling test, so each variant is a
    spec a user could write.
    """
    from contractkit import rules

    data = load_spec(base).spec.model_dump(mode="json", exclude_defaults=True)
    for dotted, value in changes.items():
        *parents, last = dotted.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        key: Any = int(last) if isinstance(node, list) else last
        if value is None:
            node.pop(key, None)
        else:
            node[key] = value
    spec = Spec.model_validate(data)
    errors = [f for f in rules.check(spec) if f.severity == "error"]
    assert not errors, errors
    return spec


def tree_text(tree: object) -> str:
    """Every word of a document tree: preamble, definitions, clause titles and bodies, schedules."""
    from contractkit.tree import DocumentTree, NumberedList, Paragraph, Table

    assert isinstance(tree, DocumentTree)
    parts: list[str] = []

    def blocks(items: list[object]) -> None:
        for block in items:
            if isinstance(block, Paragraph):
                parts.append("".join(r.text for r in block.runs))
            elif isinstance(block, NumberedList):
                stack = list(block.items)
                while stack:
                    item = stack.pop(0)
                    parts.extend("".join(r.text for r in p.runs) for p in item.paragraphs)
                    stack[0:0] = item.children
            elif isinstance(block, Table):
                parts.extend(
                    " | ".join("".join(r.text for r in c) for c in row) for row in block.rows
                )

    blocks(list(tree.preamble))
    blocks(list(tree.recitals))
    for article in (*tree.articles, *tree.schedules):
        parts.append(article.title)
        for definition in article.definitions:
            parts.append("".join(r.text for r in definition.runs))
        for clause in article.clauses:
            parts.append(f"{clause.number} {clause.title}")
            blocks(list(clause.blocks))
    return " ".join(" ".join(parts).split())


def bundle_texts(spec: Spec) -> dict[str, str]:
    """The text of every document of an engagement, by document key."""
    from contractkit.assemble import assemble
    from contractkit.library import load_library

    return {t.key: tree_text(t) for t in assemble(spec, load_library())}


def review_json(bundle: Path, markup: Path, *options: str) -> tuple[int, dict[str, Any]]:
    """``contractkit review MARKUP --bundle BUNDLE --json``: its exit code and parsed output."""
    from click.testing import CliRunner

    from contractkit.cli import main

    args = ["review", str(markup), "--bundle", str(bundle), "--json", *options]
    result = CliRunner().invoke(main, args)
    return result.exit_code, json.loads(result.stdout)
