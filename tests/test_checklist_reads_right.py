"""The checklist as a procurement analyst reads it: titles that say what was checked, actions
that never ask for what the drafts already have, evidence in words, and a runbook with every
date that matters. Each test starts from a spec that used to show the defect."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from contractkit.assemble import assemble
from contractkit.checklist import Checklist, Item, checklist_for, make_checklist
from contractkit.checklist.context import EXIT_SCHEDULE_REQUIRES
from contractkit.checklist.output import ACTION_SHARE, ItemsTable, to_markdown, to_tree
from contractkit.library import load_library
from contractkit.loader import load_spec
from contractkit.spec import Deliverable
from contractkit.tree import Paragraph, Table

from helpers import EXAMPLES, tree_text

WriteSpec = Callable[..., Path]
RunCli = Callable[..., Result]
Edits = list[tuple[str, str]]
DELIVERABLES = (
    "deliverables: [sops, quality_framework, audit_trails, ground_truth, guidelines, "
    "edge_case_log, training_materials, tool_configurations, quality_metrics_history]"
)
EXAMPLE_NAMES = ("reference", "lidar-project", "speech-flex")


def checklist(write_spec: WriteSpec, edits: Edits, notice: dt.date | None = None) -> Checklist:
    return make_checklist(load_spec(write_spec(edits)), exit_notice=notice)


def item(result: Checklist, item_id: str) -> Item:
    return next(i for i in result.items if i.id == item_id)


def test_access_control_is_titled_with_the_model_the_spec_has(write_spec: WriteSpec) -> None:
    result = checklist(
        write_spec, [("access_control: role_based", "access_control: attribute_based")]
    )
    found = item(result, "security.access-control")
    assert (found.title, found.evidence) == (
        "Access control (attribute-based) and MFA",
        "attribute-based access control; multi-factor authentication required",
    )


@pytest.mark.parametrize(
    ("volumes", "status", "evidence"),
    [
        (
            (40000, 15000),
            "gap",
            "weekly reporting for a hybrid engagement of 55,000 units a month "
            "(weekly suffices up to 10,000)",
        ),
        (
            (5000, 5000),
            "ready",
            "weekly reporting for a hybrid engagement of 10,000 units a month "
            "(weekly suffices up to 10,000)",
        ),
        (
            (5001, 5000),
            "gap",
            "weekly reporting for a hybrid engagement of 10,001 units a month "
            "(weekly suffices up to 10,000)",
        ),
    ],
)
def test_weekly_reporting_is_judged_against_the_model_and_volume(
    write_spec: WriteSpec, volumes: tuple[int, int], status: str, evidence: str
) -> None:
    result = checklist(
        write_spec,
        [
            ("reporting: daily ", "reporting: weekly "),
            ("volume_per_month: 40000", f"volume_per_month: {volumes[0]}"),
            ("volume_per_month: 15000", f"volume_per_month: {volumes[1]}"),
        ],
    )
    found = item(result, "operational.reporting-cadence")
    assert (found.title, found.status, found.evidence) == (
        "Reporting cadence suits the operating model and volume",
        status,
        evidence,
    )


def test_weekly_reporting_suits_a_small_project() -> None:
    found = item(
        make_checklist(load_spec(EXAMPLES / "lidar-project.yaml")), "operational.reporting-cadence"
    )
    assert (found.status, found.evidence, found.action) == (
        "ready",
        "weekly reporting for a project engagement of 8,000 units a month "
        "(weekly suffices up to 50,000)",
        "",
    )


def test_the_edge_case_path_the_msa_drafts_is_never_asked_for(write_spec: WriteSpec) -> None:
    unlisted = DELIVERABLES.replace("edge_case_log, ", "")
    result = checklist(write_spec, [(DELIVERABLES, unlisted)])
    found = item(result, "quality.edge-case-escalation")
    assert (found.status, found.action) == ("ready", "")
    assert found.evidence.endswith("the log is required by the exit schedule whether or not listed")
    without_schedule = checklist(
        write_spec,
        [
            (DELIVERABLES, unlisted),
            (
                "documents: [msa, nda, baa, dpa, ip_assignment, exit_schedule]",
                "documents: [msa, nda, baa, dpa, ip_assignment]",
            ),
        ],
    )
    gap = item(without_schedule, "quality.edge-case-escalation")
    assert (gap.status, gap.action) == (
        "gap",
        "Add edge_case_log to the knowledge-transfer deliverables",
    )
    assert "escalat" not in gap.action


def test_handover_the_exit_schedule_requires_is_not_asked_for_again(write_spec: WriteSpec) -> None:
    result = checklist(write_spec, [(DELIVERABLES, "deliverables: [sops]")])
    found = item(result, "transferability.ct-segmentation.kt-deliverables")
    assert (found.status, found.evidence, found.action) == (
        "gap",
        "not handed over: training materials; required by the exit schedule whether or not "
        "listed: audit trails, edge case log, tool configurations",
        "Add training_materials to the knowledge-transfer deliverables",
    )
    listed = checklist(write_spec, [(DELIVERABLES, "deliverables: [sops, training_materials]")])
    assert item(listed, "transferability.ct-segmentation.kt-deliverables").status == "ready"
    assert item(listed, "strategic.knowledge-in-customer-systems").status == "ready"


def test_the_exit_schedule_requires_what_the_checklist_says_it_does() -> None:
    spec = load_spec(EXAMPLES / "reference.yaml").spec
    kt = spec.exit.knowledge_transfer.model_copy(
        update={
            "deliverables": [
                d
                for d in spec.exit.knowledge_transfer.deliverables
                if d.key is Deliverable.training_materials
            ]
        }
    )
    spec = spec.model_copy(update={"exit": spec.exit.model_copy(update={"knowledge_transfer": kt})})
    tree = next(t for t in assemble(spec, load_library()) if t.key == "exit_schedule")
    text = tree_text(tree)
    sentence = text.split("Whether or not the table lists them", 1)[1].split(".", 1)[0]
    phrases = {
        Deliverable.sops: "the SOPs",
        Deliverable.guidelines: "the annotation guidelines",
        Deliverable.quality_framework: "the quality framework",
        Deliverable.ground_truth: "the ground-truth and gold sets",
        Deliverable.edge_case_log: "the edge-case and escalation log",
        Deliverable.audit_trails: "the audit trails",
        Deliverable.tool_configurations: "the labeling tool configurations",
    }
    assert set(phrases) == EXIT_SCHEDULE_REQUIRES
    for phrase in phrases.values():
        assert phrase in sentence
    assert "training" not in sentence


def test_items_the_drafts_cover_cite_their_section() -> None:
    result, _ = checklist_for(EXAMPLES / "reference.yaml")
    refs = {i.id: i.reference or "" for i in result.items}
    for item_id, prefix in [
        ("strategic.sops-transferable", "msa §"),
        ("strategic.ct-segmentation.diversification", "msa §"),
        ("strategic.knowledge-in-customer-systems", "exit-schedule §"),
        ("transferability.ct-segmentation.sop-exists", "msa §"),
        ("transferability.ct-segmentation.ground-truth-owned", "exit-schedule §"),
        ("quality.edge-case-escalation", "msa §"),
        ("operational.exit-plan-received", "exit-schedule §"),
        ("operational.insurance-certificates", "msa §"),
    ]:
        assert refs[item_id].startswith(prefix), item_id


SPEC_PATH = re.compile(r"\w\[\d+\]\.|\b[a-z]+_[a-z_]+ = |\b(exit|security|operations)\.[a-z_]+")


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_evidence_speaks_to_people_and_prints_without_markdown(name: str) -> None:
    result, loaded = checklist_for(EXAMPLES / f"{name}.yaml")
    for found in result.items:
        assert not SPEC_PATH.search(found.evidence), (found.id, found.evidence)
        assert "`" not in found.evidence and "*" not in found.evidence, found.id
    tree = to_tree(result, loaded.spec)
    printed = tree_text(tree)
    assert "`" not in printed and "*" not in printed


def test_an_sop_is_described_as_a_person_would() -> None:
    result, _ = checklist_for(EXAMPLES / "reference.yaml")
    assert item(result, "transferability.ct-segmentation.sop-copy-held").evidence == (
        'SOP "CT Segmentation SOP" 3.2, owned by the customer, held by the customer'
    )
    assert item(result, "transferability.clinical-notes-ner.sop-copy-held").evidence == (
        'SOP "Clinical NER Guidelines" 1.4, owned by the customer, held in a shared repository'
    )


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_the_action_column_keeps_a_quarter_of_the_width(name: str) -> None:
    result, loaded = checklist_for(EXAMPLES / f"{name}.yaml")
    tables = [
        b
        for a in to_tree(result, loaded.spec).articles
        for c in a.clauses
        for b in c.blocks
        if isinstance(b, ItemsTable)
    ]
    assert len(tables) == 7
    acted = 0
    for table in tables:
        widths = table.column_widths(1000)
        assert sum(widths) == 1000
        if any("".join(r.text for r in row[3]) != "-" for row in table.rows[1:]):
            acted += 1
            assert widths[3] >= 1000 * ACTION_SHARE
    assert acted >= 1


def test_the_runbook_dates_termination_the_term_and_each_renewal() -> None:
    spec = load_spec(EXAMPLES / "reference.yaml")
    open_ended = {e.event: e.date for e in make_checklist(spec).runbook}
    assert open_ended["Initial term ends; renews for 12 months (renewal 1)"] == "2029-01-04"
    assert open_ended["Renewal 2 begins"] == "2030-01-04"
    assert open_ended["Renewal 3 begins"] == "2031-01-04"
    assert open_ended["Termination for convenience takes effect"] is None
    noticed = {
        e.event: e.date for e in make_checklist(spec, exit_notice=dt.date(2028, 1, 10)).runbook
    }
    assert noticed["Termination for convenience takes effect"] == "2028-03-10"
    # Nothing of the term after the termination takes effect.
    assert not any(e.startswith(("Initial term", "Renewal")) for e in noticed)
    lidar = {
        e.event: e.date for e in make_checklist(load_spec(EXAMPLES / "lidar-project.yaml")).runbook
    }
    assert lidar["Term expires"] == "2027-12-01"
    speech = {
        e.event: e.date for e in make_checklist(load_spec(EXAMPLES / "speech-flex.yaml")).runbook
    }
    assert speech["Initial term expires unless renewed by agreement"] == "2028-02-15"


def test_periods_of_zero_leave_their_rows_out(write_spec: WriteSpec) -> None:
    result = checklist(
        write_spec,
        [
            ("runoff_support_months: 3", "runoff_support_months: 0"),
            ("key_personnel_retention_days: 90", "key_personnel_retention_days: 0"),
        ],
    )
    events = [e.event for e in result.runbook]
    assert "Run-off support ends" not in events
    assert "Key-personnel retention ends" not in events
    assert "Transition period ends" in events


def test_reviews_read_as_plain_intervals() -> None:
    text = to_markdown(make_checklist(load_spec(EXAMPLES / "reference.yaml")))
    assert "| Exit plan review 1 | every 12 months after the first plan | 2028-03-05 |" in text
    assert "| Run-off support ends | end of the transition period + 3 months | - |" in text
    assert "effective date + 426 days" not in text
    lidar = to_markdown(make_checklist(load_spec(EXAMPLES / "lidar-project.yaml")))
    assert "| Run-off support ends | end of the transition period + 1 month | - |" in lidar


def test_an_exit_notice_before_the_effective_date_is_refused(
    run_cli: RunCli, tmp_path: Path
) -> None:
    out = tmp_path / "c.md"
    result = run_cli(
        "checklist", EXAMPLES / "reference.yaml", "--exit-notice", "2026-12-31", "-o", out
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{EXAMPLES / 'reference.yaml'}:8:19: engagement.effective_date: --exit-notice "
        "2026-12-31 is before the effective date 2027-01-04; notice can only be given once the "
        "agreements are in effect"
    ]
    assert not out.exists()
    on_the_day = run_cli("checklist", EXAMPLES / "reference.yaml", "--exit-notice", "2027-01-04")
    assert on_the_day.exit_code == 0


def test_the_fit_section_of_the_document_lists_each_answer_once() -> None:
    result, loaded = checklist_for(EXAMPLES / "speech-flex.yaml")
    fit = next(
        c
        for a in to_tree(result, loaded.spec).articles
        for c in a.clauses
        if c.title == "Outsourcing fit"
    )
    lines = ["".join(r.text for r in b.runs) for b in fit.blocks if isinstance(b, Paragraph)]
    assert "Against: SOP changing weekly: yes (intent-labeling)" in lines
    assert "For: SOP changing weekly: no (call-transcription)" in lines
    questions = [
        line.split(": ", 1)[1].rsplit(": ", 1)[0] for line in lines if line.startswith("For: ")
    ]
    assert len(questions) == len(set(questions))
    assert not any(isinstance(b, Table) for b in fit.blocks)
