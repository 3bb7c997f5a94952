"""Clause files stay easy to review as text: named after their id, one sentence per line.

A reviewer compares two versions of a clause with an ordinary line diff, so a changed
sentence should show up as one changed line, and a file should be found by its clause id.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from contractkit.library import ClauseFile, ClausePosition, load_library
from contractkit.markup import parse_blocks
from contractkit.resources import data_dir
from contractkit.templating import make_environment
from contractkit.tree import ListItem, NumberedList, Paragraph, Run

POSITION_SUFFIX = {
    ClausePosition.any: "",
    ClausePosition.customer_favourable: "-customer",
    ClausePosition.balanced: "-balanced",
}

# Words that end in a full stop without ending the sentence.
ABBREVIATIONS = {
    "Art",
    "Cal",
    "Civ",
    "Co",
    "Corp",
    "Inc",
    "Ltd",
    "No",
    "Nos",
    "Reg",
    "Sec",
    "Stat",
    "cf",
    "e.g",
    "etc",
    "i.e",
    "para",
    "v",
    "vs",
}

LIST_MARKER = re.compile(r"^\s*\d+[.)]\s+")
# A full stop, then spaces or Jinja statements, then the start of another sentence: a
# capital letter, an opening quotation mark or an inserted value.
SENTENCE_BREAK = re.compile(r"(\S*)\.(?: |\{%[^%]*%\})+ *(?:[A-Z“]|\{\{)")


def builtin_clauses() -> list[ClauseFile]:
    files = load_library().all_clause_files
    assert len(files) > 100
    return files


def expected_name(clause: ClauseFile) -> str:
    """``msa.liability_cap`` at position ``balanced`` lives in ``msa/liability-cap-balanced.md``."""
    document, _, name = clause.meta.id.partition(".")
    return f"{document}/{name.replace('_', '-')}{POSITION_SUFFIX[clause.meta.position]}.md"


def sentence_breaks(line: str) -> list[str]:
    """The places in one body line where a sentence ends and another begins."""
    if line.lstrip().startswith("|"):  # a table row cannot be split over lines
        return []
    found = []
    for match in SENTENCE_BREAK.finditer(LIST_MARKER.sub("", line, count=1)):
        word = match.group(1).lstrip("(“*_")
        if word in ABBREVIATIONS or re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", word):
            continue
        found.append(match.group(0))
    return found


def test_every_clause_file_is_named_after_its_id() -> None:
    root = data_dir("clauses")
    wrong = [
        f"{clause.path.relative_to(root).as_posix()} should be {expected_name(clause)}"
        for clause in builtin_clauses()
        if clause.path.relative_to(root).as_posix() != expected_name(clause)
    ]
    assert wrong == []


def test_position_variants_carry_their_position_in_the_name() -> None:
    names = {
        (c.meta.id, c.meta.position): Path(c.path).name
        for c in builtin_clauses()
        if c.meta.id == "msa.liability_cap"
    }
    assert names == {
        ("msa.liability_cap", ClausePosition.customer_favourable): "liability-cap-customer.md",
        ("msa.liability_cap", ClausePosition.balanced): "liability-cap-balanced.md",
    }


@pytest.mark.parametrize(
    ("line", "breaks"),
    [
        ("It ends here. Another starts.", ["here. A"]),
        ("It ends here.{% endif %} Another starts.", ["here.{% endif %} A"]),
        ("It ends here. {{ vendor.short_name }} starts.", ["here. {{"]),
        ("1. For a Workload priced per task, the rate.", []),
        ("subject to the U.S. Export Administration Regulations.", []),
        ("as in e.g. Schedule 2 and Art. The third.", []),
        ("**Purpose.** To produce labeled data.", []),
        ("| Cell one. Cell two. |", []),
    ],
)
def test_sentence_break_detection(line: str, breaks: list[str]) -> None:
    assert sentence_breaks(line) == breaks


def test_every_clause_body_has_one_sentence_per_line() -> None:
    crowded = []
    lines_checked = 0
    for clause in builtin_clauses():
        for offset, line in enumerate(clause.body.splitlines()):
            lines_checked += 1
            for found in sentence_breaks(line):
                crowded.append(f"{clause.path.name}:{clause.body_line + offset}: {found!r}")
    assert lines_checked > 500
    assert crowded == []


def no_refs(target: str) -> list[Run]:
    raise AssertionError(f"unexpected reference {target}")


def test_markdown_reader_joins_a_paragraph_written_over_two_lines() -> None:
    one_line = parse_blocks("The first sentence. The **second** one.\n", no_refs).blocks
    two_lines = parse_blocks("The first sentence.\nThe **second** one.\n", no_refs).blocks
    assert two_lines == one_line
    assert one_line == [
        Paragraph([Run("The first sentence. The "), Run("second", bold=True), Run(" one.")])
    ]


def test_markdown_reader_joins_an_indented_continuation_in_a_list_item() -> None:
    one_line = parse_blocks("1. It starts. It goes on.\n2. Next item.\n", no_refs).blocks
    two_lines = parse_blocks("1. It starts.\n   It goes on.\n2. Next item.\n", no_refs).blocks
    assert two_lines == one_line
    assert one_line == [
        NumberedList(
            [
                ListItem("(a)", 3, [Paragraph([Run("It starts. It goes on.")])]),
                ListItem("(b)", 3, [Paragraph([Run("Next item.")])]),
            ]
        )
    ]


@pytest.mark.parametrize(
    ("flag", "text"),
    [(True, "First. Second. Third."), (False, "First. Third.")],
)
def test_conditional_sentence_on_its_own_lines_renders_like_one_line(flag: bool, text: str) -> None:
    """Statement tags on lines of their own swallow their newline, so the sentences still join."""
    source = "First.\n{% if flag %}\nSecond.\n{% endif %}\nThird.\n"
    rendered = make_environment().template(source).render(flag=flag)
    assert parse_blocks(rendered, no_refs).blocks == [Paragraph([Run(text)])]
