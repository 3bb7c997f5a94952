"""The portfolio report in a real browser: headless Chromium renders it to PNG and to a Letter
PDF with every host unresolvable, and its network log shows the page asked for nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from PIL import Image
from pypdf import PdfReader

from helpers import EXAMPLES

RunCli = Callable[..., Result]
pytestmark = pytest.mark.slow

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs it")
        pytest.skip("chromium is not installed")
    return found


def browse(chromium: str, page: Path, *args: str) -> list[str]:
    """Run Chromium on ``page``; return the URLs the page itself requested (the browser's own
    background requests have no page as initiator)."""
    log = page.with_suffix(".net.json")
    profile = page.with_suffix(".profile")
    subprocess.run(
        [
            chromium,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--log-net-log={log}",
            *args,
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
        cwd=page.parent,
    )
    events = json.loads(log.read_text(encoding="utf-8"))["events"]
    return sorted(
        {
            e["params"]["url"]
            for e in events
            if "url" in e.get("params", {})
            and e["params"].get("initiator", "not an origin") != "not an origin"
        }
    )


def test_the_network_log_catches_a_page_that_fetches(chromium: str, tmp_path: Path) -> None:
    page = tmp_path / "fetching.html"
    page.write_text(
        '<p>x</p><img src="https://example.com/logo.png">'
        '<link rel="stylesheet" href="http://fonts.example/a.css">',
        encoding="utf-8",
    )
    requested = browse(chromium, page, f"--screenshot={tmp_path / 'f.png'}")
    assert requested == ["http://fonts.example/a.css", "https://example.com/logo.png"]


def test_the_report_renders_offline_to_png_and_letter_pdf(
    chromium: str, run_cli: RunCli, tmp_path: Path
) -> None:
    page = tmp_path / "portfolio.html"
    written = run_cli("portfolio", EXAMPLES, "--as-of", "2027-09-15", "-o", page)
    assert written.exit_code == 0, written.stderr
    png = tmp_path / "portfolio.png"
    assert browse(chromium, page, f"--screenshot={png}", "--window-size=816,1056") == []
    with Image.open(png) as image:
        assert image.size == (816, 1056)
        grey = image.convert("L")
        histogram = grey.histogram()
        inked = sum(histogram[:200]) / (816 * 1056)
    # A rendered page of text, tables and charts: not blank, not a black screen.
    assert 0.02 < inked < 0.5
    pdf = tmp_path / "portfolio.pdf"
    assert browse(chromium, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer") == []
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 4
    for p in reader.pages:
        assert (round(float(p.mediabox.width)), round(float(p.mediabox.height))) == (612, 792)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    for expected in (
        "Exit-readiness portfolio",
        "2 could not be exited now",
        "Engagements by layer",
        "Deadlines and stale evidence",
        "Concentration of critical workloads",
        "Stale since 2027-08-09: Ground-truth set owned by the customer",
        "Workloads without a secondary vendor",
        "acme-nimbus-2027: Medical imaging and clinical text annotation services",
        "orbital-lidar-2027: Lidar point-cloud annotation project",
        "No: 2 blocking items",
        "Obtain the vendor's certificates of insurance",
    ):
        assert expected in " ".join(text.split()), expected
    first_page = " ".join((reader.pages[0].extract_text() or "").split())
    assert "Gap" in first_page and "Ready" in first_page and "Stale" in first_page
