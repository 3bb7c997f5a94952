"""A mistake in the clause library is reported in the words a spec's author gets, at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractkit.errors import LibraryError
from contractkit.library import load_library

from conftest import RunCli
from helpers import write_tree

CLAUSE = """
    ---
    id: msa.extra
    document: msa
    title: Extra
    version: 1.0.0
    after: msa.services
    ---
    Text.
    """


def library_errors(tmp_path: Path, files: dict[str, str]) -> list[str]:
    """Every line reported for a folder holding ``files``, read as a library of its own."""
    folder = write_tree(tmp_path / "lib", files)
    with pytest.raises(LibraryError) as caught:
        load_library([folder], builtin=False)
    return [str(p).replace(f"{folder}/", "") for p in caught.value.problems]


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        (
            ("id: msa.extra", "id: msa.Extra-Clause"),
            "msa/extra.md:2:5: id: 'msa.Extra-Clause' is not a valid clause id: the document key, "
            "a dot and a name in lower-case letters, digits and underscores, e.g. msa.governing_law",
        ),
        (
            ("title: Extra", "titel: Extra"),
            "msa/extra.md:4:1: titel: unknown field 'titel'; did you mean 'title'?",
        ),
        (
            ("version: 1.0.0", "version: 1.0-beta"),
            "msa/extra.md:5:10: version: '1.0-beta' is not a version: three whole numbers "
            "separated by dots, e.g. 1.0.0",
        ),
        (
            ("version: 1.0.0", "version: 1.0"),
            "msa/extra.md:5:10: version: must be text; got 1.0",
        ),
        (
            ("document: msa", "document: mas"),
            "msa/extra.md:3:11: document: must be 'msa', 'nda', 'baa', 'dpa', 'ip_assignment' or "
            "'exit_schedule'; got 'mas'; did you mean 'msa'?",
        ),
        (
            ("    title: Extra\n", ""),
            "msa/extra.md:2:1: title: required field 'title' is missing",
        ),
    ],
)
def test_front_matter_errors_are_humane_and_located(
    tmp_path: Path, front: tuple[str, str], expected: str
) -> None:
    text = CLAUSE.replace(*front)
    assert text != CLAUSE

    assert library_errors(tmp_path, {"msa/extra.md": text}) == [expected]


def test_outline_errors_name_the_field_inside_its_article(tmp_path: Path) -> None:
    outline = """
        document: nda
        title: Mutual Non-Disclosure Agreement
        preamble: Between the parties.
        articles:
          - titel: Definitions
            definitions: yes please
        """

    assert library_errors(tmp_path, {"nda/_outline.yaml": outline}) == [
        "nda/_outline.yaml:5:5: articles[0].titel: unknown field 'titel'; did you mean 'title'?",
        "nda/_outline.yaml:6:18: articles[0].definitions: must be true or false; got 'yes please'",
    ]


def test_definition_errors_name_the_term(tmp_path: Path) -> None:
    definitions = """
        Widget: ""
        Gadget: {definition: A gadget., applies-when: has_phi}
        Gizmo: 3
        """

    assert library_errors(tmp_path, {"definitions.yaml": definitions}) == [
        "definitions.yaml:1:9: Widget: must not be empty",
        "definitions.yaml:2:33: Gadget.applies-when: unknown field 'applies-when'; "
        "did you mean 'applies_when'?",
        "definitions.yaml:3:8: Gizmo: must be a mapping of fields (name: value); got 3",
    ]


def test_requirement_errors_name_the_entry(tmp_path: Path) -> None:
    requirements = """
        - id: hipaa.safeguards
          citation: 45 CFR 164.314(a)
          summary: Safeguards.
          document: baa
        - id: Hipaa.Reporting
          citation: 45 CFR 164.410
          summary: Reporting.
          document: bba
        """

    assert library_errors(tmp_path, {"requirements.yaml": requirements}) == [
        "requirements.yaml:5:7: [1].id: 'Hipaa.Reporting' is not a valid requirement id: a "
        "lower-case prefix, a dot and a name in lower-case letters, digits and hyphens, "
        "e.g. hipaa.permitted-uses",
        "requirements.yaml:8:13: [1].document: must be 'msa', 'nda', 'baa', 'dpa', "
        "'ip_assignment' or 'exit_schedule'; got 'bba'; did you mean 'baa'?",
    ]


def test_the_command_line_prints_each_library_error_and_exits_1(
    tmp_path: Path, run_cli: RunCli
) -> None:
    folder = write_tree(tmp_path / "firm", {"msa/extra.md": CLAUSE.replace("title:", "titel:")})

    result = run_cli("clauses", "list", "--library", folder)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"{folder}/msa/extra.md:4:1: titel: unknown field 'titel'; did you mean 'title'?\n"
    )
