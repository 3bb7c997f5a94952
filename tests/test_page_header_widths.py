"""Page header widths written out, and the template compiled once: faster, the same pages.

WeasyPrint sizes the two header boxes by measuring their text on every page; the template
writes the widths instead whenever a generous estimate of both texts fits on one line each.
Any widths that hold the texts print the same page, which the tests check on the PDF itself.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from contractkit.assemble import assemble
from contractkit.library import load_library
from contractkit.loader import load_spec
from contractkit.render import html
from contractkit.render.builtin import CSS_TEMPLATE, HTML_TEMPLATE
from contractkit.render.house import resolve_templates
from contractkit.tree import DocumentTree

from helpers import EXAMPLES

SAMPLES = [
    "Data Sharing and Processing Agreement",
    "Medical imaging and clinical text annotation services",
    "DRAFT - PRIVILEGED AND CONFIDENTIAL",
    "WWWW MMMM mmmm %%%% @@@@",
    "Acme Health Systems, Inc. & Nimbus (India) Pvt. Ltd. 2027",
]


def fragments(page: object) -> list[tuple[float, float, str]]:
    """A page's text fragments with their positions, in drawing order."""
    found: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            found.append((round(tm[4] + cm[4], 2), round(tm[5] + cm[5], 2), text))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return found


def placed_text(pdf: bytes) -> list[list[tuple[float, float, str]]]:
    return [fragments(page) for page in PdfReader(io.BytesIO(pdf)).pages]


def tree(key: str, example: str = "reference") -> DocumentTree:
    trees = assemble(load_spec(EXAMPLES / f"{example}.yaml").spec, load_library(()))
    return next(t for t in trees if t.key == key)


@pytest.mark.parametrize("family", ["Liberation Serif", "DejaVu Serif"])
@pytest.mark.parametrize("weight", ["normal", "bold"])
def test_the_estimate_is_never_narrower_than_the_printed_text(family: str, weight: str) -> None:
    """Liberation Serif prints the header; DejaVu Serif stands in for a wide fallback face."""
    from weasyprint.formatting_structure import boxes

    engine, fonts = html.pdf_engine()
    spans = "".join(f"<p><span>{text}</span></p>" for text in SAMPLES)
    style = f"<style>span {{ font: {weight} 8pt '{family}' }}</style>"
    document = engine(string=style + spans).render(font_config=fonts)
    widths = [
        box.width * 0.75  # CSS pixels to points
        for box in document.pages[0]._page_box.descendants()
        if isinstance(box, boxes.InlineBox)
    ]
    assert len(widths) == len(SAMPLES)
    for text, printed in zip(SAMPLES, widths, strict=True):
        assert html._estimate_em(text) * 8 >= printed, text


def test_header_widths_are_written_only_when_both_texts_surely_fit() -> None:
    short = html.header_widths(["Mutual Non-Disclosure Agreement", "Imaging"], "DRAFT", 8, 468)
    assert str(short).startswith("@top-left { width: ")
    assert "@top-right { width: " in str(short)
    left, right = (float(part.split("width: ")[1].split("%")[0]) for part in short.split("}")[:2])
    assert left + right == pytest.approx(100)
    long_title = "Medical imaging, clinical text and pathology slide annotation services " * 2
    assert str(html.header_widths(["MSA", long_title], "DRAFT", 8, 468)) == ""
    assert str(html.header_widths(["MSA", "x"], "", 8, 468)) == ""


def test_written_widths_print_the_same_pages_as_measured_ones(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The header's widths from the template and the footer's full width in print.css, against
    WeasyPrint measuring them: the same text at the same places on every page."""
    templates = resolve_templates(None).path(HTML_TEMPLATE).parent
    nda = tree("nda")
    written = html.render_html(nda, templates)
    assert "@top-left { width: " in written
    measuring = tmp_path / "templates"
    shutil.copytree(templates, measuring)
    css = (measuring / CSS_TEMPLATE).read_text(encoding="utf-8")
    footer = "counter(pages); font-size: 8pt; width: 100%;"
    assert css.count(footer) == 1
    (measuring / CSS_TEMPLATE).write_text(
        css.replace(footer, "counter(pages); font-size: 8pt;"), encoding="utf-8"
    )
    html._compiled.cache_clear()
    monkeypatch.setattr(html, "header_widths", lambda *_: html.Markup(""))
    measured = html.render_html(nda, measuring)
    html._compiled.cache_clear()
    assert "@top-left { width: " not in measured
    assert "font-size: 8pt; width: 100%" not in measured
    pages = [
        placed_text(html.html_to_pdf(written, templates, "0")),
        placed_text(html.html_to_pdf(measured, measuring, "0")),
    ]
    assert len(pages[0]) > 1
    assert pages[0] == pages[1]


def test_the_house_template_is_compiled_once_per_process() -> None:
    templates = resolve_templates(None).path(HTML_TEMPLATE).parent
    html._compiled.cache_clear()
    for key in ("nda", "ip_assignment", "nda"):
        html.render_html(tree(key), templates)
    assert html._compiled.cache_info().misses == 1
    assert html._compiled.cache_info().hits == 2
