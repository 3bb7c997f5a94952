"""Redlines: every change as a Word tracked change; accept all gives the new build, reject all the old.

Each scenario builds two trees, writes the redline DOCX, applies accept-all and reject-all to its
XML and compares the text, paragraph by paragraph (with style and list), with the DOCX rendered
normally from each tree.
"""

from __future__ import annotations

import copy
import io
import json
import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from contractkit.assemble import assemble
from contractkit.library import ClausePosition, load_library
from contractkit.loader import load_spec
from contractkit.redline import treejson
from contractkit.redline.diff import compare
from contractkit.redline.docx import render_redline_docx
from contractkit.redline.model import BuildInfo, Comparison, Para, Redline, TableEdit
from contractkit.render.docx import render_docx
from contractkit.resources import data_dir, recorded_source
from contractkit.tree import DocumentTree

from conftest import REFERENCE, WriteSpec
from helpers import CLAUSES, OUTLINES, spec_for, write_tree

TEMPLATE = data_dir("templates") / "agreement.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PARTS = ("word/document.xml", "word/header1.xml")
SUBPROCESSORS = (
    "  subprocessors:\n"
    "    - {name: CloudVault Storage Inc., location: US, purpose: encrypted storage of task data}\n"
)
WORKLOAD = """  - id: chest-xray
    name: Chest X-ray triage
    modality: image
    data_categories: [phi]
    residency: offshore_permitted
    critical: false
    volume_per_month: 8000
    unit: image
    turnaround_hours: 12
    pricing: {model: per_task, rate: 0.40}
    quality:
      accuracy_target: 0.97
      agreement: {metric: cohen_kappa, threshold: 0.80}
      qa_layers: [peer_review]
      audit_sample_rate: 0.05
    sop: {title: Chest X-ray SOP, version: "1.0", owner: customer, repository: customer}
    ground_truth: {name: X-ray gold set, items: 300, owner: customer}

staffing:"""


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


# --- accept all / reject all, as Word does them -------------------------------------------------


def resolve(xml: bytes, accept: bool) -> Any:
    """The XML with every tracked change accepted (or rejected).

    Accepting drops deleted text, deleted rows and paragraphs whose mark was deleted (their
    remaining content joins the next paragraph) and keeps inserted content; rejecting does the
    reverse and turns deleted text back into text.
    """
    root = etree.fromstring(xml)
    keep, drop = ("ins", "del") if accept else ("del", "ins")
    for row in list(root.iter(_w("tr"))):
        props = row.find(_w("trPr"))
        if props is not None and props.find(_w(drop)) is not None:
            row.getparent().remove(row)
        for mark in [] if props is None else props.findall(_w(keep)):
            props.remove(mark)
    joined = []
    for paragraph in root.iter(_w("p")):
        marks = paragraph.find(f"{_w('pPr')}/{_w('rPr')}")
        if marks is None:
            continue
        if marks.find(_w(drop)) is not None:
            joined.append(paragraph)
        for mark in [*marks.findall(_w(keep)), *marks.findall(_w(drop))]:
            marks.remove(mark)
    for element in list(root.iter(_w(drop))):
        element.getparent().remove(element)
    for element in list(root.iter(_w(keep))):
        parent = element.getparent()
        index = parent.index(element)
        for child in reversed(list(element)):
            parent.insert(index, child)
        parent.remove(element)
    if not accept:
        for element in root.iter(_w("delText")):
            element.tag = _w("t")
        for element in root.iter(_w("delInstrText")):
            element.tag = _w("instrText")
    for paragraph in joined:
        content = [c for c in paragraph if c.tag != _w("pPr")]
        following = paragraph.getnext()
        if content and following is not None and following.tag == _w("p"):
            at = 0 if following.find(_w("pPr")) is None else 1
            for child in reversed(content):
                following.insert(at, child)
            content = []
        if not content:
            paragraph.getparent().remove(paragraph)
    for table in list(root.iter(_w("tbl"))):
        if table.find(_w("tr")) is None:
            table.getparent().remove(table)
    return root


def paragraphs(root: Any, fields_as_codes: bool = False) -> list[tuple[str, str, str]]:
    """Each paragraph's style, list (numbered by first use) and level, and text.

    With ``fields_as_codes`` a field prints as its code (``{REF _Ref… \\r \\h}``): what Word shows
    once fields are updated, since a reference's cached number is only a cache.
    """
    out = []
    lists: dict[str, int] = {}
    for paragraph in root.iter(_w("p")):
        style = paragraph.find(f"{_w('pPr')}/{_w('pStyle')}")
        num = paragraph.find(f"{_w('pPr')}/{_w('numPr')}/{_w('numId')}")
        level = paragraph.find(f"{_w('pPr')}/{_w('numPr')}/{_w('ilvl')}")
        listed = ""
        if num is not None and level is not None:
            listed = f"{lists.setdefault(num.get(_w('val')), len(lists))}.{level.get(_w('val'))}"
        text: list[str] = []
        mode, code = "", ""
        for element in paragraph.iter(_w("t"), _w("instrText"), _w("fldChar")):
            if element.tag == _w("fldChar"):
                kind = element.get(_w("fldCharType"))
                if kind == "begin":
                    mode, code = "code", ""
                elif kind == "separate":
                    mode = "result"
                    if fields_as_codes:
                        text.append("{" + code.strip() + "}")
                else:
                    mode = ""
            elif element.tag == _w("instrText"):
                code += element.text or ""
            elif not (fields_as_codes and mode == "result"):
                text.append(element.text or "")
        out.append((style.get(_w("val")) if style is not None else "", listed, "".join(text)))
    return out


def part(docx: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(docx)).read(name)


def assert_accept_and_reject(redline: Redline) -> bytes:
    """Accept all gives exactly the new DOCX's text; reject all the old one's, fields updated."""
    data = render_redline_docx(redline, TEMPLATE)
    for accept, tree in ((True, redline.new), (False, redline.old)):
        normal = render_docx(tree, TEMPLATE)
        for name in PARTS:
            got = paragraphs(resolve(part(data, name), accept), fields_as_codes=True)
            want = paragraphs(etree.fromstring(part(normal, name)), fields_as_codes=True)
            assert got == want, (redline.new.key, "accept" if accept else "reject", name)
        if accept:
            exact = paragraphs(resolve(part(data, PARTS[0]), True))
            assert exact == paragraphs(etree.fromstring(part(normal, PARTS[0])))
    return data


# --- building the trees --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference() -> dict[str, DocumentTree]:
    return {t.key: t for t in assemble(load_spec(REFERENCE).spec, load_library())}


def trees(spec: Path, *overlays: Path) -> dict[str, DocumentTree]:
    return {t.key: t for t in assemble(load_spec(spec).spec, load_library(list(overlays)))}


def redlines(old: dict[str, DocumentTree], new: dict[str, DocumentTree]) -> dict[str, Redline]:
    """The redline of every document both builds produce that changed."""
    found = {key: compare(old[key], new[key]) for key in new if key in old}
    return {key: r for key, r in found.items() if r.changed}


def changed_words(redline: Redline) -> list[tuple[str, str]]:
    """Every inserted or deleted piece's change and text, in order."""
    pieces = []
    for entry in [*redline.front, *redline.body, *redline.schedules]:
        if isinstance(entry, Para):
            pieces += entry.pieces
        else:
            pieces += [p for row in entry.rows for cell in row.cells for p in cell]
    return [(p.op, p.run.text) for p in pieces if p.op != "equal"]


def summary(redline: Redline) -> list[tuple[str, str, int, int]]:
    return [(c.clause, c.change, c.insertions, c.deletions) for c in redline.changes]


# --- scenarios -----------------------------------------------------------------------------------


def test_one_value_changes_exactly_the_documents_and_words_that_print_it(
    reference: dict[str, DocumentTree], write_spec: WriteSpec
) -> None:
    spec = write_spec([("breach_notice_days: 10 ", "breach_notice_days: 5 ")])
    found = redlines(reference, trees(spec))
    assert sorted(found) == ["baa", "dpa", "msa"]
    expected = [("delete", "ten"), ("insert", "five"), ("delete", "10"), ("insert", "5")]
    for redline in found.values():
        assert changed_words(redline) == expected
        assert [c.change for c in redline.changes] == ["changed"]
        assert (redline.insertions, redline.deletions) == (2, 2)
        assert_accept_and_reject(redline)
    assert found["msa"].changes[0].clause == "msa.security_incidents"
    assert (
        found["msa"].changes[0].section == reference["msa"].clause("msa.security_incidents").number
    )  # type: ignore[union-attr]


def test_adding_a_workload_adds_a_table_row_and_words(
    reference: dict[str, DocumentTree], write_spec: WriteSpec
) -> None:
    spec = write_spec([("\nstaffing:", "\n" + WORKLOAD)])
    found = redlines(reference, trees(spec))
    assert "msa" in found
    for redline in found.values():
        assert all(c.change == "changed" and c.insertions > 0 for c in redline.changes)
        assert_accept_and_reject(redline)
    msa = found["msa"]
    inserted_rows = [
        [" ".join(p.run.text for p in cell) for cell in row.cells]
        for entry in msa.schedules
        if isinstance(entry, TableEdit)
        for row in entry.rows
        if row.op == "insert"
    ]
    assert any("Chest X-ray triage" in cells[0] for cells in inserted_rows)
    assert ("insert", "Chest X-ray triage") in [
        (op, text.strip()) for op, text in changed_words(msa)
    ]


def test_removing_the_sub_processor_deletes_its_row_and_list_item(
    reference: dict[str, DocumentTree], write_spec: WriteSpec
) -> None:
    spec = write_spec([(SUBPROCESSORS, "  subprocessors: []\n")])
    found = redlines(reference, trees(spec))
    assert {"msa", "dpa"} <= set(found)
    for redline in found.values():
        deleted = "".join(text for op, text in changed_words(redline) if op == "delete")
        inserted = "".join(text for op, text in changed_words(redline) if op == "insert")
        assert "CloudVault Storage Inc." in deleted and "CloudVault" not in inserted
        data = assert_accept_and_reject(redline)
        if any(isinstance(e, TableEdit) and e.op != "equal" for e in redline.body):
            assert re.search(
                rb"<w:trPr>(<w:tblHeader/>)?<w:cantSplit/><w:del ", part(data, PARTS[0])
            )


@pytest.mark.parametrize(
    ("before", "after"),
    [("balanced", "customer_favourable"), ("customer_favourable", "balanced")],
)
def test_switching_position_redlines_the_position_clauses_both_ways(
    write_spec: WriteSpec, tmp_path: Path, before: str, after: str
) -> None:
    position = "position: balanced "
    old = trees(write_spec([(position, f"position: {before} ")], name="old.yaml"))
    new = trees(write_spec([(position, f"position: {after} ")], name="new.yaml"))
    found = redlines(old, new)
    for redline in found.values():
        assert all(c.change == "changed" for c in redline.changes)
        assert_accept_and_reject(redline)
    msa = found["msa"]
    switched = [
        clause.id
        for clause in msa.new.clauses()
        if (before := msa.old.clause(clause.id)) is not None
        and before.position != clause.position
        and before.blocks != clause.blocks
    ]
    assert switched
    assert set(switched) <= {c.clause for c in msa.changes}


def test_a_library_overlay_rewriting_one_clause_shows_only_that_change(
    reference: dict[str, DocumentTree], tmp_path: Path
) -> None:
    clause = load_library().clauses[("msa.security_incidents", ClausePosition.any)]
    head = clause.text[: len(clause.text) - len(clause.body)]
    assert " shall " in clause.body
    overlay = write_tree(
        tmp_path / "firm", {"msa/incidents.md": head + clause.body.replace(" shall ", " must ", 1)}
    )
    found = redlines(reference, trees(REFERENCE, overlay))
    assert list(found) == ["msa"]
    assert summary(found["msa"]) == [("msa.security_incidents", "changed", 1, 1)]
    assert changed_words(found["msa"]) == [("delete", "shall"), ("insert", "must")]
    assert_accept_and_reject(found["msa"])


# --- what is and is not a change -----------------------------------------------------------------


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "lib", {**OUTLINES, **CLAUSES})


def mini_trees(library: Path, *overlays: Path) -> dict[str, DocumentTree]:
    loaded = load_library([*overlays, library], builtin=False)
    return {t.key: t for t in assemble(spec_for(), loaded)}


def test_renumbering_alone_is_not_a_change(mini: Path, tmp_path: Path) -> None:
    overlay = write_tree(
        tmp_path / "firm",
        {
            "audit.md": """
                ---
                id: msa.audit
                document: msa
                title: Audit
                version: 1.0.0
                after: msa.services
                ---
                Audit text referring to {{ ref('msa.quality') }}.
                """
        },
    )
    old, new = mini_trees(mini)["msa"], mini_trees(mini, overlay)["msa"]
    assert old.clause("msa.quality").number == "2.2"  # type: ignore[union-attr]
    assert new.clause("msa.quality").number == "2.3"  # type: ignore[union-attr]
    redline = compare(old, new)
    assert summary(redline) == [("msa.audit", "added", 7, 0)]
    assert [c.section for c in redline.changes] == ["2.2"]
    data = assert_accept_and_reject(redline)
    xml = part(data, PARTS[0]).decode()
    services = re.search(r"shall perform the .*?</w:p>", xml)
    assert services is not None and "<w:ins " not in services.group()
    assert "2.3" in services.group()


def test_a_clause_moved_to_another_article_is_removed_and_added(mini: Path, tmp_path: Path) -> None:
    outline = (
        OUTLINES["msa/_outline.yaml"]
        .replace("clauses: [msa.services, msa.quality]", "clauses: [msa.services]")
        .replace(
            "clauses: [msa.termination, msa.phi_only]", "clauses: [msa.termination, msa.quality]"
        )
    )
    overlay = write_tree(tmp_path / "firm", {"msa/_outline.yaml": outline})
    redline = compare(mini_trees(mini)["msa"], mini_trees(mini, overlay)["msa"])
    assert [(c.clause, c.change) for c in redline.changes] == [
        ("msa.quality", "removed"),
        ("msa.quality", "added"),
    ]
    data = assert_accept_and_reject(redline)
    names = re.findall(rb'w:bookmarkStart w:id="\d+" w:name="(\w+)"', part(data, PARTS[0]))
    assert len(names) == len(set(names))


def test_identical_trees_give_no_change(reference: dict[str, DocumentTree]) -> None:
    for tree in reference.values():
        redline = compare(tree, tree)
        assert not redline.changed and redline.changes == []
        assert all(e.op == "equal" for e in [*redline.front, *redline.body, *redline.schedules])


def test_revisions_carry_author_date_and_unique_ids(
    reference: dict[str, DocumentTree], write_spec: WriteSpec
) -> None:
    spec = write_spec([(SUBPROCESSORS, "  subprocessors: []\n")])
    redline = redlines(reference, trees(spec))["msa"]
    data = render_redline_docx(redline, TEMPLATE)
    assert data == render_redline_docx(redline, TEMPLATE)
    root = etree.fromstring(part(data, PARTS[0]))
    revisions = [*root.iter(_w("ins")), *root.iter(_w("del"))]
    assert len(revisions) >= 4
    assert {r.get(_w("author")) for r in revisions} == {"contractkit"}
    # Dated by SOURCE_DATE_EPOCH only; an undated build's revisions carry no date.
    assert {r.get(_w("date")) for r in revisions} == {redline.new.metadata["timestamp"] or None}
    ids = [e.get(_w("id")) for e in root.iter(_w("ins"), _w("del"), _w("bookmarkStart"))]
    assert max(Counter(ids).values()) == 1
    assert b"<w:delText" in part(data, PARTS[0])


def test_a_fork_changes_header_front_and_signatures_as_tracked_changes(
    reference: dict[str, DocumentTree], write_spec: WriteSpec
) -> None:
    spec = write_spec(
        [
            ("legal_name: Acme Health AI, Inc.", "legal_name: Zenith Health AI, Inc."),
            ("{name: Dana Whitfield,", "{name: Lee Park,"),
            ("title: Medical imaging and clinical text", "title: Radiology and clinical text"),
        ]
    )
    found = redlines(reference, trees(spec))
    assert set(found) == set(reference)
    for redline in found.values():
        clauses = [c.clause for c in redline.changes]
        assert {"header", "front", "signatures"} <= set(clauses)
        data = assert_accept_and_reject(redline)
        header = part(data, PARTS[1]).decode()
        assert '<w:delText xml:space="preserve">Medical imaging</w:delText>' in header


# --- the summary and the stored tree -------------------------------------------------------------


def test_json_summary_lists_each_changed_clause(
    reference: dict[str, DocumentTree], write_spec: WriteSpec
) -> None:
    spec = write_spec([("breach_notice_days: 10 ", "breach_notice_days: 5 ")])
    found = redlines(reference, trees(spec))
    rows = [c.to_json() for r in found.values() for c in r.changes]
    assert json.loads(json.dumps(rows)) == [
        {
            "document": key,
            "clause": found[key].changes[0].clause,
            "section": found[key].changes[0].section,
            "change": "changed",
            "insertions": 2,
            "deletions": 2,
        }
        for key in found
    ]


def test_stored_tree_round_trips_exactly_and_reproducibly(
    reference: dict[str, DocumentTree],
) -> None:
    for tree in reference.values():
        data = treejson.dump(tree)
        recorded = copy.deepcopy(tree)
        for part in (*recorded.clauses(), *recorded.notes):
            assert part.source.startswith("/")
            part.source = recorded_source(part.source)
        assert treejson.load(data) == recorded
        assert treejson.dump(treejson.load(data)) == data
        assert json.loads(data)["contractkit_tree"] == 1


def test_stored_tree_has_a_line_per_field_and_per_article(
    reference: dict[str, DocumentTree],
) -> None:
    tree = copy.deepcopy(reference["msa"])
    before = treejson.dump(tree).decode("utf-8").splitlines()
    assert before[0] == "{" and before[-1] == "}"
    assert sum(line.startswith('{"anchor":') for line in before) == len(tree.articles) + len(
        tree.schedules
    )
    assert '"key":"msa",' in before
    tree.articles[-1].clauses[0].title = "Renamed"
    after = treejson.dump(tree).decode("utf-8").splitlines()
    changed = [n for n, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(changed) == 1 and '"title":"Renamed"' in after[changed[0]]


def test_stored_tree_of_another_version_is_refused(reference: dict[str, DocumentTree]) -> None:
    raw = json.loads(treejson.dump(reference["nda"]))
    raw["contractkit_tree"] = 2
    with pytest.raises(treejson.TreeFormatError, match=r"nda\.json: stored tree format 2 is not"):
        treejson.load(json.dumps(raw).encode(), "internal/trees/nda.json")
    with pytest.raises(treejson.TreeFormatError, match="not a stored contractkit tree"):
        treejson.load(b"[1, 2]", "x.json")
    with pytest.raises(treejson.TreeFormatError, match="stored tree is damaged"):
        treejson.load(b'{"contractkit_tree": 1, "key": "nda"}', "x.json")


def test_pdf_redline_says_what_was_compared_and_marks_changes(mini: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from contractkit.redline.pdf import render_redline_pdf

    overlay = write_tree(
        tmp_path / "firm",
        {
            "msa/quality.md": "---\nid: msa.quality\ndocument: msa\ntitle: Quality\nversion: 1.1.0"
            "\n---\nQuality is measured weekly under {{ ref('nda.obligations') }}.\n"
        },
    )
    redline = compare(mini_trees(mini)["msa"], mini_trees(mini, overlay)["msa"])
    comparison = Comparison(
        BuildInfo("as-sent", "a" * 64, "2027-01-04T00:00:00Z"),
        BuildInfo("today", "b" * 64, "2027-02-01T00:00:00Z"),
        ("msa.docx",),
    )
    data = render_redline_pdf(redline, comparison, TEMPLATE.parent / "print.css")
    assert data == render_redline_pdf(redline, comparison, TEMPLATE.parent / "print.css")
    reader = PdfReader(io.BytesIO(data))
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Redline: Master Services Agreement" in first
    assert "as-sent" in first and "today" in first and "2027-02-01T00:00:00Z" in first
    assert "a" * 32 in first.replace(" ", "")
    assert "Edited by hand since it was built: msa.docx" in first
    assert "2.2 Quality (msa.quality) changed: 1 word (1 inserted, 0 deleted)" in first
    rest = " ".join(" ".join(p.extract_text().split()) for p in reader.pages[1:])
    assert "Quality is measured weekly under" in rest
    assert "[…] 2.2 Quality" in rest and "shall perform the" not in rest


def test_words_whitespace_and_each_punctuation_mark_are_tokens() -> None:
    from contractkit.redline.diff import word_diff
    from contractkit.tree import Run

    pieces = word_diff([Run("within ten (10) days.")], [Run("within five (5) days;")])
    assert [(p.op, p.run.text) for p in pieces] == [
        ("equal", "within "),
        ("delete", "ten"),
        ("insert", "five"),
        ("equal", " ("),
        ("delete", "10"),
        ("insert", "5"),
        ("equal", ") days"),
        ("delete", "."),
        ("insert", ";"),
    ]
    rewritten = word_diff(
        [Run("Acme may audit once a year.")], [Run("Nimbus shall report weekly.")]
    )
    assert [(p.op, p.run.text) for p in rewritten] == [
        ("delete", "Acme may audit once a year"),
        ("insert", "Nimbus shall report weekly"),
        ("equal", "."),
    ]
    field = Run("2.3", kind="ref", anchor="_Ref1")
    moved = word_diff([Run("see "), Run("2.2", kind="ref", anchor="_Ref1")], [Run("see "), field])
    assert [(p.op, p.run.text) for p in moved] == [("equal", "see "), ("equal", "2.3")]
