"""Drafts that add up: fees, acceptance, one family of documents, enforceable disputes.

Each test builds a spec that used to produce a defect a partner would send back, and reads the
corrected sentence in the assembled documents.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from contractkit.assemble import assemble
from contractkit.library import load_library
from contractkit.loader import load_spec
from contractkit.spec import Spec
from contractkit.tree import DocumentTree

from conftest import RunCli
from helpers import EXAMPLES, bundle_texts, spec_variant, tree_text

REFERENCE = EXAMPLES / "reference.yaml"
LIDAR = EXAMPLES / "lidar-project.yaml"
SPEECH = EXAMPLES / "speech-flex.yaml"

MILESTONES = [
    {"name": "Guidelines signed off", "pct": 30, "due": "2027-02-15"},
    {"name": "All documents accepted", "amount": 63000, "due": "end of month 6"},
]


def trees(spec: Spec) -> dict[str, DocumentTree]:
    return {t.key: t for t in assemble(spec, load_library())}


def section(tree: DocumentTree, clause_id: str) -> str:
    """The number a clause is printed under, as a reference to it reads."""
    for article in tree.articles:
        for clause in article.clauses:
            if clause.id == clause_id:
                return f"Section {clause.number}"
    raise AssertionError(clause_id)


# -- 1. Fees, invoicing and credits follow the pricing model --------------------------------


def test_fixed_fee_outside_a_project_is_invoiced_and_credited_by_milestone() -> None:
    spec = spec_variant(
        REFERENCE,
        {"workloads.1.pricing": {"model": "fixed", "rate": 90000, "milestones": MILESTONES}},
    )
    msa = bundle_texts(spec)["msa"]
    assert (
        "Nimbus shall invoice the Fees for each Workload not priced at a fixed fee monthly in arrears"
        in msa
    )
    assert (
        "Nimbus shall invoice each milestone payment for a fixed-fee Workload after the milestone "
        "is achieved, with evidence that every batch forming part of it has been Accepted" in msa
    )
    assert (
        "with 5% of the Fees for that Workload for the month or, for a Workload priced at a fixed "
        "fee, the milestone payment for the milestone in progress in that month" in msa
    )
    assert "Guidelines signed off | 30% of the fixed fee (US$27,000) | February 15, 2027" in msa
    assert "All documents accepted | US$63,000 | end of month 6" in msa
    assert (
        "The fixed fee of US$90,000 buys the labeling and delivery of three hundred and sixty "
        "thousand (360,000) documents, being fifteen thousand (15,000) documents in each month of "
        "the initial term, which Nimbus commits to deliver" in msa
    )
    assert "fifteen thousand (15,000) documents (committed)" in msa
    assert "in the instalments set out in the applicable Statement of Work" not in msa


def test_fixed_fee_without_milestones_is_a_counsel_point_not_monthly_invoicing() -> None:
    spec = spec_variant(LIDAR, {"workloads.0.pricing.milestones": None})
    msa = bundle_texts(spec)["msa"]
    assert (
        "[COUNSEL: milestones for the fixed fee: name, share or amount of the fee, and due date of "
        "each]" in msa
    )
    assert "monthly in arrears" not in msa
    assert "of the Fees for that Workload for the month" not in msa


def test_a_media_hour_is_paid_as_output_and_only_labor_hours_need_time_records() -> None:
    msa = bundle_texts(spec_variant(SPEECH, {}))["msa"]
    assert "US$22.50 per audio hour delivered and Accepted" in msa
    assert "the rate for each audio hour delivered and Accepted in the month" in msa
    assert "per hour of labeling time" not in msa
    assert "US$18 per labor hour recorded, up to three thousand (3,000) labor hours a month" in msa
    assert (
        "Savanna shall record the time of each individual who works on a Workload priced per "
        "labor hour, each day, by task and batch" in msa
    )

    output_only = spec_variant(
        SPEECH,
        {
            "workloads.1.unit": "conversation",
            "workloads.1.volume_per_month": 30000,
            "workloads.1.pricing": {"model": "per_task", "rate": 0.6},
        },
    )
    msa = bundle_texts(output_only)["msa"]
    assert "record the time" not in msa
    assert "labor hours recorded" not in msa
    assert "the rate for each audio hour or conversation delivered and Accepted" in msa


def test_labor_hours_without_a_cap_get_a_counsel_marker() -> None:
    spec = spec_variant(SPEECH, {"workloads.1.pricing.monthly_cap": None})
    assert (
        "up to [COUNSEL: monthly cap on chargeable labor hours] a month"
        in bundle_texts(spec)["msa"]
    )


def test_the_baseline_team_says_which_workloads_it_serves_and_how_it_is_paid() -> None:
    msa = bundle_texts(spec_variant(REFERENCE, {}))["msa"]
    assert "US$1,450 per full-time equivalent per month, for four (4) full-time equivalents" in msa
    assert (
        "The baseline team under Section 2.2 works on the CT scan organ segmentation and Clinical "
        "note entity tagging Workloads. The full-time equivalents of it assigned to the Clinical "
        "note entity tagging Workload are billed per full-time equivalent per month" in msa
    )
    assert (
        "Its work on the CT scan organ segmentation Workload is paid only through the Fees for "
        "that Workload in the table above, and no separate charge is payable for the team members "
        "who do it." in msa
    )
    assert "One full-time equivalent means one hundred and sixty (160) hours" in msa

    unit_only = spec_variant(
        REFERENCE,
        {
            "engagement.operating_model": "dedicated_team",
            "workloads.1.pricing": {"model": "per_task", "rate": 2.1},
            "staffing.workloads": ["ct-segmentation"],
        },
    )
    msa = bundle_texts(unit_only)["msa"]
    assert "to perform the CT scan organ segmentation Workload" in msa
    assert "billed per full-time equivalent" not in msa
    assert (
        "Each change takes effect on the date stated in the notice, and the rates for the Workloads do not change."
        in msa
    )


def test_exit_work_has_a_price_only_when_exit_charges_are_allowed() -> None:
    lidar = bundle_texts(spec_variant(LIDAR, {}))
    assert "Exit manager | US$85 per hour" in lidar["msa"]
    assert (
        "at the rates for exit assistance in that Schedule, and the total of all such charges shall not exceed US$25,000"
        in lidar["exit_schedule"]
    )

    no_card = bundle_texts(spec_variant(LIDAR, {"commercial.rate_card": None}))
    assert "[COUNSEL: rates for exit assistance beyond the continued Services" in no_card["msa"]

    free = bundle_texts(spec_variant(REFERENCE, {}))
    assert "Exit assistance." not in free["msa"]
    assert "and no other charge is payable for exit assistance" in free["msa"]
    assert "No other charge is payable for exit assistance" in free["exit_schedule"]
    assert "is charged at those rates" not in free["exit_schedule"]


def test_no_run_off_text_when_there_is_no_run_off() -> None:
    spec = spec_variant(
        LIDAR, {"exit.runoff_support_months": 0, "engagement.position": "customer_favourable"}
    )
    texts = bundle_texts(spec)
    assert all("run-off" not in t.lower() for t in texts.values())
    with_runoff = bundle_texts(spec_variant(LIDAR, {}))["exit_schedule"]
    assert "cooperation with any Successor Provider and run-off support" in with_runoff


def test_every_named_contact_and_timing_is_in_the_draft() -> None:
    texts = bundle_texts(spec_variant(REFERENCE, {}))
    msa = texts["msa"]
    for dangling in (
        "designated security contact",
        "the period the parties agree",
        "governance procedures",
        "at the frequency they agree",
        "ramp plan",
    ):
        assert dangling not in msa, dangling
    assert (
        "Nimbus’s security officer, Rohan Kulkarni (security@nimbus.example), gives these notices"
        in msa
    )
    assert (
        "by e-mail to legal@acmehealth.example and to Lena Ortiz (security@acmehealth.example)"
        in msa
    )
    assert "service reviews at least once a month" in msa
    assert "within ten (10) days after either party raises it in writing" in msa
    assert (
        "“Key Personnel” means the Accountable Manager, Meera Joshi (lead of the baseline team) "
        "and Anil Rao (quality lead), and any replacement" in texts["exit_schedule"]
    )

    bare = bundle_texts(
        spec_variant(
            REFERENCE,
            {
                "vendor.security_contact": None,
                "exit.key_personnel": None,
                "operations.governance": None,
            },
        )
    )
    assert "[COUNSEL: name and e-mail of the vendor’s security officer]" in bare["msa"]
    assert "[COUNSEL: how often service reviews are held]" in bare["msa"]
    assert "[COUNSEL: names and roles of the other key personnel" in bare["exit_schedule"]


# -- 2. Acceptance in every operating model -----------------------------------------------


@pytest.mark.parametrize("model", ["project", "dedicated_team", "flexible", "hybrid"])
def test_acceptance_is_defined_once_and_referred_to_by_fees_pilot_and_credits(model: str) -> None:
    spec = spec_variant(REFERENCE, {"engagement.operating_model": model})
    msa_tree = trees(spec)["msa"]
    msa = tree_text(msa_tree)
    acceptance = section(msa_tree, "msa.acceptance")
    assert msa.count("Deemed acceptance.") == 1
    assert (
        "within five (5) Business Days after the batch is delivered (its Acceptance Period)" in msa
    )
    assert "by notice to Nimbus within the Acceptance Period stating its reasons" in msa
    assert "shall correct or re-perform every rejected item at its own cost" in msa
    assert (
        f"“Accepted” means accepted, or treated as accepted, under {acceptance}, in relation to a batch"
        in msa
    )
    assert f"Each pilot batch is subject to acceptance under {acceptance}." in msa
    assert f"correct or re-perform rejected work under {acceptance}" in msa
    assert "the rate for each image delivered and Accepted in the month" in msa
    assert f"The work they deliver is subject to acceptance under {acceptance}" in msa


# -- 3. No clause contradicts another ----------------------------------------------------------


def test_the_vendor_keeps_the_convenience_right_the_balanced_draft_gives_it() -> None:
    msa_tree = trees(spec_variant(REFERENCE, {}))["msa"]
    msa = tree_text(msa_tree)
    convenience = section(msa_tree, "msa.termination")
    assert (
        "Nimbus may terminate this Agreement for convenience by giving Acme at least ninety (90) days’ written notice"
        in msa
    )
    assert (
        "Nimbus may terminate this Agreement, a Statement of Work or a Workload only under the "
        f"first paragraph of this Section or by notice for convenience under {convenience}, and"
        in msa
    )
    assert "for any reason other than those in the first paragraph" not in msa
    assert re.search(
        "Nimbus may not suspend the Services, except that it may suspend performance of an "
        r"instruction it considers unlawful as Section \d+\.\d+ of the Data Sharing and "
        "Processing Agreement provides.",
        msa,
    )

    customer = tree_text(
        trees(spec_variant(REFERENCE, {"engagement.position": "customer_favourable"}))["msa"]
    )
    assert (
        "Nimbus may terminate this Agreement, a Statement of Work or a Workload only under the "
        "first paragraph of this Section, and" in customer
    )


@pytest.mark.parametrize("position", ["balanced", "customer_favourable"])
def test_non_infringement_is_the_same_absolute_promise_in_the_msa_and_the_ip_assignment(
    position: str,
) -> None:
    texts = bundle_texts(spec_variant(REFERENCE, {"engagement.position": position}))
    promise = (
        "the Work Product will not infringe or misappropriate the Intellectual Property Rights of "
        "any third party, except to the extent an infringement is caused by Customer Materials"
    )
    assert promise in texts["msa"]
    assert promise in texts["ip_assignment"]
    assert "to its knowledge" not in texts["msa"] + texts["ip_assignment"]


def test_residuals_never_reach_customer_data_or_people_and_the_customer_draft_has_none() -> None:
    balanced = bundle_texts(spec_variant(LIDAR, {"engagement.position": "balanced"}))["nda"]
    assert "(“Residuals”)" in balanced
    assert (
        "Residuals never include, and this Section does not permit the use or disclosure of, any "
        "Customer Data, any information relating to an identified or identifiable individual,"
        in balanced
    )
    customer = bundle_texts(spec_variant(LIDAR, {}))["nda"]
    assert "(“Residuals”)" not in customer
    assert "may use the general ideas" not in customer
    assert "has become part of an individual’s general knowledge, skills or experience" in customer


def test_without_successor_cooperation_knowledge_goes_to_the_customer_only() -> None:
    spec = spec_variant(LIDAR, {"exit.successor_cooperation": False})
    texts = bundle_texts(spec)
    exit_schedule, msa = texts["exit_schedule"], texts["msa"]
    assert "Cooperation with the Successor Provider" not in exit_schedule
    assert "shall deliver to Orbital the following deliverables" in exit_schedule
    assert "shall return to Orbital all Customer Data" in exit_schedule
    assert "for Orbital. The sessions" in exit_schedule
    assert "shadow" not in exit_schedule
    assert "cooperation with any Successor Provider" not in exit_schedule
    assert "to cooperate with any Successor Provider" not in msa

    with_cooperation = bundle_texts(spec_variant(LIDAR, {}))["exit_schedule"]
    assert "Cooperation with the Successor Provider" in with_cooperation


def test_a_vendor_sop_is_licensed_once_and_is_not_work_product() -> None:
    texts = bundle_texts(spec_variant(SPEECH, {}))
    msa, ip = texts["msa"], texts["ip_assignment"]
    assert "improvements to SOPs" not in " ".join(texts.values())
    assert "changes to the SOPs and guidelines that Vocalis owns" in msa
    assert (
        "but not an SOP or ground-truth set that Savanna owns, or any change to it, which Savanna keeps and licenses to Vocalis under Section"
        in msa
    )
    assert (
        "An SOP owned by Savanna, and every change to it, remains Savanna’s property and is not Work Product."
        in msa
    )
    assert "hereby grants" not in msa
    assert (
        ip.count("hereby grants") == 2
    )  # the background IP license and the fallback for unassignable rights
    assert "Intent Taxonomy Guidelines" in ip


# -- 4. One set of transaction documents ---------------------------------------------------------


def test_one_order_of_precedence_ranks_every_document_and_each_refers_to_it() -> None:
    built = trees(spec_variant(REFERENCE, {}))
    msa_tree = built["msa"]
    precedence = section(msa_tree, "msa.precedence")
    msa = tree_text(msa_tree)
    ranked = [
        "the BAA, for matters relating to Protected Health Information;",
        "the DPA, for matters relating to the processing of Customer Data, including Personal Data;",
        "the IP Assignment, for the ownership of Work Product",
        "the Exit Schedule, for exit, transition, knowledge transfer and the return and destruction of Customer Data;",
        "the NDA, for the protection of Confidential Information;",
        "the main body of this Agreement, for every matter;",
        "each Statement of Work, including Statement of Work No. 1",
    ]
    positions = [msa.index(item) for item in ranked]
    assert positions == sorted(positions)
    definition = (
        "“Transaction Documents” means the Agreement, the NDA, the BAA, the DPA, the IP Assignment "
        f"and the Exit Schedule, ranked in the order of precedence in {precedence}"
    )
    assert definition in msa
    elsewhere = f"order of precedence in {precedence} of the Master Services Agreement"
    for key in ("nda", "baa", "dpa", "ip_assignment", "exit_schedule"):
        text = tree_text(built[key])
        assert elsewhere in text, key
        assert "“Transaction Documents” means" in text, key
    assert "the provision that protects it more applies" not in tree_text(built["nda"])
    assert "prevails over the Agreement and any other document" not in tree_text(built["baa"])


def test_schedule_one_is_the_first_statement_of_work_and_a_form_follows() -> None:
    msa_tree = trees(spec_variant(REFERENCE, {}))["msa"]
    titles = [s.title for s in msa_tree.schedules]
    assert titles[0] == "Statement of Work No. 1"
    assert titles[-1] == "Form of Statement of Work"
    msa = tree_text(msa_tree)
    assert (
        "This Schedule is Statement of Work No. 1 under this Agreement, made on the Effective Date."
        in msa
    )
    assert "including Statement of Work No. 1 in paragraph 1 of Schedule 1" in msa
    assert "Each Statement of Work after Statement of Work No. 1 shall be headed" in msa


# -- 5. Disputes that can be enforced --------------------------------------------------------------


def test_a_foreign_vendor_defaults_to_arbitration_with_courts_for_injunctions() -> None:
    spec = spec_variant(REFERENCE, {"engagement.disputes": None, "vendor.process_agent": None})
    msa = bundle_texts(spec)["msa"]
    assert (
        "Any Dispute shall be finally resolved by arbitration administered by the International "
        "Centre for Dispute Resolution under its International Arbitration Rules" in msa
    )
    assert "The tribunal consists of a sole arbitrator." in msa
    assert "[COUNSEL: seat of the arbitration, a city in a New York Convention state]" in msa
    assert (
        "including the courts of India, where it may be enforced under the Convention on the Recognition and Enforcement of Foreign Arbitral Awards"
        in msa
    )
    assert (
        "either party may apply to the state and federal courts located in New York County, New York"
        in msa
    )
    assert (
        "Nimbus irrevocably appoints [COUNSEL: name and address in the United States of the vendor’s agent for service of process]"
        in msa
    )
    assert "TRIAL BY JURY" not in msa
    assert "exclusive jurisdiction" not in msa


def test_a_us_vendor_defaults_to_the_courts_of_the_venue() -> None:
    spec = spec_variant(
        REFERENCE,
        {
            "engagement.disputes": None,
            "vendor.country": "US",
            "vendor.delivery_locations": ["US"],
            "vendor.process_agent": None,
        },
    )
    msa = bundle_texts(spec)["msa"]
    assert (
        "exclusive jurisdiction of the state and federal courts located in New York County, New York"
        in msa
    )
    assert "WAIVES ANY RIGHT TO A TRIAL BY JURY" in msa
    assert "agent to receive service of process" not in msa
    assert "arbitration" not in msa


def test_california_law_never_waives_a_jury_and_uses_judicial_reference() -> None:
    texts = bundle_texts(spec_variant(LIDAR, {}))
    msa = texts["msa"]
    assert "TRIAL BY JURY" not in " ".join(texts.values())
    assert (
        "referred to a referee under section 638 of the California Code of Civil Procedure" in msa
    )
    assert (
        "Luzon Data irrevocably appoints Luzon Data Labeling USA Inc., of 160 W Santa Clara Street"
        in msa
    )

    arbitration = bundle_texts(spec_variant(LIDAR, {"engagement.disputes": None}))["msa"]
    assert "TRIAL BY JURY" not in arbitration and "section 638" not in arbitration


def test_the_nda_follows_the_msa_forum_instead_of_naming_its_own_courts() -> None:
    texts = bundle_texts(spec_variant(REFERENCE, {}))
    assert "exclusive jurisdiction" not in texts["nda"]
    assert re.search(
        r"governed by the law chosen in Section \d+\.\d+ of the Master Services Agreement",
        texts["nda"],
    )


def governing_law_note(spec: Spec) -> str:
    msa = trees(spec)["msa"]
    note = next(n.note for n in msa.notes if n.clause_id == "msa.governing_law")
    assert note is not None
    return note


def test_review_notes_explain_where_a_judgment_or_an_award_can_be_enforced() -> None:
    courts = governing_law_note(spec_variant(LIDAR, {}))
    assert "because Luzon Data's US subsidiary holds the project assets" in courts
    assert "may need a fresh action in the Philippines before it can be executed" in courts
    assert (
        "An arbitral award would be enforceable in the Philippines under the New York Convention"
        in courts
    )
    assert "Grafton Partners v. Superior Court (2005) 36 Cal.4th 944" in courts

    india = governing_law_note(
        spec_variant(REFERENCE, {"engagement.disputes": {"forum": "courts"}})
    )
    assert "gives no reason (engagement.disputes.reason)" in india
    assert (
        "not a reciprocating territory under section 44A of the Indian Code of Civil Procedure"
        in india
    )

    award = governing_law_note(spec_variant(SPEECH, {}))
    assert (
        "an award can be enforced against Savanna in Kenya under the New York Convention" in award
    )
    assert "India" not in award


def test_georgia_law_drafts_no_jury_waiver() -> None:
    spec = spec_variant(
        REFERENCE,
        {
            "engagement.governing_law": "Georgia",
            "engagement.disputes": {"forum": "courts", "reason": "assets in Georgia"},
        },
    )
    msa = bundle_texts(spec)["msa"]
    assert "TRIAL BY JURY" not in msa and "section 638" not in msa
    assert "Bank South, N.A. v. Howard" in governing_law_note(spec)


def test_coverage_lists_acceptance_and_the_dispute_requirements() -> None:
    from contractkit.coverage import coverage

    spec = spec_variant(LIDAR, {})
    rows = {r.requirement: r for r in coverage(spec, load_library(), list(trees(spec).values()))}
    for requirement in (
        "msa.acceptance",
        "msa.enforceable-disputes",
        "msa.service-of-process",
        "msa.no-jury-waiver",
    ):
        assert rows[requirement].applies and rows[requirement].covered, requirement
    assert rows["msa.acceptance"].clauses == ["msa.acceptance"]

    domestic = spec_variant(
        REFERENCE,
        {
            "engagement.disputes": None,
            "vendor.country": "US",
            "vendor.delivery_locations": ["US"],
            "vendor.process_agent": None,
        },
    )
    rows = {
        r.requirement: r for r in coverage(domestic, load_library(), list(trees(domestic).values()))
    }
    assert not rows["msa.enforceable-disputes"].applies
    assert not rows["msa.no-jury-waiver"].applies


# -- Spec rules that keep the money and the forum coherent ----------------------------------------


def findings(base: Path, changes: dict[str, object]) -> list[tuple[str, str, str]]:
    """(path, severity, message) of every rule finding for a variant of a shipped spec."""
    from contractkit import rules

    data = load_spec(base).spec.model_dump(mode="json", exclude_defaults=True)
    for dotted, value in changes.items():
        *parents, last = dotted.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        node[int(last) if isinstance(node, list) else last] = value
    spec = Spec.model_validate(data)
    return [(".".join(map(str, f.path)), f.severity, f.message) for f in rules.check(spec)]


def test_a_per_hour_price_must_name_the_hour(tmp_path: Path, run_cli: RunCli) -> None:
    source = SPEECH.read_text(encoding="utf-8").replace("unit: labor hour ", "unit: conversation")
    spec_file = tmp_path / "speech.yaml"
    spec_file.write_text(source, encoding="utf-8")
    line = next(i for i, text in enumerate(source.splitlines(), 1) if "unit: conversation" in text)
    result = run_cli("validate", spec_file)
    assert result.exit_code == 1
    assert (
        f"{spec_file}:{line}:11: workloads[1].unit: workload 'intent-labeling' is priced per_hour, "
        "so unit must say which hour is paid for: 'labor hour' for labeling time" in result.stderr
    )
    assert result.stderr.endswith(f"{spec_file}: invalid (1 error)\n")


@pytest.mark.parametrize(
    ("base", "changes", "path", "message"),
    [
        (
            LIDAR,
            {"workloads.0.pricing.milestones": [{"name": "All", "pct": 90, "due": "2027-11-30"}]},
            "workloads.0.pricing.milestones",
            "the milestones of workload 'lidar-3d-boxes' add up to 90% of the fixed fee, not 100%",
        ),
        (
            LIDAR,
            {
                "workloads.0.pricing.milestones": [
                    {"name": "All", "amount": 200000, "due": "2027-11-30"}
                ]
            },
            "workloads.0.pricing.milestones",
            "add up to US$200,000, not the fixed fee of US$240,000",
        ),
        (
            REFERENCE,
            {"workloads.0.pricing.fte": 3},
            "workloads.0.pricing.fte",
            "fte applies only to per_fte_month pricing; workload 'ct-segmentation' is priced per_task",
        ),
        (
            REFERENCE,
            {"workloads.1.pricing.fte": 14},
            "staffing.baseline_fte",
            "the baseline team has 12 full-time equivalents but the workloads it serves are billed for 14",
        ),
        (
            REFERENCE,
            {"staffing.workloads": ["ct-segmentation", "ct-segmentaton"]},
            "staffing.workloads.1",
            "'ct-segmentaton' is not a workload id; use one of ct-segmentation, clinical-notes-ner",
        ),
        (
            LIDAR,
            {"engagement.disputes": {"forum": "courts", "seat": "Singapore"}},
            "engagement.disputes.seat",
            "seat applies only to arbitration; forum is courts",
        ),
    ],
)
def test_pricing_and_forum_errors_name_the_field(
    base: Path, changes: dict[str, object], path: str, message: str
) -> None:
    assert any(p == path and s == "error" and message in m for p, s, m in findings(base, changes))


def test_courts_for_a_foreign_vendor_or_outside_california_draw_warnings() -> None:
    found = findings(REFERENCE, {"engagement.disputes": {"forum": "courts"}})
    assert ("engagement.disputes.forum", "warning") in [(p, s) for p, s, _ in found]
    found = findings(LIDAR, {"engagement.venue": "New York County, New York"})
    assert any(
        p == "engagement.venue" and s == "warning" and "judicial reference" in m
        for p, s, m in found
    )


# -- Flags switched off, a US vendor under Georgia law: each lints clean -------------------------


def test_edge_engagements_lint_clean() -> None:
    """The model-by-pricing grid is in test_every_combination; these are the flags around it."""
    from contractkit.lint import spec_problems

    library = load_library()
    variants = {
        "us-vendor-georgia": (
            REFERENCE,
            {
                "engagement.disputes": None,
                "vendor.country": "US",
                "vendor.delivery_locations": ["US"],
                "vendor.process_agent": None,
                "engagement.governing_law": "Georgia",
            },
        ),
        "no-successor-no-runoff": (
            LIDAR,
            {"exit.successor_cooperation": False, "exit.runoff_support_months": 0},
        ),
        "rate-card-exit-fees": (REFERENCE, {"exit.exit_fees": "rate_card"}),
        "fixed-without-milestones": (LIDAR, {"workloads.0.pricing.milestones": None}),
    }
    found = {}
    for name, (base, changes) in variants.items():
        for position in ("customer_favourable", "balanced"):
            spec = spec_variant(base, {**changes, "engagement.position": position})
            found[f"{name}-{position}"] = [str(p) for p in spec_problems(spec, library)]
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_without_an_exit_schedule_the_msa_prices_exit_work_itself() -> None:
    spec = spec_variant(REFERENCE, {"documents": ["msa", "baa", "dpa"], "exit.exit_fees": "capped"})
    texts = bundle_texts(spec)
    assert list(texts) == ["msa", "baa", "dpa"]
    msa = texts["msa"]
    assert (
        "The knowledge transfer and the cooperation with a Successor Provider under this Section, "
        "beyond the continued Services, are charged at the rates for exit assistance in paragraph 1 "
        "of Schedule 1, up to a total of [COUNSEL: cap on exit assistance charges]" in msa
    )
    assert "where Section 9.5 allows a charge for it" in msa
    assert "the NDA, for the protection" not in msa
    assert "“Transaction Documents” means the Agreement, the BAA and the DPA" in msa
