"""``contractkit init``: a commented spec (or a shipped example) that never replaces a file."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import BaseModel

from contractkit.cli import main
from contractkit.loader import load_spec
from contractkit.schema_docs import _model
from contractkit.spec import Spec

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "examples" / "reference.yaml"
EXISTS = "already exists; choose another path or remove it first"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current directory inside tmp_path.

    (Click 8.5 deprecates ``CliRunner.isolated_filesystem``; this is what it recommends.)
    """
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def models(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    """``model`` and every model reachable from its fields."""
    seen: set[type[BaseModel]] = set()
    todo = [model]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        yield current
        todo += [m for f in current.model_fields.values() if (m := _model(f.annotation))]


def test_init_writes_engagement_yaml_in_the_current_directory(
    runner: CliRunner, workdir: Path
) -> None:
    result = runner.invoke(main, ["init"])

    assert result.stderr.splitlines() == [
        "wrote engagement.yaml",
        "next: contractkit validate engagement.yaml, then contractkit build engagement.yaml",
    ]
    assert result.stdout == ""
    assert result.exit_code == 0
    assert sorted(p.name for p in workdir.iterdir()) == ["engagement.yaml"]


def test_init_output_validates_and_is_the_reference_spec(runner: CliRunner, workdir: Path) -> None:
    runner.invoke(main, ["init"])

    result = runner.invoke(main, ["validate", "engagement.yaml"])

    # The reference's one warning, at the first workload's "critical: true" in the new file.
    lines = (workdir / "engagement.yaml").read_text(encoding="utf-8").splitlines()
    line = lines.index("    critical: true") + 1
    assert result.stderr.splitlines() == [
        f"engagement.yaml:{line}:15: workloads[0].critical: warning: critical workload "
        "'ct-segmentation' has no secondary_vendor: the program depends on one vendor",
        "engagement.yaml: valid (1 warning)",
    ]
    assert result.exit_code == 0
    assert load_spec(workdir / "engagement.yaml").spec == load_spec(REFERENCE).spec


def test_init_output_names_every_field_of_every_model(runner: CliRunner, workdir: Path) -> None:
    runner.invoke(main, ["init"])
    text = (workdir / "engagement.yaml").read_text(encoding="utf-8")

    # A key, a commented-out key or a list item's first key: "name:", "# name:", "- name:".
    keys = set(re.findall(r"^[ #-]*([a-z_0-9]+):", text, re.MULTILINE))
    missing = [
        f"{model.__name__}.{name}"
        for model in models(Spec)
        for name in model.model_fields
        if name not in keys
    ]

    assert missing == []


def test_init_output_explains_every_line(runner: CliRunner, workdir: Path) -> None:
    runner.invoke(main, ["init"])
    lines = (workdir / "engagement.yaml").read_text(encoding="utf-8").splitlines()

    unexplained = [
        line
        for before, line in itertools.pairwise(lines)
        if line.strip()
        and not line.lstrip().startswith("#")
        and not before.lstrip().startswith("#")
    ]

    assert unexplained == []


def test_init_refuses_to_overwrite(runner: CliRunner, workdir: Path) -> None:
    (workdir / "engagement.yaml").write_text("mine\n", encoding="utf-8")

    result = runner.invoke(main, ["init"])

    assert result.stderr.splitlines() == [f"engagement.yaml: {EXISTS}"]
    assert result.exit_code == 1
    assert (workdir / "engagement.yaml").read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in workdir.iterdir()) == ["engagement.yaml"]


def test_init_example_refuses_to_overwrite(runner: CliRunner, workdir: Path) -> None:
    (workdir / "spec.yaml").write_text("mine\n", encoding="utf-8")

    result = runner.invoke(main, ["init", "--example", "reference", "spec.yaml"])

    assert result.stderr.splitlines() == [f"spec.yaml: {EXISTS}"]
    assert result.exit_code == 1
    assert (workdir / "spec.yaml").read_text(encoding="utf-8") == "mine\n"


def test_init_example_reference_is_the_shipped_file_byte_for_byte(
    runner: CliRunner, workdir: Path
) -> None:
    result = runner.invoke(main, ["init", "--example", "reference"])

    assert result.stderr.splitlines() == [
        "wrote engagement.yaml",
        "next: contractkit validate engagement.yaml, then contractkit build engagement.yaml",
    ]
    assert result.exit_code == 0
    assert (workdir / "engagement.yaml").read_bytes() == REFERENCE.read_bytes()


@pytest.mark.parametrize("name", ["lidar-project", "speech-flex"])
def test_init_other_examples_to_a_named_path(runner: CliRunner, workdir: Path, name: str) -> None:
    result = runner.invoke(main, ["init", "--example", name, f"specs/{name}.yaml"])

    assert result.exit_code == 0
    written = workdir / "specs" / f"{name}.yaml"
    assert written.read_bytes() == (ROOT / "examples" / f"{name}.yaml").read_bytes()


def test_init_unknown_example(runner: CliRunner, workdir: Path) -> None:
    result = runner.invoke(main, ["init", "--example", "nope"])

    assert result.stderr.splitlines() == [
        "contractkit: unknown example 'nope'; choose one of: lidar-project, reference, speech-flex"
    ]
    assert result.exit_code == 1
    assert list(workdir.iterdir()) == []
