"""The document tree: numbering, references, definitions, positions, overlays, escaping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from contractkit.assemble import assemble
from contractkit.errors import LibraryError
from contractkit.library import load_library
from contractkit.spec import Position, Spec
from contractkit.tree import DocumentTree, NumberedList, Paragraph, Run

from helpers import CLAUSES, OUTLINES, quality_clause, spec_for, write_tree


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "lib", {**OUTLINES, **CLAUSES})


def build(library_dir: Path, spec: Spec | None = None, *overlays: Path) -> dict[str, DocumentTree]:
    library = load_library([*overlays, library_dir], builtin=False)
    return {t.key: t for t in assemble(spec or spec_for(), library)}


def text(runs: list[Run]) -> str:
    return "".join(r.text for r in runs)


def test_articles_clauses_and_sub_paragraphs_are_numbered(library_dir: Path) -> None:
    msa = build(library_dir)["msa"]
    assert [(a.number, a.title) for a in msa.articles] == [
        ("1", "Definitions"),
        ("2", "Services"),
        ("3", "Termination"),
    ]
    assert [(c.number, c.id) for c in msa.clauses()] == [
        ("2.1", "msa.services"),
        ("2.2", "msa.quality"),
        ("3.1", "msa.termination"),
        ("1", "msa.workloads"),
    ]
    first, second = [b for b in msa.clause("msa.services").blocks if isinstance(b, NumberedList)]
    assert [i.label for i in first.items] == ["(a)", "(b)", "(c)"]
    assert [(c.label, c.level) for c in first.items[1].children] == [("(i)", 4), ("(ii)", 4)]
    assert text(first.items[1].children[0].paragraphs[0].runs) == "a nested item; and"
    assert [i.label for i in second.items] == ["(a)"]


def test_reference_in_same_document_is_live_and_numbered(library_dir: Path) -> None:
    msa = build(library_dir)["msa"]
    runs = msa.clause("msa.services").blocks[0].runs  # type: ignore[union-attr]
    refs = [r for r in runs if r.kind == "ref"]
    assert [(r.text, r.anchor) for r in refs] == [
        ("2.2", msa.clause("msa.quality").anchor),
        ("1", msa.clause("msa.workloads").anchor),
        ("Schedule 1", msa.schedules[0].anchor),
    ]
    assert text(runs) == (
        "Luzon Data shall perform the Services as set out in Section 2.2 and "
        "paragraph 1 of Schedule 1."
    )
    assert all(re.fullmatch(r"_Ref[0-9a-f]{12}", r.anchor or "") for r in refs)


def test_reference_to_another_document_is_plain_text(library_dir: Path) -> None:
    msa = build(library_dir)["msa"]
    paragraph = msa.clause("msa.quality").blocks[0]
    assert isinstance(paragraph, Paragraph)
    assert [r.kind for r in paragraph.runs] == ["text"]
    assert paragraph.text == (
        "Quality is measured under Section 2.1 of the Mutual Non-Disclosure Agreement."
    )


def test_reference_to_a_left_out_clause_names_file_and_line(library_dir: Path) -> None:
    write_tree(
        library_dir,
        {"msa/quality.md": quality_clause("Line one.\n\nSee {{ ref('msa.phi_only') }}.\n")},
    )
    with pytest.raises(LibraryError) as caught:
        build(library_dir)
    (problem,) = caught.value.problems
    assert str(problem) == (
        f"{library_dir / 'msa' / 'quality.md'}:9: ref('msa.phi_only') points at a clause left "
        "out of this engagement: its applies_when (has_phi) is false"
    )


def test_definitions_hold_exactly_the_terms_used_sorted(library_dir: Path) -> None:
    trees = build(library_dir)
    assert [d.term for d in trees["msa"].articles[0].definitions] == ["Services"]
    nda_defs = trees["nda"].articles[0].definitions
    assert [d.term for d in nda_defs] == ["Confidential Information", "Customer Data"]
    assert text(nda_defs[1].runs) == "\u201cCustomer Data\u201d means the data Orbital provides."
    assert nda_defs[0].runs[0].bold and nda_defs[0].runs[0].defining


def test_undefined_term_is_an_error(library_dir: Path) -> None:
    write_tree(
        library_dir,
        {"msa/quality.md": quality_clause("Uses {{ term('Nonexistent Term') }}.\n")},
    )
    with pytest.raises(LibraryError, match="term 'Nonexistent Term' is used but never defined"):
        build(library_dir)


def test_position_picks_its_text_and_falls_back_to_any(library_dir: Path) -> None:
    balanced = build(library_dir, spec_for(Position.balanced))["msa"].clause("msa.termination")
    favourable = build(library_dir, spec_for(Position.customer_favourable))["msa"]
    assert balanced is not None and balanced.version == "1.1.0"
    assert text(balanced.blocks[0].runs).startswith("BALANCED: either party")  # type: ignore[union-attr]
    clause = favourable.clause("msa.termination")
    assert clause is not None and clause.version == "1.0.0" and clause.position == "any"
    assert text(clause.blocks[0].runs) == "Either party may terminate on thirty (30) days notice."  # type: ignore[union-attr]


def test_overlay_replaces_a_clause_and_inserts_one_after_another(
    library_dir: Path, tmp_path: Path
) -> None:
    overlay = write_tree(
        tmp_path / "firm",
        {
            "anywhere/deep/quality.md": """
                ---
                id: msa.quality
                document: msa
                title: Quality (Firm)
                version: 2.0.0
                ---
                The firm's own quality text.
                """,
            "new/audit.md": """
                ---
                id: msa.audit
                document: msa
                title: Audit
                version: 1.0.0
                after: msa.services
                ---
                Audit text referring to {{ ref('msa.quality') }}.
                """,
        },
    )
    msa = build(library_dir, None, overlay)["msa"]
    assert [(c.number, c.id, c.title) for c in msa.articles[1].clauses] == [
        ("2.1", "msa.services", "Services"),
        ("2.2", "msa.audit", "Audit"),
        ("2.3", "msa.quality", "Quality (Firm)"),
    ]
    assert text(msa.clause("msa.audit").blocks[0].runs) == "Audit text referring to Section 2.3."  # type: ignore[union-attr]


def test_overlay_outline_replaces_the_outline(library_dir: Path, tmp_path: Path) -> None:
    overlay = write_tree(
        tmp_path / "firm",
        {
            "outlines/nda.yaml.d/_outline.yaml": """
                document: nda
                title: Confidentiality Agreement
                preamble: "Between us."
                articles:
                  - title: Definitions
                    definitions: true
                  - title: Secrecy
                    clauses: [nda.obligations]
                """
        },
    )
    nda = build(library_dir, None, overlay)["nda"]
    assert nda.title == "Confidentiality Agreement"
    assert [a.title for a in nda.articles] == ["Definitions", "Secrecy"]


HOSTILE = ["Acme {{ 7*7 }}", "Acme *Data* | Co", "1. Labs", "<b>x</b>", "[x](y)", 'Café & "Co"']


@pytest.mark.parametrize("name", HOSTILE)
def test_spec_text_comes_out_literally(library_dir: Path, name: str) -> None:
    msa = build(library_dir, spec_for(short_name=name))["msa"]
    assert msa.recitals[0].text == f"{name} needs labeling."
    assert [r.kind for r in msa.recitals[0].runs] == ["text"]
    definition = msa.articles[0].definitions[0]
    assert text(definition.runs) == f"\u201cServices\u201d means the labeling services for {name}."


def test_undefined_variable_names_file_and_line(library_dir: Path) -> None:
    write_tree(
        library_dir,
        {"msa/quality.md": quality_clause("Fine.\n\n{{ customer.no_such_field }}\n")},
    )
    with pytest.raises(LibraryError) as caught:
        build(library_dir)
    assert str(caught.value.problems[0]).startswith(f"{library_dir / 'msa' / 'quality.md'}:9: ")
    assert "no_such_field" in str(caught.value.problems[0])


def test_missing_optional_value_is_an_error_not_none(library_dir: Path) -> None:
    write_tree(
        library_dir,
        {"msa/quality.md": quality_clause("Role: {{ customer.gdpr_role }}.\n")},
    )
    with pytest.raises(LibraryError) as caught:
        build(library_dir)
    assert str(caught.value.problems[0]) == (
        f"{library_dir / 'msa' / 'quality.md'}:7: a value is missing (None) and cannot be "
        "printed in a contract"
    )


def test_table_rows_come_from_the_spec(library_dir: Path) -> None:
    schedule = build(library_dir)["msa"].schedules[0]
    assert schedule.heading == "Schedule 1: Workloads"
    (table,) = schedule.clauses[0].blocks
    assert [[text(cell) for cell in row] for row in table.rows] == [  # type: ignore[union-attr]
        ["Workload", "Turnaround"],
        ["3D bounding boxes on urban lidar sweeps", "seventy-two (72) hours"],
    ]


def test_drafting_notes_stay_out_of_the_text(library_dir: Path) -> None:
    nda = build(library_dir)["nda"]
    assert [n.note for n in nda.notes] == ["A drafting note that must never be printed."]
    printed = " ".join(
        text(b.runs) for c in nda.clauses() for b in c.blocks if isinstance(b, Paragraph)
    )
    assert "drafting note" not in printed
