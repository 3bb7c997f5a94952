"""The PDF renderer: page headers, PDF outline and links, table widths, and hostile text."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from contractkit.render.html import css_string
from contractkit.tree import Run, Table, text_em

from conftest import HOSTILE_TITLE
from helpers import EXAMPLES


def outline_titles(reader: PdfReader) -> list[str]:
    titles: list[str] = []

    def walk(items: list[object]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(str(item.title))  # type: ignore[attr-defined]

    walk(reader.outline)
    return titles


def test_every_page_carries_title_engagement_and_watermark(bundles: dict[str, Path]) -> None:
    reader = PdfReader(bundles["reference"] / "dpa.pdf")
    assert len(reader.pages) > 3
    for number, page in enumerate(reader.pages, start=1):
        # Margin boxes are drawn after the body, so their text comes last.
        lines = page.extract_text().splitlines()
        head = " ".join(lines[-4:])
        assert "Data Sharing and Processing Agreement" in head, number
        assert "Medical imaging and clinical text annotation services" in head, number
        assert "DRAFT - FOR COUNSEL REVIEW" in head, number
        assert f"Page {number} of {len(reader.pages)}" in lines[-1]


def test_pdf_outline_lists_articles_and_clauses(bundles: dict[str, Path]) -> None:
    titles = outline_titles(PdfReader(bundles["reference"] / "msa.pdf"))
    assert titles[:3] == ["Master Services Agreement", "1. Definitions", "2. Services"]
    assert "2.1 Services" in titles
    assert any(t.startswith("Schedule 1:") for t in titles)


def test_cross_references_are_links_inside_the_pdf(bundles: dict[str, Path]) -> None:
    reader = PdfReader(bundles["reference"] / "msa.pdf")
    links = [
        annot.get_object()
        for page in reader.pages
        for annot in page.get("/Annots", [])
        if annot.get_object()["/Subtype"] == "/Link"
    ]
    assert len(links) > 10
    assert all("/Dest" in link or "/A" in link for link in links)


def header_lines(page: object) -> list[str]:
    """The page header's lines, top first: the document title, then the engagement title."""
    header = sorted(
        (f for f in placed_text(page) if f[0] > 715 and f[1] < 300), key=lambda f: -f[0]
    )
    return [text for _, _, text in header]


def test_spec_text_in_the_page_header_prints_literally(hostile_bundle: Path) -> None:
    reader = PdfReader(hostile_bundle / "nda.pdf")
    assert " ".join(header_lines(reader.pages[1])[1:]) == HOSTILE_TITLE
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == (612.0, 792.0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain words, 1.2 (x)", '"Plain words, 1.2 (x)"'),
        ('say "hi"', '"say \\000022 hi\\000022 "'),
        ("a\\b", '"a\\00005c b"'),
        ("</style>", '"\\00003c /style\\00003e "'),
        ("R&D; Café", '"R\\000026 D; Café"'),
    ],
)
def test_css_string_escapes_whatever_could_end_the_string_or_the_element(
    text: str, expected: str
) -> None:
    assert str(css_string(text)) == expected


def cells(*texts: str) -> list[list[Run]]:
    return [[Run(t)] for t in texts]


def test_table_columns_fit_their_longest_word_and_share_the_rest_by_text() -> None:
    table = Table(
        [
            cells("Status", "Item", "Evidence", "Owner"),
            cells("Ready", "A long item description " * 3, "security.encryption_at_rest", "vendor"),
            cells("Gap", "Another item " * 4, "short", "customer"),
        ]
    )
    widths = table.column_widths(8640)
    assert sum(widths) == 8640
    per_em = 8640 / 43.2
    longest = ["Status", "description", "security.encryption_at_rest", "customer"]
    for width, word in zip(widths, longest, strict=True):
        assert width >= (text_em(word) + 1) * per_em
    assert widths[1] > widths[2] > widths[0]


def test_when_words_overflow_the_table_the_longest_give_way() -> None:
    table = Table([cells("Ready", "x" * 6000, "customer")])
    widths = table.column_widths(1000)
    assert sum(widths) == 1000
    assert widths[0] >= (text_em("Ready") + 1) / 43.2 * 1000 - 1  # rounded to whole units
    assert widths[2] >= (text_em("customer") + 1) / 43.2 * 1000 - 1  # rounded to whole units
    assert widths[1] == 1000 - widths[0] - widths[2] > 750


def test_column_widths_round_evenly_and_survive_empty_tables() -> None:
    widths = Table([cells(*["x"] * 40)]).column_widths(1000)
    assert sum(widths) == 1000 and max(widths) - min(widths) <= 1
    assert Table([]).column_widths(1000) == [1000]
    assert Table([[]]).column_widths(1000) == [1000]


@pytest.mark.parametrize(("example", "key"), [("reference", "checklist"), ("lidar-project", "msa")])
def test_table_text_stays_inside_its_cells(example: str, key: str) -> None:
    """Laid out by WeasyPrint: no line of a table cell runs past the cell's edge."""
    from weasyprint.formatting_structure import boxes

    from contractkit.assemble import assemble
    from contractkit.checklist import make_checklist
    from contractkit.checklist.output import to_tree
    from contractkit.library import load_library
    from contractkit.loader import load_spec
    from contractkit.render.builtin import HTML_TEMPLATE
    from contractkit.render.house import resolve_templates
    from contractkit.render.html import pdf_engine, render_html

    loaded = load_spec(EXAMPLES / f"{example}.yaml")
    trees = assemble(loaded.spec, load_library(()))
    if key == "checklist":
        tree = to_tree(make_checklist(loaded, trees), loaded.spec)
    else:
        (tree,) = [t for t in trees if t.key == key]
    engine, fonts = pdf_engine()
    html = render_html(tree, resolve_templates(None).path(HTML_TEMPLATE).parent)
    document = engine(string=html).render(font_config=fonts)
    cells_seen, overflows = 0, []
    for page in document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TableCellBox):
                cells_seen += 1
                right = box.content_box_x() + box.width
                for text in box.descendants():
                    if (
                        isinstance(text, boxes.TextBox)
                        and text.position_x + text.width > right + 0.5
                    ):
                        overflows.append(text.text)
    assert cells_seen > 20
    assert overflows == []


def test_a_pdf_does_not_depend_on_what_its_process_rendered_before() -> None:
    """Workers share one font configuration across documents; the bytes must not show it."""
    from contractkit.assemble import assemble
    from contractkit.library import load_library
    from contractkit.loader import load_spec
    from contractkit.render.builtin import HTML_TEMPLATE
    from contractkit.render.house import resolve_templates
    from contractkit.render.html import render_pdf

    templates = resolve_templates(None).path(HTML_TEMPLATE).parent
    trees = {
        t.key: t for t in assemble(load_spec(EXAMPLES / "reference.yaml").spec, load_library(()))
    }
    first = render_pdf(trees["nda"], templates)
    render_pdf(trees["dpa"], templates)
    assert render_pdf(trees["nda"], templates) == first


def placed_text(page: object) -> list[tuple[float, float, str]]:
    """(y, x, text) of every text fragment on a PDF page, in points from the bottom left."""
    found: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((y, x, text.strip()))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return found


def test_page_numbers_sit_in_the_bottom_margin_clear_of_the_text(bundles: dict[str, Path]) -> None:
    reader = PdfReader(bundles["reference"] / "dpa.pdf")
    for number, page in enumerate(reader.pages, start=1):
        fragments = placed_text(page)
        (footer,) = [(y, x) for y, x, text in fragments if text.startswith(f"Page {number} of")]
        body_bottom = min(y for y, _, text in fragments if not text.startswith("Page "))
        assert footer[0] < 50 < body_bottom - 10, number
        assert 250 < footer[1] < 320  # centred on the 612-point page


def test_a_long_engagement_title_wraps_in_the_page_header(hostile_bundle: Path) -> None:
    lines = header_lines(PdfReader(hostile_bundle / "nda.pdf").pages[1])
    assert lines[0] == "Mutual Non-Disclosure Agreement"
    assert len(lines[1:]) >= 2
    assert " ".join(lines[1:]) == HOSTILE_TITLE
