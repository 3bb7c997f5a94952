"""The response DOCX: the vendor's markup with a comment from the customer's side on every
change (classification, point, rationale, suggested response), and every change beyond the
walk-away rejected (a tracked change undone, an untracked one reversed as a tracked change)."""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import zipfile
from typing import Any

from lxml import etree

from contractkit.playbook.docxread import W, body_paragraphs, parse_xml, w
from contractkit.playbook.review import (
    CLASSIFICATION_WORDS,
    RESPONSE_WORDS,
    Judgement,
    MarkupReview,
)

AUTHOR = "Customer counsel (contractkit)"
INITIALS = "CK"
COMMENTS_PART = "word/comments.xml"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def comment_text(j: Judgement) -> str:
    """What contractkit says about one change."""
    v = j.verdict
    words = CLASSIFICATION_WORDS[v.classification]
    parts = [f"{words[0].upper()}{words[1:]} ({j.change.kind})."]
    if v.point is not None:
        parts.append(f"Point {v.point.point.id}: {v.point.point.description}.")
    if v.fallback:
        parts.append(f"Fallback: {v.fallback}.")
    if v.rationale:
        parts.append(v.rationale)
    response = RESPONSE_WORDS[v.response]
    if v.response == "counter" and v.counter:
        response += f" with: “{v.counter}”"
    parts.append(f"Response: {response}" + ("" if response.endswith((".", "”")) else "."))
    return " ".join(parts)


def reply_date() -> str:
    """The date on contractkit's comments and revisions: ``SOURCE_DATE_EPOCH`` when set, so a
    reply can be reproduced, else now. Word and LibreOffice show an undated comment with a
    nonsense date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = (
        dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        if epoch.isdigit()
        else dt.datetime.now(dt.UTC)
    )
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _reject_tracked(p: Any, author: str) -> None:
    """Undo the revisions by ``author`` in one paragraph, as Word's Reject does."""
    for element in list(p.iter(w("ins"), w("del"))):
        if element.get(w("author"), "") != author:
            continue
        parent = element.getparent()
        if parent is None:
            continue
        if parent.tag == w("rPr"):
            parent.remove(element)
            continue
        if element.tag == w("ins"):
            parent.remove(element)
            continue
        index = parent.index(element)
        for child in list(element):
            for text in child.iter(w("delText")):
                text.tag = w("t")
            parent.insert(index, child)
            index += 1
        parent.remove(element)


def _reverse_untracked(p: Any, drafted: str, next_id: list[int], date: str) -> None:
    """Mark the paragraph's text deleted and the drafted text inserted, as tracked changes."""
    runs = [r for r in p if r.tag == w("r")]
    if not runs:
        return
    props = runs[0].find(w("rPr"))
    revision = {w("author"): AUTHOR, w("date"): date}
    deleted = etree.SubElement(p, w("del"), {w("id"): str(next_id[0]), **revision})
    next_id[0] += 1
    runs[0].addprevious(deleted)
    for run in runs:
        for text in run.iter(w("t")):
            text.tag = w("delText")
        deleted.append(run)
    inserted = etree.Element(w("ins"), {w("id"): str(next_id[0]), **revision})
    next_id[0] += 1
    run = etree.SubElement(inserted, w("r"))
    if props is not None:
        run.append(copy.deepcopy(props))
    text = etree.SubElement(run, w("t"))
    text.text = drafted
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    deleted.addnext(inserted)


def _anchor(p: Any, comment_id: int) -> None:
    start = etree.Element(w("commentRangeStart"), {w("id"): str(comment_id)})
    props = p.find(w("pPr"))
    if props is not None:
        props.addnext(start)
    else:
        p.insert(0, start)
    p.append(etree.Element(w("commentRangeEnd"), {w("id"): str(comment_id)}))
    reference = etree.SubElement(p, w("r"))
    style = etree.SubElement(etree.SubElement(reference, w("rPr")), w("rStyle"))
    style.set(w("val"), "CommentReference")
    etree.SubElement(reference, w("commentReference"), {w("id"): str(comment_id)})


def _comment(comment_id: int, text: str, date: str) -> Any:
    element = etree.Element(
        w("comment"),
        {w("id"): str(comment_id), w("author"): AUTHOR, w("date"): date, w("initials"): INITIALS},
    )
    run = etree.SubElement(etree.SubElement(element, w("p")), w("r"))
    t = etree.SubElement(run, w("t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return element


def _register(parts: dict[str, bytes]) -> None:
    types = etree.fromstring(parts["[Content_Types].xml"])
    if not any(o.get("PartName") == "/" + COMMENTS_PART for o in types.iter(f"{{{CT}}}Override")):
        etree.SubElement(
            types, f"{{{CT}}}Override", PartName="/" + COMMENTS_PART, ContentType=COMMENTS_TYPE
        )
        parts["[Content_Types].xml"] = etree.tostring(
            types, xml_declaration=True, encoding="UTF-8", standalone=True
        )
    rels_name = "word/_rels/document.xml.rels"
    rels = etree.fromstring(parts[rels_name])
    if not any(r.get("Type") == COMMENTS_REL for r in rels):
        taken = {r.get("Id") for r in rels}
        n = 1
        while f"rIdCk{n}" in taken:
            n += 1
        etree.SubElement(
            rels, f"{{{REL}}}Relationship", Id=f"rIdCk{n}", Type=COMMENTS_REL, Target="comments.xml"
        )
        parts[rels_name] = etree.tostring(
            rels, xml_declaration=True, encoding="UTF-8", standalone=True
        )


def response_docx(review: MarkupReview) -> bytes:
    """The markup with contractkit's comments on each change and beyond-walk-away changes
    rejected."""
    parts = dict(review.markup.parts)
    root = parse_xml(parts["word/document.xml"], "markup")
    paragraphs = body_paragraphs(root)
    if COMMENTS_PART in parts:
        comments = etree.fromstring(parts[COMMENTS_PART])
    else:
        comments = etree.Element(w("comments"), nsmap={"w": W})
    ids = [
        int(c.get(w("id"), "0"))
        for c in comments.iter(w("comment"))
        if c.get(w("id"), "").isdigit()
    ]
    next_comment = max(ids, default=-1) + 1
    revision_ids = [
        int(e.get(w("id")))
        for e in root.iter(w("ins"), w("del"))
        if (e.get(w("id")) or "").isdigit()
    ]
    next_revision = [max(revision_ids, default=0) + 1000]
    date = reply_date()
    for j in review.judgements:
        target = _target(review, j)
        if target is None:
            continue
        p = paragraphs[target]
        if j.verdict.classification == "beyond_walk_away":
            if j.change.tracked and j.change.kind != "comment":
                for index in j.change.paragraphs:
                    _reject_tracked(paragraphs[index], j.change.author)
            elif j.change.kind == "untracked" and j.change.paragraphs and j.change.before:
                _reverse_untracked(p, j.change.before, next_revision, date)
        _anchor(p, next_comment)
        comments.append(_comment(next_comment, comment_text(j), date))
        next_comment += 1
    parts["word/document.xml"] = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    parts[COMMENTS_PART] = etree.tostring(
        comments, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    _register(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _target(review: MarkupReview, j: Judgement) -> int | None:
    """The paragraph a comment is anchored to: the change's own, else the last of its clause,
    else (a clause deleted whole) the last paragraph of the section before it."""
    if j.change.paragraphs:
        return j.change.paragraphs[0]
    same = [i for i, label in review.labels.items() if label == j.change.label]
    if same:
        return max(same)
    gone = _section_key(j.change.label.section)
    before = [
        (_section_key(label.section), i)
        for i, label in review.labels.items()
        if label.clause is not None and _section_key(label.section) < gone
    ]
    return max(before)[1] if before else min(review.labels, default=None)


def _section_key(section: str) -> tuple[int, ...]:
    """A section number ("10.2") in reading order; unnumbered parts sort first."""
    return tuple(int(part) for part in section.split(".") if part.isdigit())
