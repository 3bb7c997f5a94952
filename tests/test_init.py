"""``contractkit init``: a commented spec (or a shipped example) that never replaces a file."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import BaseModel

from contractkit.assemble import assemble
from contractkit.cli import main
from contractkit.library import load_library
from contractkit.loader import load_spec
from contractkit.schema_docs import _model
from contractkit.spec import OperatingModel, Spec

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


def test_init_output_is_refused_at_each_placeholder_with_its_field_and_hint(
    runner: CliRunner, workdir: Path
) -> None:
    runner.invoke(main, ["init"])
    lines = (workdir / "engagement.yaml").read_text(encoding="utf-8").splitlines()

    result = runner.invoke(main, ["validate", "engagement.yaml"])

    placeholders = [i for i, line in enumerate(lines, 1) if '"REPLACE: ' in line]
    errors = result.stderr.splitlines()
    assert result.exit_code == 1
    assert errors[-1] == f"engagement.yaml: invalid ({len(placeholders)} errors)"
    assert [int(e.split(":")[1]) for e in errors[:-1]] == placeholders
    legal = lines.index('  legal_name: "REPLACE: full legal name of the customer"') + 1
    rate = lines.index(
        '      rate: "REPLACE: the price (the whole fee if fixed pricing): an amount in the '
        'engagement currency, as a number"'
    )
    subprocessor = lines.index('    - name: "REPLACE: legal name of the sub-processor"') + 1
    assert (
        f"engagement.yaml:{legal}:15: customer.legal_name: placeholder not replaced: full legal name of the customer"
        in errors
    )
    assert (
        f"engagement.yaml:{rate + 1}:13: workloads[0].pricing.rate: placeholder not replaced: "
        "the price (the whole fee if fixed pricing): an amount in the engagement currency, as a "
        "number"
    ) in errors
    assert (
        f"engagement.yaml:{subprocessor}:13: vendor.subprocessors[0].name: placeholder not "
        "replaced: legal name of the sub-processor"
    ) in errors
    values = "\n".join(lines)
    for example_value in ("Acme Health AI", "Nimbus Annotation", "Dana Whitfield", "CloudVault"):
        assert example_value not in values


def fill_placeholders(text: str) -> str:
    """Each placeholder replaced with a value of its field's kind."""
    amounts = {"rate", "amount", "liability_cap_amount", "exit_fee_cap"}
    amounts |= {"general_liability", "professional_liability", "cyber_liability"}

    def value(match: re.Match[str]) -> str:
        key = match.group(2)
        if "email" in key:
            return f"{match.group(1)}{key}: someone@example.com"
        if key == "location":
            return f"{match.group(1)}{key}: US"
        return f"{match.group(1)}{key}: {1000 if key in amounts else 'Sample Name'}"

    return re.sub(r'^([ -]*)([a-z_]+): "REPLACE: [^"]*"$', value, text, flags=re.MULTILINE)


@pytest.mark.parametrize("model", ["project", "dedicated_team", "flexible", "hybrid"])
def test_init_model_writes_a_skeleton_that_is_valid_once_placeholders_are_replaced(
    runner: CliRunner, workdir: Path, model: str
) -> None:
    result = runner.invoke(main, ["init", "--model", model, "spec.yaml"])
    assert result.exit_code == 0, result.stderr
    text = (workdir / "spec.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[1] == (
        f"# Operating model {model} (contractkit init --model "
        "project|dedicated_team|flexible|hybrid)."
    )
    assert runner.invoke(main, ["validate", "spec.yaml"]).exit_code == 1
    (workdir / "spec.yaml").write_text(fill_placeholders(text), encoding="utf-8")
    validated = runner.invoke(main, ["validate", "spec.yaml"])
    assert validated.exit_code == 0, validated.stderr
    assert '"REPLACE: ' not in (workdir / "spec.yaml").read_text(encoding="utf-8")
    spec = load_spec(workdir / "spec.yaml").spec
    assert spec.engagement.operating_model.value == model
    trees = assemble(spec, load_library())
    assert "msa" in [t.key for t in trees]


def test_init_model_and_example_are_exclusive_and_models_match_the_enum(
    runner: CliRunner, workdir: Path
) -> None:
    from contractkit.cli import OPERATING_MODELS

    assert tuple(m.value for m in OperatingModel) == OPERATING_MODELS
    both = runner.invoke(main, ["init", "--model", "project", "--example", "reference"])
    assert both.exit_code == 2
    assert both.stderr.splitlines()[-1] == (
        "Error: --example writes a shipped example as it is; drop --model"
    )
    typo = runner.invoke(main, ["init", "--model", "dedicated-team"])
    assert typo.exit_code == 2
    assert typo.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--model': 'dedicated-team' is not one of 'project', "
        "'dedicated_team', 'flexible', 'hybrid'; did you mean 'dedicated_team'?"
    )
    assert list(workdir.iterdir()) == []


def test_init_help_lists_the_examples(runner: CliRunner) -> None:
    result = runner.invoke(main, ["init", "--help"])
    assert result.exit_code == 0
    # Help text wraps, also at a hyphen; compare without the spaces.
    expected = "Write a shipped example verbatim: lidar-project, reference, speech-flex."
    assert "".join(expected.split()) in "".join(result.stdout.split())


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


def test_init_example_reference_is_the_shipped_file_byte_for_byte_in_reference_yaml(
    runner: CliRunner, workdir: Path
) -> None:
    result = runner.invoke(main, ["init", "--example", "reference"])

    assert result.stderr.splitlines() == [
        "wrote reference.yaml",
        "next: contractkit validate reference.yaml, then contractkit build reference.yaml",
    ]
    assert result.exit_code == 0
    assert sorted(p.name for p in workdir.iterdir()) == ["reference.yaml"]
    assert (workdir / "reference.yaml").read_bytes() == REFERENCE.read_bytes()


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
    typo = runner.invoke(main, ["init", "--example", "lidar"])
    assert typo.stderr.splitlines() == [
        "contractkit: unknown example 'lidar'; choose one of: lidar-project, reference, "
        "speech-flex; did you mean 'lidar-project'?"
    ]
    assert result.exit_code == 1
    assert list(workdir.iterdir()) == []
