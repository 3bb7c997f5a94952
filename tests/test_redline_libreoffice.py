"""LibreOffice opens a redline and shows its changes, and accepting them all gives the new build."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader
from test_redline import PARTS, SUBPROCESSORS, TEMPLATE, paragraphs, part, redlines, trees

from contractkit.redline.docx import render_redline_docx
from contractkit.render.docx import render_docx

from conftest import REFERENCE

pytestmark = pytest.mark.slow
SOFFICE = shutil.which("soffice")
SYSTEM_PYTHON = "/usr/bin/python3"
ACCEPT_ALL = Path(__file__).with_name("lo_accept_all.py")


@pytest.fixture(scope="module")
def office() -> str:
    if SOFFICE is None:
        if os.environ.get("CI") == "true":
            pytest.fail("soffice is not installed; CI must install libreoffice-writer-nogui")
        pytest.skip("soffice is not installed")
    return SOFFICE


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Redlines of the reference spec with its sub-processor removed and a shorter breach notice."""
    folder = tmp_path_factory.mktemp("spec")
    text = REFERENCE.read_text(encoding="utf-8")
    text = text.replace(SUBPROCESSORS, "  subprocessors: []\n")
    text = text.replace("breach_notice_days: 10 ", "breach_notice_days: 5 ")
    (folder / "new.yaml").write_text(text, encoding="utf-8")
    found = redlines(trees(REFERENCE), trees(folder / "new.yaml"))
    return {key: found[key] for key in ("msa", "dpa")}


def test_libreoffice_shows_inserted_and_deleted_words(
    office: str, changed: dict[str, object], tmp_path: Path
) -> None:
    for key, redline in changed.items():
        (tmp_path / f"{key}.docx").write_bytes(render_redline_docx(redline, TEMPLATE))  # type: ignore[arg-type]
    subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *(str(tmp_path / f"{key}.docx") for key in changed),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for key in changed:
        reader = PdfReader(io.BytesIO((tmp_path / f"{key}.pdf").read_bytes()))
        text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
        assert "tenfive (105) days" in text  # the deleted word, then the inserted one
        assert "CloudVault Storage Inc." in text


def test_accepting_all_in_libreoffice_gives_the_new_build(
    office: str, changed: dict[str, object], tmp_path: Path
) -> None:
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("no Python with LibreOffice's uno module")
    for key, redline in changed.items():
        source, target = tmp_path / f"{key}.docx", tmp_path / f"{key}-accepted.docx"
        source.write_bytes(render_redline_docx(redline, TEMPLATE))  # type: ignore[arg-type]
        done = subprocess.run(
            [
                SYSTEM_PYTHON,
                str(ACCEPT_ALL),
                office,
                str(tmp_path / "profile"),
                str(source),
                str(target),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.stdout.strip() == "accepted", done.stderr
        new = render_docx(redline.new, TEMPLATE)  # type: ignore[attr-defined]
        want = [p[2] for p in paragraphs(etree.fromstring(part(new, PARTS[0])), True)]
        got = [
            p[2] for p in paragraphs(etree.fromstring(part(target.read_bytes(), PARTS[0])), True)
        ]
        # LibreOffice keeps an empty paragraph where a deleted one stood right before a table.
        assert [t for t in got if t] == [t for t in want if t]
