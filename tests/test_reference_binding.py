"""A reference never breaks across lines: "Section 5.5", "paragraph 1 of Schedule 1", "Article 28".

In the DOCX the whole schedule reference comes from the tree as fields: the paragraph number and
the schedule both, so updating fields in Word keeps them consistent.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from contractkit.tree import Run, bound_runs

from helpers import pdf_pages

# A reference word at the end of a line and its number at the start of the next.
SPLIT = re.compile(
    r"\b(Sections?|sections?|[Pp]aragraphs?|Schedules?|Articles?|Annex|Clauses?|Parts?|No\.|CFR"
    r"|U\.S\.C\.)[ \t]*\n[ \t]*(\d|[IVX]+\b)"
)
NBSP = "\u00a0"


def splits(text: str) -> list[str]:
    return [text[m.start() : m.end()].replace("\n", " / ") for m in SPLIT.finditer(text)]


def test_the_space_after_a_reference_word_is_non_breaking_also_before_a_field() -> None:
    runs = [
        Run("as set out in Section "),
        Run("2.2", "ref", anchor="_Ref1"),
        Run(" and paragraph "),
        Run("1", "ref", anchor="_Ref2", in_schedule=True),
        Run(" of "),
        Run("Schedule 1", "ref", anchor="_Ref3", in_schedule=True),
        Run(" under Article 28(3), Annex I, 45 CFR 164.410 and 18 U.S.C. 1833(b); Sections are"),
    ]
    assert [r.text for r in bound_runs(runs)] == [
        f"as set out in Section{NBSP}",
        "2.2",
        f" and paragraph{NBSP}",
        "1",
        " of ",
        f"Schedule{NBSP}1",
        f" under Article{NBSP}28(3), Annex{NBSP}I, 45{NBSP}CFR{NBSP}164.410 and "
        f"18{NBSP}U.S.C.{NBSP}1833(b); Sections are",
    ]
    assert [r.kind for r in bound_runs(runs)] == [r.kind for r in runs]


def test_no_pdf_of_any_example_splits_a_reference_across_lines(
    bundles: dict[str, Path],
) -> None:
    found = {
        f"{name}/{pdf.name}": splits("\n".join(pdf_pages(pdf)))
        for name, folder in bundles.items()
        for pdf in sorted(folder.glob("*.pdf"))
    }
    assert len(found) >= 16
    assert {k: v for k, v in found.items() if v} == {}


def docx_body(path: Path) -> str:
    return zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")


def test_the_docx_schedule_reference_is_two_fields_on_the_tree_s_bookmarks(
    bundles: dict[str, Path],
) -> None:
    body = docx_body(bundles["reference"] / "msa.docx")
    field = (
        r'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> '
        r"REF (_Ref\w+) \\n \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/>"
        r'</w:r><w:r><w:t xml:space="preserve">([^<]*)</w:t></w:r><w:r><w:fldChar '
        r'w:fldCharType="end"/></w:r>'
    )
    references = re.findall(
        rf'paragraph{NBSP}</w:t></w:r>{field}<w:r><w:t xml:space="preserve"> of </w:t></w:r>'
        + field,
        body,
    )
    assert len(references) >= 10
    headings = dict(
        re.findall(
            r'<w:pStyle w:val="ScheduleHeading"/></w:pPr><w:r><w:t xml:space="preserve">: '
            r'</w:t></w:r><w:bookmarkStart w:id="\d+" w:name="(_Ref\w+)"/><w:r><w:t '
            r'xml:space="preserve">([^<]*)</w:t>',
            body,
        )
    )
    assert list(headings.values())[:2] == ["Statement of Work No. 1", "Quality Standards"]
    schedules = list(headings)
    for _, paragraph, anchor, schedule in references:
        assert paragraph.isdigit()
        assert schedule == f"Schedule{NBSP}{schedules.index(anchor) + 1}"
    assert " of Schedule " not in body
    assert f"Section{NBSP}</w:t>" in body
    numbering = zipfile.ZipFile(bundles["reference"] / "msa.docx").read("word/numbering.xml")
    assert '<w:suff w:val="nothing"/><w:lvlText w:val="Schedule\u202f%1"/>'.encode() in numbering


@pytest.mark.slow
def test_libreoffice_keeps_every_reference_on_one_line(
    bundles: dict[str, Path], office_pdfs: dict[Path, Path]
) -> None:
    for name in ("reference", "lidar-project"):
        text = "\n".join(pdf_pages(office_pdfs[bundles[name] / "msa.docx"]))
        assert "paragraph 1 of Schedule 1" in text.replace(NBSP, " ").replace("\u202f", " ")
        assert splits(text) == [], name


def test_a_firm_template_whose_schedule_label_ends_in_punctuation_is_refused(
    tmp_path: Path,
) -> None:
    from contractkit.render.house import check_docx_template
    from contractkit.resources import data_dir

    source = data_dir("templates") / "agreement.docx"
    firm = tmp_path / "agreement.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(firm, "w") as new:
        for name in old.namelist():
            data = old.read(name)
            if name == "word/numbering.xml":
                data = data.replace(
                    '<w:suff w:val="nothing"/><w:lvlText w:val="Schedule\u202f%1"/>'.encode(),
                    b'<w:suff w:val="space"/><w:lvlText w:val="Schedule %1:"/>',
                )
            new.writestr(name, data)
    assert [str(p) for p in check_docx_template(firm)] == [
        f"{firm}: word/numbering.xml: the schedule heading's lvlText must end with its number "
        "(e.g. 'Schedule %1'), since references to a schedule print it; got 'Schedule %1:'",
        f"{firm}: word/numbering.xml: the schedule heading's level must have w:suff 'nothing': "
        "the heading text that follows the number starts with ': '",
    ]
