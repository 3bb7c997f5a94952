"""The redline as a PDF to read: insertions underlined in color, deletions struck through.

The page layout is the house print stylesheet's; a bar in the left margin marks every changed
paragraph, and a first page says what was compared and lists each change with its section in
the new document.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup, escape

from contractkit.redline.model import (
    SIGNATURES,
    Comparison,
    Entry,
    Para,
    Redline,
    RedlinePiece,
    TableEdit,
)
from contractkit.render.html import css_string, html_to_pdf, runs_html

REDLINE_CSS = """
ins { color: #1a4fa0; text-decoration: underline; }
del { color: #b00020; text-decoration: line-through; }
.changed { border-left: 2.5pt solid #404040; margin-left: -0.3in; padding-left: 0.265in; }
.compare-page { break-after: page; }
section.schedule { break-before: auto; }
p.omitted { margin-left: 0.5in; color: #7f7f7f; }
.compare-page h1.title { margin-bottom: 12pt; }
.compare-page p { margin-bottom: 8pt; }
.compare-page .hand-edited { border: 1pt solid #b00020; padding: 4pt 6pt; color: #b00020; }
.compare-page h2 { padding-left: 0; text-indent: 0; margin-top: 14pt; }
table.compared, table.changes { width: 100%; border-collapse: collapse; font-size: 10pt;
  margin-bottom: 10pt; }
table.compared th, table.compared td, table.changes th, table.changes td {
  border: 0.5pt solid #808080; padding: 2pt 4pt; text-align: left; vertical-align: top; }
table.compared th, table.changes th { background: #e7e6e6; }
table.compared td.hash { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace;
  font-size: 8pt; overflow-wrap: anywhere; }
"""
TAGS = {"insert": "ins", "delete": "del"}
PARAGRAPH_CLASSES = {
    "front": "body-text",
    "text": "clause-text",
    "definition": "definition",
}


def pieces_html(pieces: list[RedlinePiece]) -> Markup:
    """Pieces as inline HTML, each insertion in ``ins`` and each deletion in ``del``."""
    out: list[str] = []
    group: list[RedlinePiece] = []
    for piece in [*pieces, None]:
        if group and (piece is None or piece.op != group[0].op):
            html = str(runs_html([p.run for p in group]))
            tag = TAGS.get(group[0].op)
            out.append(f"<{tag}>{html}</{tag}>" if tag else html)
            group = []
        if piece is not None:
            group.append(piece)
    return Markup("".join(out))


class _Body:
    """Writes the entries counsel needs: each changed clause whole, changed definitions and
    other changed paragraphs, each under its article's heading, with a mark where text is left
    out."""

    def __init__(self, shown: set[str]) -> None:
        self.shown = shown
        self.out: list[str] = []
        self.open = False
        self.heading: Para | None = None
        self.skipped = False

    def close(self) -> None:
        if self.open:
            self.out.append("</section>")
            self.open = False

    def wanted(self, entry: Entry) -> bool:
        if entry.owner not in self.shown:
            return False
        return "." in entry.owner or entry.op != "equal"

    def entry(self, entry: Entry) -> None:
        if isinstance(entry, Para) and entry.unit.role in ("heading1", "schedule_heading"):
            self.close()
            self.heading, self.skipped = entry, False
            if not self.wanted(entry):
                return
        elif not self.wanted(entry):
            self.skipped = True
            return
        if self.heading is not None:
            kind = "schedule" if self.heading.unit.role == "schedule_heading" else "article"
            self.out.append(f'<section class="{kind}">')
            self.open = True
            self.write(self.heading)
            if self.heading is entry:
                self.heading = None
                return
            self.heading = None
        if self.skipped:
            self.out.append('<p class="omitted">[…]</p>')
            self.skipped = False
        self.write(entry)

    def write(self, entry: Entry) -> None:
        html = _table(entry) if isinstance(entry, TableEdit) else _paragraph(entry)
        self.out.append(f'<div class="changed">{html}</div>' if entry.op != "equal" else html)

    def take(self) -> str:
        self.close()
        text = "\n".join(self.out)
        self.out, self.heading, self.skipped = [], None, False
        return text


def _label(para: Para) -> str:
    label = str(escape(para.unit.label))
    tag = TAGS.get(para.op)
    return f'<span class="num">{f"<{tag}>{label}</{tag}>" if tag else label}</span>'


def _paragraph(para: Para) -> str:
    unit = para.unit
    text = pieces_html(para.pieces)
    anchor = f' id="{escape(unit.anchor)}"' if unit.anchor and para.bookmark else ""
    if unit.role in ("heading1", "schedule_heading"):
        return f"<h1{anchor}>{_label(para)} {text}</h1>"
    if unit.role in ("heading2", "schedule_clause"):
        return f"<h2{anchor}>{_label(para)} {text}</h2>"
    if unit.role == "item":
        return f'<p class="item level{unit.level}">{_label(para)}{text}</p>'
    if unit.role == "item_text":
        return f'<p class="item level{unit.level} more">{text}</p>'
    return f'<p class="{PARAGRAPH_CLASSES[unit.role]}">{text}</p>'


def _table(edit: TableEdit) -> str:
    shares = "".join(
        f'<col style="width: {share / 10}%">' for share in edit.table.column_widths(1000)
    )
    rows = []
    for index, row in enumerate(edit.rows):
        tag = "th" if index == 0 else "td"
        cells = "".join(f"<{tag}>{pieces_html(cell)}</{tag}>" for cell in row.cells)
        rows.append(f'<tr class="row-{row.op}">{cells}</tr>')
    return f'<table class="contract-table"><colgroup>{shares}</colgroup>{"".join(rows)}</table>'


def _compare_page(redline: Redline, comparison: Comparison) -> str:
    title = escape(redline.new.title)
    sides = (comparison.old, comparison.new)
    rows = [
        ("Bundle", [escape(s.label) for s in sides], ""),
        ("Spec (SHA-256)", [escape(s.spec_sha256) for s in sides], ' class="hash"'),
        ("Built", [escape(s.date) for s in sides], ""),
    ]
    compared = "".join(
        f"<tr><th>{name}</th>" + "".join(f"<td{cls}>{v}</td>" for v in values) + "</tr>"
        for name, values, cls in rows
    )
    out = [
        '<section class="compare-page">',
        f'<h1 class="title">Redline: {title}</h1>',
        "<p>Changes from the earlier build to the later one: insertions "
        "<ins>underlined</ins>, deletions <del>struck through</del>, and a bar in the margin "
        "beside each changed paragraph. Each changed clause is shown whole, under its "
        "article's heading; […] marks text left out. Numbers are the later build's. The "
        "Word redline holds the whole document as tracked changes.</p>",
        '<table class="compared"><tr><th></th><th>Earlier build</th><th>Later build</th></tr>',
        f"{compared}</table>",
    ]
    if comparison.hand_edited:
        files = ", ".join(str(escape(name)) for name in comparison.hand_edited)
        out.append(
            f'<p class="hand-edited">Edited by hand since it was built: {files}. This redline '
            "compares what contractkit generated, not the edited file.</p>"
        )
    out.append("<h2>Changes</h2>")
    if not redline.changes:
        out.append("<p>No changes.</p>")
    else:
        out.append('<table class="changes"><tr><th>Section</th><th>Clause</th><th>Change</th></tr>')
        for change in redline.changes:
            name = escape(change.title) + (
                Markup(f" <em>({escape(change.clause)})</em>") if "." in change.clause else ""
            )
            out.append(
                f"<tr><td>{escape(change.section)}</td><td>{name}</td>"
                f"<td>{escape(change.summary())}</td></tr>"
            )
        out.append("</table>")
    out.append("</section>")
    return "\n".join(out)


def redline_html(redline: Redline, comparison: Comparison, css: str) -> str:
    """The redline as print-ready HTML, laid out by the house stylesheet ``css``."""
    new = redline.new
    fields = redline.fields
    body = _Body({c.clause for c in redline.changes})
    for entry in redline.front:
        body.entry(entry)
    front = body.take()
    for entry in redline.body:
        body.entry(entry)
    articles = body.take()
    for entry in redline.schedules:
        body.entry(entry)
    schedules = body.take()
    signatures = "".join(
        f'<tr><td class="party">{pieces_html(s["legal_name"])}</td><td>'
        f"<p>By: ______________________________</p><p>Name: {pieces_html(s['name'])}</p>"
        f"<p>Title: {pieces_html(s['title'])}</p>"
        "<p>Date: ______________________________</p></td></tr>"
        for s in redline.signatories
    )
    signature_block = (
        '<div class="signature-block">'
        f'<p class="signature-intro">{pieces_html(fields["signature_intro"])}</p>'
        f'<table class="signatures">{signatures}</table></div>'
        if redline.signatories and SIGNATURES in body.shown
        else ""
    )
    header = (
        f"@page {{ @top-left {{ content: {css_string('Redline: ' + new.title)} "
        f'"\\A" {css_string(new.engagement_title)} }} '
        f'@top-right {{ content: "REDLINE" }} }}'
    )
    return "\n".join(
        [
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">',
            f"<title>Redline: {escape(new.title)}</title>",
            f'<meta name="author" content="{escape(new.metadata["author"])}">',
            f'<meta name="description" content="{escape(new.metadata["subject"])}">',
            '<meta name="generator" content="contractkit">',
            f'<meta name="dcterms.created" content="{escape(new.metadata["timestamp"])}">',
            f'<meta name="dcterms.modified" content="{escape(new.metadata["timestamp"])}">',
            f"<style>{css}</style>\n<style>{REDLINE_CSS}</style>\n<style>{header}</style>",
            f'</head>\n<body class="doc-{escape(new.key)} redline">',
            _compare_page(redline, comparison),
            f'<h1 class="title">{pieces_html(fields["title"])}</h1>',
            f'<p class="draft-notice">{pieces_html(fields["draft_notice"])}</p>',
            front,
            articles,
            signature_block,
            schedules,
            "</body>\n</html>\n",
        ]
    )


def render_redline_pdf(redline: Redline, comparison: Comparison, stylesheet: Path) -> bytes:
    """The redline PDF, laid out by the house ``stylesheet``; reproducible."""
    html = redline_html(redline, comparison, stylesheet.read_text(encoding="utf-8"))
    return html_to_pdf(html, stylesheet.parent, redline.new.metadata["epoch"])
