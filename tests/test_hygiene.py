"""Drafting hygiene: each rule catches its defect, at its file and line, and passes clean text."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractkit.assemble import assemble
from contractkit.hygiene import document_problems, library_problems
from contractkit.hygiene_words import needs_an
from contractkit.library import load_library

from helpers import CLAUSES, OUTLINES, spec_for, write_tree


def extra(body: str, note: str = "", **front: str) -> dict[str, str]:
    """A clause placed after msa.quality in the mini library."""
    meta = {"id": "msa.extra", "document": "msa", "title": "Extra", "version": "1.0.0"}
    meta.update(front)
    meta["after"] = "msa.quality"
    head = "".join(f"{k}: {v}\n" for k, v in meta.items())
    if note:
        head += f"note: >-\n  {note}\n"
    return {"msa/extra.md": f"---\n{head}---\n{body}\n"}


def found(tmp_path: Path, files: dict[str, str], *, static: bool = False) -> list[str]:
    root = write_tree(tmp_path / "lib", {**OUTLINES, **CLAUSES, **files})
    library = load_library([root], builtin=False)
    if static:
        problems = library_problems(library)
    else:
        spec = spec_for()
        problems = document_problems(spec, assemble(spec, library), library)
    return [str(p).replace(f"{root}/", "").split(" (spec ")[0] for p in problems]


def test_the_mini_library_has_no_hygiene_findings(tmp_path: Path) -> None:
    assert found(tmp_path, {}, static=True) == []
    assert found(tmp_path, {}) == []


def test_british_spellings_are_flagged_with_the_us_form(tmp_path: Path) -> None:
    body = (
        "The licence covers wilful acts.\n"
        "{{ 'Defence costs' if engagement.position == 'customer_favourable' else 'labour' }}.\n"
        "Annotators are labelled and organised."
    )
    result = found(tmp_path, extra(body, note="A customer-favourable note."), static=True)
    assert result == [
        "msa/extra.md:7: 'favourable' is British spelling; the agreements use US English "
        "(favorable)",
        "msa/extra.md:10: 'licence' is British spelling; the agreements use US English (license)",
        "msa/extra.md:10: 'wilful' is British spelling; the agreements use US English (willful)",
        "msa/extra.md:11: 'Defence' is British spelling; the agreements use US English (Defense)",
        "msa/extra.md:11: 'labour' is British spelling; the agreements use US English (labor)",
        "msa/extra.md:12: 'organised' is British spelling; the agreements use US English "
        "(organized)",
        "msa/extra.md:12: 'labelled' is British spelling; the agreements use US English (labeled)",
    ]


def test_a_list_joined_across_if_blocks_is_flagged_and_join_and_is_not(tmp_path: Path) -> None:
    hand = (
        "Obligations under the Agreement{% if has_phi %}, the BAA{% endif %}"
        "{% if has_personal_data %} and the DPA{% endif %} survive."
    )
    result = found(tmp_path, extra(hand), static=True)
    assert result == [
        "msa/extra.md:8: list joined by hand across {% if %} blocks: when the last item is left "
        "out the list loses its 'and'; collect the items and print them with join_and"
    ]
    assert found(tmp_path, extra("Items: {{ ['a', 'b']|join_and }}."), static=True) == []


@pytest.mark.parametrize(
    ("word", "an"),
    [
        ("attribute-based", True),
        ("role-based", False),
        ("NDA", True),
        ("BAA", False),
        ("SHA-256", False),
        ("HIPAA", False),
        ("hour", True),
        ("unique", False),
        ("unauthorized", True),
        ("one-time", False),
        ("US", False),
        ("EU", True),
        ("18-month", True),
        ("SOP", None),
    ],
)
def test_the_article_follows_the_sound_of_the_next_word(word: str, an: bool | None) -> None:
    assert needs_an(word) is an


def test_a_wrong_article_is_reported_with_the_right_one(tmp_path: Path) -> None:
    body = "Access is granted on a {{ 'attribute-based' }} basis under an {{ 'BAA' }}."
    assert found(tmp_path, extra(body)) == [
        "msa/extra.md:8: Master Services Agreement: 'a attribute-based' should read "
        "'an attribute-based'",
        "msa/extra.md:8: Master Services Agreement: 'an BAA' should read 'a BAA'",
    ]


def test_a_preamble_naming_another_title_is_reported(tmp_path: Path) -> None:
    outline = OUTLINES["msa/_outline.yaml"].replace(
        'preamble: "This Agreement is between',
        'preamble: "This Subcontractor Master Services Agreement is between',
    )
    assert found(tmp_path, {"msa/_outline.yaml": outline}) == [
        "msa/_outline.yaml:3: Master Services Agreement: 'Subcontractor Master Services "
        "Agreement' is not the title of any of the agreements (Business Associate Agreement, "
        "Data Sharing and Processing Agreement, Exit Management and Knowledge Transfer "
        "Schedule, Intellectual Property Assignment Agreement, Master Services Agreement, "
        "Mutual Non-Disclosure Agreement)"
    ]


def test_terms_defined_but_unused_and_used_but_undefined_are_reported(tmp_path: Path) -> None:
    body = (
        "The vendor keeps a team (the “Core Team”).\n"
        "Nothing here limits the Confidential Information of either party."
    )
    assert found(tmp_path, extra(body)) == [
        "msa/extra.md:9: Master Services Agreement: 'Core Team' is defined but never used in "
        "this document",
        "msa/extra.md:9: Master Services Agreement: 'Confidential Information' is used as a "
        "defined term but this document does not define it",
    ]


@pytest.mark.parametrize(
    ("sentence", "unused"),
    [
        ("The Pre-Core Team meets weekly.", True),
        ("The PreCore Team meets weekly.", True),
        ("The Core Team_2 meets weekly.", True),
        ("The Core Teams meet weekly.", False),
        ("Weekly, the Core Team meets.", False),
    ],
)
def test_only_a_whole_word_counts_as_a_use_of_a_defined_term(
    tmp_path: Path, sentence: str, unused: bool
) -> None:
    body = f"The vendor keeps a team (the “Core Team”).\n{sentence}"
    expected = "msa/extra.md:8: Master Services Agreement: 'Core Team' is defined but never used"
    assert [p.startswith(expected) for p in found(tmp_path, extra(body))] == [True] * unused


def test_a_term_inside_a_longer_name_is_not_a_use(tmp_path: Path) -> None:
    body = "The Customer Data Protection Act and the Services Directive are statutes."
    assert found(tmp_path, extra(body)) == []


def test_a_country_the_engagement_does_not_involve_is_reported(tmp_path: Path) -> None:
    body = "Taxes follow Indian GST rules.\nThe vendor works from the Philippines."
    result = found(tmp_path, extra(body, note="Check Kenya registration."))
    assert result == [
        "msa/extra.md:10: Master Services Agreement: the text names 'Indian', a country this "
        "engagement does not involve (not the vendor's, a delivery location or a "
        "sub-processor's)",
        "msa/extra.md:7: Master Services Agreement: the review note names 'Kenya', a country "
        "this engagement does not involve (not the vendor's, a delivery location or a "
        "sub-processor's)",
    ]


def test_statutory_wording_is_checked(tmp_path: Path) -> None:
    body = (
        "Under 18 U.S.C. 1833(b), an individual is not held liable for a disclosure.\n\n"
        "Each contract contains the notice required by 18 U.S.C. 1833(b)."
    )
    assert found(tmp_path, extra(body)) == [
        "msa/extra.md:8: Master Services Agreement: 18 U.S.C. 1833(b)(1) reads 'shall not be "
        "held criminally or civilly liable'",
        "msa/extra.md:10: Master Services Agreement: the immunity notice is 'the notice "
        "described in 18 U.S.C. 1833(b)(3)'",
    ]


def test_a_broken_join_in_the_printed_text_is_reported(tmp_path: Path) -> None:
    body = "This survives under the Agreement{{ ', ' }}; and the the rest."
    assert found(tmp_path, extra(body)) == [
        "msa/extra.md:8: Master Services Agreement: a list item is missing: a comma runs into "
        "punctuation: “…s survives under the Agreement, ; and the the rest.…”",
        "msa/extra.md:8: Master Services Agreement: a word is doubled: “…es under the Agreement, "
        "; and the the rest.…”",
    ]


def test_sentences_run_together_are_reported(tmp_path: Path) -> None:
    body = "The mask is compared with the gold mask.{{ 'A label' }} is correct when it matches."
    assert found(tmp_path, extra(body)) == [
        "msa/extra.md:8: Master Services Agreement: two sentences run together with no space: "
        "“…is compared with the gold mask.A label is correct when it matc…”"
    ]


def test_two_scc_clause_9_options_are_reported(tmp_path: Path) -> None:
    body = (
        "For Clause 9(a), Option 2 (general written authorization) applies.\n\n"
        "Each new sub-processor needs consent under Clause 9(a), Option 1."
    )
    assert found(tmp_path, extra(body)) == [
        "msa/extra.md:10: Master Services Agreement: SCC Clause 9(a) is completed with Option 1 "
        "and Option 2; choose one and refer to it everywhere"
    ]
