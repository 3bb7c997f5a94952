"""The document tree: what a contract says, independent of DOCX or PDF.

Assembly builds it once, with every number and reference resolved; renderers only walk it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from typing import Literal

RunKind = Literal["text", "term", "ref", "counsel", "status"]

# Advance widths of the Times roman face, in thousandths of an em (its published font metrics).
_TIMES = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;_-()/[]=%$&@'\"",
        [
            *(444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778),
            *(500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444),
            *(722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889),
            *(722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611),
            *(500,) * 10,
            *(250, 250, 250, 278, 278, 500, 333, 333, 333, 278, 333, 333, 564, 833, 500, 778),
            *(921, 180, 408),
        ],
        strict=True,
    )
)
BOLD_MARGIN = 1.1
CELL_PADDING_EM = 1.0
NBSP = "\u00a0"
# A reference word and its number, or a statute's title number and code, print on one line:
# "Section 5.5", "paragraph 1", "Schedule 1", "Article 28(3)", "Annex I", "45 CFR", "U.S.C. 1833".
_BOUND = re.compile(
    r"\b(?:(?:Sections?|sections?|[Pp]aragraphs?|Schedules?|Articles?|Art\.|Annex(?:es)?|Clauses?"
    r"|Parts?|Chapters?|Exhibits?|Appendix|No\.|CFR|C\.F\.R\.|U\.S\.C\.) (?=\d|[IVXL]+\b)"
    r"|\d+ (?=CFR|C\.F\.R\.|U\.S\.C\.))"
)


def text_em(text: str) -> float:
    """About how wide ``text`` prints, in ems, bold or not."""
    return BOLD_MARGIN * sum(_TIMES.get(c, 600) for c in text) / 1000


@dataclass(frozen=True)
class Run:
    """A stretch of text with one set of formatting.

    ``term`` runs mark a defined term (``defining`` where the term is defined); ``ref`` runs
    carry the target anchor, the resolved number and whether the target is in a schedule (a
    schedule paragraph, or a schedule's heading: "Schedule 1"), numbered without context;
    ``counsel`` runs are open points; ``status`` runs are checklist statuses, coloured by
    ``tone``.
    """

    text: str
    kind: RunKind = "text"
    bold: bool = False
    italic: bool = False
    anchor: str | None = None
    defining: bool = False
    in_schedule: bool = False
    tone: str | None = None


def bound_runs(runs: list[Run]) -> list[Run]:
    """Runs as printed: the space after a reference word is non-breaking, so a line never ends
    between "Section" and its number, also where the number is the next run (a field).

    The tree keeps plain spaces; both renderers print through this.
    """
    printed: list[Run] = []
    for index, run in enumerate(runs):
        following = runs[index + 1].text[:8] if index + 1 < len(runs) else ""
        joined = run.text + following
        bound = _BOUND.sub(lambda m: m.group()[:-1] + NBSP, joined)[: len(run.text)]
        printed.append(run if bound == run.text else replace(run, text=bound))
    return printed


@dataclass
class Paragraph:
    """A paragraph of runs."""

    runs: list[Run]

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class ListItem:
    """A numbered sub-paragraph: level 3 is (a), level 4 is (i)."""

    label: str
    level: int
    paragraphs: list[Paragraph]
    children: list[ListItem] = field(default_factory=list)


@dataclass
class NumberedList:
    """An ordered list inside a clause; each list restarts its numbering."""

    items: list[ListItem]


@dataclass
class Table:
    """A table; the first row is the header."""

    rows: list[list[list[Run]]]

    def column_widths(self, total: int, width_em: float = 43.2) -> list[int]:
        """Widths summing to ``total`` for a table ``width_em`` wide (6 inches of 10-point text).

        Every column first gets room for its longest word (measured with Times metrics, with a
        margin for bold); the rest goes to the columns whose cells are, on average, wider than
        that. When the words alone are wider than the table, the columns with the longest words
        give way and the others keep their room. Both renderers use these, so their layouts
        agree.
        """
        columns = max(max((len(r) for r in self.rows), default=1), 1)
        floors: list[float] = []
        wants: list[float] = []
        for index in range(columns):
            cells = ["".join(r.text for r in row[index]) for row in self.rows if index < len(row)]
            longest = max((text_em(w) for c in cells for w in c.split()), default=0.0)
            floor = max(longest, 1.5) + CELL_PADDING_EM
            floors.append(floor)
            average = sum(text_em(c) for c in cells) / max(len(cells), 1)
            wants.append(max(average + CELL_PADDING_EM - floor, 0.0))
        floors = _fit_floors(floors, width_em)
        spare = width_em - sum(floors)
        if spare > 0 and sum(wants) > 0:
            shares = [f + spare * w / sum(wants) for f, w in zip(floors, wants, strict=True)]
        else:
            shares = floors
        exact = [total * share / sum(shares) for share in shares]
        widths = [int(w) for w in exact]
        by_remainder = sorted(range(columns), key=lambda i: widths[i] - exact[i])
        for i in by_remainder[: total - sum(widths)]:
            widths[i] += 1
        return widths


Block = Paragraph | NumberedList | Table


@dataclass
class Clause:
    """A numbered clause (level 2) with its text."""

    id: str
    number: str
    title: str
    anchor: str
    blocks: list[Block]
    version: str
    source: str
    position: str
    satisfies: list[str] = field(default_factory=list)


@dataclass
class Definition:
    """An entry of the definitions article."""

    term: str
    runs: list[Run]


@dataclass
class Article:
    """A numbered article (level 1), or a schedule when ``schedule`` is set."""

    number: str
    title: str
    anchor: str
    clauses: list[Clause] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    schedule: bool = False

    @property
    def heading(self) -> str:
        return f"Schedule {self.number}: {self.title}" if self.schedule else self.title


@dataclass
class SignatureBlock:
    """One party's signature block."""

    party: str
    legal_name: str
    name: str
    title: str


@dataclass
class DraftingNote:
    """What counsel sees in the internal review notes, never in an agreement."""

    clause_id: str
    version: str
    source: str
    note: str | None
    alternatives: list[str]
    counsel_points: list[str]


@dataclass
class DocumentTree:
    """One assembled agreement."""

    key: str
    stem: str
    title: str
    engagement_title: str
    watermark: str
    preamble: list[Block]
    recitals: list[Paragraph]
    recitals_heading: str
    operative_words: str
    articles: list[Article]
    signature_intro: Paragraph
    signatories: list[SignatureBlock]
    schedules: list[Article]
    notes: list[DraftingNote]
    draft_notice: str
    metadata: dict[str, str] = field(default_factory=dict)

    def clauses(self) -> list[Clause]:
        """Every clause, articles then schedules."""
        return [c for a in (*self.articles, *self.schedules) for c in a.clauses]

    def clause(self, clause_id: str) -> Clause | None:
        return next((c for c in self.clauses() if c.id == clause_id), None)


def anchor_for(key: str) -> str:
    """A Word-safe bookmark name: ``_Ref`` and a short hash (letters, digits; ≤ 40 chars)."""
    return "_Ref" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def letter_label(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa (as Word's lowerLetter does)."""
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def roman_label(n: int) -> str:
    """1 -> i, 4 -> iv, 9 -> ix."""
    numerals = (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    )  # fmt: skip
    out = ""
    for value, numeral in numerals:
        while n >= value:
            out += numeral
            n -= value
    return out


def _fit_floors(floors: list[float], width: float) -> list[float]:
    """Floors capped at the one level that makes them fill ``width``, when they overflow it."""
    if sum(floors) <= width:
        return floors
    remaining, left = width, len(floors)
    cap = width
    for floor in sorted(floors):
        if floor * left <= remaining:
            remaining -= floor
            left -= 1
        else:
            cap = remaining / left
            break
    return [min(f, cap) for f in floors]
