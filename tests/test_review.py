"""``contractkit review``: a vendor's Word markup of the MSA read back, every change placed in
its clause and judged against the playbook, and the response DOCX."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from contractkit.cli import main
from contractkit.playbook.review import review_markup
from tests.wordmarkup import WordMarkup

from helpers import review_json

ROOT = Path(__file__).resolve().parent.parent
CAP = "[COUNSEL: general liability cap amount or formula]"


def _rows(markup_bundle: Path, markup: Path) -> list[dict[str, object]]:
    return [j.to_json() for j in review_markup(markup, markup_bundle).judgements]


def test_word_markup_every_change_placed_and_judged(markup_bundle: Path, tmp_path: Path) -> None:
    m = WordMarkup(markup_bundle / "msa.docx")
    m.replace("total liability arising out of", CAP, "the Fees paid in the three (3) months")
    m.untracked("after becoming aware of it", "twenty-four (24) hours", "forty-eight (48) hours")
    m.comment("Within ten (10) days after discovering", "We need thirty (30) days.")
    m.replace("Within ten (10) days after discovering", "ten (10) days", "fifteen (15) days")
    m.delete_paragraph(m.paragraph("a party’s liability for fraud, gross negligence"))
    markup = m.save(tmp_path / "msa-vendor.docx")
    result = CliRunner().invoke(
        main,
        [
            "review",
            str(markup),
            "--bundle",
            str(markup_bundle),
            "--json",
            "-o",
            str(tmp_path / "r"),
        ],
    )
    assert result.exit_code == 3, result.output
    data = json.loads(result.stdout)
    assert data["document"] == "msa"
    assert data["bundle"] == "acme-nimbus-2027"
    got = [(c["kind"], c["clause"], c["classification"], c["point"]) for c in data["changes"]]
    assert got == [
        ("untracked", "msa.security_incidents", "fallback", "incident-notice-hours"),
        ("replacement", "msa.security_incidents", "fallback", "breach-report-days"),
        ("comment", "msa.security_incidents", "not_in_playbook", "breach-report-days"),
        ("replacement", "msa.liability_cap", "beyond_walk_away", "liability-cap-amount"),
        ("deletion", "msa.liability_cap", "beyond_walk_away", "liability-carve-outs"),
    ]
    first = data["changes"][0]
    assert (first["old"], first["new"], first["section"]) == (
        "twenty-four (24)", "forty-eight (48)", "5.3"
    )  # fmt: skip
    assert data["changes"][1]["author"] == "Vendor Counsel"
    assert data["changes"][1]["fallback"] == "up-to-fifteen-days"
    assert data["changes"][3]["response"] == "reject"
    assert data["summary"] == {
        "changes": 5, "fallback": 2, "beyond_walk_away": 2, "not_in_playbook": 1,
        "cosmetic": 0, "untracked": 1,
    }  # fmt: skip
    response = tmp_path / "r" / "msa-vendor.response.docx"
    with zipfile.ZipFile(response) as archive:
        comments = archive.read("word/comments.xml").decode()
        body = archive.read("word/document.xml").decode()
    assert comments.count("Customer counsel (contractkit)") == 5
    assert "Beyond the walk-away (replacement)." in comments
    assert "three (3) months" not in body
    assert "fraud, gross negligence" in body


def test_structure_edits_map_to_their_clause(markup_bundle: Path, tmp_path: Path) -> None:
    m = WordMarkup(markup_bundle / "msa.docx")
    m.insert_paragraph(m.paragraph("Neither the exclusion in the first paragraph"), "New text.")
    m.replace("Termination for Convenience", "Convenience", "Any Reason")
    moved = m.paragraph("No other termination fee is payable")
    m.move_paragraph(moved, m.paragraph("may terminate this Agreement for convenience"))
    title = m.paragraph("Force Majeure")
    m.delete_paragraph(title)
    for p in list(title.itersiblings())[:1]:
        m.delete_paragraph(p)
    rows = _rows(markup_bundle, m.save(tmp_path / "m.docx"))
    got = [(r["kind"], r["clause"]) for r in rows]
    assert ("insertion", "msa.liability_cap") in got
    assert ("replacement", "msa.termination") in got
    assert ("move", "msa.termination") in got
    assert ("deletion", "msa.force_majeure") in got
    assert len([g for g in got if g == ("deletion", "msa.force_majeure")]) == 1


def test_cosmetic_change_exits_zero(markup_bundle: Path, tmp_path: Path) -> None:
    m = WordMarkup(markup_bundle / "msa.docx")
    m.replace("Within ten (10) days after discovering", "Security Incident,", "security incident ,")
    markup = m.save(tmp_path / "c.docx")
    result = CliRunner().invoke(
        main, ["review", str(markup), "--bundle", str(markup_bundle), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert [c["classification"] for c in json.loads(result.stdout)["changes"]] == ["cosmetic"]


def test_not_a_bundle_document_exits_one(markup_bundle: Path, tmp_path: Path) -> None:
    text = tmp_path / "notes.docx"
    text.write_text("plain text")
    result = CliRunner().invoke(main, ["review", str(text), "--bundle", str(markup_bundle)])
    assert result.exit_code == 1
    assert "not a DOCX file" in result.stderr
    other = tmp_path / "other.docx"
    with (
        zipfile.ZipFile(markup_bundle / "msa.docx") as source,
        zipfile.ZipFile(other, "w") as target,
    ):
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                start = data.index(b"<w:body>") + len(b"<w:body>")
                data = data[:start] + data[data.index(b"<w:sectPr", start) :]
            target.writestr(name, data)
    result = CliRunner().invoke(main, ["review", str(other), "--bundle", str(markup_bundle)])
    assert result.exit_code == 1
    assert "not one of the bundle's documents" in result.stderr


@pytest.mark.slow
def test_mapping_survives_a_libreoffice_resave(markup_bundle: Path, tmp_path: Path) -> None:
    m = WordMarkup(markup_bundle / "msa.docx")
    m.replace("Within ten (10) days after discovering", "ten (10) days", "forty-five (45) days")
    m.untracked("after becoming aware of it", "twenty-four (24) hours", "ninety-six (96) hours")
    (tmp_path / "src").mkdir()
    source = m.save(tmp_path / "src" / "msa.docx")
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "docx", "--outdir", str(tmp_path / "lo"), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    rows = _rows(markup_bundle, tmp_path / "lo" / "msa.docx")
    judged = {(r["kind"], r["clause"], r["classification"]) for r in rows}
    assert ("replacement", "msa.security_incidents", "beyond_walk_away") in judged
    assert ("untracked", "msa.security_incidents", "beyond_walk_away") in judged


def test_vendor_markup_of_the_dpa(markup_bundle: Path, tmp_path: Path) -> None:
    m = WordMarkup(markup_bundle / "dpa.docx")
    m.replace("shall deliver a full written report within", "ten (10) days", "fifteen (15) days")
    m.replace(
        "Nimbus shall complete the deletion within", "thirty (30) days", "two hundred (200) days"
    )
    m.comment("shall allow for and contribute to audits", "Audits at most once a year, please.")
    m.untracked(
        "Nimbus shall not use Customer Data, Work Product",
        "train, fine-tune, evaluate, benchmark",
        "fine-tune",
    )
    code, data = review_json(markup_bundle, m.save(tmp_path / "dpa-vendor.docx"))
    assert code == 3
    assert data["document"] == "dpa"
    got = [
        (c["kind"], c["clause"], c["section"], c["classification"], c["point"], c["response"])
        for c in data["changes"]
    ]
    assert got == [
        ("untracked", "dpa.no_training", "3.3", "not_in_playbook", None, "counter"),
        ("replacement", "dpa.incidents", "3.7", "fallback", "breach-report-days", "accept"),
        ("comment", "dpa.audit", "3.9", "not_in_playbook", "audit-rights", "counter"),
        ("replacement", "dpa.return_deletion", "6.1", "beyond_walk_away", "data-deletion-days", "reject"),
    ]  # fmt: skip
    assert data["changes"][1]["fallback"] == "up-to-fifteen-days"
    assert (data["changes"][3]["old"], data["changes"][3]["new"]) == (
        "thirty (30) days", "two hundred (200) days"
    )  # fmt: skip
    assert data["changes"][2]["new"] == "Audits at most once a year, please."
    assert data["summary"] == {
        "changes": 4, "fallback": 1, "beyond_walk_away": 1, "not_in_playbook": 2,
        "cosmetic": 0, "untracked": 1,
    }  # fmt: skip


def test_vendor_markup_of_the_nda(markup_bundle: Path, tmp_path: Path) -> None:
    m = WordMarkup(markup_bundle / "nda.docx")
    m.replace("Residuals never include", "edge-case rulings, ", "")
    m.insert_text("The Receiving Party may use the general ideas", " may use", " for any purpose")
    m.comment(
        "On the Disclosing Party’s written request", "Certificate by a manager, not an officer."
    )
    m.untracked("“Affiliate” means", "fifty percent (50%)", "twenty-five percent (25%)")
    code, data = review_json(markup_bundle, m.save(tmp_path / "nda-vendor.docx"))
    assert code == 3
    assert data["document"] == "nda"
    got = [
        (c["kind"], c["clause"], c["section"], c["classification"], c["point"], c["response"])
        for c in data["changes"]
    ]
    assert got == [
        ("untracked", "nda.definitions", "1", "not_in_playbook", None, "counter"),
        ("comment", "nda.return", "3.2", "not_in_playbook", None, "counter"),
        ("insertion", "nda.residuals", "4.2", "beyond_walk_away", "residuals", "reject"),
        ("deletion", "nda.residuals", "4.2", "fallback", "residuals", "accept"),
    ]  # fmt: skip
    assert (data["changes"][0]["old"], data["changes"][0]["new"]) == (
        "fifty percent (50%)", "twenty-five percent (25%)"
    )  # fmt: skip
    assert data["changes"][2]["new"] == " for any purpose"
    assert data["changes"][3]["fallback"] == "narrow-residuals"
    assert data["summary"] == {
        "changes": 4, "fallback": 1, "beyond_walk_away": 1, "not_in_playbook": 2,
        "cosmetic": 0, "untracked": 1,
    }  # fmt: skip


def test_a_long_untracked_rewrite_pairs_each_paragraph_with_its_edit() -> None:
    from contractkit.playbook.align import _pairs

    base = [f"Clause {n}: the Vendor shall deliver item {n} by day {n * 3}." for n in range(200)]
    text = [
        f"Clause {n}: the Vendor shall deliver item {n} by day {n * 3 + 1}." for n in range(200)
    ]
    text.insert(120, "An unrelated paragraph the vendor added without tracking it.")
    pairs = _pairs(list(range(200)), list(range(201)), base, text)
    matched = {a: b for a, b in pairs if a is not None and b is not None}
    assert matched == {n: n if n < 120 else n + 1 for n in range(200)}
    assert (None, 120) in pairs
