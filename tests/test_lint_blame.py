"""``lint`` reports a problem once, at the file that caused it, in a clause author's words."""

from __future__ import annotations

import re
from pathlib import Path

from contractkit.lint import lint
from contractkit.resources import data_dir

from conftest import RunCli


def overlay_without_satisfies(tmp_path: Path) -> Path:
    builtin = (data_dir("clauses") / "msa" / "acceptance.md").read_text(encoding="utf-8")
    text = re.sub(r"^satisfies: .*\n", "", builtin, count=1, flags=re.MULTILINE)
    assert text != builtin
    target = tmp_path / "firm" / "msa" / "acceptance.md"
    target.parent.mkdir(parents=True)
    target.write_text(text, encoding="utf-8")
    return target


def test_an_overlay_that_drops_satisfies_is_reported_at_the_overlay_once(
    tmp_path: Path, run_cli: RunCli
) -> None:
    overlay = overlay_without_satisfies(tmp_path)
    result = run_cli("lint", "--library", overlay.parent.parent)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{overlay}:2: satisfies: does not list requirement 'msa.acceptance', which the text it "
        f"replaces ({data_dir('clauses') / 'msa' / 'acceptance.md'}) meets, so no clause in the "
        "msa meets it; list it if this text still does",
        "lint: 1 problem",
    ]
    assert "requirements.yaml" not in result.stderr


def test_the_same_finding_in_several_engagements_is_one_problem(tmp_path: Path) -> None:
    folder = tmp_path / "firm" / "msa"
    folder.mkdir(parents=True)
    builtin = (data_dir("clauses") / "msa" / "acceptance.md").read_text(encoding="utf-8")
    body_start = builtin.index("---", 3) + 4
    (folder / "acceptance.md").write_text(
        builtin[:body_start] + "Text {{ vendor.nickname }}.\n", encoding="utf-8"
    )
    problems = [str(p) for p in lint([folder.parent])]
    assert problems == [
        f"{folder / 'acceptance.md'}:{builtin[:body_start].count(chr(10)) + 1}: undefined value: "
        "Vendor has no field 'nickname' (spec orbital-lidar-2027, both positions; spec "
        "acme-nimbus-2027, both positions; spec vocalis-speech-2027, both positions)"
    ]
