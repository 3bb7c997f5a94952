"""How a spec is read: YAML 1.2 scalars, versions kept as typed, JSON, and safe loading."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from contractkit.errors import SpecError
from contractkit.loader import load_spec
from contractkit.yamlread import parse

RunCli = Callable[..., Result]
WriteSpec = Callable[..., Path]

CT_SOP_VERSION = 'sop: {title: CT Segmentation SOP, version: "3.2",'


# --- YAML 1.2 ---------------------------------------------------------------------------------


def test_norway_stays_a_country_code(run_cli: RunCli, write_spec: WriteSpec) -> None:
    spec = write_spec(
        [
            ("country: IN    ", "country: NO    "),
            ("delivery_locations: [IN]", "delivery_locations: [NO, IN]"),
        ]
    )

    loaded = load_spec(spec).spec
    result = run_cli("validate", spec.name, cwd=spec.parent)

    assert loaded.vendor.country == "NO"
    assert loaded.vendor.delivery_locations == ["NO", "IN"]
    assert result.stderr.splitlines()[-1] == "engagement.yaml: valid (1 warning)"
    assert result.exit_code == 0


@pytest.mark.parametrize(
    ("written", "kept"),
    [("3.10", "3.10"), ("3", "3"), ("1.0", "1.0"), ("2.50", "2.50"), ('"3.2"', "3.2")],
)
def test_sop_version_is_kept_as_written(written: str, kept: str, write_spec: WriteSpec) -> None:
    spec = write_spec([(CT_SOP_VERSION, CT_SOP_VERSION.replace('"3.2"', written))])

    sop = load_spec(spec).spec.workloads[0].sop

    assert sop is not None
    assert sop.version == kept


def test_unquoted_version_validates_without_a_version_warning(
    run_cli: RunCli, write_spec: WriteSpec
) -> None:
    spec = write_spec([(CT_SOP_VERSION, CT_SOP_VERSION.replace('"3.2"', "3.10"))])

    result = run_cli("validate", spec.name, cwd=spec.parent)

    assert "has no version" not in result.stderr
    assert result.stderr.splitlines()[-1] == "engagement.yaml: valid (1 warning)"
    assert result.exit_code == 0


@pytest.mark.parametrize("word", ["yes", "No", "on", "OFF", "y", "n"])
def test_yaml_1_1_booleans_are_plain_text(word: str, write_spec: WriteSpec) -> None:
    spec = write_spec([("  short_name: Nimbus\n", f"  short_name: {word}\n")])

    assert load_spec(spec).spec.vendor.short_name == word


def test_numbers_follow_yaml_1_2(write_spec: WriteSpec) -> None:
    # 012 is twelve in YAML 1.2 (YAML 1.1 read it as octal ten); 1:30 is text, not ninety.
    spec = write_spec(
        [
            ("term_months: 24", "term_months: 012"),
            ("  short_name: Nimbus\n", "  short_name: 1:30\n"),
        ]
    )

    loaded = load_spec(spec).spec

    assert loaded.engagement.term_months == 12
    assert loaded.vendor.short_name == "1:30"


def test_dates_are_read_as_dates(write_spec: WriteSpec) -> None:
    assert load_spec(write_spec()).spec.engagement.effective_date == dt.date(2027, 1, 4)


def test_positions_are_one_based_line_and_column() -> None:
    doc = parse("contractkit: 1\nengagement:\n  id: x\n  list: [a, b]\n", "spec.yaml")

    assert doc.key_positions[("engagement", "id")] == (3, 3)
    assert doc.positions[("engagement", "id")] == (3, 7)
    assert doc.positions[("engagement", "list", 1)] == (4, 13)


def test_a_file_read_after_a_refused_one_is_read_on_its_own() -> None:
    """Files are read one after another in a process; a refusal midway leaves nothing behind."""
    refusals = [
        ("a: &x [1]\nb: *x\n", "bad.yaml:1:4: anchors and aliases"),
        ("a: [1, 2\nb: 3\n", "bad.yaml:2:2: YAML syntax error"),
        ("a:\n" + "  " * 40 + "[" * 200 + "\n", "bad.yaml:2:"),
    ]
    for text, start in refusals:
        with pytest.raises(SpecError) as caught:
            parse(text, "bad.yaml")
        assert str(caught.value.problems[0]).startswith(start)
        doc = parse("contractkit: 1\nengagement:\n  id: x\n", "good.yaml")
        assert doc.data == {"contractkit": 1, "engagement": {"id": "x"}}
        assert doc.positions[("engagement", "id")] == (3, 7)


# --- JSON ---------------------------------------------------------------------------------------


def test_json_spec_validates(run_cli: RunCli, write_spec: WriteSpec) -> None:
    data = parse(write_spec().read_text(encoding="utf-8"), "reference.yaml").data
    spec = write_spec(name="engagement.json", text=json.dumps(data, indent=2))

    result = run_cli("validate", spec.name, cwd=spec.parent)

    assert load_spec(spec).spec == load_spec(write_spec()).spec
    assert result.stderr.splitlines()[-1] == "engagement.json: valid (1 warning)"
    assert result.exit_code == 0


def test_json_errors_are_located(run_cli: RunCli, write_spec: WriteSpec) -> None:
    data = parse(write_spec().read_text(encoding="utf-8"), "reference.yaml").data
    data["engagement"]["term_month"] = data["engagement"].pop("term_months")
    spec = write_spec(name="engagement.json", text=json.dumps(data, indent=2))

    result = run_cli("validate", spec.name, cwd=spec.parent)

    # In the indented JSON, "term_month" is the last key of "engagement" (line 13).
    assert result.stderr.splitlines() == [
        "engagement.json:19:5: engagement.term_month: unknown field 'term_month'; "
        "did you mean 'term_months'?",
        "engagement.json: invalid (1 error)",
    ]
    assert result.exit_code == 1


# --- Safe loading -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/new:os.system",
        "tag:yaml.org,2002:python/object/apply:os.system",
    ],
)
def test_python_tags_are_refused_and_nothing_runs(
    tag: str, run_cli: RunCli, write_spec: WriteSpec, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    command = json.dumps([f"touch {marker}"])
    spec = write_spec(
        [
            (
                "  title: Medical imaging and clinical text annotation services",
                f"  title: !<{tag}> {command}"
                if tag.startswith("tag:")
                else f"  title: {tag} {command}",
            )
        ]
    )

    result = run_cli("validate", spec.name, cwd=spec.parent)

    assert result.stderr.splitlines() == [
        f"engagement.yaml:7:10: tag '{tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed "
        "in a spec",
        "engagement.yaml: invalid (1 error)",
    ]
    assert result.exit_code == 1
    assert not marker.exists()


def test_a_whole_document_that_is_a_python_object_is_refused(
    write_spec: WriteSpec, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    spec = write_spec(text=f'!!python/object/apply:os.system ["touch {marker}"]\n')

    with pytest.raises(SpecError) as caught:
        load_spec(spec)

    assert [str(p) for p in caught.value.problems] == [
        f"{spec}:1:1: tag '!!python/object/apply:os.system' is not allowed in a spec"
    ]
    assert not marker.exists()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("!!binary aGVsbG8=", "!!binary"),
        ("!include other.yaml", "!include"),
        ("!!set {a}", "!!set"),
    ],
)
def test_other_tags_are_refused(value: str, shown: str, write_spec: WriteSpec) -> None:
    spec = write_spec([("  short_name: Nimbus\n", f"  short_name: {value}\n")])

    with pytest.raises(SpecError) as caught:
        load_spec(spec)

    assert [str(p) for p in caught.value.problems] == [
        f"{spec}:30:15: tag '{shown}' is not allowed in a spec"
    ]


def test_alias_bomb_is_refused_at_the_first_anchor(write_spec: WriteSpec) -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    levels += [
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)
    ]
    spec = write_spec(text="contractkit: 1\n" + "\n".join(levels) + "\n")

    with pytest.raises(SpecError) as caught:
        load_spec(spec)

    assert [str(p) for p in caught.value.problems] == [
        f"{spec}:2:4: anchors and aliases (& and *) are not supported; write the value out"
    ]


def test_keys_must_be_plain_names(write_spec: WriteSpec) -> None:
    spec = write_spec(text="contractkit: 1\n? [a, b]\n: 1\n")

    with pytest.raises(SpecError) as caught:
        load_spec(spec)

    assert [str(p) for p in caught.value.problems] == [f"{spec}:2:3: keys must be plain names"]
