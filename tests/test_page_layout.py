"""The PDF and the DOCX lay pages out alike: the header's place, the space after tables, and
(with LibreOffice) the same page count within one for every document of the examples."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

Fragment = tuple[float, float, str]  # (points from the top of the page, font size, text)


def fragments(page: object) -> list[Fragment]:
    found: list[Fragment] = []

    def visit(text: str, cm: list[float], tm: list[float], _: object, size: float) -> None:
        if text.strip():
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = (tm[0] * cm[0]) ** 2 + (tm[1] * cm[1]) ** 2
            found.append((792 - y, round(size * scale**0.5, 1), text.strip()))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return sorted(found)


def header_and_body(page: object) -> tuple[list[float], float]:
    """The header lines' baselines (8pt text in the top margin) and the body's first one."""
    placed = fragments(page)
    header = sorted({round(y, 1) for y, size, _ in placed if size == 8.0 and y < 72})
    body = min(y for y, size, _ in placed if y > 72 and size > 8.0)
    return header, body


def test_the_page_header_stands_where_word_puts_it(bundles: dict[str, Path]) -> None:
    """agreement.docx: header half an inch from the top, two 8pt lines 1.1 apart, the body at
    one inch; LibreOffice prints the lines' baselines at 43.5 and 53.6 points and the body's
    first at 82.3 (the 11pt line's ascent and half-leading below one inch)."""
    reader = PdfReader(bundles["reference"] / "dpa.pdf")
    clearances = []
    for number, page in enumerate(reader.pages[1:], start=2):
        header, body = header_and_body(page)
        assert len(header) == 2, (number, header)
        assert header[0] == pytest.approx(43.5, abs=1), number
        assert header[1] - header[0] == pytest.approx(10.1, abs=0.3), number
        clearances.append(body - header[-1])
    # A page that starts with a table or a heading starts its text a little lower.
    assert min(clearances) == pytest.approx(82.3 - 53.6, abs=1), clearances


def test_the_watermark_shares_the_first_header_line(bundles: dict[str, Path]) -> None:
    page = PdfReader(bundles["reference"] / "dpa.pdf").pages[1]
    placed = fragments(page)
    (title,) = [y for y, _, text in placed if text == "Data Sharing and Processing Agreement"]
    (mark,) = [y for y, _, text in placed if text == "DRAFT - FOR COUNSEL REVIEW"]
    assert mark == pytest.approx(title, abs=0.2)


def test_the_paragraph_after_a_table_keeps_clear_of_its_border(bundles: dict[str, Path]) -> None:
    """Word sets no space below a table: what follows one carries at least the 8 points
    print.css leaves there, in its own properties or its style's."""
    checked = 0
    for bundle in bundles.values():
        with zipfile.ZipFile(bundle / "msa.docx") as docx:
            body = docx.read("word/document.xml").decode("utf-8")
            styles = docx.read("word/styles.xml").decode("utf-8")
        before = {
            style: int(space)
            for style, space in re.findall(
                r'w:styleId="(\w+)">(?:(?!</w:style>).)*<w:spacing w:before="(\d+)"', styles
            )
        }
        new_page = set(
            re.findall(r'w:styleId="(\w+)">(?:(?!</w:style>).)*<w:pageBreakBefore/>', styles)
        )
        assert "ScheduleHeading" in new_page
        for following in re.findall(r"</w:tbl>(<w:p>.*?</w:p>)", body):
            if "<w:t" not in following:
                continue  # the empty paragraph before the schedules' page break
            own = re.search(r'<w:spacing w:before="(\d+)"', following)
            style = re.search(r'<w:pStyle w:val="(\w+)"/>', following)
            name = style.group(1) if style else ""
            if name in new_page:
                continue
            space = int(own.group(1)) if own else before.get(name, 0)
            assert space >= 160, following
            checked += 1
    assert checked >= 3


@pytest.mark.slow
def test_pdf_and_docx_paginate_alike(office_pdfs: dict[Path, Path]) -> None:
    counted = 0
    for docx, office_pdf in office_pdfs.items():
        office = PdfReader(office_pdf)
        weasy = PdfReader(docx.with_suffix(".pdf"))
        assert abs(len(office.pages) - len(weasy.pages)) <= 1, (
            docx.parent.name,
            docx.name,
            len(weasy.pages),
            len(office.pages),
        )
        counted += 1
        if docx.name == "dpa.docx":
            office_header, office_body = header_and_body(office.pages[1])
            header, body = header_and_body(weasy.pages[1])
            assert body - header[-1] == pytest.approx(office_body - office_header[-1], abs=1)
            assert header[0] == pytest.approx(office_header[0], abs=1)
    assert counted >= 15
