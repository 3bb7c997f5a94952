"""Outputs are dated only by SOURCE_DATE_EPOCH: never by the clock, never by a future effective
date, and never with a last-printed date."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from contractkit.assemble import assemble
from contractkit.library import load_library
from contractkit.render.docx import render_docx
from contractkit.render.html import render_pdf
from contractkit.resources import data_dir
from contractkit.tree import DocumentTree

from helpers import CLAUSES, OUTLINES, ROOT, spec_for, write_tree

TEMPLATES = data_dir("templates")


def nda(tmp_path: Path) -> DocumentTree:
    library = load_library([write_tree(tmp_path / "lib", {**OUTLINES, **CLAUSES})], builtin=False)
    return next(t for t in assemble(spec_for(), library) if t.key == "nda")


def core(tree: DocumentTree) -> str:
    data = render_docx(tree, TEMPLATES / "agreement.docx")
    return zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml").decode("utf-8")


def pdf_info(tree: DocumentTree) -> dict[str, str]:
    info = PdfReader(io.BytesIO(render_pdf(tree, TEMPLATES))).trailer["/Info"]
    return {str(k): str(v) for k, v in info.get_object().items()}


def test_without_source_date_epoch_no_output_carries_a_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    tree = nda(tmp_path)
    properties = core(tree)
    assert "<dc:title>Mutual Non-Disclosure Agreement</dc:title>" in properties
    assert re.findall(r"<(?:dcterms|cp):(created|modified|lastPrinted)\b", properties) == []
    info = pdf_info(tree)
    assert info["/Title"] == "Mutual Non-Disclosure Agreement"
    assert "/CreationDate" not in info and "/ModDate" not in info


def test_source_date_epoch_dates_created_and_modified_but_nothing_is_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    tree = nda(tmp_path)
    properties = core(tree)
    stamp = "2023-11-14T22:13:20Z"
    assert re.findall(r"<dcterms:(created|modified)[^>]*>([^<]*)<", properties) == [
        ("created", stamp),
        ("modified", stamp),
    ]
    assert "lastPrinted" not in properties
    info = pdf_info(tree)
    assert (info["/CreationDate"], info["/ModDate"]) == ("D:20231114221320Z", "D:20231114221320Z")


def test_the_readme_states_the_timestamp_rule() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert (
        "| `SOURCE_DATE_EPOCH` | the creation and modification date of every DOCX and PDF; "
        "unset, they carry no date (never a last-printed date) |"
    ) in readme
