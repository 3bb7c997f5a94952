"""What each example's drafts say: the right documents, the spec's values in place, no residue."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from contractkit.assemble import assemble
from contractkit.library import load_library
from contractkit.loader import load_spec
from contractkit.tree import Block, DocumentTree, NumberedList, Paragraph, Run, Table

from helpers import EXAMPLES


def block_runs(blocks: list[Block]) -> Iterator[Run]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield from block.runs
        elif isinstance(block, NumberedList):
            stack = list(block.items)
            while stack:
                item = stack.pop(0)
                for paragraph in item.paragraphs:
                    yield from paragraph.runs
                stack[0:0] = item.children
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    yield from cell
                    yield Run(" | ")


def runs(tree: DocumentTree) -> Iterator[Run]:
    yield from block_runs(tree.preamble)
    yield from block_runs(list(tree.recitals))
    for article in (*tree.articles, *tree.schedules):
        for definition in article.definitions:
            yield from definition.runs
        for clause in article.clauses:
            yield Run(clause.title)
            yield from block_runs(clause.blocks)


def bundle(name: str) -> dict[str, str]:
    trees = assemble(load_spec(EXAMPLES / f"{name}.yaml").spec, load_library())
    return {t.key: " ".join("".join(r.text for r in runs(t)).split()) for t in trees}


@pytest.fixture(scope="module")
def reference() -> dict[str, str]:
    return bundle("reference")


@pytest.fixture(scope="module")
def lidar() -> dict[str, str]:
    return bundle("lidar-project")


@pytest.fixture(scope="module")
def speech() -> dict[str, str]:
    return bundle("speech-flex")


def test_reference_documents_and_values(reference: dict[str, str]) -> None:
    assert list(reference) == ["msa", "nda", "baa", "dpa", "ip_assignment", "exit_schedule"]
    msa, baa, exit_schedule, ip = (
        reference["msa"],
        reference["baa"],
        reference["exit_schedule"],
        reference["ip_assignment"],
    )
    assert "CT scan organ segmentation | twenty-four (24) hours" in msa
    assert (
        "On not less than five (5) days’ written notice, Acme may require Nimbus to increase the capacity"
        in msa
    )
    assert "by up to 50% above the baseline team" in msa
    assert "no case later than ten (10) days after discovery of the Breach" in baa
    assert "164.504(e)(5)" in baa
    assert (
        "means the period of ninety (90) days that begins on the date on which either party gives notice"
        in msa
    )
    assert (
        "Within thirty (30) days after the Transition Period ends, Nimbus shall return to Acme"
        in exit_schedule
    )
    assert "in the JSON and COCO formats" in exit_schedule
    assert "CT gold set of two thousand (2,000) items, owned by Acme" in reference["msa"]
    assert (
        "the CT gold set of two thousand (2,000) items, the NER adjudicated set of five hundred (500) items, the CT Segmentation SOP (version 3.2 and every later version)"
        in ip
    )
    assert "Acme owns the CT gold set and the NER adjudicated set" in exit_schedule
    assert "Indian Copyright Act" in ip
    assert all(
        "GDPR" not in text and "Standard Contractual Clauses" not in text
        for text in reference.values()
    )


def test_lidar_has_no_baa_no_surge_no_gdpr_and_uses_commercial_values(
    lidar: dict[str, str],
) -> None:
    assert list(lidar) == ["msa", "nda", "dpa", "ip_assignment", "exit_schedule"]
    everything = " ".join(lidar.values())
    for absent in (
        "surge",
        "Surge",
        "GDPR",
        "Business Associate",
        "Indian Copyright Act",
        "Protected Health Information",
    ):
        assert absent not in everything, absent
    assert "is limited to the greater of US$500,000 and the" in lidar["msa"]
    assert "US$2,000,000" in lidar["msa"]
    assert "means the period of forty-five (45) days" in lidar["msa"]


def test_speech_flex_has_module_three_ccpa_and_named_subprocessors(speech: dict[str, str]) -> None:
    dpa = speech["dpa"]
    assert "baa" not in speech
    assert (
        "Module Three applies because Vocalis processes that Personal Data on behalf of the EU Controllers"
        in dpa
    )
    assert "Module Two applies" not in dpa
    assert "including in Kenya and the Philippines" in dpa
    assert (
        "Manila Transcription Partners Inc. (the Philippines) and Nairobi Secure Hosting Ltd. (Kenya)"
        in dpa
    )
    assert "CCPA" in dpa
    assert all("surge" not in text.lower() for text in speech.values())


@pytest.mark.parametrize(
    ("name", "expected"), [("reference", 21), ("lidar-project", 11), ("speech-flex", 23)]
)
def test_open_points_are_counsel_markers_counted_per_example(name: str, expected: int) -> None:
    trees = assemble(load_spec(EXAMPLES / f"{name}.yaml").spec, load_library())
    markers = [r.text for t in trees for r in runs(t) if r.kind == "counsel"]
    assert len(markers) == expected
    assert all(m.startswith("[COUNSEL: ") and m.endswith("]") and len(m) > 12 for m in markers)


@pytest.mark.parametrize("name", ["reference", "lidar-project", "speech-flex"])
def test_no_residue_in_any_document(name: str) -> None:
    for key, text in bundle(name).items():
        for residue in ("None", "TBD", "[]", "{{", "{%", "\\*", "\\("):
            assert residue not in text, (name, key, residue)
