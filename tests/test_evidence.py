"""Evidence files: what has happened since drafting changes exactly the items it speaks to."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from click.testing import Result

from contractkit.checklist import Checklist, make_checklist
from contractkit.evidence import evidence_schema, load_evidence
from contractkit.loader import load_spec
from contractkit.resources import PACKAGE

from helpers import EXAMPLES

WriteSpec = Callable[..., Path]
RunCli = Callable[..., Result]
REFERENCE = EXAMPLES / "reference.yaml"
SHIPPED = EXAMPLES / "reference.evidence.yaml"
AS_OF = dt.date(2027, 9, 15)
CHECKLIST_SCHEMA = json.loads(
    (PACKAGE / "schemas" / "checklist.schema.json").read_text(encoding="utf-8")
)
STALE = "transferability.clinical-notes-ner.ground-truth-owned"
MISSING = "operational.insurance-certificates"
# The shipped reference evidence with its stale export refreshed and the certificates received.
CURRENT = [
    (
        "date: 2027-05-10                  # older than 90 days by mid-August: stale",
        "date: 2027-08-10",
    ),
    (
        "    status: missing                   # asked for on 2027-08-01, not received\n"
        "    date: 2027-08-01\n",
        "    status: done\n    date: 2027-08-01\n    expires: 2028-07-31\n",
    ),
]
HEADER = "contractkit_evidence: 1\nengagement: acme-nimbus-2027\n"
SIGNED_ALL = (
    "signed: {msa: 2027-01-04, nda: 2027-01-04, baa: 2027-01-04, dpa: 2027-01-04, "
    "ip_assignment: 2027-01-04, exit_schedule: 2027-01-04}\n"
)


def evidence_file(tmp_path: Path, text: str, name: str = "e.evidence.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def edited(edits: list[tuple[str, str]]) -> str:
    text = SHIPPED.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def judged(evidence: Path, as_of: dt.date = AS_OF, spec: Path = REFERENCE) -> Checklist:
    return make_checklist(load_spec(spec), evidence=load_evidence(evidence), as_of=as_of)


def statuses(checklist: Checklist) -> dict[str, str]:
    return {i.id: i.status for i in checklist.items}


def item(checklist: Checklist, item_id: str) -> dict[str, object]:
    found = next(i for i in checklist.items if i.id == item_id)
    return {k: v for k, v in vars(found).items() if k not in ("title", "owner", "layer")}


def test_one_stale_and_one_missing_item_change_exactly_those_items_and_the_score(
    tmp_path: Path,
) -> None:
    current = judged(evidence_file(tmp_path, edited(CURRENT)))
    shipped = judged(SHIPPED)
    before, after = statuses(current), statuses(shipped)
    assert {k: (before[k], v) for k, v in after.items() if before[k] != v} == {
        STALE: ("ready", "stale"),
        MISSING: ("ready", "gap"),
    }
    assert item(shipped, STALE) == {
        "id": STALE,
        "workload": "clinical-notes-ner",
        "status": "stale",
        "evidence": 'gold set "NER adjudicated set" of 500 items, owned by the customer',
        "reference": None,
        "action": "Refresh the latest export of the ground-truth set, in the customer's hands "
        "(last 2027-05-10)",
        "evidence_status": "done",
        "evidence_date": "2027-05-10",
        "evidence_reference": "ner-gold-2027-05.jsonl, sha256 91be44d2",
        "evidence_by": "ML Ops (K. Tan)",
        "stale_since": "2027-08-09",
        "evidence_due": "2027-08-08",
    }
    assert (shipped.summary()["overall"], current.summary()["overall"]) == (85, 87)
    layers = shipped.summary()["layers"]
    # 15 ready and 1 stale of 16: (15 + 1/2) / 16 = 96.9; 6 ready of 7: 85.7.
    assert (layers["transferability"]["stale"], layers["transferability"]["score"]) == (1, 97)
    assert (layers["operational"]["gap"], layers["operational"]["score"]) == (1, 86)
    assert current.summary()["layers"]["transferability"]["score"] == 100


@pytest.mark.parametrize(
    ("as_of", "status", "stale_since"),
    [(dt.date(2027, 8, 8), "ready", None), (dt.date(2027, 8, 9), "stale", "2027-08-09")],
)
def test_a_ground_truth_export_counts_for_90_days(
    as_of: dt.date, status: str, stale_since: str | None
) -> None:
    found = item(judged(SHIPPED, as_of), STALE)
    assert (found["status"], found["stale_since"], found["evidence_due"]) == (
        status,
        stale_since,
        "2027-08-08",
    )


def test_as_of_makes_the_result_reproducible_and_defaults_to_the_files_as_of(
    run_cli: RunCli,
) -> None:
    pinned = run_cli("checklist", REFERENCE, "--format", "json", "--as-of", "2027-09-15")
    default = run_cli("checklist", REFERENCE, "--format", "json")
    assert pinned.exit_code == 0, pinned.stderr
    assert pinned.stdout == default.stdout
    data = json.loads(pinned.stdout)
    jsonschema.Draft202012Validator(CHECKLIST_SCHEMA).validate(data)
    assert data["as_of"] == "2027-09-15"
    assert len(data["evidence_sha256"]) == 64
    later = json.loads(
        run_cli("checklist", REFERENCE, "--format", "json", "--as-of", "2027-10-02").stdout
    )
    stale = [i["id"] for i in later["items"] if i["status"] == "stale"]
    assert stale == ["transferability.ct-segmentation.sop-copy-held", STALE]


@pytest.mark.parametrize(
    ("item_id", "date", "fresh_until"),
    [
        ("transferability.ct-segmentation.sop-copy-held", "2027-09-01", "2027-10-01"),
        ("operational.exit-plan-received", "2027-03-02", "2028-03-01"),
        ("contractual.transfer-impact-assessment", "2027-02-01", "2028-01-31"),
    ],
)
def test_each_rule_holds_to_its_last_day_and_not_a_day_more(
    tmp_path: Path, item_id: str, date: str, fresh_until: str
) -> None:
    spec = EXAMPLES / ("speech-flex.yaml" if "assessment" in item_id else "reference.yaml")
    engagement = "vocalis-speech-2027" if "assessment" in item_id else "acme-nimbus-2027"
    path = evidence_file(
        tmp_path,
        f"contractkit_evidence: 1\nengagement: {engagement}\n"
        f"items:\n  - {{item: {item_id}, status: done, date: {date}}}\n",
    )
    last = dt.date.fromisoformat(fresh_until)
    assert item(judged(path, last, spec), item_id)["status"] == "ready"
    after = item(judged(path, last + dt.timedelta(days=1), spec), item_id)
    assert (after["status"], after["stale_since"]) == (
        "stale",
        (last + dt.timedelta(days=1)).isoformat(),
    )


def test_a_semiannual_review_keeps_an_exit_plan_for_six_months(
    write_spec: WriteSpec, tmp_path: Path
) -> None:
    spec = write_spec([("exit_plan_review: annual", "exit_plan_review: semiannual")])
    path = evidence_file(
        tmp_path,
        HEADER + "items:\n  - {item: operational.exit-plan-received, status: done, "
        "date: 2027-03-02}\n",
    )
    checklist = make_checklist(
        load_spec(spec), evidence=load_evidence(path), as_of=dt.date(2027, 9, 2)
    )
    found = item(checklist, "operational.exit-plan-received")
    assert (found["status"], found["stale_since"]) == ("stale", "2027-09-02")


def test_a_certificate_counts_until_it_expires(tmp_path: Path) -> None:
    text = HEADER + (
        "items:\n  - {item: security.certificates-in-date, status: done, date: 2027-01-10, "
        "expires: 2027-06-30}\n"
    )
    path = evidence_file(tmp_path, text)
    assert (
        item(judged(path, dt.date(2027, 6, 30)), "security.certificates-in-date")["status"]
        == "ready"
    )
    expired = item(judged(path, dt.date(2027, 7, 1)), "security.certificates-in-date")
    assert (expired["status"], expired["stale_since"]) == ("stale", "2027-07-01")


def test_without_signatures_the_contractual_layer_is_drafted_and_counts_half(
    tmp_path: Path,
) -> None:
    path = evidence_file(tmp_path, HEADER)
    checklist = judged(path)
    contractual = {i.id: i for i in checklist.items if i.layer == "contractual"}
    drafted = sorted(k for k, i in contractual.items() if i.status == "drafted")
    assert drafted == [
        "contractual.baa",
        "contractual.dpa",
        "contractual.exit-certified-destruction",
        "contractual.exit-data-return",
        "contractual.exit-knowledge-transfer",
        "contractual.exit-schedule",
        "contractual.exit-successor-cooperation",
        "contractual.exit-transition-period",
        "contractual.ip-assignment",
        "contractual.msa",
        "contractual.nda",
    ]
    assert contractual["contractual.msa"].action == (
        "Sign the Master Services Agreement and record the date under signed.msa"
    )
    baa = contractual["contractual.baa-signed"]
    assert (baa.status, baa.evidence) == ("gap", "the BAA is not recorded as signed")
    # 11 drafted and 1 gap of 12 that apply: 5.5 / 12.
    assert checklist.summary()["layers"]["contractual"]["score"] == 46
    signed = judged(evidence_file(tmp_path, HEADER + SIGNED_ALL, "signed.evidence.yaml"))
    assert {
        i.status for i in signed.items if i.layer == "contractual" and i.status != "not_applicable"
    } == {"ready"}


def test_a_signature_after_the_as_of_date_does_not_count_yet(tmp_path: Path) -> None:
    path = evidence_file(tmp_path, HEADER + "signed: {msa: 2027-10-01}\n")
    assert statuses(judged(path))["contractual.msa"] == "drafted"
    assert statuses(judged(path, dt.date(2027, 10, 1)))["contractual.msa"] == "ready"


def test_evidence_only_items_apply_where_the_spec_calls_for_them(tmp_path: Path) -> None:
    reference = statuses(judged(evidence_file(tmp_path, HEADER)))
    assert (
        reference["contractual.transfer-impact-assessment"],
        reference["contractual.scc-annexes"],
        reference["contractual.baa-signed"],
        reference["security.certificates-in-date"],
        reference["operational.insurance-certificates"],
        reference["operational.exit-plan-received"],
        reference["operational.exit-plan-tested"],
    ) == (
        "not_applicable",
        "not_applicable",
        "gap",
        "needs_input",
        "needs_input",
        "needs_input",
        "not_applicable",
    )
    speech = statuses(
        judged(EXAMPLES / "speech-flex.evidence.yaml", spec=EXAMPLES / "speech-flex.yaml")
    )
    assert (
        speech["contractual.transfer-impact-assessment"],
        speech["contractual.scc-annexes"],
        speech["contractual.baa-signed"],
    ) == ("ready", "gap", "not_applicable")


def test_the_exit_plan_test_is_not_due_before_one_review_cycle(tmp_path: Path) -> None:
    path = evidence_file(tmp_path, HEADER)
    early = item(judged(path, dt.date(2028, 3, 5)), "operational.exit-plan-tested")
    assert (early["status"], early["evidence_due"]) == ("not_applicable", "2028-03-05")
    late = item(judged(path, dt.date(2028, 3, 6)), "operational.exit-plan-tested")
    assert (late["status"], late["action"]) == (
        "needs_input",
        "Record a test of the exit plan (a desktop exercise or more) in the evidence file",
    )


def test_a_destruction_certificate_is_due_within_its_days_of_the_data_return(
    tmp_path: Path,
) -> None:
    returned = HEADER + (
        "items:\n  - {item: contractual.exit-data-return, status: done, date: 2028-05-01}\n"
    )
    path = evidence_file(tmp_path, returned)
    due = item(judged(path, dt.date(2028, 5, 31)), "security.data-destruction")
    assert (due["status"], due["evidence_due"]) == ("needs_input", "2028-05-31")
    overdue = item(judged(path, dt.date(2028, 6, 1)), "security.data-destruction")
    assert (overdue["status"], overdue["action"]) == (
        "gap",
        "Obtain the vendor's certificate of destruction (due 2028-05-31)",
    )
    certified = evidence_file(
        tmp_path,
        returned + "  - {item: security.data-destruction, status: done, date: 2028-05-20}\n",
        "certified.evidence.yaml",
    )
    assert statuses(judged(certified, dt.date(2028, 6, 1)))["security.data-destruction"] == "ready"


def test_recorded_missing_or_in_progress_is_a_gap_on_any_item(tmp_path: Path) -> None:
    path = evidence_file(
        tmp_path,
        HEADER + SIGNED_ALL + "items:\n"
        "  - {item: security.encryption, status: missing, date: 2027-09-01, by: Audit}\n"
        "  - {item: quality.ct-segmentation.audit-sampling, status: in_progress, "
        "date: 2027-09-01}\n",
    )
    checklist = judged(path)
    encryption = item(checklist, "security.encryption")
    assert (encryption["status"], encryption["evidence_status"], encryption["evidence_by"]) == (
        "gap",
        "missing",
        "Audit",
    )
    assert statuses(checklist)["quality.ct-segmentation.audit-sampling"] == "gap"


BAD = [
    (
        "contractkit_evidence: 2\nengagement: acme-nimbus-2027\n",
        "e.evidence.yaml:1:23: contractkit_evidence: must be 1, the evidence format this "
        "contractkit reads; got 2",
    ),
    (
        HEADER + "signed: {msa: 2027-01-04, bba: 2027-01-04}\n",
        "e.evidence.yaml:3:27: signed.bba: unknown field 'bba'; did you mean 'baa'?",
    ),
    (
        HEADER + "items:\n  - item: security.encryption\n    status: finished\n"
        "    date: 2027-01-04\n",
        "e.evidence.yaml:5:13: items[0].status: must be 'done', 'in_progress' or 'missing'; "
        "got 'finished'",
    ),
    (
        HEADER + "items:\n  - {item: security.encryption, status: done, date: 2027-02-30}\n",
        "e.evidence.yaml:4:53: items[0].date: '2027-02-30' is not a valid date: day value is "
        "outside expected range",
    ),
    (
        HEADER + "items:\n  - {item: security.encryption, status: done, date: 2027-02-01, "
        "refrence: x}\n",
        "e.evidence.yaml:4:65: items[0].refrence: unknown field 'refrence'; did you mean "
        "'reference'?",
    ),
    (
        HEADER + "items:\n  - {item: security.encryption, status: done, date: 2027-02-01, "
        "expires: 2027-01-01}\n",
        "e.evidence.yaml:4:74: items[0].expires: is before the date 2027-02-01",
    ),
    (
        HEADER + "items:\n  - {item: security.encryption, status: done, date: 2027-02-01}\n"
        "  - {item: security.encryption, status: missing, date: 2027-03-01}\n",
        "e.evidence.yaml:5:12: items[1].item: 'security.encryption' is also recorded at line 4; "
        "keep one entry per item",
    ),
    (
        "contractkit_evidence: 1\nengagement: acme-nimbus-2028\n",
        "e.evidence.yaml:2:13: engagement: 'acme-nimbus-2028' is not the engagement of "
        "{spec} ('acme-nimbus-2027')",
    ),
    (
        HEADER + "items:\n  - item: transferability.ct-segmentaton.ground-truth-owned\n"
        "    status: done\n    date: 2027-02-01\n",
        "e.evidence.yaml:4:11: items[0].item: the checklist has no item "
        "'transferability.ct-segmentaton.ground-truth-owned'; did you mean "
        "'transferability.ct-segmentation.ground-truth-owned'?",
    ),
    (
        HEADER + "items:\n  - {item: security.certificates-in-date, status: done, "
        "date: 2027-02-01}\n",
        "e.evidence.yaml:4:5: items[0]: needs 'expires': the date the certificate stops being "
        "valid",
    ),
    (
        "contractkit_evidence: 1\nengagement: orbital-lidar-2027\nsigned: {baa: 2027-01-04}\n",
        "e.evidence.yaml:3:10: signed.baa: the Business Associate Agreement is not produced for "
        "this engagement",
    ),
    (
        "- just\n- a list\n",
        "e.evidence.yaml:1:1: expected a mapping of keys at the top level, found a list",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_a_bad_evidence_file_is_refused_at_its_line_and_nothing_is_written(
    run_cli: RunCli, tmp_path: Path, text: str, message: str
) -> None:
    evidence_file(tmp_path, text)
    spec = "lidar-project.yaml" if "orbital" in text else "reference.yaml"
    out = tmp_path / "checklist.json"
    result = run_cli(
        "checklist",
        EXAMPLES / spec,
        "--evidence",
        "e.evidence.yaml",
        "--format",
        "json",
        "-o",
        out,
        cwd=tmp_path,
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [message.format(spec=EXAMPLES / spec)]
    assert not out.exists()


def test_the_evidence_schema_is_printed_and_accepts_the_shipped_files(run_cli: RunCli) -> None:
    result = run_cli("schema", "--evidence")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema == json.loads(json.dumps(evidence_schema()))
    assert schema["properties"]["items"]["description"] == "Evidence per checklist item."
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted(EXAMPLES.glob("*.evidence.yaml")):
        validator.validate(json.loads(json.dumps(load_evidence(path).document.data)))
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"contractkit_evidence": 1, "engagement": "x", "colour": "red"})
    markdown = run_cli("schema", "--evidence", "--format", "markdown")
    assert markdown.exit_code == 2


def test_evidence_beside_the_spec_is_used_and_another_file_can_be_named(
    run_cli: RunCli, tmp_path: Path
) -> None:
    spec = tmp_path / "deal.yaml"
    spec.write_bytes(REFERENCE.read_bytes())
    plain = json.loads(run_cli("checklist", spec, "--format", "json").stdout)
    assert (plain["as_of"], plain["evidence_sha256"]) == (None, None)
    assert {"drafted", "stale"}.isdisjoint(i["status"] for i in plain["items"])
    (tmp_path / "deal.evidence.yaml").write_bytes(SHIPPED.read_bytes())
    beside = json.loads(run_cli("checklist", spec, "--format", "json").stdout)
    assert beside["as_of"] == "2027-09-15"
    other = evidence_file(tmp_path, HEADER + "as_of: 2027-02-01\n", "other.yaml")
    named = json.loads(run_cli("checklist", spec, "--format", "json", "--evidence", other).stdout)
    assert named["as_of"] == "2027-02-01"
    assert {i["id"]: i["status"] for i in named["items"]}["contractual.msa"] == "drafted"


def test_the_readme_states_the_freshness_rules_of_the_code() -> None:
    from contractkit.checklist.freshness import FRESHNESS, freshness_markdown

    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- freshness -->\n", 1)[1].split("<!-- /freshness -->", 1)[0]
    assert block == freshness_markdown()
    assert len(block.splitlines()) == len(FRESHNESS) + 2
    assert "| Ground-truth export | `transferability.*.ground-truth-owned` | within 90 days |" in (
        block
    )


def test_fail_on_gap_counts_stale_evidence(run_cli: RunCli) -> None:
    result = run_cli("checklist", REFERENCE, "--format", "json", "--fail-on", "gap")
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        "gap: operational.insurance-certificates: Certificates of insurance in date",
        "gap: strategic.ct-segmentation.diversification: A second vendor for the workload",
        f"stale: {STALE}: Ground-truth set owned by the customer",
        "checklist: 3 items not ready",
    ]


def test_signatures_are_recorded_per_document_key() -> None:
    from contractkit.evidence import Signed
    from contractkit.spec import DocumentKey

    assert list(Signed.model_fields) == [k.value for k in DocumentKey]
    assert all(f.description for f in Signed.model_fields.values())


def test_the_readme_example_is_a_valid_evidence_file_for_the_reference(tmp_path: Path) -> None:
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("#### Evidence\n", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    checklist = judged(evidence_file(tmp_path, block))
    found = item(checklist, "transferability.ct-segmentation.ground-truth-owned")
    # Its own expiry date takes the place of the 90-day rule.
    assert (found["status"], found["evidence_due"]) == ("ready", "2028-02-01")
    assert statuses(checklist)["contractual.msa"] == "ready"
    assert statuses(checklist)["contractual.dpa"] == "drafted"
