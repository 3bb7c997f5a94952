"""Edits written into a DOCX the way Word writes them: tracked insertions and deletions with
rsids, moves, comments in comments.xml, and edits made without tracking."""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
AUTHOR = "Vendor Counsel"
DATE = "2027-02-03T10:15:00Z"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def _text(p: Any) -> str:
    return "".join(t.text or "" for t in p.iter(w("t"))).replace("\u00a0", " ")


class WordMarkup:
    """A DOCX opened for editing as Word would edit it."""

    def __init__(self, path: Path) -> None:
        archive = zipfile.ZipFile(path)
        self.parts = {n: archive.read(n) for n in archive.namelist()}
        self.root = etree.fromstring(self.parts["word/document.xml"])
        self.comments: list[Any] = []
        self.next_id = 9000
        self.rsid = "00A1B2C3"

    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def paragraph(self, contains: str, nth: int = 0) -> Any:
        found = [p for p in self.root.iter(w("p")) if contains in _text(p)]
        assert len(found) > nth, f"no paragraph contains {contains!r}"
        return found[nth]

    def _revision(self, kind: str) -> Any:
        return etree.Element(w(kind), {w("id"): self._id(), w("author"): AUTHOR, w("date"): DATE})

    def _split(self, p: Any, old: str) -> tuple[Any, Any]:
        """Split the run holding ``old`` so that ``old`` is a run of its own; return it."""
        for run in p.iter(w("r")):
            t = run.find(w("t"))
            if t is None or old not in (t.text or "").replace("\u00a0", " "):
                continue
            text = (t.text or "").replace("\u00a0", " ")
            start = text.index(old)
            before, after = text[:start], text[start + len(old) :]
            parent = run.getparent()
            index = parent.index(run)
            pieces = []
            for part in (before, old, after):
                clone = copy.deepcopy(run)
                clone.set(w("rsidR"), "00C4D5E6")
                ct = clone.find(w("t"))
                ct.text = part
                ct.set(XML_SPACE, "preserve")
                pieces.append(clone)
            parent.remove(run)
            for _offset, piece in enumerate(pieces):
                if piece.find(w("t")).text:
                    parent.insert(index, piece)
                    index += 1
            return pieces[1], parent
        raise AssertionError(f"{old!r} is not inside one run")

    def replace(self, contains: str, old: str, new: str) -> None:
        """A tracked replacement: ``old`` deleted, ``new`` inserted after it."""
        run, _ = self._split(self.paragraph(contains), old)
        deleted = self._revision("del")
        run.addprevious(deleted)
        run.set(w("rsidDel"), self.rsid)
        run.find(w("t")).tag = w("delText")
        deleted.append(run)
        if new:
            inserted = self._revision("ins")
            added = copy.deepcopy(run)
            added.attrib.pop(w("rsidDel"))
            added.set(w("rsidR"), self.rsid)
            added.find(w("delText")).tag = w("t")
            added.find(w("t")).text = new
            inserted.append(added)
            deleted.addnext(inserted)

    def insert_text(self, contains: str, after: str, new: str) -> None:
        """A tracked insertion of ``new`` right after the words ``after``."""
        run, _ = self._split(self.paragraph(contains), after)
        inserted = self._revision("ins")
        added = copy.deepcopy(run)
        added.set(w("rsidR"), self.rsid)
        added.find(w("t")).text = new
        inserted.append(added)
        run.addnext(inserted)

    def untracked(self, contains: str, old: str, new: str) -> None:
        """An edit made with tracking off: the text simply changes."""
        for t in self.paragraph(contains).iter(w("t")):
            text = (t.text or "").replace("\u00a0", " ")
            if old in text:
                t.text = text.replace(old, new, 1)
                return
        raise AssertionError(old)

    def _mark(self, p: Any, kind: str) -> None:
        props = p.find(w("pPr"))
        if props is None:
            props = etree.Element(w("pPr"))
            p.insert(0, props)
        rpr = props.find(w("rPr"))
        if rpr is None:
            rpr = etree.SubElement(props, w("rPr"))
        rpr.append(self._revision(kind))

    def delete_paragraph(self, p: Any) -> None:
        """A tracked deletion of a whole paragraph, its mark included."""
        deleted = self._revision("del")
        runs = [r for r in p if r.tag == w("r")]
        if not runs:
            return
        runs[0].addprevious(deleted)
        for run in runs:
            run.set(w("rsidDel"), self.rsid)
            for t in run.iter(w("t")):
                t.tag = w("delText")
            deleted.append(run)
        self._mark(p, "del")

    def insert_paragraph(self, after: Any, text: str) -> Any:
        """A new tracked paragraph after ``after``, styled like it."""
        p = etree.Element(w("p"), {w("rsidR"): self.rsid})
        props = after.find(w("pPr"))
        if props is not None:
            p.append(copy.deepcopy(props))
        self._mark(p, "ins")
        inserted = self._revision("ins")
        run = etree.SubElement(inserted, w("r"), {w("rsidR"): self.rsid})
        t = etree.SubElement(run, w("t"))
        t.text = text
        t.set(XML_SPACE, "preserve")
        p.append(inserted)
        after.addnext(p)
        return p

    def move_paragraph(self, p: Any, after: Any) -> None:
        """A tracked move of a whole paragraph to just after ``after``."""
        text = _text(p)
        target = self.insert_paragraph(after, text)
        for element in target.iter(w("ins")):
            if element.getparent() is target:
                element.tag = w("moveTo")
        source = self._revision("moveFrom")
        runs = [r for r in p if r.tag == w("r")]
        runs[0].addprevious(source)
        for run in runs:
            for t in run.iter(w("t")):
                t.tag = w("delText")
            source.append(run)
        self._mark(p, "del")

    def comment(self, contains: str, text: str) -> None:
        """A comment on a whole paragraph, stored in comments.xml."""
        p = self.paragraph(contains)
        cid = str(len(self.comments))
        start = etree.Element(w("commentRangeStart"), {w("id"): cid})
        props = p.find(w("pPr"))
        (props.addnext(start) if props is not None else p.insert(0, start))
        p.append(etree.Element(w("commentRangeEnd"), {w("id"): cid}))
        ref = etree.SubElement(p, w("r"))
        etree.SubElement(ref, w("commentReference"), {w("id"): cid})
        comment = etree.Element(w("comment"), {w("id"): cid, w("author"): AUTHOR, w("date"): DATE})
        ct = etree.SubElement(etree.SubElement(etree.SubElement(comment, w("p")), w("r")), w("t"))
        ct.text = text
        self.comments.append(comment)

    def save(self, path: Path) -> Path:
        parts = dict(self.parts)
        parts["word/document.xml"] = etree.tostring(
            self.root, xml_declaration=True, encoding="UTF-8"
        )
        if self.comments:
            root = etree.Element(w("comments"), nsmap={"w": W})
            root.extend(self.comments)
            parts["word/comments.xml"] = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8"
            )
            types = parts["[Content_Types].xml"].decode()
            types = types.replace(
                "</Types>",
                '<Override PartName="/word/comments.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>',
            )
            parts["[Content_Types].xml"] = types.encode()
            rels = (
                parts["word/_rels/document.xml.rels"]
                .decode()
                .replace(
                    "</Relationships>",
                    '<Relationship Id="rIdVendor1" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/comments" Target="comments.xml"/></Relationships>',
                )
            )
            parts["word/_rels/document.xml.rels"] = rels.encode()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
        path.write_bytes(out.getvalue())
        return path
