"""The exit-readiness checklist: statuses true to the spec, stable ids, data formats."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from contractkit.checklist import LAYERS, Checklist, Item, make_checklist
from contractkit.checklist.output import CSV_COLUMNS, to_csv, to_json, to_markdown, to_tree
from contractkit.loader import load_spec
from contractkit.resources import PACKAGE

from helpers import EXAMPLES

WriteSpec = Callable[..., Path]

SCHEMA = json.loads((PACKAGE / "schemas" / "checklist.schema.json").read_text(encoding="utf-8"))


def checklist_of(path: Path, notice: dt.date | None = None) -> Checklist:
    return make_checklist(load_spec(path), exit_notice=notice)


def statuses(checklist: Checklist) -> dict[str, str]:
    return {i.id: i.status for i in checklist.items}


@pytest.mark.parametrize("name", ["reference", "lidar-project", "speech-flex"])
def test_json_matches_the_shipped_schema_and_has_every_layer(name: str) -> None:
    data = json.loads(to_json(checklist_of(EXAMPLES / f"{name}.yaml")))
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert set(data["summary"]["layers"]) == set(LAYERS)
    assert {i["layer"] for i in data["items"]} == set(LAYERS)
    assert len({i["id"] for i in data["items"]}) == len(data["items"])


def test_reference_statuses() -> None:
    result = checklist_of(EXAMPLES / "reference.yaml")
    got = statuses(result)
    assert got["contractual.baa"] == "ready"
    assert got["strategic.ct-segmentation.diversification"] == "gap"
    assert got["strategic.clinical-notes-ner.diversification"] == "not_applicable"
    assert got["operational.surge-tested"] == "ready"
    assert got["transferability.ct-segmentation.rating"] == "ready"
    assert got["fit.annotation-is-core-ip"] == "needs_input"
    assert [i.id for i in result.items if i.status == "gap"] == [
        "strategic.ct-segmentation.diversification"
    ]
    assert result.workloads == {
        "ct-segmentation": {"rating": "ready"},
        "clinical-notes-ner": {"rating": "ready"},
    }
    assert result.fit["verdict"] == "undetermined"


def test_lidar_statuses() -> None:
    result = checklist_of(EXAMPLES / "lidar-project.yaml")
    got = statuses(result)
    assert got["contractual.baa"] == "not_applicable"
    assert got["operational.reporting-cadence"] == "ready"
    assert got["operational.surge-tested"] == "not_applicable"
    kt = next(i for i in result.items if i.id == "transferability.lidar-3d-boxes.kt-deliverables")
    assert (kt.status, kt.evidence) == (
        "gap",
        "not handed over: training materials",
    )
    assert result.workloads["lidar-3d-boxes"]["rating"] == "partial"
    assert result.fit["verdict"] == "fits"


def test_speech_flex_keeps_one_workload_in_house() -> None:
    result = checklist_of(EXAMPLES / "speech-flex.yaml")
    assert result.fit["verdict"] == "partly"
    assert result.fit["keep_in_house"] == ["intent-labeling"]
    assert result.fit["against"] == [
        "Judgment too domain-specific for an external team: yes (intent-labeling)",
        "SOP changing weekly: yes (intent-labeling)",
    ]
    assert "SOP changing weekly: no (call-transcription)" in result.fit["for"]
    assert result.workloads["intent-labeling"]["rating"] == "at_risk"
    assert statuses(result)["fit.intent-labeling.sop-changing-weekly"] == "gap"
    assert statuses(result)["fit.sop-changing-weekly"] == "ready"
    assert "fit.call-transcription.sop-changing-weekly" not in statuses(result)


def test_unversioned_vendor_held_sop_becomes_a_transferability_gap(write_spec: WriteSpec) -> None:
    before = statuses(checklist_of(write_spec()))
    path = write_spec(
        [
            (
                'version: "3.2", owner: customer, repository: customer',
                "owner: vendor, repository: vendor",
            )
        ]
    )
    after = checklist_of(path)
    changed = {k: v for k, v in statuses(after).items() if before[k] != v}
    assert changed == {
        "quality.ct-segmentation.sop-versioning": "gap",
        "strategic.sops-transferable": "gap",
        "strategic.knowledge-in-customer-systems": "gap",
        "transferability.ct-segmentation.sop-versioned": "gap",
        "transferability.ct-segmentation.sop-customer-owned": "gap",
        "transferability.ct-segmentation.sop-copy-held": "gap",
        "transferability.ct-segmentation.rating": "gap",
    }
    assert after.workloads["ct-segmentation"]["rating"] == "at_risk"


def test_secondary_vendor_clears_the_diversification_gap(write_spec: WriteSpec) -> None:
    path = write_spec(
        [
            (
                "    critical: true\n",
                "    critical: true\n    secondary_vendor: {legal_name: Second Labs LLC, status: qualified}\n",
            )
        ]
    )
    item = next(
        i for i in checklist_of(path).items if i.id == "strategic.ct-segmentation.diversification"
    )
    assert (item.status, item.action) == ("ready", "")
    assert item.evidence == "second vendor Second Labs LLC (qualified)"


def test_scores_count_ready_against_ready_gap_and_needs_input() -> None:
    result = checklist_of(EXAMPLES / "reference.yaml")
    summary = result.summary()
    strategic = summary["layers"]["strategic"]
    assert (
        strategic["ready"],
        strategic["gap"],
        strategic["not_applicable"],
        strategic["score"],
    ) == (2, 1, 1, 67)
    fit = summary["layers"]["fit"]
    assert fit["score"] == round(
        100 * fit["ready"] / (fit["ready"] + fit["gap"] + fit["needs_input"])
    )


def test_runbook_is_relative_without_notice_and_dated_with_it() -> None:
    relative = {e.event: e for e in checklist_of(EXAMPLES / "reference.yaml").runbook}
    assert relative["Exit plan due"].date == "2027-03-05"
    assert (
        relative["Transition period ends"].anchor,
        relative["Transition period ends"].offset_days,
        relative["Transition period ends"].date,
    ) == ("exit_notice", 90, None)
    dated = {
        e.event: e for e in checklist_of(EXAMPLES / "reference.yaml", dt.date(2028, 1, 10)).runbook
    }
    assert dated["Transition period ends"].date == "2028-04-09"
    assert dated["All data returned"].date == "2028-05-09"
    assert dated["Key-personnel retention ends"].date == "2028-04-09"
    assert dated["Run-off support ends"].date == "2028-07-09"
    assert dated["Destruction certificate due"].date is None
    assert [e.event for e in dated.values() if e.event.startswith("Exit plan review")] == [
        "Exit plan review 1"
    ]


def test_csv_has_bom_fixed_columns_and_neutralised_formulas() -> None:
    result = checklist_of(EXAMPLES / "reference.yaml")
    result.items.append(
        Item(
            "security.x",
            "security",
            None,
            '=HYPERLINK("http://x")',
            "gap",
            "+1",
            None,
            "-cmd",
            "vendor",
        )
    )
    result.items.append(
        Item(
            "security.y",
            "security",
            None,
            "@SUM(A1)",
            "gap",
            'ok, with "quotes"',
            None,
            "",
            "vendor",
        )
    )
    data = to_csv(result)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert (
        rows[0]
        == CSV_COLUMNS
        == [
            "id",
            "layer",
            "workload",
            "title",
            "status",
            "evidence",
            "reference",
            "action",
            "owner",
            "evidence_status",
            "evidence_date",
            "evidence_reference",
            "evidence_by",
            "stale_since",
            "evidence_due",
        ]
    )
    assert (
        rows[-2][3] == '\'=HYPERLINK("http://x")'
        and rows[-2][5] == "'+1"
        and rows[-2][7] == "'-cmd"
    )
    assert rows[-1][3] == "'@SUM(A1)" and rows[-1][5] == 'ok, with "quotes"'
    assert len(rows) == len(result.items) + 1


def test_markdown_reads_on_its_own() -> None:
    text = to_markdown(checklist_of(EXAMPLES / "speech-flex.yaml"))
    assert text.startswith(
        "# Exit-readiness checklist: Speech transcription and conversational text labeling\n"
    )
    for heading in (
        "## Summary by layer",
        "## Outsourcing fit",
        "## Workloads",
        "## Exit runbook",
        "## Items",
        "### Transferability",
    ):
        assert f"\n{heading}\n" in text
    assert "**Partly: outsource some workloads, keep others in house**" in text
    assert "| intent-labeling | at_risk |" in text
    assert "Draft for review" in text


def test_one_workload_fits_and_one_is_undetermined_gives_undetermined(tmp_path: Path) -> None:
    text = (EXAMPLES / "speech-flex.yaml").read_text(encoding="utf-8")
    text = text.replace("  judgment_too_domain_specific: false\n", "")
    text = text.replace(
        "fit: {sop_changing_weekly: true, judgment_too_domain_specific: true}",
        "fit: {sop_changing_weekly: false}",
    )
    text = text.replace(
        "    secondary_vendor: {legal_name: Lisbon Voice Data Lda., status: contracted}\n",
        "    secondary_vendor: {legal_name: Lisbon Voice Data Lda., status: contracted}\n    fit: {judgment_too_domain_specific: false}\n",
    )
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    fit = checklist_of(path).fit
    assert (fit["verdict"], fit["keep_in_house"]) == ("undetermined", [])
    assert fit["unanswered"] == [
        "Senior AI talent better spent elsewhere: not answered",
        "Judgment too domain-specific for an external team: not answered (intent-labeling)",
    ]


def test_checklist_document_opens_with_engagement_and_effective_date() -> None:
    loaded = load_spec(EXAMPLES / "reference.yaml")
    tree = to_tree(make_checklist(loaded), loaded.spec)
    assert [p.text for p in tree.preamble] == [
        "Engagement acme-nimbus-2027, effective January 4, 2027."
    ]


def test_fit_items_name_the_question_with_its_answer_and_actions_name_the_field() -> None:
    checklist = checklist_of(EXAMPLES / "reference.yaml")
    found = {item.id: (item.title, item.action) for item in checklist.items}
    assert found["fit.senior-talent-better-spent-elsewhere"] == (
        "Senior AI talent better spent elsewhere: not answered",
        "Answer in the fit section (senior_talent_better_spent_elsewhere: true or false)",
    )
    assert found["fit.annotation-is-core-ip"] == (
        "Annotation is core IP: not answered",
        "Answer in the fit section (annotation_is_core_ip: true or false)",
    )
    assert found["fit.partner-compliance-stronger"] == (
        "A certified partner's compliance is stronger: yes",
        "",
    )
