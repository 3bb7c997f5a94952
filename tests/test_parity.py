"""The PDF says what the DOCX says: same paragraphs, same order, same numbers."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from docx import Document

from contractkit.assemble import assemble
from contractkit.library import load_library
from contractkit.loader import load_spec
from contractkit.resources import example_names
from contractkit.tree import DocumentTree

from helpers import EXAMPLES, pdf_pages

EXAMPLE_NAMES = example_names()


def normal(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@functools.cache
def trees_of(name: str) -> list[DocumentTree]:
    return assemble(load_spec(EXAMPLES / f"{name}.yaml").spec, load_library())


def pdf_text(path: Path, tree: DocumentTree) -> str:
    """The PDF's text without the running header and footer, hyphen line-breaks rejoined."""
    running = [normal(tree.title), normal(tree.engagement_title), normal(tree.watermark)]

    def is_running(line: str) -> bool:
        rest = re.sub(r"Page \d+ of \d+", "", normal(line))
        for text in sorted(running, key=len, reverse=True):
            rest = rest.replace(text, "")
        return not rest.strip()

    kept = []
    for page in pdf_pages(path):
        lines = page.splitlines()
        while lines and is_running(lines[-1]):
            lines.pop()
        while lines and is_running(lines[0]):
            lines.pop(0)
        kept.extend(lines)
    return squeeze("\n".join(kept))


def squeeze(text: str) -> str:
    """Text without any whitespace, case-folded: line breaks fall differently in a PDF."""
    return re.sub(r"\s+", "", text.replace("\u00a0", " ")).casefold()


def docx_paragraphs(path: Path) -> list[tuple[str, str]]:
    document = Document(str(path))
    body = document.element.body
    found = []
    for element in body.iter():
        if element.tag.endswith("}p"):
            text = "".join(t.text or "" for t in element.iter() if t.tag.endswith("}t"))
            style = element.find(".//{*}pStyle")
            name = (
                style.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val")
                if style is not None
                else ""
            )
            if normal(text):
                found.append((name, normal(text)))
    return found


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_docx_paragraphs_appear_in_order_in_the_pdf(name: str, bundles: dict[str, Path]) -> None:
    folder = bundles[name]
    for tree in trees_of(name):
        pdf = pdf_text(folder / f"{tree.stem}.pdf", tree)
        position = 0
        for style, text in docx_paragraphs(folder / f"{tree.stem}.docx"):
            if style in ("Title",):
                continue
            found = pdf.find(squeeze(text), position)
            assert found >= 0, f"{tree.stem}: {text[:80]!r} not found after position {position}"
            position = found + len(squeeze(text))


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_headings_carry_the_tree_numbering_level_and_the_pdf_prints_the_number(
    name: str, bundles: dict[str, Path]
) -> None:
    folder = bundles[name]
    for tree in trees_of(name):
        headings = [
            (s, t)
            for s, t in docx_paragraphs(folder / f"{tree.stem}.docx")
            if s in ("Heading1", "Heading2", "ScheduleHeading", "ScheduleClause")
        ]
        expected = []
        for article in tree.articles:
            expected.append(("Heading1", normal(article.title)))
            expected += [("Heading2", normal(c.title)) for c in article.clauses]
        for schedule in tree.schedules:
            # The number label ("Schedule 1") is numbering; the text carries the colon after it.
            expected.append(("ScheduleHeading", normal(f": {schedule.title}")))
            expected += [("ScheduleClause", normal(c.title)) for c in schedule.clauses]
        assert headings == expected, tree.stem
        pdf = pdf_text(folder / f"{tree.stem}.pdf", tree)
        for article in tree.articles:
            assert squeeze(f"{article.number}. {article.title}") in pdf, article.title
            for clause in article.clauses:
                assert squeeze(f"{clause.number} {clause.title}") in pdf, clause.number
