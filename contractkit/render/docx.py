"""DOCX renderer: walks the document tree and writes Word XML into the house template.

The body is produced as WordprocessingML that uses the template's style and numbering ids:
headings and sub-paragraphs are numbered by Word's multilevel list, references are ``REF``
fields on ``_Ref`` bookmarks with the tree's number as their cached result.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from markupsafe import Markup

from contractkit.errors import TemplateError as ContractkitTemplateError
from contractkit.render.house_template import BODY_ABSTRACT_ID, FIXED_ZIP_TIME, W_NS
from contractkit.templating import make_environment
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

INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FIRST_LIST_NUM_ID = 100
# Word puts no space below a table; the paragraph after one gets the 8 points that print.css
# leaves below a table, so it does not touch the table's border. (After a clause's last table
# the next heading's own space before does it.)
SPACE_AFTER_TABLE = 160
TONE_COLOURS = {
    "ready": "1E7B34",
    "drafted": "2F5597",
    "stale": "B35C00",
    "gap": "C00000",
    "needs_input": "B35C00",
    "not_applicable": "7F7F7F",
}


def space_before(paragraph: str, twips: int) -> str:
    """A paragraph's XML with space before it, in the place the schema orders it."""
    head, rest = paragraph.split("</w:pPr>", 1)
    spacing = f'<w:spacing w:before="{twips}"/>'
    if "<w:ind " in head:
        before, after = head.split("<w:ind ", 1)
        return f"{before}{spacing}<w:ind {after}</w:pPr>{rest}"
    return f"{head}{spacing}</w:pPr>{rest}"


def xml_text(text: str) -> str:
    """Text safe inside ``w:t``."""
    return escape(INVALID_XML.sub("", text))


class BodyWriter:
    """Turns tree blocks into WordprocessingML; tracks bookmark ids and list instances."""

    def __init__(self) -> None:
        self.bookmark_id = 0
        self.list_nums: list[int] = []

    def run(self, run: Run) -> str:
        text = f'<w:t xml:space="preserve">{xml_text(run.text)}</w:t>'
        props = []
        if run.kind == "term" and run.defining:
            props.append('<w:rStyle w:val="DefinedTerm"/>')
        if run.kind == "counsel":
            props.append('<w:rStyle w:val="CounselMarker"/>')
            props.append('<w:b/><w:highlight w:val="yellow"/>')
        if run.kind == "status" and run.tone in TONE_COLOURS:
            props.append(f'<w:color w:val="{TONE_COLOURS[run.tone]}"/>')
        if run.bold and run.kind != "counsel":
            props.append("<w:b/>")
        if run.italic:
            props.append("<w:i/>")
        rpr = f"<w:rPr>{''.join(props)}</w:rPr>" if props else ""
        if run.kind == "ref" and run.anchor:
            switch = "\\n" if run.in_schedule else "\\r"
            instruction = (
                f'<w:instrText xml:space="preserve"> REF {run.anchor} {switch} \\h </w:instrText>'
            )
            return (
                f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
                f"<w:r>{rpr}{instruction}</w:r>"
                f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
                f"<w:r>{rpr}{text}</w:r>"
                f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
            )
        return f"<w:r>{rpr}{text}</w:r>"

    def runs(self, runs: list[Run]) -> str:
        return "".join(self.run(r) for r in bound_runs(runs))

    def paragraph(self, style: str, content: str, extra: str = "") -> str:
        return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra}</w:pPr>{content}</w:p>'

    def bookmarked(self, anchor: str, content: str) -> str:
        self.bookmark_id += 1
        n = self.bookmark_id
        return (
            f'<w:bookmarkStart w:id="{n}" w:name="{anchor}"/>{content}<w:bookmarkEnd w:id="{n}"/>'
        )

    def blocks(self, blocks: list[Block], text_style: str = "ClauseText") -> Iterator[str]:
        after_table = False
        for block in blocks:
            xml: list[str] = []
            if isinstance(block, Paragraph):
                xml = [self.paragraph(text_style, self.runs(block.runs))]
            elif isinstance(block, NumberedList):
                self.list_nums.append(FIRST_LIST_NUM_ID + len(self.list_nums))
                xml = list(self.items(block.items, self.list_nums[-1]))
            elif isinstance(block, Table):
                xml = [self.table(block)]
            if after_table and xml and xml[0].startswith("<w:p>"):
                xml[0] = space_before(xml[0], SPACE_AFTER_TABLE)
            after_table = isinstance(block, Table)
            yield from xml

    def items(self, items: list[ListItem], num_id: int) -> Iterator[str]:
        for item in items:
            style = "ClauseL3" if item.level == 3 else "ClauseL4"
            numpr = (
                f'<w:numPr><w:ilvl w:val="{item.level - 1}"/><w:numId w:val="{num_id}"/></w:numPr>'
            )
            first, *rest = item.paragraphs or [Paragraph([])]
            yield self.paragraph(style, self.runs(first.runs), numpr)
            for extra in rest:
                indent = 1440 if item.level == 3 else 2160
                yield self.paragraph(
                    "ListText", self.runs(extra.runs), f'<w:ind w:left="{indent}"/>'
                )
            yield from self.items(item.children, num_id)

    def table(self, table: Table) -> str:
        cells = [[self.runs(cell) for cell in row] for row in table.rows]
        return self.table_xml(table.column_widths(8640), cells)

    def table_xml(
        self, widths: list[int], cells: list[list[str]], row_marks: list[str] | None = None
    ) -> str:
        """A table of cell contents (runs XML); ``row_marks`` end each row's properties."""
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        rows = []
        for index, row in enumerate(cells):
            mark = row_marks[index] if row_marks else ""
            header = "<w:tblHeader/>" if index == 0 else ""
            xml = "".join(
                f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>'
                f"{self.paragraph('TableText', cell)}</w:tc>"
                for cell, w in zip(row, widths, strict=False)
            )
            rows.append(f"<w:tr><w:trPr>{header}<w:cantSplit/>{mark}</w:trPr>{xml}</w:tr>")
        look = (
            '<w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
            'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        )
        props = (
            '<w:tblPr><w:tblStyle w:val="ContractTable"/><w:tblW w:w="8640" w:type="dxa"/>'
            f'<w:tblInd w:w="720" w:type="dxa"/><w:tblLayout w:type="fixed"/>{look}</w:tblPr>'
        )
        return f"<w:tbl>{props}<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"

    def schedule_colon(self) -> str:
        """What follows a schedule heading's number ("Schedule 1"), which ends at the number so
        that a reference to the schedule prints just "Schedule 1"."""
        return self.run(Run(": "))

    def article(self, article: Article) -> Iterator[str]:
        style = "ScheduleHeading" if article.schedule else "Heading1"
        title = self.bookmarked(article.anchor, self.run(Run(article.title)))
        yield self.paragraph(style, self.schedule_colon() + title if article.schedule else title)
        for definition in article.definitions:
            yield self.paragraph("Definition", self.runs(definition.runs))
        for clause in article.clauses:
            yield from self.clause(clause, article.schedule)

    def clause(self, clause: Clause, in_schedule: bool) -> Iterator[str]:
        style = "ScheduleClause" if in_schedule else "Heading2"
        yield self.paragraph(style, self.bookmarked(clause.anchor, self.run(Run(clause.title))))
        yield from self.blocks(clause.blocks)


def numbering_instances(num_ids: list[int]) -> str:
    """One restarting list instance per numbered list of the body."""
    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="1"/></w:lvlOverride>'
        for level in (2, 3)
    )
    return "".join(
        f'<w:num xmlns:w="{W_NS}" w:numId="{n}"><w:abstractNumId w:val="{BODY_ABSTRACT_ID}"/>'
        f"{overrides}</w:num>"
        for n in num_ids
    )


def render_docx(tree: DocumentTree, template: Path) -> bytes:
    """The DOCX bytes for one document tree."""
    writer = BodyWriter()
    front = [
        writer.paragraph("BodyText", writer.runs(p.runs))
        for p in tree.preamble
        if isinstance(p, Paragraph)
    ]
    if tree.recitals:
        heading = Run(tree.recitals_heading, bold=True)
        front.append(writer.paragraph("BodyText", writer.run(heading)))
        front += [writer.paragraph("BodyText", writer.runs(p.runs)) for p in tree.recitals]
        front.append(writer.paragraph("BodyText", writer.run(Run(tree.operative_words))))
    body = [xml for article in tree.articles for xml in writer.article(article)]
    schedules = [xml for article in tree.schedules for xml in writer.article(article)]
    return fill_template(tree, template, (front, body, schedules), writer.list_nums)


def fill_template(
    tree: DocumentTree,
    template: Path,
    parts: tuple[list[str], list[str], list[str]],
    list_nums: list[int],
    fields: dict[str, object] | None = None,
    finish: Callable[[Any], None] | None = None,
) -> bytes:
    """The house template filled with body XML (front, body, schedules) and the tree's fields.

    ``fields`` replace template values; ``finish`` sees the rendered ``DocxTemplate`` before
    it is saved (a redline marks changes in the template's own text there).
    """
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError
    from lxml import etree

    front, body, schedules = parts
    document = DocxTemplate(str(template))
    context = {
        "title": tree.title,
        "engagement_title": tree.engagement_title,
        "watermark": tree.watermark,
        "draft_notice": tree.draft_notice,
        "front_xml": Markup("".join(front)),
        "body_xml": Markup("".join(body)),
        "schedules_xml": Markup("".join(schedules)),
        "signature_intro": tree.signature_intro.text,
        "signatories": tree.signatories,
        **(fields or {}),
    }
    try:
        document.render(context, jinja_env=make_environment(markup=True), autoescape=True)
    except (TemplateError, etree.XMLSyntaxError) as exc:
        raise ContractkitTemplateError.at(template, f"the house template failed: {exc}") from None
    numbering = document.docx.part.numbering_part.element
    taken = [int(n.get(f"{{{W_NS}}}numId")) for n in numbering.iter(f"{{{W_NS}}}num")]
    offset = max([*taken, FIRST_LIST_NUM_ID - 1]) + 1 - FIRST_LIST_NUM_ID
    if offset:
        _shift_list_ids(document, offset)
    ids = [n + offset for n in list_nums]
    for xml in re.findall(r"<w:num .*?</w:num>", numbering_instances(ids)):
        numbering.append(etree.fromstring(xml))
    _set_core_properties(document.docx.core_properties, tree)
    if finish is not None:
        finish(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue())


def _shift_list_ids(document: object, offset: int) -> None:
    """Move the body's list ids past those a firm's template already uses."""
    body = document.docx.element.body  # type: ignore[attr-defined]
    for num_id in body.iter(f"{{{W_NS}}}numId"):
        value = int(num_id.get(f"{{{W_NS}}}val"))
        if value >= FIRST_LIST_NUM_ID:
            num_id.set(f"{{{W_NS}}}val", str(value + offset))


def _set_core_properties(props: Any, tree: DocumentTree) -> None:
    """The tree's title, subject and author; dated only by SOURCE_DATE_EPOCH, never printed.

    The house template's own dates (and any last-printed date) are removed, so a document is
    never dated by the template, the clock or a future effective date.
    """
    from lxml import etree

    values: dict[str, object] = {
        "title": tree.title,
        "subject": tree.metadata["subject"],
        "author": tree.metadata["author"],
        "last_modified_by": tree.metadata["author"],
        "keywords": f"draft; {tree.metadata['engagement']}",
        "comments": tree.draft_notice,
        "category": "Draft agreement",
        "revision": 1,
    }
    if tree.metadata["epoch"]:
        stamp = dt.datetime.fromtimestamp(int(tree.metadata["epoch"]), dt.UTC)
        values.update(created=stamp, modified=stamp)
    for name, value in values.items():
        setattr(props, name, value)
    undated = ("lastPrinted",) if tree.metadata["epoch"] else ("created", "modified", "lastPrinted")
    for element in list(props._element):
        if etree.QName(element).localname in undated:
            props._element.remove(element)


def normalise_zip(data: bytes) -> bytes:
    """Same content, fixed entry times and order: the same tree gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    ordered = sorted(names, key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in ordered:
            info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()
