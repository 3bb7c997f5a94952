"""Every threshold the checklist applies, tested on both sides of its edge.

Each test edits the reference spec (written under tmp_path) so that one value sits just inside
and just outside a limit, and checks the item the limit decides: status, evidence and action.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from contractkit.checklist import (
    INCIDENT_NOTICE_MAX_HOURS,
    Checklist,
    Item,
    Status,
    make_checklist,
)
from contractkit.coverage import CoverageRow
from contractkit.loader import load_spec

WriteSpec = Callable[..., Path]
Edits = list[tuple[str, str]]

# Every reason against outsourcing answered "no"; the reference spec's derived answers
# (versioned SOPs, shareable data, a certified vendor) already give three reasons for.
AGAINST_ANSWERED_NO = (
    "annotation_is_core_ip: false, volume_too_low_for_vendor_management: false, "
    "judgment_too_domain_specific: false, sop_changing_weekly: false"
)
WATERMARK = "  watermark: DRAFT - FOR COUNSEL REVIEW\n"
UNVERSIONED_SOPS: Edits = [('version: "3.2", ', ""), ('version: "1.4", ', "")]
# No SOP at all: the work is not repeatable under a written SOP.
NO_SOPS: Edits = [
    (
        '    sop: {title: CT Segmentation SOP, version: "3.2", owner: customer, repository: customer}'
        "   # repository: customer | vendor | shared\n",
        "",
    ),
    (
        '    sop: {title: Clinical NER Guidelines, version: "1.4", owner: customer, '
        "repository: shared}\n",
        "",
    ),
]


def with_fit(answers: str) -> tuple[str, str]:
    """An edit adding a fit section with ``answers`` at the end of the reference spec."""
    return (WATERMARK, f"{WATERMARK}fit: {{{answers}}}\n")


def checklist(write_spec: WriteSpec, edits: Edits, notice: dt.date | None = None) -> Checklist:
    return make_checklist(load_spec(write_spec(edits)), exit_notice=notice)


def item(result: Checklist, item_id: str) -> Item:
    return next(i for i in result.items if i.id == item_id)


def judged(result: Checklist, item_id: str) -> tuple[str, str, str]:
    found = item(result, item_id)
    return (found.status, found.evidence, found.action)


@pytest.mark.parametrize(
    ("hours", "status", "action"),
    [
        (INCIDENT_NOTICE_MAX_HOURS, "ready", ""),
        (INCIDENT_NOTICE_MAX_HOURS + 1, "gap", "Shorten incident notice to 72 hours or less"),
    ],
)
def test_incident_notice_of_72_hours_is_prompt_and_73_is_not(
    write_spec: WriteSpec, hours: int, status: str, action: str
) -> None:
    result = checklist(
        write_spec, [("incident_notice_hours: 24", f"incident_notice_hours: {hours}")]
    )
    assert INCIDENT_NOTICE_MAX_HOURS == 72
    assert judged(result, "security.incident-notice") == (
        status,
        f"incident notice within {hours} hours",
        action,
    )


# (the line holding the value, with {} for it; the item; its evidence at 0 and at 1; its action)
AT_LEAST_ONE = [
    (
        "audit_log_retention_days: {}",
        "security.audit-logs",
        ("no audit-log retention period", "audit logs kept 1 day"),
        "Agree an audit-log retention period",
    ),
    (
        "transition_period_days: {}",
        "contractual.exit-transition-period",
        ("no transition period", "1-day transition period with continued service"),
        "Agree a transition period with continued service",
    ),
    (
        "sessions_hours: {}",
        "contractual.exit-knowledge-transfer",
        (
            "9 deliverables and 0 hours of knowledge-transfer sessions",
            "9 deliverables and 1 hour of knowledge-transfer sessions",
        ),
        "Agree knowledge-transfer deliverables and session hours",
    ),
    (
        "destruction_certificate_days: {}",
        "contractual.exit-certified-destruction",
        (
            "destroyed to NIST SP 800-88, with no deadline for the certificate",
            "destroyed to NIST SP 800-88, certified within 1 day after receipt is confirmed",
        ),
        "Require a destruction certificate with a deadline",
    ),
]
REFERENCE_VALUES = {
    "audit_log_retention_days: {}": 365,
    "transition_period_days: {}": 90,
    "sessions_hours: {}": 40,
    "destruction_certificate_days: {}": 30,
}


@pytest.mark.parametrize(("line", "item_id", "evidence", "action"), AT_LEAST_ONE)
@pytest.mark.parametrize(("value", "status"), [(0, "gap"), (1, "ready")])
def test_a_period_of_zero_is_a_gap_and_one_is_enough(
    write_spec: WriteSpec,
    line: str,
    item_id: str,
    evidence: tuple[str, str],
    action: str,
    value: int,
    status: str,
) -> None:
    result = checklist(write_spec, [(line.format(REFERENCE_VALUES[line]), line.format(value))])
    assert judged(result, item_id) == (
        status,
        evidence[value],
        action if status == "gap" else "",
    )


@pytest.mark.parametrize(
    ("pct", "status", "credit"),
    [("0", "gap", "no service credit"), ("0.5", "ready", "0.5% service credit")],
)
def test_slas_need_a_service_credit_above_zero(
    write_spec: WriteSpec, pct: str, status: str, credit: str
) -> None:
    result = checklist(write_spec, [("service_credit_pct: 5", f"service_credit_pct: {pct}")])
    assert judged(result, "operational.slas") == (
        status,
        f"98% of batches on time; {credit}",
        "Attach service credits to the SLAs" if status == "gap" else "",
    )


@pytest.mark.parametrize(("rate", "status", "shown"), [("0", "gap", "0%"), ("0.01", "ready", "1%")])
def test_audit_sampling_needs_a_rate_above_zero(
    write_spec: WriteSpec, rate: str, status: str, shown: str
) -> None:
    result = checklist(write_spec, [("audit_sample_rate: 0.10", f"audit_sample_rate: {rate}")])
    assert judged(result, "quality.ct-segmentation.audit-sampling") == (
        status,
        f"{shown} of delivered items audited",
        "Set an audit sample rate above zero" if status == "gap" else "",
    )
    assert item(result, "quality.clinical-notes-ner.audit-sampling").status == "ready"


@pytest.mark.parametrize(
    ("layers", "status", "shown", "action"),
    [
        ("peer_review", "gap", "peer review", "Add a second QA layer, e.g. lead audit"),
        # The action never suggests the layer the workload already has.
        ("lead_audit", "gap", "lead audit", "Add a second QA layer, e.g. peer review"),
        # A layer named twice is one layer.
        ("lead_audit, lead_audit", "gap", "lead audit", "Add a second QA layer, e.g. peer review"),
        ("peer_review, lead_audit", "ready", "peer review, lead audit", ""),
    ],
)
def test_two_qa_layers_are_enough_and_one_is_not(
    write_spec: WriteSpec, layers: str, status: str, shown: str, action: str
) -> None:
    old = "qa_layers: [peer_review, lead_audit]\n      audit_sample_rate: 0.10"
    new = f"qa_layers: [{layers}]\n      audit_sample_rate: 0.10"
    result = checklist(write_spec, [(old, new)])
    assert judged(result, "quality.ct-segmentation.qa-layers") == (
        status,
        f"QA layers: {shown}",
        action,
    )


@pytest.mark.parametrize(
    ("due_days", "reviews"),
    [
        (365, [("Exit plan review 1", 12, "2029-01-04")]),
        (366, []),
    ],
)
def test_an_exit_plan_review_on_the_last_day_of_the_term_is_kept(
    write_spec: WriteSpec, due_days: int, reviews: list[tuple[str, int, str]]
) -> None:
    # Effective 2027-01-04 for 24 months: the term ends on 2029-01-04; reviews are annual.
    result = checklist(write_spec, [("exit_plan_due_days: 60", f"exit_plan_due_days: {due_days}")])
    got = [
        (e.event, e.offset_months, e.date)
        for e in result.runbook
        if e.event.startswith("Exit plan review")
    ]
    assert got == reviews


@pytest.mark.parametrize(
    ("months", "end"),
    [(1, "2028-02-29"), (2, "2028-03-31")],
)
def test_run_off_support_ends_on_the_last_day_of_a_shorter_month(
    write_spec: WriteSpec, months: int, end: str
) -> None:
    # Notice on 2027-11-02 with a 90-day transition: the transition ends on 2028-01-31.
    result = checklist(
        write_spec,
        [("runoff_support_months: 3", f"runoff_support_months: {months}")],
        dt.date(2027, 11, 2),
    )
    events = {e.event: e for e in result.runbook}
    assert events["Transition period ends"].date == "2028-01-31"
    runoff = events["Run-off support ends"]
    assert (runoff.anchor, runoff.offset_months, runoff.date) == ("transition_end", months, end)


FOR_ANSWERED_NO = (
    "volume_exceeds_in_house_capacity: false, in_house_cost_materially_higher: false, "
    "senior_talent_better_spent_elsewhere: false, speed_is_differentiator: false"
)


@pytest.mark.parametrize(
    ("edits", "verdict"),
    [
        # three reasons for (derived), every reason against answered no
        ([with_fit(AGAINST_ANSWERED_NO)], "fits"),
        # the same, with one reason against left unanswered
        (
            [with_fit(AGAINST_ANSWERED_NO.replace(", sop_changing_weekly: false", ""))],
            "undetermined",
        ),
        # no SOPs: two reasons for, none unknown
        (
            [*NO_SOPS, with_fit(f"{AGAINST_ANSWERED_NO}, {FOR_ANSWERED_NO}")],
            "does_not_fit",
        ),
        # two reasons for and one unknown: three could still be reached
        (
            [
                *NO_SOPS,
                with_fit(
                    f"{AGAINST_ANSWERED_NO}, "
                    + FOR_ANSWERED_NO.replace(", speed_is_differentiator: false", "")
                ),
            ],
            "undetermined",
        ),
        # a third reason for, none unknown
        (
            [
                *NO_SOPS,
                with_fit(
                    f"{AGAINST_ANSWERED_NO}, "
                    + FOR_ANSWERED_NO.replace("capacity: false", "capacity: true")
                ),
            ],
            "fits",
        ),
    ],
)
def test_a_workload_fits_with_three_reasons_for_and_none_against_unknown(
    write_spec: WriteSpec, edits: Edits, verdict: str
) -> None:
    fit = checklist(write_spec, edits).fit
    keep = ["clinical-notes-ner", "ct-segmentation"] if verdict == "does_not_fit" else []
    assert (fit["verdict"], fit["keep_in_house"]) == (verdict, keep)


def test_an_unversioned_sop_is_still_a_written_sop_and_each_question_is_listed_once(
    write_spec: WriteSpec,
) -> None:
    # This spec used to list "ct-segmentation: No: Work repeatable under a documented SOP"
    # against outsourcing although its SOP exists, and the same question twice under "For".
    result = checklist(write_spec, [UNVERSIONED_SOPS[0], with_fit(AGAINST_ANSWERED_NO)])
    fit = result.fit
    assert fit["for"] == [
        'Work repeatable under a written SOP: yes (ct-segmentation: SOP "CT Segmentation SOP"; '
        'clinical-notes-ner: SOP "Clinical NER Guidelines" 1.4)',
        "Data shareable with a vendor under a defensible contract: yes (no export-controlled data)",
        "A certified partner's compliance is stronger: yes (the vendor holds ISO 27001)",
        "Annotation is core IP: no",
        "Volume too low to justify vendor management: no",
        "Judgment too domain-specific for an external team: no",
        "SOP changing weekly: no",
    ]
    assert fit["against"] == []
    assert fit["neutral"] == []
    # Three reasons for (a written SOP, shareable data, a certified vendor), none against.
    assert len(fit["unanswered"]) == 4
    assert (fit["verdict"], fit["keep_in_house"]) == ("fits", [])
    titles = {i.id: i.title for i in result.items if i.layer == "fit"}
    assert titles["fit.ct-segmentation.repeatable-under-sop"] == (
        "Work repeatable under a written SOP: yes"
    )
    assert titles["fit.annotation-is-core-ip"] == "Annotation is core IP: no"
    assert titles["fit.speed-is-differentiator"] == (
        "Speed to deployment is a differentiator: not answered"
    )


def test_answers_against_are_listed_only_against_and_noes_to_reasons_for_under_neither(
    write_spec: WriteSpec,
) -> None:
    result = checklist(
        write_spec,
        [
            *NO_SOPS[:1],
            with_fit(
                AGAINST_ANSWERED_NO.replace(
                    "annotation_is_core_ip: false", "annotation_is_core_ip: true"
                )
                + ", "
                + FOR_ANSWERED_NO
            ),
        ],
    )
    fit = result.fit
    assert fit["against"] == [
        "Work repeatable under a written SOP: no (ct-segmentation: no SOP is named)",
        "Annotation is core IP: yes",
    ]
    assert fit["neutral"] == [
        "Volume beyond in-house capacity: no",
        "In-house cost materially higher: no",
        "Senior AI talent better spent elsewhere: no",
        "Speed to deployment is a differentiator: no",
    ]
    assert (
        'Work repeatable under a written SOP: yes (clinical-notes-ner: SOP "Clinical NER '
        'Guidelines" 1.4)'
    ) in fit["for"]
    texts = [t.split(": ")[0] for key in ("for", "against", "neutral") for t in fit[key]]
    # A question answered alike for every workload appears once, in one list.
    assert texts.count("Annotation is core IP") == 1
    assert sorted(fit["keep_in_house"]) == ["clinical-notes-ner", "ct-segmentation"]
    assert judged(result, "fit.annotation-is-core-ip") == (
        "gap",
        "answered in the fit section",
        "Keep this work in house, or change the conditions before outsourcing it",
    )


@pytest.mark.parametrize(
    ("owner", "status", "held"),
    [
        ("customer", "ready", "ct-segmentation, clinical-notes-ner"),
        ("vendor", "gap", "clinical-notes-ner"),
    ],
)
def test_program_knowledge_is_in_customer_hands_only_for_every_workload(
    write_spec: WriteSpec, owner: str, status: str, held: str
) -> None:
    result = checklist(
        write_spec,
        [
            (
                "{name: CT gold set, items: 2000, owner: customer}",
                f"{{name: CT gold set, items: 2000, owner: {owner}}}",
            )
        ],
    )
    assert judged(result, "strategic.knowledge-in-customer-systems") == (
        status,
        f"SOPs and gold sets in customer hands for: {held}; audit trails listed for handover",
        "Keep SOPs, gold sets and audit trails in customer systems" if status == "gap" else "",
    )


def requirement(name: str, covered: bool) -> CoverageRow:
    return CoverageRow(name, "cite", "summary", "msa", True, [], [], covered)


@pytest.mark.parametrize(
    ("rows", "status", "evidence"),
    [
        (
            [requirement("a", True), requirement("b", True)],
            "ready",
            "produced for this engagement; 2 of 2 requirements covered",
        ),
        (
            [requirement("a", True), requirement("b", False)],
            "gap",
            "produced for this engagement; 1 of 2 requirements covered (not: b)",
        ),
    ],
)
def test_one_uncovered_requirement_makes_an_agreement_a_gap(
    write_spec: WriteSpec, rows: list[CoverageRow], status: str, evidence: str
) -> None:
    result = make_checklist(load_spec(write_spec()), coverage=rows)
    assert judged(result, "contractual.msa") == (
        status,
        evidence,
        "Add clauses that meet the uncovered requirements (contractkit coverage)"
        if status == "gap"
        else "",
    )
    assert item(result, "contractual.nda").evidence == "produced for this engagement"


def scored(ready: int = 0, gap: int = 0, needs_input: int = 0, not_applicable: int = 0) -> int:
    """The security score of a checklist holding this many items of each status."""
    counts: dict[Status, int] = {
        "ready": ready,
        "gap": gap,
        "needs_input": needs_input,
        "not_applicable": not_applicable,
    }
    items = [
        Item(f"security.{status}-{n}", "security", None, "t", status, "e", None, "", "vendor")
        for status, count in counts.items()
        for n in range(count)
    ]
    summary = Checklist("e", "0" * 64, items, {}, {}, []).summary()
    assert summary["layers"]["security"]["not_applicable"] == not_applicable
    score: int = summary["layers"]["security"]["score"]
    return score


def test_a_layer_with_nothing_to_act_on_scores_100_and_halves_round_up() -> None:
    assert scored() == 100
    assert scored(not_applicable=2) == 100
    assert scored(ready=1, needs_input=1, not_applicable=5) == 50
    assert scored(ready=1, gap=7) == 13  # 12.5
    assert scored(ready=1, gap=8) == 11  # 11.1
    assert scored(ready=7, gap=1) == 88  # 87.5
    assert scored(ready=2, gap=1) == 67  # 66.7
