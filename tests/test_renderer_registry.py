"""A new output format is one renderer and one registration: build, CLI and manifest follow."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from contractkit import render
from contractkit.errors import Problem
from contractkit.render.house import HouseTemplates
from contractkit.tree import DocumentTree, Paragraph

from conftest import REFERENCE, RunCli

STEMS = ["msa", "nda", "baa", "dpa", "ip-assignment", "exit-schedule"]
REPORTS = ["review-notes.md", "coverage.md", "checklist.md", "checklist.json", "playbook.md"]


class TxtRenderer:
    """Plain text: the title, then each heading and paragraph on its own line."""

    kind = "txt"
    template_names: tuple[str, ...] = ()
    cost = 1

    def render(self, tree: DocumentTree, templates: HouseTemplates) -> bytes:
        lines = [tree.title]
        for article in [*tree.articles, *tree.schedules]:
            lines.append(f"{article.number} {article.heading}")
            for clause in article.clauses:
                lines.append(f"{clause.number} {clause.title}")
                lines += [b.text for b in clause.blocks if isinstance(b, Paragraph)]
        return ("\n".join(lines) + "\n").encode("utf-8")

    def warm_up(self) -> None:
        """Nothing to load."""

    def check_templates(self, templates: HouseTemplates) -> list[Problem]:
        return []


@pytest.fixture
def txt_format() -> Iterator[None]:
    render.register(TxtRenderer())
    try:
        yield
    finally:
        render.unregister("txt")


@pytest.mark.usefixtures("txt_format")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_registered_format_is_built_and_listed_in_the_manifest(
    tmp_path: Path, run_cli: RunCli, jobs: str
) -> None:
    assert render.formats() == ("docx", "pdf", "txt")
    result = run_cli("build", REFERENCE, "-o", tmp_path, "--format", "txt", "--jobs", jobs)
    assert result.exit_code == 0, result.stderr
    folder = tmp_path / "acme-nimbus-2027"
    names = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    # The internal checklist is printed as PDF only, so a txt-only build has none.
    expected = [f"{s}.txt" for s in STEMS] + [f"internal/{n}" for n in REPORTS]
    expected += [f"internal/trees/{s}.json" for s in STEMS]
    assert names == sorted([*expected, "internal/manifest.json"])
    manifest = json.loads((folder / "internal" / "manifest.json").read_text(encoding="utf-8"))
    assert [f["path"] for f in manifest["files"]] == sorted(expected)
    lines = (folder / "msa.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Master Services Agreement"
    assert lines[1:4] == ["1 Definitions", "2 Services", "2.1 Services"]
    assert lines[4].startswith("Nimbus shall perform the Services for each Workload")
    again = run_cli("build", REFERENCE, "-o", tmp_path, "--format", "txt")
    assert again.exit_code == 0, again.stderr
    assert "acme-nimbus-2027: up to date" in again.stderr


def test_an_unregistered_format_is_refused(tmp_path: Path, run_cli: RunCli) -> None:
    result = run_cli("build", REFERENCE, "-o", tmp_path, "--format", "docx,txt")
    assert result.exit_code == 2
    assert "'txt' is not a format (docx, pdf)" in result.stderr
    assert not tmp_path.joinpath("acme-nimbus-2027").exists()


def test_commands_that_render_nothing_import_no_renderer_library(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from contractkit.cli import main\n"
        f"for args in (['--version'], ['validate', {str(REFERENCE)!r}]):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit as exit:\n"
        "        assert not exit.code, exit.code\n"
        "print(sorted({'weasyprint', 'docx', 'docxtpl'} & set(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
