"""The DOCX a counsel opens: native numbering, live references, fields, styles, properties."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document

from contractkit.assemble import assemble
from contractkit.errors import TemplateError
from contractkit.library import load_library
from contractkit.render.docx import render_docx
from contractkit.render.house import check_docx_template, resolve_templates
from contractkit.render.house_template import template_parts
from contractkit.resources import data_dir
from contractkit.spec import Spec

from helpers import CLAUSES, OUTLINES, spec_for, write_tree

TEMPLATE = data_dir("templates") / "agreement.docx"


def render(tmp_path: Path, spec: Spec | None = None) -> dict[str, bytes]:
    library = load_library([write_tree(tmp_path / "lib", {**OUTLINES, **CLAUSES})], builtin=False)
    return {t.key: render_docx(t, TEMPLATE) for t in assemble(spec or spec_for(), library)}


def parts(data: bytes) -> dict[str, str]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {n: archive.read(n).decode("utf-8", "replace") for n in archive.namelist()}


@pytest.fixture
def msa(tmp_path: Path) -> dict[str, str]:
    return parts(render(tmp_path)["msa"])


def test_one_four_level_list_bound_to_heading_and_clause_styles(msa: dict[str, str]) -> None:
    numbering = msa["word/numbering.xml"]
    abstract = re.search(
        r'<w:abstractNum w:abstractNumId="1">(.*?)</w:abstractNum>', numbering, re.S
    )
    assert abstract is not None
    levels = re.findall(
        r'<w:lvl w:ilvl="(\d)">.*?<w:numFmt w:val="(\w+)"/><w:pStyle w:val="(\w+)"/>.*?<w:lvlText w:val="([^"]+)"/>',
        abstract.group(1),
    )
    assert levels == [
        ("0", "decimal", "Heading1", "%1."),
        ("1", "decimal", "Heading2", "%1.%2"),
        ("2", "lowerLetter", "ClauseL3", "(%3)"),
        ("3", "lowerRoman", "ClauseL4", "(%4)"),
    ]
    assert numbering.rindex("<w:abstractNum ") < numbering.index("<w:num ")


def test_headings_use_styles_and_carry_no_typed_numbers(tmp_path: Path) -> None:
    document = Document(io.BytesIO(render(tmp_path)["msa"]))
    headings = [
        (p.style.style_id, p.text)
        for p in document.paragraphs
        if p.style.style_id.startswith(("Heading", "Schedule"))
    ]
    assert headings == [
        ("Heading1", "Definitions"),
        ("Heading1", "Services"),
        ("Heading2", "Services"),
        ("Heading2", "Quality"),
        ("Heading1", "Termination"),
        ("Heading2", "Termination"),
        ("ScheduleHeading", ": Workloads"),
        ("ScheduleClause", "Workload Table"),
    ]
    sub = [
        (p.style.style_id, p.text)
        for p in document.paragraphs
        if p.style.style_id in ("ClauseL3", "ClauseL4")
    ]
    assert sub[:3] == [
        ("ClauseL3", "first item;"),
        ("ClauseL3", "second item, including:"),
        ("ClauseL4", "a nested item; and"),
    ]
    assert not any(
        re.match(r"\s*(\d+(\.\d+)*\.?|\([a-z]+\))\s", text) for _, text in headings + sub
    )


def test_each_list_restarts_with_its_own_instance(msa: dict[str, str]) -> None:
    body = msa["word/document.xml"]
    used = re.findall(
        r'<w:pStyle w:val="ClauseL[34]"/><w:numPr><w:ilvl w:val="\d"/><w:numId w:val="(\d+)"/>',
        body,
    )
    assert sorted(set(used)) == ["100", "101"]
    for num_id in ("100", "101"):
        instance = re.search(
            rf'<w:num [^>]*w:numId="{num_id}">(.*?)</w:num>', msa["word/numbering.xml"], re.S
        )
        assert instance is not None
        assert '<w:abstractNumId w:val="1"/>' in instance.group(1)
        assert (
            '<w:lvlOverride w:ilvl="2"><w:startOverride w:val="1"/></w:lvlOverride>'
            in instance.group(1)
        )


def test_references_are_ref_fields_with_cached_numbers_on_real_bookmarks(
    msa: dict[str, str],
) -> None:
    body = msa["word/document.xml"]
    fields = re.findall(
        r'<w:instrText xml:space="preserve"> REF (\w+) (\\[rn]) \\h </w:instrText></w:r>'
        r'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve">([^<]*)</w:t>',
        body,
    )
    assert [(switch, cached) for _, switch, cached in fields] == [
        ("\\r", "2.2"),
        ("\\n", "1"),
        ("\\n", "Schedule\u00a01"),
    ]
    bookmarks = dict(re.findall(r'<w:bookmarkStart w:id="(\d+)" w:name="(\w+)"/>', body))
    names = set(bookmarks.values())
    for anchor, _, _ in fields:
        assert re.fullmatch(r"_Ref[0-9a-f]{12}", anchor) and len(anchor) <= 40
    assert {fields[0][0], fields[1][0]} <= names
    quality = re.search(
        r'<w:bookmarkStart w:id="\d+" w:name="(\w+)"/><w:r><w:t xml:space="preserve">Quality</w:t>',
        body,
    )
    assert quality is not None and quality.group(1) == fields[0][0]
    ends = re.findall(r'<w:bookmarkEnd w:id="(\d+)"/>', body)
    assert sorted(ends) == sorted(bookmarks) and len(set(ends)) == len(ends)


def test_reference_to_another_document_is_text_not_a_field(msa: dict[str, str]) -> None:
    assert "Section\u00a02.1 of the Mutual Non-Disclosure Agreement." in msa["word/document.xml"]


def test_page_fields_header_and_watermark(msa: dict[str, str]) -> None:
    footer = msa["word/footer1.xml"]
    assert re.search(r"> PAGE </w:instrText>.*?<w:t>1</w:t>", footer, re.S)
    assert re.search(r"> NUMPAGES </w:instrText>.*?<w:t>1</w:t>", footer, re.S)
    lines = [
        re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<w:p>.*?</w:p>", msa["word/header1.xml"])
    ]
    assert lines == ["Master Services AgreementDRAFT", "Lidar point-cloud annotation project"]
    assert "<w:tab/></w:r><w:r><w:rPr><w:b/>" in msa["word/header1.xml"]


def test_page_setup_font_and_table_style(msa: dict[str, str]) -> None:
    body = msa["word/document.xml"]
    assert '<w:pgSz w:w="12240" w:h="15840"/>' in body
    assert re.search(r'<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440"', body)
    assert 'w:ascii="Times New Roman"' in msa["word/styles.xml"]
    assert '<w:tblStyle w:val="ContractTable"/>' in body
    assert "{{" not in body and "{%" not in body


def test_defined_terms_are_bold_where_defined(tmp_path: Path) -> None:
    document = Document(io.BytesIO(render(tmp_path)["nda"]))
    definitions = [p for p in document.paragraphs if p.style.style_id == "Definition"]
    first = definitions[0].runs[0]
    assert first.text == "\u201cConfidential Information\u201d"
    assert first.style.style_id == "DefinedTerm" and first.style.font.bold


def test_signature_block_rows_per_party_kept_together(tmp_path: Path) -> None:
    document = Document(io.BytesIO(render(tmp_path)["msa"]))
    (table,) = [t for t in document.tables if "By:" in t._tbl.xml]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert [r[0] for r in rows] == ["Orbital Autonomy Corp.", "Luzon Data Labeling Corporation"]
    assert "Name: Samuel Ortiz" in rows[0][1] and "Title: President" in rows[1][1]
    assert all("<w:cantSplit/>" in row._tr.xml for row in table.rows)


def test_core_properties_come_from_the_spec(tmp_path: Path) -> None:
    props = Document(io.BytesIO(render(tmp_path)["msa"])).core_properties
    assert props.title == "Master Services Agreement"
    assert props.subject == "Lidar point-cloud annotation project"
    assert props.author == "Orbital Autonomy Corp."
    # Undated without SOURCE_DATE_EPOCH: the effective date is still to come.
    assert (props.created, props.modified, props.last_printed) == (None, None, None)


def test_no_drafting_note_in_any_part(tmp_path: Path) -> None:
    for data in render(tmp_path).values():
        for name, text in parts(data).items():
            assert "drafting note" not in text.lower(), name


def test_hostile_names_are_literal(tmp_path: Path) -> None:
    name = 'Acme <b>&</b> {{ 7*7 }} *Data* "Co" Café'
    document = Document(io.BytesIO(render(tmp_path, spec_for(short_name=name))["msa"]))
    texts = [p.text for p in document.paragraphs]
    assert f"{name} needs labeling." in texts


def test_committed_template_equals_what_the_script_makes() -> None:
    archive = zipfile.ZipFile(TEMPLATE)
    assert archive.namelist() == list(template_parts())
    for name, text in template_parts().items():
        assert archive.read(name).decode("utf-8") == text, name


def test_template_missing_a_style_is_a_located_error(tmp_path: Path) -> None:
    broken = tmp_path / "firm" / "agreement.docx"
    broken.parent.mkdir()
    with zipfile.ZipFile(TEMPLATE) as source, zipfile.ZipFile(broken, "w") as target:
        for name in source.namelist():
            data = source.read(name).decode("utf-8")
            if name == "word/styles.xml":
                data = data.replace('w:styleId="ClauseL3"', 'w:styleId="MyList"')
            if name == "word/numbering.xml":
                data = data.replace('w:val="%1.%2"', 'w:val="%2"')
            target.writestr(name, data)
    assert [str(p) for p in check_docx_template(broken)] == [
        f"{broken}: word/styles.xml: missing paragraph style with id 'ClauseL3'",
        f"{broken}: word/numbering.xml: abstractNum 1 level 1 must use lvlText '%1.%2'",
    ]
    with pytest.raises(TemplateError):
        resolve_templates(broken.parent)


def rewrite_template(source: Path, target: Path, edits: dict[str, tuple[str, str]]) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for name in original.namelist():
            data = original.read(name).decode("utf-8")
            if name in edits:
                data = data.replace(*edits[name])
            copy.writestr(name, data)
    return target


def test_template_without_header_or_signature_tags_is_refused(tmp_path: Path) -> None:
    broken = rewrite_template(
        TEMPLATE,
        tmp_path / "firm" / "agreement.docx",
        {
            "word/header1.xml": ("{{ watermark }}", "CONFIDENTIAL"),
            "word/document.xml": ("{{ draft_notice }}", "Draft"),
        },
    )
    assert [str(p) for p in check_docx_template(broken)] == [
        f"{broken}: word/document.xml: missing the tag '{{{{ draft_notice }}}}'",
        f"{broken}: word/header1.xml: missing the header tag '{{{{ watermark }}}}'",
    ]


def test_malformed_template_xml_is_a_located_error(tmp_path: Path) -> None:
    broken = rewrite_template(
        TEMPLATE, tmp_path / "firm" / "agreement.docx", {"word/styles.xml": ("</w:styles>", "")}
    )
    (problem,) = check_docx_template(broken)
    assert str(problem).startswith(f"{broken}: word/styles.xml: not well-formed XML: ")


def test_html_template_syntax_error_and_empty_folder(tmp_path: Path) -> None:
    firm = tmp_path / "firm"
    firm.mkdir()
    with pytest.raises(TemplateError) as empty:
        resolve_templates(firm)
    assert (
        str(empty.value)
        == f"{firm}: holds none of agreement.docx, agreement.html.j2, print.css; nothing to use"
    )
    (firm / "agreement.html.j2").write_text("<html>\n{% if tree %}\n</html>\n", encoding="utf-8")
    (firm / "print.css").write_text("", encoding="utf-8")
    with pytest.raises(TemplateError) as bad:
        resolve_templates(firm)
    assert str(bad.value).startswith(
        f"{firm / 'agreement.html.j2'}:2: template error: Unexpected end of template."
    )


def test_list_ids_move_past_those_a_firm_template_uses(tmp_path: Path) -> None:
    firm = rewrite_template(
        TEMPLATE,
        tmp_path / "firm" / "agreement.docx",
        {
            "word/numbering.xml": (
                "</w:numbering>",
                '<w:num w:numId="100"><w:abstractNumId w:val="1"/></w:num></w:numbering>',
            )
        },
    )
    library = load_library([write_tree(tmp_path / "lib", {**OUTLINES, **CLAUSES})], builtin=False)
    msa = next(t for t in assemble(spec_for(), library) if t.key == "msa")
    result = parts(render_docx(msa, firm))
    used = set(
        re.findall(
            r'<w:pStyle w:val="ClauseL[34]"/><w:numPr><w:ilvl w:val="\d"/><w:numId w:val="(\d+)"/>',
            result["word/document.xml"],
        )
    )
    assert used == {"101", "102"}
    assert result["word/numbering.xml"].count('w:numId="100"') == 1
