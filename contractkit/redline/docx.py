"""The redline as a Word document: the house template, every change a tracked change.

Insertions are ``w:ins``, deletions ``w:del`` with ``w:delText``; a paragraph added or removed
whole also has its paragraph mark inserted or deleted, and a table row its ``w:trPr`` mark, so
accepting every change gives the new document and rejecting every change gives the old one.
Numbering stays native and references stay ``REF`` fields, as in the normal DOCX.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from contractkit.redline.diff import SIGNATORY_FIELDS
from contractkit.redline.model import Entry, Op, Para, Redline, RedlinePiece, TableEdit
from contractkit.render.docx import FIRST_LIST_NUM_ID, BodyWriter, fill_template
from contractkit.render.house_template import W_NS

AUTHOR = "contractkit"
STYLES = {
    "front": "BodyText",
    "heading1": "Heading1",
    "schedule_heading": "ScheduleHeading",
    "heading2": "Heading2",
    "schedule_clause": "ScheduleClause",
    "text": "ClauseText",
    "item_text": "ListText",
    "definition": "Definition",
}
MARKER = re.compile("\ue000(\\d+)\ue001")
TAG = {"insert": "ins", "delete": "del"}


def _w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


class RedlineWriter(BodyWriter):
    """Writes redline entries; revision ids share the bookmark counter, so every id is unique."""

    def __init__(self, date: str) -> None:
        super().__init__()
        self.date = date
        self.numbers: dict[tuple[str, int], int] = {}

    def attributes(self) -> dict[str, str]:
        """A new revision's id, author and date (none for an undated build)."""
        self.bookmark_id += 1
        dated = {"date": self.date} if self.date else {}
        return {"id": str(self.bookmark_id), "author": AUTHOR, **dated}

    def revision(self, op: Op) -> str:
        """The opening of a ``w:ins`` or ``w:del`` element, without its closing bracket."""
        attributes = "".join(f' w:{k}="{v}"' for k, v in self.attributes().items())
        return f"<w:{TAG[op]}{attributes}"

    def pieces(self, pieces: list[RedlinePiece]) -> str:
        """Runs, consecutive insertions and deletions each in one revision."""
        out: list[str] = []
        group: list[RedlinePiece] = []
        for piece in [*pieces, None]:
            if group and (piece is None or piece.op != group[0].op):
                xml = "".join(self.run(p.run) for p in group)
                op = group[0].op
                if op == "equal":
                    out.append(xml)
                else:
                    out.append(f"{self.revision(op)}>{_deleted(xml) if op == 'delete' else xml}")
                    out.append(f"</w:{TAG[op]}>")
                group = []
            if piece is not None:
                group.append(piece)
        return "".join(out)

    def mark(self, op: str) -> str:
        """Paragraph properties' run properties marking the paragraph mark inserted or deleted."""
        if op in TAG:
            return f"<w:rPr>{self.revision(op)}/></w:rPr>"  # type: ignore[arg-type]
        return ""

    def list_num(self, key: tuple[str, int]) -> int:
        if key not in self.numbers:
            self.numbers[key] = FIRST_LIST_NUM_ID + len(self.list_nums)
            self.list_nums.append(self.numbers[key])
        return self.numbers[key]

    def entry(self, entry: Entry) -> str:
        if isinstance(entry, TableEdit):
            return self.table_edit(entry)
        return self.para(entry)

    def para(self, para: Para) -> str:
        unit = para.unit
        content = self.pieces(para.pieces)
        mark = self.mark(para.op)
        if unit.anchor and para.bookmark:
            content = self.bookmarked(unit.anchor, content)
        if unit.role == "schedule_heading":
            content = self.schedule_colon() + content
        if unit.role == "item":
            style = "ClauseL3" if unit.level == 3 else "ClauseL4"
            num_id = self.list_num(para.list_key or ("new", unit.list_index))
            numpr = f'<w:numPr><w:ilvl w:val="{unit.level - 1}"/><w:numId w:val="{num_id}"/>'
            return self.paragraph(style, content, f"{numpr}</w:numPr>{mark}")
        if unit.role == "item_text":
            indent = 1440 if unit.level == 3 else 2160
            return self.paragraph("ListText", content, f'<w:ind w:left="{indent}"/>{mark}')
        return self.paragraph(STYLES[unit.role], content, mark)

    def table_edit(self, edit: TableEdit) -> str:
        cells = [[self.pieces(cell) for cell in row.cells] for row in edit.rows]
        marks = [f"{self.revision(r.op)}/>" if r.op in TAG else "" for r in edit.rows]  # type: ignore[arg-type]
        return self.table_xml(edit.table.column_widths(8640), cells, marks)


def _deleted(xml: str) -> str:
    """Run XML as deleted text: ``w:t`` becomes ``w:delText``, field code ``w:delInstrText``."""
    for tag, deleted in (("w:t", "w:delText"), ("w:instrText", "w:delInstrText")):
        xml = xml.replace(f"<{tag} ", f"<{deleted} ").replace(f"</{tag}>", f"</{deleted}>")
    return xml


def render_redline_docx(redline: Redline, template: Path) -> bytes:
    """The redline DOCX through the house Word template, dated by the new build."""
    writer = RedlineWriter(redline.new.metadata["timestamp"])
    parts = tuple(
        [writer.entry(e) for e in entries]
        for entries in (redline.front, redline.body, redline.schedules)
    )
    marked: list[list[RedlinePiece]] = []

    def value(pieces: list[RedlinePiece]) -> str:
        if all(p.op == "equal" for p in pieces):
            return "".join(p.run.text for p in pieces)
        marked.append(pieces)
        return f"\ue000{len(marked) - 1}\ue001"

    fields: dict[str, object] = {name: value(p) for name, p in redline.fields.items()}
    fields["signatories"] = [
        SimpleNamespace(**{name: value(s[name]) for name in SIGNATORY_FIELDS})
        for s in redline.signatories
    ]

    def finish(document: Any) -> None:
        roots = [document.docx.element]
        roots += [
            rel.target_part.element
            for rel in document.docx.part.rels.values()
            if rel.reltype.endswith(("/header", "/footer"))
        ]
        for root in roots:
            _mark_template_text(root, marked, writer)

    front, body, schedules = parts
    return fill_template(
        redline.new, template, (front, body, schedules), writer.list_nums, fields, finish
    )


def _mark_template_text(root: Any, marked: list[list[RedlinePiece]], writer: RedlineWriter) -> None:
    """Replace each marker the template printed with tracked runs in the template's format."""
    from lxml import etree

    for text in list(root.iter(_w("t"))):
        if not text.text or not MARKER.search(text.text):
            continue
        run = text.getparent()
        parent = run.getparent()
        index = parent.index(run)
        replacement: list[Any] = []
        for position, part in enumerate(MARKER.split(text.text)):
            if position % 2 == 0:
                if part:
                    replacement.append(_copy_run(run, part))
                continue
            for piece in marked[int(part)]:
                if not piece.run.text:
                    continue
                new = _copy_run(run, piece.run.text)
                if piece.op == "equal":
                    replacement.append(new)
                    continue
                attributes = {_w(k): v for k, v in writer.attributes().items()}
                revision = etree.Element(_w(TAG[piece.op]), attributes, nsmap={"w": W_NS})
                if piece.op == "delete":
                    for t in new.iter(_w("t")):
                        t.tag = _w("delText")
                revision.append(new)
                replacement.append(revision)
        parent.remove(run)
        for offset, element in enumerate(replacement):
            parent.insert(index + offset, element)


def _copy_run(run: Any, value: str) -> Any:
    """The template's run with ``value`` as its text."""
    new = copy.deepcopy(run)
    new.find(_w("t")).text = value
    return new
