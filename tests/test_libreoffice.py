"""The real Word-compatible client here: LibreOffice opens every DOCX and paginates it alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.slow


def test_every_docx_converts_and_paginates_like_the_pdf(office_pdfs: dict[Path, Path]) -> None:
    assert len(office_pdfs) >= 12
    for docx, office_pdf in office_pdfs.items():
        assert office_pdf.is_file(), f"LibreOffice could not convert {docx}"
        office_pages = len(PdfReader(office_pdf).pages)
        weasy_pages = len(PdfReader(docx.with_suffix(".pdf")).pages)
        assert abs(office_pages - weasy_pages) <= weasy_pages / 5, (
            docx.name,
            office_pages,
            weasy_pages,
        )
