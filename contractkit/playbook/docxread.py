"""Reading a marked-up DOCX: each paragraph's text before and after its tracked changes, the
changes themselves with author and date, and the comments.

Word and LibreOffice both write insertions and deletions as ``w:ins``/``w:del`` around runs
(``w:delText`` inside deletions) and moves as ``w:moveFrom``/``w:moveTo``; a paragraph mark
that was inserted or deleted sits in the paragraph's ``w:pPr/w:rPr``. Bookmark and revision ids
are renumbered by every save, so nothing here depends on them.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from contractkit.errors import ContractkitError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REVISIONS = {"ins": "ins", "del": "del", "moveFrom": "moveFrom", "moveTo": "moveTo"}
_TEXT = {f"{{{W}}}t", f"{{{W}}}delText"}
_SPACE = {f"{{{W}}}tab", f"{{{W}}}br", f"{{{W}}}cr"}
MAX_MARKUP = 50 * 1024 * 1024
_DATE = re.compile(r"[1-9]\d{3}-\d\d-\d\d")


def w(name: str) -> str:
    return f"{{{W}}}{name}"


@dataclass
class MarkupPiece:
    """A stretch of a paragraph: unchanged (``kind`` None) or inside one revision."""

    kind: str | None
    text: str
    author: str = ""
    date: str = ""


@dataclass
class MarkupParagraph:
    """One ``w:p`` of the body, in document order."""

    index: int
    pieces: list[MarkupPiece]
    mark: str | None = None
    mark_author: str = ""
    mark_date: str = ""
    comments: list[str] = field(default_factory=list)
    bookmarks: list[str] = field(default_factory=list)

    @property
    def original(self) -> str:
        """The text before the tracked changes."""
        return "".join(p.text for p in self.pieces if p.kind in (None, "del", "moveFrom"))

    @property
    def current(self) -> str:
        """The text with every tracked change accepted."""
        return "".join(p.text for p in self.pieces if p.kind in (None, "ins", "moveTo"))

    @property
    def wholly(self) -> str | None:
        """``ins``/``del``/``moveTo``/``moveFrom`` when every piece with text is that kind."""
        kinds = {p.kind for p in self.pieces if p.text.strip()}
        return next(iter(kinds)) if len(kinds) == 1 and None not in kinds else None


@dataclass
class Comment:
    """A comment from ``word/comments.xml``."""

    id: str
    author: str
    date: str
    text: str


@dataclass
class Markup:
    """A DOCX read for review."""

    paragraphs: list[MarkupParagraph]
    comments: dict[str, Comment]
    title: str
    parts: dict[str, bytes]


class NotDocxError(ContractkitError):
    """The file is not a Word document."""


def _attr(element: Any, name: str) -> str:
    return str(element.get(w(name)) or "")


def _date(element: Any) -> str:
    """The ``w:date`` of a revision or comment, or "" when undated: LibreOffice writes an
    undated comment as ``0-00-00T00:00:00Z``."""
    date = _attr(element, "date")
    return date if _DATE.match(date) else ""


def _revision(element: Any, paragraph: Any) -> Any:
    node = element.getparent()
    while node is not None and node is not paragraph:
        if etree.QName(node).localname in REVISIONS and etree.QName(node).namespace == W:
            return node
        node = node.getparent()
    return None


def read_paragraph(index: int, p: Any) -> MarkupParagraph:
    """The pieces of one paragraph, adjacent pieces of the same revision and author joined."""
    pieces: list[MarkupPiece] = []
    for element in p.iter():
        tag = element.tag
        if not isinstance(tag, str) or (tag not in _TEXT and tag not in _SPACE):
            continue
        if element.getparent() is not None and element.getparent().getparent() is not None:
            inner = element.getparent().getparent()
            if inner is not p and inner.tag == w("p"):
                continue
        text = (element.text or "") if tag in _TEXT else " "
        revision = _revision(element, p)
        kind = etree.QName(revision).localname if revision is not None else None
        author = _attr(revision, "author") if revision is not None else ""
        date = _date(revision) if revision is not None else ""
        last = pieces[-1] if pieces else None
        if last is not None and (last.kind, last.author) == (kind, author):
            last.text += text
        else:
            pieces.append(MarkupPiece(kind, text, author, date))
    paragraph = MarkupParagraph(index, pieces)
    mark = p.find(f"{w('pPr')}/{w('rPr')}")
    if mark is not None:
        for name in ("ins", "del"):
            found = mark.find(w(name))
            if found is not None:
                paragraph.mark = name
                paragraph.mark_author = _attr(found, "author")
                paragraph.mark_date = _date(found)
    paragraph.comments = [_attr(c, "id") for c in p.iter(w("commentRangeStart"))]
    if not paragraph.comments:
        paragraph.comments = [_attr(c, "id") for c in p.iter(w("commentReference"))]
    paragraph.bookmarks = [_attr(b, "name") for b in p.iter(w("bookmarkStart"))]
    return paragraph


def body_paragraphs(root: Any) -> list[Any]:
    """The body's paragraphs in document order, table cells included."""
    body = root.find(w("body"))
    return [p for p in body.iter(w("p"))] if body is not None else []


def _comments(data: bytes | None) -> dict[str, Comment]:
    if not data:
        return {}
    root = etree.fromstring(data)
    found = {}
    for c in root.iter(w("comment")):
        text = " ".join(
            "".join(t.text or "" for t in p.iter(w("t"))) for p in c.iter(w("p"))
        ).strip()
        found[_attr(c, "id")] = Comment(_attr(c, "id"), _attr(c, "author"), _date(c), text)
    return found


def read_parts(data: bytes, source: str) -> dict[str, bytes]:
    """Every part of the package, or a located error when it is not a DOCX."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = {name: archive.read(name) for name in archive.namelist()}
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise NotDocxError.at(source, f"not a DOCX file (not a zip archive: {exc})") from None
    if "word/document.xml" not in parts:
        raise NotDocxError.at(source, "not a DOCX file: it has no word/document.xml")
    return parts


def parse_xml(data: bytes, source: str) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise NotDocxError.at(source, f"damaged DOCX: word/document.xml: {exc}") from None


def read_markup(data: bytes, source: str) -> Markup:
    """The paragraphs, comments and title of a DOCX."""
    if len(data) > MAX_MARKUP:
        raise NotDocxError.at(source, f"file is larger than {MAX_MARKUP // (1024 * 1024)} MB")
    parts = read_parts(data, source)
    root = parse_xml(parts["word/document.xml"], source)
    paragraphs = [read_paragraph(i, p) for i, p in enumerate(body_paragraphs(root))]
    title = ""
    if "docProps/core.xml" in parts:
        core = etree.fromstring(parts["docProps/core.xml"])
        for element in core.iter("{http://purl.org/dc/elements/1.1/}title"):
            title = element.text or ""
    return Markup(paragraphs, _comments(parts.get("word/comments.xml")), title, parts)
