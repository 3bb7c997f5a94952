"""Comparing two document trees: clause by clause, paragraph by paragraph, word by word.

Articles are matched by heading, clauses by id, paragraphs by their printed text (numbers
aside), words by ``difflib``. A clause that moved to another article is a deletion and an
insertion; one only renumbered is unchanged.
"""

from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher

from contractkit.redline.model import (
    DEFINITIONS,
    FRONT,
    HEADER,
    HEADINGS,
    SIGNATURES,
    ArticleUnits,
    Change,
    ClauseChange,
    ClauseUnits,
    Entry,
    EntryOp,
    Op,
    Para,
    PrintedBlock,
    Redline,
    RedlinePiece,
    Row,
    TableEdit,
    Token,
    bound_cells,
    entry_counts,
    is_field,
    piece_counts,
    printed_key,
    tokens,
    tree_units,
)
from contractkit.tree import DocumentTree, Run, Table

PAIRING_RATIO = 0.4
TEMPLATE_FIELDS = ("title", "draft_notice", "engagement_title", "watermark")
SIGNATORY_FIELDS = ("legal_name", "name", "title")


def word_diff(
    old: list[Run] | tuple[Run, ...], new: list[Run] | tuple[Run, ...]
) -> list[RedlinePiece]:
    """The pieces that turn ``old`` into ``new``, grouped so each change reads as a phrase.

    Whitespace left equal between two changes joins them, so a rewritten sentence shows as one
    deletion and one insertion rather than alternating words.
    """
    a, b = tokens(old), tokens(new)
    matcher = SequenceMatcher(None, [t.key for t in a], [t.key for t in b], autojunk=False)
    opcodes = matcher.get_opcodes()
    weak = {
        index
        for index, (tag, i1, i2, _, _) in enumerate(opcodes)
        if tag == "equal" and 0 < index < len(opcodes) - 1 and all(t.blank for t in a[i1:i2])
    }
    out: list[tuple[Op, Token]] = []
    deleted: list[tuple[Op, Token]] = []
    inserted: list[tuple[Op, Token]] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal" and index not in weak:
            out += deleted + inserted
            deleted, inserted = [], []
            out += [("equal", t) for t in b[j1:j2]]
            continue
        deleted += [("delete", t) for t in a[i1:i2]]
        inserted += [("insert", t) for t in b[j1:j2]]
    return _pieces(out + deleted + inserted)


def _pieces(marked: list[tuple[Op, Token]]) -> list[RedlinePiece]:
    """Adjacent tokens with the same change and format as one run."""
    groups: list[tuple[Op, Token, list[str]]] = []
    for op, token in marked:
        last = groups[-1] if groups else None
        if last and last[0] == op and not is_field(token.run) and last[1].key[-1] == token.key[-1]:
            last[2].append(token.text)
            continue
        groups.append((op, token, [token.text]))
    return [
        RedlinePiece(
            op, token.run if is_field(token.run) else replace(token.run, text="".join(texts))
        )
        for op, token, texts in groups
    ]


def whole(runs: list[Run] | tuple[Run, ...], op: Op) -> list[RedlinePiece]:
    return [RedlinePiece(op, r) for r in runs]


def compare(old: DocumentTree, new: DocumentTree) -> Redline:
    """The redline from ``old`` to ``new`` (two builds of the same kind of document)."""
    return _Comparer(old, new).run()


class _Comparer:
    """One comparison; collects the per-clause summary while it walks."""

    def __init__(self, old: DocumentTree, new: DocumentTree) -> None:
        self.old, self.new = old, new
        self.changes: list[ClauseChange] = []
        self.parts: dict[str, list[Entry]] = {}
        self.list_map: dict[int, int] = {}
        self.new_anchors = {c.anchor for c in new.clauses()} | {
            a.anchor for a in (*new.articles, *new.schedules)
        }

    def run(self) -> Redline:
        old, new = tree_units(self.old), tree_units(self.new)
        front = self.units(old.front, new.front, FRONT)
        body = self.articles(old.articles, new.articles)
        schedules = self.articles(old.schedules, new.schedules)
        for entries in (front, body, schedules):
            self.resolve_lists(entries)
        fields = {
            name: word_diff([Run(getattr(self.old, name))], [Run(getattr(self.new, name))])
            for name in TEMPLATE_FIELDS
        }
        intro = word_diff(self.old.signature_intro.runs, self.new.signature_intro.runs)
        fields["signature_intro"] = intro
        signatories = []
        for index in range(len(self.new.signatories)):
            before = self.old.signatories[index] if index < len(self.old.signatories) else None
            after = self.new.signatories[index]
            signatories.append(
                {
                    name: word_diff(
                        [Run(getattr(before, name))] if before else [],
                        [Run(getattr(after, name))],
                    )
                    for name in SIGNATORY_FIELDS
                }
            )
        header = [p for name in ("engagement_title", "watermark") for p in fields[name]]
        top = [p for name in ("title", "draft_notice") for p in fields[name]]
        signed = intro + [p for s in signatories for pieces in s.values() for p in pieces]
        defined = next((a.number for a in self.new.articles if a.definitions), "")
        first = [
            self.part_change(HEADER, "", "Page header", header),
            self.part_change(FRONT, "", "Title and preamble", top),
            self.part_change(DEFINITIONS, defined, "Definitions"),
            self.part_change(HEADINGS, "", "Article headings"),
        ]
        last = [self.part_change(SIGNATURES, "", "Signature blocks", signed)]
        changes = [c for c in first if c] + self.changes + [c for c in last if c]
        return Redline(self.old, self.new, front, body, schedules, fields, signatories, changes)

    def part_change(
        self, name: str, section: str, title: str, pieces: list[RedlinePiece] | None = None
    ) -> ClauseChange | None:
        """The change to a part outside the clauses: its own pieces and its paragraphs."""
        pieces = pieces or []
        entries = self.parts.get(name, [])
        inserted, deleted = piece_counts(pieces)
        more_inserted, more_deleted = entry_counts(entries)
        if not any(p.op != "equal" for p in pieces) and all(e.op == "equal" for e in entries):
            return None
        return ClauseChange(
            self.new.key,
            name,
            section,
            title,
            "changed",
            inserted + more_inserted,
            deleted + more_deleted,
        )

    def articles(self, old: list[ArticleUnits], new: list[ArticleUnits]) -> list[Entry]:
        keys_a = [(a.article.schedule, a.article.title) for a in old]
        keys_b = [(a.article.schedule, a.article.title) for a in new]
        matcher = SequenceMatcher(None, keys_a, keys_b, autojunk=False)
        entries: list[Entry] = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            pairs: list[tuple[ArticleUnits | None, ArticleUnits | None]]
            if tag == "equal":
                pairs = list(zip(old[i1:i2], new[j1:j2], strict=True))
            else:
                pairs = _pair_articles(old[i1:i2], new[j1:j2])
            for before, after in pairs:
                if before is not None and after is not None:
                    entries += self.article(before, after)
                elif before is not None:
                    entries += self.whole_article(before, "delete")
                elif after is not None:
                    entries += self.whole_article(after, "insert")
        return entries

    def whole_article(self, article: ArticleUnits, op: Op) -> list[Entry]:
        entries = _owned([self.whole(article.heading, op)], HEADINGS)
        self.parts.setdefault(HEADINGS, []).extend(entries)
        if article.definitions:
            definitions = _owned([self.whole(u, op) for u in article.definitions], DEFINITIONS)
            self.parts.setdefault(DEFINITIONS, []).extend(definitions)
            entries += definitions
        for clause in article.clauses:
            entries += self.whole_clause(clause, op)
        return entries

    def article(self, old: ArticleUnits, new: ArticleUnits) -> list[Entry]:
        entries = self.units([old.heading], [new.heading], HEADINGS)
        entries += self.units(old.definitions, new.definitions, DEFINITIONS)
        by_id_a = [c.clause.id for c in old.clauses]
        by_id_b = [c.clause.id for c in new.clauses]
        matcher = SequenceMatcher(None, by_id_a, by_id_b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for before, after in zip(old.clauses[i1:i2], new.clauses[j1:j2], strict=True):
                    entries += self.clause(before, after)
                continue
            for clause in old.clauses[i1:i2]:
                entries += self.whole_clause(clause, "delete")
            for clause in new.clauses[j1:j2]:
                entries += self.whole_clause(clause, "insert")
        return entries

    def whole_clause(self, clause: ClauseUnits, op: Op) -> list[Entry]:
        entries = _owned([self.whole(u, op) for u in clause.units], clause.clause.id)
        inserted, deleted = entry_counts(entries)
        change: Change = "added" if op == "insert" else "removed"
        self.changes.append(
            ClauseChange(
                self.new.key,
                clause.clause.id,
                clause.section,
                clause.clause.title,
                change,
                inserted,
                deleted,
            )
        )
        return entries

    def clause(self, old: ClauseUnits, new: ClauseUnits) -> list[Entry]:
        entries = _owned(self.units(old.units, new.units), new.clause.id)
        if any(e.op != "equal" for e in entries):
            inserted, deleted = entry_counts(entries)
            self.changes.append(
                ClauseChange(
                    self.new.key,
                    new.clause.id,
                    new.section,
                    new.clause.title,
                    "changed",
                    inserted,
                    deleted,
                )
            )
        return entries

    def units(
        self, old: list[PrintedBlock], new: list[PrintedBlock], part: str | None = None
    ) -> list[Entry]:
        """Paragraph alignment: equal paragraphs by printed text, the rest paired by likeness."""
        matcher = SequenceMatcher(None, [u.key for u in old], [u.key for u in new], autojunk=False)
        entries: list[Entry] = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for before, after in zip(old[i1:i2], new[j1:j2], strict=True):
                    entries.append(self.pair(before, after))
                continue
            for left, right in _pair_units(old[i1:i2], new[j1:j2]):
                if left is not None and right is not None:
                    entries.append(self.pair(left, right))
                elif left is not None:
                    entries.append(self.whole(left, "delete"))
                elif right is not None:
                    entries.append(self.whole(right, "insert"))
        if part is not None:
            self.parts.setdefault(part, []).extend(_owned(entries, part))
        return entries

    def pair(self, old: PrintedBlock, new: PrintedBlock) -> Entry:
        if old.list_index >= 0 and new.list_index >= 0:
            self.list_map.setdefault(old.list_index, new.list_index)
        list_key = ("new", new.list_index) if new.list_index >= 0 else None
        if new.table is not None and old.table is not None:
            return _diff_table(old.table, new.table)
        if old.key == new.key:
            return Para("equal", new, whole(new.runs, "equal"), list_key)
        return Para("change", new, word_diff(old.runs, new.runs), list_key)

    def whole(self, unit: PrintedBlock, op: Op) -> Entry:
        if unit.table is not None:
            rows = [Row(op, [whole(cell, op) for cell in row]) for row in bound_cells(unit.table)]
            return TableEdit(op, unit.table, rows)
        side = "new" if op == "insert" else "old"
        list_key = (side, unit.list_index) if unit.list_index >= 0 else None
        bookmark = op == "insert" or unit.anchor not in self.new_anchors
        return Para(op, unit, whole(unit.runs, op), list_key, bookmark)

    def resolve_lists(self, entries: list[Entry]) -> None:
        """A deleted list item joins the new list its siblings were matched to, if any."""
        for entry in entries:
            if isinstance(entry, Para) and entry.list_key and entry.list_key[0] == "old":
                index = entry.list_key[1]
                if index in self.list_map:
                    entry.list_key = ("new", self.list_map[index])


def _owned(entries: list[Entry], owner: str) -> list[Entry]:
    for entry in entries:
        entry.owner = owner
    return entries


def _similar(old: PrintedBlock, new: PrintedBlock) -> bool:
    if old.role != new.role or old.level != new.level:
        return False
    if old.role == "definition":
        return old.term == new.term
    if old.table is not None and new.table is not None:
        return _columns(old.table) == _columns(new.table)
    if old.role in ("heading1", "heading2", "schedule_heading", "schedule_clause"):
        return True
    a = [t.key for t in tokens(old.runs) if not t.blank]
    b = [t.key for t in tokens(new.runs) if not t.blank]
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= PAIRING_RATIO


def _columns(table: Table) -> set[int]:
    return {len(row) for row in table.rows}


def _pair_units(
    old: list[PrintedBlock], new: list[PrintedBlock]
) -> list[tuple[PrintedBlock | None, PrintedBlock | None]]:
    """Old and new paragraphs of a changed stretch, in order, paired where alike."""
    out: list[tuple[PrintedBlock | None, PrintedBlock | None]] = []
    start = 0
    for before in old:
        match = next((k for k in range(start, len(new)) if _similar(before, new[k])), None)
        if match is None:
            out.append((before, None))
            continue
        out += [(None, after) for after in new[start:match]]
        out.append((before, new[match]))
        start = match + 1
    out += [(None, after) for after in new[start:]]
    return out


def _pair_articles(
    old: list[ArticleUnits], new: list[ArticleUnits]
) -> list[tuple[ArticleUnits | None, ArticleUnits | None]]:
    """Renamed articles: paired when they keep a clause or are the definitions article."""

    def alike(a: ArticleUnits, b: ArticleUnits) -> bool:
        shared = {c.clause.id for c in a.clauses} & {c.clause.id for c in b.clauses}
        both_define = bool(a.definitions) and bool(b.definitions)
        return a.article.schedule == b.article.schedule and (bool(shared) or both_define)

    out: list[tuple[ArticleUnits | None, ArticleUnits | None]] = []
    start = 0
    for before in old:
        match = next((k for k in range(start, len(new)) if alike(before, new[k])), None)
        if match is None:
            out.append((before, None))
            continue
        out += [(None, after) for after in new[start:match]]
        out.append((before, new[match]))
        start = match + 1
    out += [(None, after) for after in new[start:]]
    return out


def _diff_table(old: Table, new: Table) -> TableEdit:
    """Row alignment by printed cells; paired rows compare cell by cell, word by word."""

    def key(row: list[list[Run]]) -> tuple[object, ...]:
        return tuple(printed_key(cell) for cell in row)

    old_rows, new_rows = bound_cells(old), bound_cells(new)
    matcher = SequenceMatcher(None, [key(r) for r in old_rows], [key(r) for r in new_rows])
    rows: list[Row] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [Row("equal", [whole(c, "equal") for c in r]) for r in new_rows[j1:j2]]
            continue
        start = j1
        for before in old_rows[i1:i2]:
            match = next((k for k in range(start, j2) if _rows_alike(before, new_rows[k])), None)
            if match is None:
                rows.append(Row("delete", [whole(c, "delete") for c in before]))
                continue
            rows += [Row("insert", [whole(c, "insert") for c in r]) for r in new_rows[start:match]]
            cells = [word_diff(a, b) for a, b in zip(before, new_rows[match], strict=True)]
            rows.append(Row("change", cells))
            start = match + 1
        rows += [Row("insert", [whole(c, "insert") for c in r]) for r in new_rows[start:j2]]
    op: EntryOp = "equal" if all(r.op == "equal" for r in rows) else "change"
    return TableEdit(op, new, rows)


def _rows_alike(old: list[list[Run]], new: list[list[Run]]) -> bool:
    if len(old) != len(new):
        return False
    if old and _text(old[0]) == _text(new[0]):
        return True
    a = [t.key for cell in old for t in tokens(cell) if not t.blank]
    b = [t.key for cell in new for t in tokens(cell) if not t.blank]
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= PAIRING_RATIO


def _text(cell: list[Run]) -> str:
    return "".join(r.text for r in cell)
