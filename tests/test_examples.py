"""The shipped examples: they validate as written and say what the README says they say."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from contractkit.documents import selected_documents
from contractkit.loader import load_spec
from contractkit.resources import example_names
from contractkit.spec import (
    DELIVERABLE_DEFAULTS,
    DataCategory,
    Deliverable,
    DocumentKey,
    OperatingModel,
    Party,
    Spec,
)

RunCli = Callable[..., Result]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def example(name: str) -> Spec:
    return load_spec(EXAMPLES / f"{name}.yaml").spec


def test_all_examples_validate(run_cli: RunCli) -> None:
    result = run_cli(
        "validate", "lidar-project.yaml", "reference.yaml", "speech-flex.yaml", cwd=EXAMPLES
    )

    assert result.stderr.splitlines() == [
        "lidar-project.yaml: valid",
        "reference.yaml:50:15: workloads[0].critical: warning: critical workload "
        "'ct-segmentation' has no secondary_vendor: the program depends on one vendor",
        "reference.yaml: valid (1 warning)",
        "speech-flex.yaml:87:89: workloads[1].sop.repository: warning: the SOP of workload "
        "'intent-labeling' is held only by the vendor; keep a copy in customer or shared "
        "systems so it can move to another vendor",
        "speech-flex.yaml: valid (1 warning)",
    ]
    assert result.stdout == ""
    assert result.exit_code == 0


def test_the_readme_lists_every_shipped_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paragraph = readme.split("Shipped examples (`contractkit init --example NAME`):", 1)[1]
    paragraph = paragraph.split("\n\n", 1)[0]

    listed = re.findall(r"`([a-z0-9-]+)`\s+\(", paragraph)

    specs = sorted(p.stem for p in EXAMPLES.glob("*.yaml") if not p.stem.endswith(".evidence"))
    assert sorted(listed) == example_names() == specs


def test_reference_is_hybrid_with_phi_and_an_indian_vendor() -> None:
    spec = example("reference")

    assert spec.engagement.operating_model is OperatingModel.hybrid
    assert spec.carries(DataCategory.phi)
    assert spec.vendor.country == "IN"
    assert [d.key for d in selected_documents(spec)] == list(DocumentKey)


def test_lidar_project_has_no_personal_data() -> None:
    spec = example("lidar-project")

    assert spec.engagement.operating_model is OperatingModel.project
    assert spec.has_personal_data is False
    assert {c for w in spec.workloads for c in w.data_categories} == {DataCategory.confidential}
    assert spec.vendor.country == "PH"
    # No documents list: every document that applies, which leaves out the BAA.
    assert spec.documents is None
    assert [d.key for d in selected_documents(spec)] == [
        DocumentKey.msa,
        DocumentKey.nda,
        DocumentKey.dpa,
        DocumentKey.ip_assignment,
        DocumentKey.exit_schedule,
    ]


def test_speech_flex_has_eu_and_california_data_and_subprocessors_in_two_countries() -> None:
    spec = example("speech-flex")

    assert spec.engagement.operating_model is OperatingModel.flexible
    assert spec.carries(DataCategory.eu_personal_data)
    assert spec.carries(DataCategory.california_personal_data)
    assert not spec.carries(DataCategory.phi)
    assert [s.location for s in spec.vendor.subprocessors] == ["PH", "KE"]
    assert spec.vendor.delivery_locations == ["KE", "PH"]
    assert spec.customer.gdpr_role is not None


def documented_deliverables() -> dict[str, tuple[str, str, str]]:
    """The deliverables table of docs/spec-reference.md: name -> (title, format, owner)."""
    text = (ROOT / "docs" / "spec-reference.md").read_text(encoding="utf-8")
    section = text.split("## Knowledge-transfer deliverables", 1)[1]
    rows = re.findall(r"^\| `(\w+)` \| (.+?) \| (.+?) \| (\w+) \|$", section, re.MULTILINE)
    return {name: (title, fmt, owner) for name, title, fmt, owner in rows}


def test_deliverable_names_expand_to_the_documented_defaults() -> None:
    documented = documented_deliverables()
    items = example("reference").exit.knowledge_transfer.deliverables

    assert sorted(documented) == sorted(d.value for d in Deliverable)
    # The reference lists every deliverable but label_taxonomy, by name.
    assert [i.key for i in items] == [d for d in Deliverable if d is not Deliverable.label_taxonomy]
    for item in items:
        assert item.key is not None
        assert (item.title, item.format, item.owner.value) == documented[item.key.value]
        assert (item.title, item.format, item.owner) == DELIVERABLE_DEFAULTS[item.key]


def test_deliverable_objects_override_defaults_or_name_free_form_items() -> None:
    items = example("lidar-project").exit.knowledge_transfer.deliverables
    tools, calibration = items[-2], items[-1]

    # {item: tool_configurations, format: ...}: a named item with its format overridden.
    assert tools.key is Deliverable.tool_configurations
    assert tools.format == "Labeling tool project export (JSON)"
    assert tools.owner is Party.vendor
    assert tools.title == DELIVERABLE_DEFAULTS[Deliverable.tool_configurations][0]

    # {item, format, owner} with an item not on the list: a free-form deliverable.
    assert calibration.key is None
    assert calibration.title == "Calibration notes for each sensor rig"
    assert (calibration.format, calibration.owner) == ("PDF", Party.vendor)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("{item: sops, owner: customer}", ("sops", "DOCX or PDF, with change log", "customer")),
        ("{item: Rater roster, format: CSV, owner: customer}", ("Rater roster", "CSV", "customer")),
    ],
)
def test_deliverable_object_forms(
    written: str, expected: tuple[str, str, str], write_spec: Callable[..., Path]
) -> None:
    spec = write_spec([("deliverables: [sops,", f"deliverables: [{written},")])

    first = load_spec(spec).spec.exit.knowledge_transfer.deliverables[0]

    assert (str(first.item), first.format, first.owner.value) == expected
