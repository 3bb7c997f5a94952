"""The response DOCX ``contractkit review -o`` writes: a dated comment from customer counsel on
every change, an untracked change beyond the walk-away reversed as tracked changes, a tracked
one beyond it undone, and the comments part registered when the vendor's markup had none."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from contractkit.playbook.respond import AUTHOR, response_docx
from contractkit.playbook.review import MarkupReview, review_markup
from tests.wordmarkup import WordMarkup, w

EPOCH = "1700000000"
DATE = "2023-11-14T22:13:20Z"
INCIDENT_NOTICE = (
    "Point incident-notice-hours: Hours within which the vendor notifies a security incident."
)
BREACH_REPORT = (
    "Point breach-report-days: Days within which the vendor delivers a full written incident "
    "report."
)


@pytest.fixture
def bundle(bundles: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """The reference bundle, with contractkit's comments dated by ``SOURCE_DATE_EPOCH``."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return bundles["reference"]


def _respond(markup: WordMarkup, path: Path, bundle: Path) -> tuple[MarkupReview, dict[str, bytes]]:
    """The review of the saved markup, and the parts of the response DOCX written for it."""
    review = review_markup(markup.save(path), bundle)
    with zipfile.ZipFile(io.BytesIO(response_docx(review))) as archive:
        return review, {name: archive.read(name) for name in archive.namelist()}


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(w("t"), w("delText")))


def _paragraph(parts: dict[str, bytes], contains: str) -> Any:
    body = etree.fromstring(parts["word/document.xml"])
    found = [p for p in body.iter(w("p")) if contains in _text(p)]
    assert len(found) == 1, f"{len(found)} paragraphs contain {contains!r}"
    return found[0]


def _comments(parts: dict[str, bytes]) -> list[tuple[str, str, str, str, str]]:
    root = etree.fromstring(parts["word/comments.xml"])
    return [
        (c.get(w("id")), c.get(w("author")), c.get(w("initials")), c.get(w("date")), _text(c))
        for c in root.iter(w("comment"))
    ]


def _anchor_ids(p: Any) -> tuple[str, str, str]:
    """The ids of the comment range start, end and reference in one paragraph."""
    start = p.find(w("commentRangeStart"))
    end = p.find(w("commentRangeEnd"))
    reference = p.find(f"{w('r')}/{w('commentReference')}")
    assert start is not None and end is not None and reference is not None
    return start.get(w("id")), end.get(w("id")), reference.get(w("id"))


def test_an_untracked_change_beyond_the_walk_away_is_reversed_as_tracked_changes(
    bundle: Path, tmp_path: Path
) -> None:
    m = WordMarkup(bundle / "msa.docx")
    m.untracked("after becoming aware of it", "twenty-four (24) hours", "ninety-six (96) hours")
    review, parts = _respond(m, tmp_path / "msa-vendor.docx", bundle)
    drafted = review.judgements[0].change.before
    assert "within twenty-four (24) hours after becoming aware of it" in drafted

    p = _paragraph(parts, "Nimbus shall notify Acme of any Security Incident")
    assert [child.tag for child in p] == [
        w("pPr"), w("commentRangeStart"), w("del"), w("ins"), w("commentRangeEnd"), w("r")
    ]  # fmt: skip
    deleted, inserted = p.find(w("del")), p.find(w("ins"))
    assert (deleted.get(w("id")), deleted.get(w("author")), deleted.get(w("date"))) == (
        "1000", AUTHOR, DATE
    )  # fmt: skip
    assert (inserted.get(w("id")), inserted.get(w("author")), inserted.get(w("date"))) == (
        "1001", AUTHOR, DATE
    )  # fmt: skip
    assert list(deleted.iter(w("t"))) == []
    assert "within ninety-six (96) hours after becoming aware" in _text(deleted)
    assert _text(inserted) == drafted
    assert _anchor_ids(p) == ("0", "0", "0")
    assert _comments(parts) == [
        (
            "0", AUTHOR, "CK", DATE,
            f"Beyond the walk-away (untracked). {INCIDENT_NOTICE} A vendor notice later than 72 "
            "hours makes the customer's GDPR deadline impossible to meet. Response: reject; "
            "restore the text as drafted.",
        )
    ]  # fmt: skip


def test_a_markup_without_comments_gets_the_comments_part_registered(
    bundle: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(bundle / "msa.docx") as drafted:
        assert "word/comments.xml" not in drafted.namelist()
    m = WordMarkup(bundle / "msa.docx")
    m.untracked("after becoming aware of it", "twenty-four (24) hours", "forty-eight (48) hours")
    _, parts = _respond(m, tmp_path / "msa-vendor.docx", bundle)
    types = etree.fromstring(parts["[Content_Types].xml"])
    overrides = {o.get("PartName"): o.get("ContentType") for o in types}
    assert overrides["/word/comments.xml"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
    )
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    comments = [
        (r.get("Id"), r.get("Target"))
        for r in rels
        if r.get("Type")
        == "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
    ]
    assert comments == [("rIdCk1", "comments.xml")]
    assert [c[4] for c in _comments(parts)] == [
        f"Within a fallback (untracked). {INCIDENT_NOTICE} Fallback: up-to-forty-eight-hours. "
        "Forty-eight hours still leaves a day to assess and notify a regulator within 72 hours. "
        "Response: accept."
    ]


def test_a_tracked_paragraph_beyond_the_walk_away_is_undone_and_a_fallback_kept(
    bundle: Path, tmp_path: Path
) -> None:
    m = WordMarkup(bundle / "msa.docx")
    m.replace("Within ten (10) days after discovering", "ten (10) days", "fifteen (15) days")
    m.insert_paragraph(
        m.paragraph("may terminate this Agreement for convenience"),
        "Acme shall pay a termination fee equal to three months of Fees.",
    )
    review, parts = _respond(m, tmp_path / "msa-vendor.docx", bundle)
    assert [(j.change.kind, j.verdict.classification) for j in review.judgements] == [
        ("replacement", "fallback"),
        ("insertion", "beyond_walk_away"),
    ]
    body = etree.fromstring(parts["word/document.xml"])
    assert "termination fee equal to" not in _text(body)
    kept = _paragraph(parts, "fifteen (15) days after discovering")
    assert [(e.get(w("author")), _text(e)) for e in kept.iter(w("ins"))] == [
        ("Vendor Counsel", "fifteen (15) days")
    ]
    assert _anchor_ids(kept) == ("0", "0", "0")
    undone = next(
        p
        for p in body.iter(w("p"))
        if p.find(f"{w('commentRangeStart')}[@{w('id')}='1']") is not None
    )
    assert _text(undone) == ""
    assert list(undone.iter(w("ins"))) == []
    assert _anchor_ids(undone) == ("1", "1", "1")
    assert [c[4] for c in _comments(parts)] == [
        f"Within a fallback (replacement). {BREACH_REPORT} Fallback: up-to-fifteen-days. "
        "Fifteen days still allows notices under most state breach laws. Response: accept.",
        "Beyond the walk-away (insertion). Point termination-convenience-notice: Notice the "
        "customer gives to terminate for convenience. A notice beyond four months, or any "
        "termination fee, locks the customer in and defeats the purpose of the right. "
        "Response: reject; restore the text as drafted.",
    ]


def test_only_the_vendors_revisions_beyond_the_walk_away_are_undone(
    bundle: Path, tmp_path: Path
) -> None:
    m = WordMarkup(bundle / "msa.docx")
    report = "Within ten (10) days after discovering"
    m.replace(report, "supplement", "Supplement")
    for revision in m.paragraph(report).iter(w("ins"), w("del")):
        revision.set(w("author"), "Acme Legal")
    m.replace(report, "ten (10) days", "sixty (60) days")
    review, parts = _respond(m, tmp_path / "msa-vendor.docx", bundle)
    assert [
        (j.change.author, j.change.old, j.change.new, j.verdict.classification)
        for j in review.judgements
    ] == [
        ("Vendor Counsel", "ten (10) days", "sixty (60) days", "beyond_walk_away"),
        ("Acme Legal", "supplement", "Supplement", "cosmetic"),
    ]
    p = _paragraph(parts, "after discovering a Security Incident")
    assert "".join(t.text or "" for t in p.iter(w("t"))).startswith(
        "Within ten (10) days after discovering"
    )
    assert "sixty" not in _text(p)
    assert [(e.tag, e.get(w("author")), _text(e)) for e in p.iter(w("ins"), w("del"))] == [
        (w("del"), "Acme Legal", "supplement"),
        (w("ins"), "Acme Legal", "Supplement"),
    ]
    assert [c[4] for c in _comments(parts)] == [
        f"Beyond the walk-away (replacement). {BREACH_REPORT} A report later than thirty days "
        "arrives after many statutory notice deadlines have passed. Response: reject; restore "
        "the text as drafted.",
        "Cosmetic (replacement). Response: accept.",
    ]


def test_an_untracked_deletion_is_commented_on_the_last_paragraph_of_its_clause(
    bundle: Path, tmp_path: Path
) -> None:
    m = WordMarkup(bundle / "msa.docx")
    gone = m.paragraph("Within ten (10) days after discovering")
    drafted = "".join(t.text or "" for t in gone.iter(w("t")))
    gone.getparent().remove(gone)
    review, parts = _respond(m, tmp_path / "msa-vendor.docx", bundle)
    assert [(j.change.kind, j.change.label.clause) for j in review.judgements] == [
        ("untracked", "msa.security_incidents")
    ]
    last = _paragraph(parts, "Nimbus shall immediately take all reasonable steps")
    assert _anchor_ids(last) == ("0", "0", "0")
    assert drafted not in _text(etree.fromstring(parts["word/document.xml"]))
    assert [c[4] for c in _comments(parts)] == [
        f"Not in the playbook (untracked). {BREACH_REPORT} The full report feeds the customer's "
        "notices to regulators and individuals; it must arrive while those notices are still "
        f"due. Response: counter with: “{drafted}”"
    ]


def test_changes_outside_every_point_are_commented_without_point_or_rationale(
    bundle: Path, tmp_path: Path
) -> None:
    m = WordMarkup(bundle / "msa.docx")
    m.untracked("The following provisions survive", "with any other", "with no other")
    survival = "".join(
        t.text or "" for t in m.paragraph("The following provisions survive").iter(w("t"))
    )
    bare = etree.Element(w("p"))
    etree.SubElement(
        etree.SubElement(bare, w("r")), w("t")
    ).text = "Nimbus may subcontract the Services to any of its Affiliates."
    m.paragraph("Within ten (10) days after discovering").addnext(bare)
    _, parts = _respond(m, tmp_path / "msa-vendor.docx", bundle)
    added = _paragraph(parts, "Nimbus may subcontract the Services")
    assert added[0].tag == w("commentRangeStart")
    assert _anchor_ids(added) == ("0", "0", "0")
    assert _anchor_ids(_paragraph(parts, "The following provisions survive")) == ("1", "1", "1")
    drafted = survival.replace("with no other", "with any other").replace("\u00a0", " ")
    assert [c[4] for c in _comments(parts)] == [
        "Not in the playbook (untracked). Response: counter.",
        f"Not in the playbook (untracked). Response: counter with: “{drafted}”",
    ]


def test_a_clause_deleted_whole_without_tracking_is_commented_where_it_stood(
    bundle: Path, tmp_path: Path
) -> None:
    m = WordMarkup(bundle / "msa.docx")
    heading = next(p for p in m.root.iter(w("p")) if _text(p).strip() == "Insurance")
    body = heading.getparent()
    start = list(body).index(heading)
    removed = [heading]
    for p in list(body)[start + 1 :]:
        if p.tag != w("p") or p.find(f".//{w('bookmarkStart')}") is not None:
            break
        removed.append(p)
    before = body[start - 1]
    for p in removed:
        body.remove(p)
    review, parts = _respond(m, tmp_path / "msa-vendor.docx", bundle)
    kinds = {(j.change.kind, j.change.label.clause) for j in review.judgements}
    assert kinds == {("untracked", "msa.insurance")}
    comments = _comments(parts)
    assert len(comments) == len(review.judgements) >= 1
    document = etree.fromstring(parts["word/document.xml"])
    anchored = [
        p for p in document.iter(w("p")) if p.find(f".//{w('commentRangeStart')}") is not None
    ]
    assert [_text(p) for p in anchored] == [_text(before)]
