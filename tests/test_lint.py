"""``contractkit lint`` catches each kind of library defect, with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractkit.lint import lint

from helpers import CLAUSES, LIDAR, OUTLINES, write_tree

SPEC_DOCS = "documents: [msa, nda]\n"


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(LIDAR.read_text(encoding="utf-8") + "\n" + SPEC_DOCS, encoding="utf-8")
    return path


def run_lint(tmp_path: Path, spec: Path, extra: dict[str, str]) -> list[str]:
    library = write_tree(tmp_path / "lib", {**OUTLINES, **CLAUSES, **extra})
    problems = lint([library], [spec], builtin=False)
    return [str(p).replace(f"{library}/", "") for p in problems]


def clause(body: str, **front: str) -> str:
    meta = {
        "id": "msa.extra",
        "document": "msa",
        "title": "Extra",
        "version": "1.0.0",
        "after": "msa.quality",
    }
    meta.update(front)
    head = "".join(f"{k}: {v}\n" for k, v in meta.items() if v)
    return f"---\n{head}---\n{body}\n"


def test_the_mini_library_is_clean(tmp_path: Path, spec: Path) -> None:
    assert run_lint(tmp_path, spec, {}) == []


@pytest.mark.parametrize(
    ("name", "files", "expected"),
    [
        (
            "bad-front-matter",
            {"msa/extra.md": clause("Text.", version='"1.0"', colour="blue")},
            [
                "msa/extra.md:5:10: version: '1.0' is not a version: three whole numbers separated by dots, e.g. 1.0.0",
                "msa/extra.md:7:1: colour: unknown field 'colour'; expected one of: id, document, title, version, applies_when, position, satisfies, defines, after, note, playbook",
            ],
        ),
        (
            "id-of-another-document",
            {"msa/extra.md": clause("Text.", id="nda.extra")},
            ["msa/extra.md:2:1: clause id 'nda.extra' must start with 'msa.'"],
        ),
        (
            "duplicate-id",
            {"msa/a.md": clause("A."), "msa/b.md": clause("B.")},
            ["msa/b.md:2: duplicate clause id 'msa.extra' (position any); also in msa/a.md"],
        ),
        (
            "outline-names-missing-clause",
            {
                "nda/_outline.yaml": OUTLINES["nda/_outline.yaml"].replace(
                    "[nda.obligations]", "[nda.obligations, nda.missing]"
                )
            },
            [
                "nda/_outline.yaml:8:32: articles[1].clauses[1]: outline names clause 'nda.missing', which does not exist"
            ],
        ),
        (
            "dangling-ref",
            {"msa/extra.md": clause("See {{ ref('msa.nowhere') }}.")},
            ["msa/extra.md:8: ref('msa.nowhere') points at a clause that does not exist"],
        ),
        (
            "impossible-ref",
            {"msa/extra.md": clause("See {{ ref('msa.phi_only') }}.")},
            [
                "msa/extra.md:8: ref('msa.phi_only') points at a clause left out of this engagement: its applies_when (has_phi) is false (spec orbital-lidar-2027, both positions)",
            ],
        ),
        (
            "undefined-term",
            {"msa/extra.md": clause("Uses {{ term('Mystery') }}.")},
            ["msa/extra.md:8: term 'Mystery' is used but never defined"],
        ),
        (
            "conflicting-definition",
            {"msa/extra.md": clause("Text.", defines="{Services: 'something else entirely'}")},
            ["msa/extra.md:7: term 'Services' is defined differently in definitions.yaml:1"],
        ),
        (
            "undefined-variable",
            {"msa/extra.md": clause("Text {{ vendor.nickname }}.")},
            [
                "msa/extra.md:8: undefined value: Vendor has no field 'nickname' (spec orbital-lidar-2027, both positions)",
            ],
        ),
        (
            "unsupported-markdown",
            {"msa/extra.md": clause("Text.\n\n- a bullet")},
            [
                "msa/extra.md:10: bullet lists are not supported; use a numbered list (1.) (spec orbital-lidar-2027, both positions)",
            ],
        ),
        (
            "clause-in-no-outline",
            {"msa/extra.md": clause("Text.", after="")},
            [
                "msa/extra.md:2: clause 'msa.extra' is in no outline and has no 'after:'; it would never be printed"
            ],
        ),
        (
            "unknown-requirement",
            {"msa/extra.md": clause("Text.", satisfies="[msa.no-such-thing]")},
            ["msa/extra.md:7: satisfies: unknown requirement 'msa.no-such-thing'"],
        ),
        (
            "uncovered-requirement",
            {
                "requirements.yaml": "- id: msa.pilot\n  citation: Market practice\n  summary: A pilot.\n  document: msa\n"
            },
            [
                "requirements.yaml:1: requirement 'msa.pilot' applies but no clause in the msa satisfies it (spec orbital-lidar-2027, both positions)",
            ],
        ),
    ],
)
def test_each_defect_is_reported_with_file_and_line(
    tmp_path: Path, spec: Path, name: str, files: dict[str, str], expected: list[str]
) -> None:
    library = tmp_path / "lib"
    assert run_lint(tmp_path, spec, files) == [e.replace("{lib}", str(library)) for e in expected]
