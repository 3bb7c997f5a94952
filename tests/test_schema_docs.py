"""``contractkit schema`` and the generated text committed beside it (field reference, README)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from contractkit.documents import DOCUMENTS, document_table_markdown
from contractkit.spec import Spec

RunCli = Callable[..., Result]

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def schema(run_cli: RunCli) -> dict[str, Any]:
    result = run_cli("schema")
    assert result.exit_code == 0
    assert result.stderr == ""
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def properties(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every ``properties`` entry anywhere in a schema, with a path naming it."""
    if isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            yield f"{where}.{name}", prop
        for key, value in node.items():
            if key != "properties":
                yield from properties(value, f"{where}/{key}")
        for name, prop in node.get("properties", {}).items():
            yield from properties(prop, f"{where}.{name}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from properties(item, f"{where}[{i}]")


def test_schema_is_json_schema_draft_2020_12(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert sorted(schema["properties"]) == sorted(Spec.model_fields)


def test_every_field_has_a_description(schema: dict[str, Any]) -> None:
    found = list(properties(schema))
    undescribed = [where for where, prop in found if not prop.get("description")]

    assert len(found) > 100
    assert undescribed == []


def test_every_object_refuses_unknown_keys(schema: dict[str, Any]) -> None:
    objects = {"(root)": schema} | {
        name: d for name, d in schema["$defs"].items() if d.get("type") == "object"
    }

    assert [n for n, d in objects.items() if d.get("additionalProperties") is not False] == []


def test_schema_is_printed_the_same_every_time(run_cli: RunCli, schema: dict[str, Any]) -> None:
    assert json.loads(run_cli("schema", "--format", "json").stdout) == schema


def test_field_reference_in_docs_is_current(run_cli: RunCli) -> None:
    result = run_cli("schema", "--format", "markdown")

    assert result.exit_code == 0
    committed = (ROOT / "docs" / "spec-reference.md").read_text(encoding="utf-8")
    assert result.stdout == committed, (
        "docs/spec-reference.md is stale; regenerate it with "
        "'contractkit schema --format markdown > docs/spec-reference.md'"
    )


def test_readme_documents_table_is_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- documents-table -->\n", "\n<!-- /documents-table -->"
    assert readme.count(start) == 1
    assert readme.count(end) == 1

    table = readme.split(start, 1)[1].split(end, 1)[0]

    assert table == document_table_markdown()
    assert len(table.splitlines()) == 2 + len(DOCUMENTS)


def test_unknown_schema_format_is_a_usage_error(run_cli: RunCli) -> None:
    result = run_cli("schema", "--format", "yaml")

    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--format': 'yaml' is not one of 'json', 'markdown'."
    )
