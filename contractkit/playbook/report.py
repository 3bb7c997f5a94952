"""The engagement's playbook: for each clause in effect that has one, the points, the clause as
drafted with the spec's values, the fallbacks and the walk-away, with their section numbers."""

from __future__ import annotations

from dataclasses import dataclass

from contractkit.facts import document_metadata
from contractkit.library import ClausePosition, Library
from contractkit.playbook.model import PlaybookPoint
from contractkit.spec import Spec
from contractkit.tree import (
    Article,
    Block,
    Clause,
    DocumentTree,
    ListItem,
    NumberedList,
    Paragraph,
    Run,
    Table,
    anchor_for,
)

TITLE = "Negotiation Playbook"
NOTICE = (
    "Privileged & Confidential. Attorney work product for the customer's side only; "
    "do not send to the vendor."
)


@dataclass
class PlaybookEntry:
    """One clause of the engagement with its playbook."""

    document: str
    document_title: str
    clause: Clause
    points: list[PlaybookPoint]


def _item_texts(items: list[ListItem]) -> list[str]:
    out = []
    for item in items:
        text = " ".join(p.text for p in item.paragraphs)
        out.append(f"{item.label} {text}")
        out += _item_texts(item.children)
    return out


def clause_texts(blocks: list[Block]) -> list[str]:
    """The clause's paragraphs as plain text."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, NumberedList):
            out += _item_texts(block.items)
        elif isinstance(block, Table):
            out += [" | ".join("".join(r.text for r in cell) for cell in row) for row in block.rows]
    return out


def playbook_entries(trees: list[DocumentTree], library: Library) -> list[PlaybookEntry]:
    """Every clause in effect with a playbook, in document and section order."""
    entries = []
    for tree in trees:
        for clause in tree.clauses():
            try:
                position = ClausePosition(clause.position)
            except ValueError:
                continue
            file = library.clauses.get((clause.id, position))
            if file is not None and file.meta.playbook:
                entries.append(
                    PlaybookEntry(tree.key, tree.title, clause, list(file.meta.playbook))
                )
    return entries


def _tiers(point: PlaybookPoint) -> list[tuple[str, str]]:
    """(label, text) lines of a point after its preferred position."""
    unit = point.parameter.unit if point.parameter else None
    better = point.parameter.better if point.parameter else None
    rows = [(f"Fallback `{f.name}`", f"{f.describe(unit)}. {f.rationale}") for f in point.fallbacks]
    rows.append(
        ("Walk-away", f"{point.walk_away.describe(unit, better)}. {point.walk_away.rationale}")
    )
    return rows


def to_markdown(entries: list[PlaybookEntry], engagement: str, title: str) -> str:
    """The playbook as counsel reads it."""
    lines = [
        "# Privileged & Confidential",
        "",
        f"{TITLE} for **{title}** (`{engagement}`): {len(entries)} clauses, "
        f"{sum(len(e.points) for e in entries)} negotiable points.",
    ]
    document = ""
    for entry in entries:
        if entry.document != document:
            document = entry.document
            lines += ["", f"## {entry.document_title} ({entry.document})"]
        c = entry.clause
        lines += ["", f"### §{c.number} {c.title} (`{c.id}`)"]
        drafted = " ".join(clause_texts(c.blocks))
        for point in entry.points:
            lines += ["", f"**{point.point.id}**: {point.point.description}", ""]
            if point.parameter:
                p = point.parameter
                lines.append(
                    f"- Parameter: {p.name}, in {p.unit.value} ({p.better.value} is better)"
                )
            lines.append(f"- Preferred (as drafted): {point.preferred.rationale}")
            lines += [f"- {label}: {text}" for label, text in _tiers(point)]
        lines += ["", f"> As drafted: {drafted}"]
    return "\n".join(lines) + "\n"


def to_tree(entries: list[PlaybookEntry], spec: Spec) -> DocumentTree:
    """The playbook as a document tree, so the agreement renderers print it."""
    articles: list[Article] = []
    for entry in entries:
        if not articles or articles[-1].title != entry.document_title:
            number = str(len(articles) + 1)
            articles.append(
                Article(number, entry.document_title, anchor_for(f"playbook:{entry.document}"))
            )
        article = articles[-1]
        c = entry.clause
        blocks: list[Block] = []
        for point in entry.points:
            blocks.append(
                Paragraph([Run(point.point.id, bold=True), Run(f": {point.point.description}")])
            )
            rows = [[[Run("Tier")], [Run("Position and rationale")]]]
            rows.append(
                [
                    [Run("Preferred")],
                    [Run(f"As drafted in §{c.number}. {point.preferred.rationale}")],
                ]
            )
            rows += [[[Run(label.replace("`", ""))], [Run(text)]] for label, text in _tiers(point)]
            blocks.append(Table(rows))
        number = f"{article.number}.{len(article.clauses) + 1}"
        article.clauses.append(
            Clause(
                id=f"playbook.{c.id.replace('.', '_')}",
                number=number,
                title=f"§{c.number} {c.title} ({c.id})",
                anchor=anchor_for(f"playbook:{entry.document}:{c.id}"),
                blocks=blocks,
                version="",
                source="",
                position="any",
            )
        )
    return DocumentTree(
        key="playbook",
        stem="playbook",
        title=TITLE,
        engagement_title=spec.engagement.title,
        watermark=spec.review.watermark,
        preamble=[],
        recitals=[],
        recitals_heading="",
        operative_words="",
        articles=articles,
        signature_intro=Paragraph([]),
        signatories=[],
        schedules=[],
        notes=[],
        draft_notice=NOTICE,
        metadata=document_metadata(spec, TITLE),
    )
