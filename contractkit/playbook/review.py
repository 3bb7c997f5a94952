"""``contractkit review``: the vendor's markup of a draft, every change placed in its clause and
judged against that clause's playbook."""

from __future__ import annotations

import difflib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contractkit.errors import ContractkitError, RefusedError
from contractkit.library import ClauseFile, ClausePosition, Library, load_library
from contractkit.playbook.align import (
    Alignment,
    Label,
    align,
    label_baseline,
    norm,
    original_groups,
)
from contractkit.playbook.changes import Change, tracked_changes, untracked_changes
from contractkit.playbook.classify import Judged, Verdict, classify, plain_clause
from contractkit.playbook.docxread import Markup, NotDocxError, read_markup
from contractkit.redline import treejson
from contractkit.tree import DocumentTree

CLASSIFICATIONS = ("fallback", "beyond_walk_away", "not_in_playbook", "cosmetic")
MATCH_THRESHOLD = 0.5
MANIFEST = "internal/manifest.json"
EXIT_CLEAN = 0
EXIT_LOOK = 3


class NotInBundleError(ContractkitError):
    """The markup is not one of the bundle's documents."""


@dataclass
class Judgement:
    """A change and the verdict on it."""

    change: Change
    verdict: Verdict

    def to_json(self) -> dict[str, Any]:
        c, v = self.change, self.verdict
        row: dict[str, Any] = {
            "kind": c.kind,
            "clause": c.label.clause,
            "section": c.label.section or None,
            "title": c.label.title or None,
            "old": c.old,
            "new": c.new,
            "author": c.author or None,
            "date": c.date or None,
            "classification": v.classification,
            "point": v.point.point.id if v.point else None,
            "fallback": v.fallback,
            "rationale": v.rationale or None,
            "response": v.response,
            "counter": v.counter or None,
        }
        if c.to is not None:
            row["to_clause"] = c.to.clause
            row["to_section"] = c.to.section or None
        return row


@dataclass
class MarkupReview:
    """Every change of one markup, judged."""

    document: str
    title: str
    bundle: str
    judgements: list[Judgement]
    markup: Markup
    labels: dict[int, Label]

    def summary(self) -> dict[str, int]:
        counts = {"changes": len(self.judgements)}
        for name in CLASSIFICATIONS:
            counts[name] = sum(j.verdict.classification == name for j in self.judgements)
        counts["untracked"] = sum(j.change.kind == "untracked" for j in self.judgements)
        return counts

    @property
    def exit_code(self) -> int:
        summary = self.summary()
        look = summary["beyond_walk_away"] + summary["not_in_playbook"] + summary["untracked"]
        return EXIT_LOOK if look else EXIT_CLEAN

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "bundle": self.bundle,
            "changes": [j.to_json() for j in self.judgements],
            "summary": self.summary(),
        }


@dataclass
class BundleDocument:
    """A document of the bundle: its tree and the DOCX contractkit wrote for it."""

    tree: DocumentTree
    baseline: bytes


def load_bundle(folder: Path) -> tuple[str, list[BundleDocument]]:
    """The bundle's engagement id and documents, from its stored trees and DOCX files."""
    if not folder.is_dir():
        raise RefusedError.at(folder, "bundle folder not found; pass --bundle OUT/<engagement id>")
    manifest = _manifest(folder)
    engagement = str(manifest.get("engagement") or folder.name)
    trees = [
        treejson.load(path.read_bytes(), str(path))
        for path in sorted((folder / treejson.TREES).glob("*.json"))
    ]
    if not trees:
        trees = _assemble_from_manifest(folder, manifest)
    documents = []
    for tree in trees:
        path = folder / f"{tree.stem}.docx"
        documents.append(
            BundleDocument(tree, path.read_bytes() if path.is_file() else _render(tree))
        )
    return engagement, documents


def _manifest(folder: Path) -> dict[str, Any]:
    """The bundle's manifest as plain data; empty when it has none or it cannot be read."""
    path = folder / MANIFEST
    if not path.is_file() or path.is_symlink():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _assemble_from_manifest(folder: Path, manifest: dict[str, Any]) -> list[DocumentTree]:
    from contractkit.assemble import assemble
    from contractkit.loader import load_spec

    spec = (manifest.get("spec") or {}).get("path")
    if not spec:
        raise RefusedError.at(
            folder, "the bundle keeps no document trees and its manifest names no spec"
        )
    return assemble(load_spec(folder / spec).spec, load_library())


def _render(tree: DocumentTree) -> bytes:
    from contractkit import render
    from contractkit.render.house import resolve_templates

    return render.renderer("docx").render(tree, resolve_templates(None))


def _resemblance(markup: list[str], baseline: list[str]) -> float:
    """The share of the baseline's paragraphs found, word for word, in the markup's text."""
    if not baseline:
        return 0.0
    found = Counter(baseline) & Counter(markup)
    return sum(found.values()) / len(baseline)


def _identify(
    markup: Markup, documents: list[BundleDocument], source: str
) -> tuple[BundleDocument, Alignment, list[Any]]:
    """The bundle document the markup is a copy of, aligned with it.

    Candidates are ranked by the paragraphs they share verbatim, a cheap count; only the best
    is aligned paragraph by paragraph, which is the costly step.
    """
    if not documents:
        raise NotInBundleError.at(source, "the bundle has no documents to compare with")
    groups, _ = original_groups(markup.paragraphs)
    text = [norm(g.original) for g in groups]
    ranked = []
    for document in documents:
        baseline = read_markup(document.baseline, document.tree.stem).paragraphs
        kept = [norm(p.current) for p in baseline if norm(p.current)]
        ranked.append((_resemblance(text, kept), document, baseline))
    share, document, baseline = max(ranked, key=lambda r: r[0])
    alignment = align(markup.paragraphs, baseline, label_baseline(baseline, document.tree))
    best = max(share, alignment.matched)
    if best < MATCH_THRESHOLD:
        near = (
            f"it resembles the {document.tree.title} ({document.tree.stem}.docx) in "
            f"{best:.0%} of its paragraphs"
            if best >= 0.1
            else "it resembles none of them"
        )
        stems = ", ".join(f"{d.tree.stem}.docx" for d in documents)
        raise NotInBundleError.at(source, f"not one of the bundle's documents ({stems}); {near}")
    return document, alignment, baseline


def _clause_file(library: Library, tree: DocumentTree, clause_id: str | None) -> ClauseFile | None:
    clause = tree.clause(clause_id) if clause_id else None
    if clause is None:
        return None
    try:
        position = ClausePosition(clause.position)
    except ValueError:
        return None
    return library.clauses.get((clause.id, position)) or library.clauses.get(
        (clause.id, ClausePosition.any)
    )


def judge(change: Change, library: Library, tree: DocumentTree) -> Verdict:
    """The verdict on one change, by the playbook of the clause it falls in."""
    file = _clause_file(library, tree, change.label.clause)
    points = file.meta.playbook if file else []
    alternatives = {}
    for point in points:
        for fallback in point.fallbacks:
            if fallback.clause:
                variants = library.variants(fallback.clause)
                if variants:
                    alternatives[fallback.clause] = plain_clause(variants[0].body)
    judged = Judged(change.kind, change.old, change.new, norm(change.before), norm(change.after))
    return classify(judged, points, norm(change.before), alternatives)


def review_markup(path: Path, bundle: Path, libraries: tuple[Path, ...] = ()) -> MarkupReview:
    """Read ``path``, find which of the bundle's documents it is, and judge every change."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NotDocxError.at(path, f"cannot read the file: {exc.strerror or exc}") from None
    markup = read_markup(data, str(path))
    engagement, documents = load_bundle(bundle)
    document, alignment, _ = _identify(markup, documents, str(path))
    library = load_library(libraries)
    changes = tracked_changes(markup, alignment) + untracked_changes(alignment)
    order = {p.index: p.index for p in markup.paragraphs}
    changes.sort(key=lambda c: order.get(c.paragraphs[0], -1) if c.paragraphs else -1)
    judgements = [Judgement(c, judge(c, library, document.tree)) for c in changes]
    return MarkupReview(
        document.tree.key, document.tree.title, engagement, judgements, markup, alignment.labels
    )


def _cell(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split()).replace("|", "\\|")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


CLASSIFICATION_WORDS = {
    "fallback": "within a fallback",
    "beyond_walk_away": "beyond the walk-away",
    "not_in_playbook": "not in the playbook",
    "cosmetic": "cosmetic",
}

RESPONSE_WORDS = {
    "accept": "accept",
    "reject": "reject; restore the text as drafted",
    "counter": "counter",
}


def to_markdown(review: MarkupReview) -> str:
    """The review as counsel reads it."""
    s = review.summary()
    lines = [
        "# Privileged & Confidential",
        "",
        f"Review of the vendor's markup of the {review.title} (`{review.document}`), "
        f"bundle `{review.bundle}`: {s['changes']} change{'s' * (s['changes'] != 1)}, "
        f"{s['fallback']} within a fallback, {s['beyond_walk_away']} beyond the walk-away, "
        f"{s['not_in_playbook']} not in the playbook, {s['cosmetic']} cosmetic, "
        f"{s['untracked']} untracked.",
    ]
    for n, j in enumerate(review.judgements, start=1):
        c, v = j.change, j.verdict
        where = (
            f"§{c.label.section} {c.label.title} (`{c.label.clause}`)"
            if c.label.clause
            else "outside any clause"
        )
        lines += ["", f"## {n}. {c.kind} in {where}: {CLASSIFICATION_WORDS[v.classification]}", ""]
        if c.to is not None and c.to.clause:
            lines.append(f"- moved to: §{c.to.section} (`{c.to.clause}`)")
        if c.author or c.date:
            lines.append(f"- by: {c.author or 'unknown'}{', ' + c.date if c.date else ''}")
        if c.old:
            lines.append(f"- old: “{_cell(c.old)}”")
        if c.new:
            label = "comment" if c.kind == "comment" else "new"
            lines.append(f"- {label}: “{_cell(c.new)}”")
        if v.point is not None:
            lines.append(f"- point: `{v.point.point.id}`: {v.point.point.description}")
        if v.fallback:
            lines.append(f"- fallback: `{v.fallback}`")
        if v.rationale:
            lines.append(f"- rationale: {v.rationale}")
        response = RESPONSE_WORDS[v.response]
        if v.response == "counter" and v.counter:
            response += f" with: “{_cell(v.counter, 240)}”"
        lines.append(f"- response: {response}")
    return "\n".join(lines) + "\n"


def to_json(review: MarkupReview) -> str:
    return json.dumps(review.to_json(), indent=2, ensure_ascii=False)


def similarity(a: str, b: str) -> float:
    """How alike two paragraph texts are (0 to 1)."""
    return difflib.SequenceMatcher(None, norm(a), norm(b), autojunk=False).ratio()
