"""The README's command table and set-up paragraph stay true to the command line and CI."""

from __future__ import annotations

import re

from contractkit.cli_docs import END, START, command_table_markdown

from helpers import ROOT

README = ROOT / "README.md"


def test_the_command_table_is_generated_from_the_command_line() -> None:
    readme = README.read_text(encoding="utf-8")
    assert readme.count(START) == 1 and readme.count(END) == 1
    table = readme.split(START, 1)[1].split(END, 1)[0]
    assert table == command_table_markdown(), (
        "the README's command table is stale; rewrite it with "
        "'python -m contractkit.cli_docs README.md'"
    )
    checklist = next(line for line in table.splitlines() if "`contractkit checklist" in line)
    assert "[--templates DIR]" in checklist and "[--output FILE]" in checklist
    build = next(line for line in table.splitlines() if "`contractkit build" in line)
    assert "[--strict]" in build and "[--library DIR]..." in build


def test_the_set_up_paragraph_names_every_system_package_ci_installs() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    (line,) = re.findall(r"apt-get install -y -qq ([^>]+?) >", script)
    packages = line.split()
    assert "libharfbuzz-subset0" in packages
    set_up = README.read_text(encoding="utf-8").split("## A tour of the spec")[0]
    assert [p for p in packages if f"`{p}`" not in set_up] == []
