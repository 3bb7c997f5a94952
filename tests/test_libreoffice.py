"""The real Word-compatible client here: LibreOffice opens every DOCX and paginates it alike."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

SOFFICE = shutil.which("soffice")


@pytest.fixture(scope="module")
def converted(
    bundles: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[Path, Path]:
    if SOFFICE is None:
        if os.environ.get("CI") == "true":
            pytest.fail("soffice is not installed; CI must install libreoffice-writer-nogui")
        pytest.skip("soffice is not installed")
    profile = tmp_path_factory.mktemp("lo-profile")
    target = tmp_path_factory.mktemp("lo-pdf")
    mapping: dict[Path, Path] = {}
    for name, folder in bundles.items():
        out = target / name
        out.mkdir()
        documents = sorted(folder.glob("*.docx"))
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                *map(str, documents),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        for docx in documents:
            mapping[docx] = out / f"{docx.stem}.pdf"
    return mapping


def test_every_docx_converts_and_paginates_like_the_pdf(converted: dict[Path, Path]) -> None:
    assert len(converted) >= 12
    for docx, office_pdf in converted.items():
        assert office_pdf.is_file(), f"LibreOffice could not convert {docx}"
        office_pages = len(PdfReader(office_pdf).pages)
        weasy_pages = len(PdfReader(docx.with_suffix(".pdf")).pages)
        assert abs(office_pages - weasy_pages) <= weasy_pages / 5, (
            docx.name,
            office_pages,
            weasy_pages,
        )
