"""The redline model: two trees' paragraphs as comparable units, and what changed between them.

A redline is renderer-neutral: the new document's paragraphs and tables in order,
with the old document's removed ones in place, each marked equal, inserted, deleted or changed
down to the word. Only printed content counts: paragraph numbers are native numbering and
references are fields, so a clause renumbered because another was inserted, or a reference whose
target moved, is not a change.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

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
    bound_runs,
)

Op = Literal["equal", "insert", "delete"]
EntryOp = Literal["equal", "insert", "delete", "change"]
Change = Literal["added", "removed", "changed"]
Role = Literal[
    "front", "heading1", "schedule_heading", "heading2", "schedule_clause", "text", "item",
    "item_text", "definition", "table",
]  # fmt: skip
TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
WORD = re.compile(r"\w+")

TokenKey = tuple[Any, ...]
# Parts of a document outside its clauses, reported beside the clause ids (which contain dots).
FRONT, HEADINGS, DEFINITIONS, SIGNATURES, HEADER = (
    "front", "headings", "definitions", "signatures", "header",
)  # fmt: skip


@dataclass(frozen=True)
class RedlinePiece:
    """A run of the redline, kept, inserted or deleted."""

    op: Op
    run: Run


def is_field(run: Run) -> bool:
    """Whether the run prints as a reference field (its text is the field's cached number)."""
    return run.kind == "ref" and run.anchor is not None


def _format(run: Run) -> TokenKey:
    """What makes two runs print alike apart from their text; a field by its target alone."""
    if is_field(run):
        return ("ref", run.anchor, run.in_schedule, run.bold, run.italic)
    return (run.kind, run.bold, run.italic, run.defining, run.tone)


@dataclass(frozen=True)
class Token:
    """A word, a stretch of whitespace, a punctuation mark or a whole field, with its run."""

    key: TokenKey
    run: Run
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip() and not is_field(self.run)


def tokens(runs: list[Run] | tuple[Run, ...]) -> list[Token]:
    """The runs cut into tokens (adjacent runs of one format first joined); equal keys print
    alike."""
    joined: list[Run] = []
    for run in runs:
        last = joined[-1] if joined else None
        if last and not is_field(run) and not is_field(last) and _format(last) == _format(run):
            joined[-1] = replace(last, text=last.text + run.text)
        else:
            joined.append(run)
    out: list[Token] = []
    for run in joined:
        style = _format(run)
        if is_field(run):
            out.append(Token(style, run, run.text))
            continue
        out += [Token((m.group(), style), run, m.group()) for m in TOKEN.finditer(run.text)]
    return out


def printed_key(runs: list[Run] | tuple[Run, ...]) -> TokenKey:
    """Runs as printed, numbers aside: adjacent runs of one format joined, fields by target."""
    out: list[tuple[TokenKey, str]] = []
    for run in runs:
        style = _format(run)
        text = "" if is_field(run) else run.text
        if out and out[-1][0] == style and style[0] != "ref":
            out[-1] = (style, out[-1][1] + text)
        elif text or is_field(run):
            out.append((style, text))
    return tuple(out)


def word_count(run: Run) -> int:
    """Words a piece adds or removes; a reference counts as one."""
    return 1 if is_field(run) else len(WORD.findall(run.text))


@dataclass(eq=False)
class PrintedBlock:
    """One paragraph (or table) of a tree as the renderers print it, with its printed label."""

    role: Role
    runs: tuple[Run, ...] = ()
    label: str = ""
    level: int = 0
    list_index: int = -1
    anchor: str | None = None
    table: Table | None = None
    term: str = ""

    @functools.cached_property
    def key(self) -> TokenKey:
        """Everything printed except numbers: what decides whether a paragraph changed."""
        if self.table is not None:
            rows = tuple(
                tuple(printed_key(cell) for cell in row) for row in bound_cells(self.table)
            )
            return (self.role, rows)
        return (self.role, self.level, printed_key(self.runs))


@dataclass
class ClauseUnits:
    """A clause with its heading and blocks as units."""

    clause: Clause
    section: str
    units: list[PrintedBlock]


@dataclass
class ArticleUnits:
    """An article (or schedule) with its heading, definitions and clauses as units."""

    article: Article
    heading: PrintedBlock
    definitions: list[PrintedBlock]
    clauses: list[ClauseUnits]


@dataclass
class TreeUnits:
    """A whole tree as units: front matter, articles, schedules."""

    front: list[PrintedBlock]
    articles: list[ArticleUnits]
    schedules: list[ArticleUnits]


def _bound(runs: list[Run]) -> tuple[Run, ...]:
    """Runs as the renderers print them (a reference word bound to its number)."""
    return tuple(bound_runs(runs))


def bound_cells(table: Table) -> list[list[list[Run]]]:
    return [[bound_runs(cell) for cell in row] for row in table.rows]


def tree_units(tree: DocumentTree) -> TreeUnits:
    """The tree's paragraphs in printing order; lists are counted as the DOCX writer counts them."""
    counter = itertools.count()
    front = [
        PrintedBlock("front", _bound(b.runs)) for b in tree.preamble if isinstance(b, Paragraph)
    ]
    if tree.recitals:
        front.append(PrintedBlock("front", (Run(tree.recitals_heading, bold=True),)))
        front += [PrintedBlock("front", _bound(p.runs)) for p in tree.recitals]
        front.append(PrintedBlock("front", (Run(tree.operative_words),)))
    articles = [_article_units(a, counter) for a in tree.articles]
    schedules = [_article_units(a, counter) for a in tree.schedules]
    return TreeUnits(front, articles, schedules)


def _article_units(article: Article, counter: Iterator[int]) -> ArticleUnits:
    if article.schedule:
        heading = PrintedBlock(
            "schedule_heading", (Run(article.title),), f"Schedule {article.number}:"
        )
    else:
        heading = PrintedBlock("heading1", (Run(article.title),), f"{article.number}.")
    heading.anchor = article.anchor
    definitions = [
        PrintedBlock("definition", _bound(d.runs), term=d.term) for d in article.definitions
    ]
    clauses = []
    for clause in article.clauses:
        role: Role = "schedule_clause" if article.schedule else "heading2"
        label = f"{clause.number}." if article.schedule else clause.number
        units = [PrintedBlock(role, (Run(clause.title),), label, anchor=clause.anchor)]
        units += _block_units(clause.blocks, counter)
        section = (
            f"Schedule {article.number}, paragraph {clause.number}"
            if article.schedule
            else clause.number
        )
        clauses.append(ClauseUnits(clause, section, units))
    return ArticleUnits(article, heading, definitions, clauses)


def _block_units(blocks: list[Block], counter: Iterator[int]) -> list[PrintedBlock]:
    units: list[PrintedBlock] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            units.append(PrintedBlock("text", _bound(block.runs)))
        elif isinstance(block, NumberedList):
            units += _item_units(block.items, next(counter))
        else:
            units.append(PrintedBlock("table", table=block))
    return units


def _item_units(items: list[ListItem], index: int) -> list[PrintedBlock]:
    units: list[PrintedBlock] = []
    for item in items:
        first, *rest = item.paragraphs or [Paragraph([])]
        units.append(PrintedBlock("item", _bound(first.runs), item.label, item.level, index))
        units += [PrintedBlock("item_text", _bound(p.runs), "", item.level, index) for p in rest]
        units += _item_units(item.children, index)
    return units


@dataclass
class Para:
    """A paragraph of the redline. ``unit`` is the new document's when it has one."""

    op: EntryOp
    unit: PrintedBlock
    pieces: list[RedlinePiece]
    list_key: tuple[str, int] | None = None
    bookmark: bool = True
    owner: str = ""


@dataclass
class Row:
    """A table row of the redline; ``change`` rows hold changes inside their cells."""

    op: EntryOp
    cells: list[list[RedlinePiece]]


@dataclass
class TableEdit:
    """A table of the redline, laid out with the widths of ``table``."""

    op: EntryOp
    table: Table
    rows: list[Row]
    owner: str = ""


Entry = Para | TableEdit
"""An entry's ``owner`` is the clause id, or the part outside the clauses, it belongs to."""


def entry_counts(entries: list[Entry]) -> tuple[int, int]:
    """Words inserted and deleted in ``entries``."""
    pieces: list[RedlinePiece] = []
    for entry in entries:
        if isinstance(entry, Para):
            pieces += entry.pieces
        else:
            pieces += [p for row in entry.rows for cell in row.cells for p in cell]
    return piece_counts(pieces)


def piece_counts(pieces: list[RedlinePiece]) -> tuple[int, int]:
    inserted = sum(word_count(p.run) for p in pieces if p.op == "insert")
    deleted = sum(word_count(p.run) for p in pieces if p.op == "delete")
    return inserted, deleted


@dataclass
class ClauseChange:
    """One changed clause (or part outside the clauses) of a document."""

    document: str
    clause: str
    section: str
    title: str
    change: Change
    insertions: int
    deletions: int

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "clause": self.clause,
            "section": self.section,
            "change": self.change,
            "insertions": self.insertions,
            "deletions": self.deletions,
        }

    def summary(self) -> str:
        """One line for counsel: added, removed, or how many words changed."""
        if self.change != "changed":
            return self.change
        words = self.insertions + self.deletions
        noun = "word" if words == 1 else "words"
        return f"changed: {words} {noun} ({self.insertions} inserted, {self.deletions} deleted)"


@dataclass
class Redline:
    """What changed from ``old`` to ``new``, ready for a renderer."""

    old: DocumentTree
    new: DocumentTree
    front: list[Entry]
    body: list[Entry]
    schedules: list[Entry]
    fields: dict[str, list[RedlinePiece]]
    signatories: list[dict[str, list[RedlinePiece]]]
    changes: list[ClauseChange] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    @property
    def insertions(self) -> int:
        return sum(c.insertions for c in self.changes)

    @property
    def deletions(self) -> int:
        return sum(c.deletions for c in self.changes)

    @property
    def changed_clauses(self) -> list[ClauseChange]:
        return [c for c in self.changes if "." in c.clause]


@dataclass(frozen=True)
class BuildInfo:
    """One side of a comparison, as its first page names it."""

    label: str
    spec_sha256: str
    date: str


@dataclass(frozen=True)
class Comparison:
    """What a redline compares: the two builds, and the files changed by hand since the later."""

    old: BuildInfo
    new: BuildInfo
    hand_edited: tuple[str, ...] = ()
