"""``contractkit validate`` on bad input: every fixture and its exact located messages.

Each file in tests/fixtures/specs is one mistake, named for it. Most are the reference spec with
one small edit; the table records the edit, and a test checks the fixture still is exactly the
reference with that edit made, so a change to the reference cannot leave them stale. Inputs that
are binary or large (and so awkward in git) are generated in tmp_path instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result

from contractkit.spec import Workload
from contractkit.yamlread import MAX_DEPTH, MAX_FILE_BYTES

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "specs"
RunCli = Callable[..., Result]
WriteSpec = Callable[..., Path]

# The reference spec's own warning: its critical workload has no secondary vendor.
CRITICAL = (
    "workloads[0].critical: warning: critical workload 'ct-segmentation' has no "
    "secondary_vendor: the program depends on one vendor"
)
EMPTY = "the file is empty; run 'contractkit init' for a commented start"
PHI = "workload 'ct-segmentation' carries phi"


@dataclass(frozen=True)
class Case:
    """One fixture, the lines ``validate`` prints for it (after ``FILE:``), and its edit."""

    file: str
    expected: Sequence[str]
    edits: Sequence[tuple[str, str]] | None = None

    def __str__(self) -> str:
        return self.file


CASES = [
    # --- Reading the file: syntax, encoding, and what a safe loader refuses -------------------
    Case("empty.yaml", [f"1:1: {EMPTY}"]),
    Case("comments-only.yaml", [f"1:1: {EMPTY}"]),
    Case(
        "top-level-list.yaml",
        ["1:1: expected a mapping of keys at the top level, found a list"],
    ),
    Case(
        "yaml-syntax-error.yaml",
        [
            "57:5: YAML syntax error: expected ',' or '}', but got a value "
            "(a flow mapping that starts at line 56, column 14)"
        ],
        edits=[("pricing: {model: per_task, rate: 0.85}", "pricing: {model: per_task, rate: 0.85")],
    ),
    Case(
        "tab-indentation.yaml",
        ["12:1: YAML syntax error: found a tab; indent with spaces, not tabs"],
        edits=[("  venue: New York County, New York", "\tvenue: New York County, New York")],
    ),
    Case(
        "inconsistent-indentation.yaml",
        [
            "12:4: YAML syntax error: this line is indented differently from the lines above it "
            "(a block mapping that starts at line 6, column 3)"
        ],
        edits=[("  venue: New York County, New York", "   venue: New York County, New York")],
    ),
    Case(
        "unquoted-colon.yaml",
        [
            "12:16: YAML syntax error: unexpected ':'; put a value that contains ': ' in quotes, "
            "or check the indentation"
        ],
        edits=[("  venue: New York County, New York", "  venue: Courts: New York County")],
    ),
    Case(
        "multiple-documents.yaml",
        [
            "136:1: YAML syntax error: expected a single document in the stream, "
            "but found another document"
        ],
        edits=[
            (
                "  watermark: DRAFT - FOR COUNSEL REVIEW\n",
                "  watermark: DRAFT - FOR COUNSEL REVIEW\n---\ncontractkit: 1\n",
            )
        ],
    ),
    Case(
        "json-syntax-error.json",
        ["3:43: JSON syntax error: Expecting property name enclosed in double quotes"],
    ),
    Case(
        "duplicate-key.yaml",
        ["10:3: duplicate key 'term_months'"],
        edits=[("  term_months: 24\n", "  term_months: 24\n  term_months: 36\n")],
    ),
    Case(
        "anchors-aliases.yaml",
        ["26:14: anchors and aliases (& and *) are not supported; write the value out"],
        edits=[
            (
                "signatory: {name: Dana Whitfield, title: General Counsel}",
                "signatory: &signer {name: Dana Whitfield, title: General Counsel}",
            ),
            ("signatory: {name: Arjun Mehta, title: Director}", "signatory: *signer"),
        ],
    ),
    Case(
        "python-tag.yaml",
        ["7:10: tag '!!python/object/apply:os.system' is not allowed in a spec"],
        edits=[
            (
                "  title: Medical imaging and clinical text annotation services",
                "  title: !!python/object/apply:os.system [echo pwned]",
            )
        ],
    ),
    # --- Structure: unknown and missing fields -------------------------------------------------
    Case(
        "unknown-key-typo.yaml",
        [
            "58:7: workloads[0].quality.acuracy_target: unknown field 'acuracy_target'; "
            "did you mean 'accuracy_target'?"
        ],
        edits=[("accuracy_target: 0.98", "acuracy_target: 0.98")],
    ),
    Case(
        # The misspelt key also leaves 'exit' missing; the suggestion says so, once.
        "unknown-top-level-key.yaml",
        ["110:1: exits: unknown field 'exits'; did you mean 'exit'?"],
        edits=[("\nexit:\n", "\nexits:\n")],
    ),
    Case(
        # A missing field is shown at the key of the section that should hold it.
        "missing-required-field.yaml",
        ["5:1: engagement.title: required field 'title' is missing"],
        edits=[("  title: Medical imaging and clinical text annotation services\n", "")],
    ),
    Case(
        # An empty value is shown at its key, not at the next line.
        "empty-value.yaml",
        ["12:3: engagement.venue: is empty; a value is required"],
        edits=[("  venue: New York County, New York\n", "  venue:\n")],
    ),
    Case(
        # Every problem of the file at once, in line order.
        "several-errors.yaml",
        [
            "10:12: engagement.renewal: must be 'none', 'auto_annual' or 'mutual_agreement'; "
            "got 'yearly'",
            "24:18: customer.notices_email: 'legal.acmehealth.example' is not a valid e-mail "
            "address: An email address must have an @-sign.",
            "69:5: workloads[1].priority: unknown field 'priority'; expected one of: "
            + ", ".join(Workload.model_fields),
        ],
        edits=[
            ("  renewal: auto_annual ", "  renewal: yearly      "),
            ("notices_email: legal@acmehealth.example", "notices_email: legal.acmehealth.example"),
            ("    modality: text\n", "    modality: text\n    priority: high\n"),
        ],
    ),
    Case(
        "spec-format-2.yaml",
        ["3:14: contractkit: must be 1, the spec format this contractkit reads; got 2"],
        edits=[("contractkit: 1", "contractkit: 2")],
    ),
    # --- Values ----------------------------------------------------------------------------------
    Case(
        "bad-country-code.yaml",
        [
            "32:12: vendor.country: 'IND' is not an ISO 3166-1 alpha-2 country code "
            "(e.g. US, IN, PH); did you mean 'IN'?"
        ],
        edits=[("country: IN    ", "country: IND   ")],
    ),
    Case(
        "lowercase-country-code.yaml",
        [
            "37:24: vendor.delivery_locations[0]: 'in' is not an ISO 3166-1 alpha-2 country code "
            "(e.g. US, IN, PH); did you mean 'IN'?"
        ],
        edits=[("delivery_locations: [IN]", "delivery_locations: [in]")],
    ),
    Case(
        "bad-email.yaml",
        [
            "34:18: vendor.notices_email: 'contracts(at)nimbus.example' is not a valid e-mail "
            "address: An email address must have an @-sign."
        ],
        edits=[
            (
                "notices_email: contracts@nimbus.example",
                "notices_email: contracts(at)nimbus.example",
            )
        ],
    ),
    Case(
        "bad-slug-id.yaml",
        [
            "6:7: engagement.id: '../acme-nimbus-2027' is not a valid id: use lower-case letters, "
            "digits and hyphens, starting with a letter or digit, at most 63 characters"
        ],
        edits=[("id: acme-nimbus-2027", "id: ../acme-nimbus-2027")],
    ),
    Case(
        "bad-currency.yaml",
        [
            "15:13: engagement.currency: 'usd' is not an ISO 4217 currency code: three capital "
            "letters, e.g. USD"
        ],
        edits=[("currency: USD", "currency: usd")],
    ),
    Case(
        "fraction-out-of-range.yaml",
        [
            "58:24: workloads[0].quality.accuracy_target: must be a fraction from 0 to 1 "
            "(0.98 = 98%); got 98 (did you mean 0.98?)"
        ],
        edits=[("accuracy_target: 0.98", "accuracy_target: 98")],
    ),
    Case(
        "percent-out-of-range.yaml",
        ["105:56: operations.slas.service_credit_pct: must be at most 100; got 150"],
        edits=[("service_credit_pct: 5}", "service_credit_pct: 150}")],
    ),
    Case(
        "negative-count.yaml",
        ["51:23: workloads[0].volume_per_month: must be at least 0; got -40000"],
        edits=[("volume_per_month: 40000", "volume_per_month: -40000")],
    ),
    Case(
        "wrong-type.yaml",
        ["9:16: engagement.term_months: must be a whole number; got 'two years'"],
        edits=[("term_months: 24", "term_months: two years")],
    ),
    Case(
        "bad-enum.yaml",
        [
            "47:15: workloads[0].modality: must be 'image', 'video', 'text', 'audio', 'lidar' or "
            "'multimodal'; got 'imagery'; did you mean 'image'?"
        ],
        edits=[("modality: image   ", "modality: imagery ")],
    ),
    Case(
        "bad-date.yaml",
        [
            "8:19: engagement.effective_date: '2027-02-30' is not a valid date: day value is "
            "outside expected range"
        ],
        edits=[("effective_date: 2027-01-04", "effective_date: 2027-02-30")],
    ),
    Case(
        "unknown-deliverable.yaml",
        [
            "117:20: exit.knowledge_transfer.deliverables[0]: unknown deliverable 'sop'; "
            "did you mean 'sops'? (a free-form item is an object with item, format and owner)"
        ],
        edits=[("deliverables: [sops,", "deliverables: [sop,")],
    ),
    Case(
        "free-form-deliverable-without-owner.yaml",
        [
            "117:166: exit.knowledge_transfer.deliverables[9].owner: "
            "required field 'owner' is missing"
        ],
        edits=[
            (
                "quality_metrics_history]",
                "quality_metrics_history, {item: Annotator roster, format: CSV}]",
            )
        ],
    ),
    # --- Rules that span fields, each at the field that breaks it -------------------------------
    Case(
        "phi-without-hipaa-baa-cert.yaml",
        [
            f"36:19: vendor.certifications: {PHI}, so the vendor must list hipaa_baa "
            "(ready to sign a business associate agreement)",
            f"50:15: {CRITICAL}",
        ],
        edits=[
            (
                "certifications: [iso_9001, iso_27001, hipaa_baa]",
                "certifications: [iso_9001, iso_27001]           ",
            )
        ],
    ),
    Case(
        "phi-without-hipaa-role.yaml",
        [
            f"18:1: customer.hipaa_role: {PHI}, so customer.hipaa_role is required "
            "(covered_entity or business_associate)",
            f"49:15: {CRITICAL}",
        ],
        edits=[
            (
                "  hipaa_role: business_associate   # covered_entity | business_associate; "
                "required when any workload carries phi\n",
                "",
            )
        ],
    ),
    Case(
        "phi-breach-notice-over-60.yaml",
        [
            f"50:15: {CRITICAL}",
            f"100:23: security.breach_notice_days: {PHI}, so breach notice must be at most 60 "
            "days (45 CFR 164.410); got 61",
        ],
        edits=[("breach_notice_days: 10 ", "breach_notice_days: 61 ")],
    ),
    Case(
        "eu-data-without-gdpr-role.yaml",
        [
            "18:1: customer.gdpr_role: workload 'clinical-notes-ner' carries eu_personal_data, "
            "so customer.gdpr_role is required (controller or processor)",
            f"50:15: {CRITICAL}",
        ],
        edits=[
            (
                "data_categories: [phi, personal_data]",
                "data_categories: [phi, personal_data, eu_personal_data]",
            )
        ],
    ),
    Case(
        "us-only-with-offshore-location.yaml",
        [
            "37:24: vendor.delivery_locations[0]: workload 'ct-segmentation' is us_only, "
            "so every delivery location must be US; got IN",
            f"50:15: {CRITICAL}",
        ],
        edits=[
            (
                "    residency: offshore_permitted   # offshore_permitted | us_only",
                "    residency: us_only              # offshore_permitted | us_only",
            )
        ],
    ),
    Case(
        "us-only-with-offshore-subprocessor.yaml",
        [
            "39:49: vendor.subprocessors[0].location: workload 'ct-segmentation' is us_only, "
            "so every sub-processor must be located in the US; "
            "'CloudVault Storage Inc.' is in IE",
            f"50:15: {CRITICAL}",
        ],
        edits=[
            (
                "    residency: offshore_permitted   # offshore_permitted | us_only",
                "    residency: us_only              # offshore_permitted | us_only",
            ),
            ("delivery_locations: [IN]", "delivery_locations: [US]"),
            (
                "{name: CloudVault Storage Inc., location: US,",
                "{name: CloudVault Storage Inc., location: IE,",
            ),
        ],
    ),
    Case(
        "dedicated-team-without-staffing.yaml",
        [
            "13:20: staffing: operating_model dedicated_team requires a staffing section",
            f"50:15: {CRITICAL}",
        ],
        edits=[
            ("operating_model: hybrid         #", "operating_model: dedicated_team #"),
            (
                "staffing:                         # required for dedicated_team and hybrid\n"
                "  baseline_fte: 12                # serves both workloads; CT work is paid "
                "through its per-image rate\n"
                "  lead: {name: Meera Joshi, email: meera.joshi@nimbus.example}\n"
                "  full_strength_days: 30\n"
                "  surge: {max_increase_pct: 50, notice_days: 5, tested_in_pilot: true}"
                "   # required for hybrid\n\n",
                "",
            ),
        ],
    ),
    Case(
        "hybrid-without-surge.yaml",
        [
            f"50:15: {CRITICAL}",
            "87:1: staffing.surge: operating_model hybrid requires staffing.surge (surge capacity)",
        ],
        edits=[
            (
                "  surge: {max_increase_pct: 50, notice_days: 5, tested_in_pilot: true}"
                "   # required for hybrid\n",
                "",
            )
        ],
    ),
    Case(
        "duplicate-workload-id.yaml",
        [
            f"50:15: {CRITICAL}",
            "66:9: workloads[1].id: workload id 'ct-segmentation' is already used by workloads[0]",
        ],
        edits=[("  - id: clinical-notes-ner", "  - id: ct-segmentation")],
    ),
    # --- The documents list --------------------------------------------------------------------
    Case(
        "documents-without-msa.yaml",
        [
            f"50:15: {CRITICAL}",
            "132:12: documents: must include msa: every engagement has a Master Services Agreement",
        ],
        edits=[("documents: [msa, nda, baa,", "documents: [nda, baa,")],
    ),
    Case(
        "documents-baa-without-phi.yaml",
        [
            f"50:15: {CRITICAL}",
            "132:23: documents[2]: 'baa' applies only when a workload carries phi",
        ],
        edits=[
            ("data_categories: [phi]   ", "data_categories: [confidential]"),
            ("data_categories: [phi, personal_data]", "data_categories: [personal_data]"),
        ],
    ),
    Case(
        "documents-missing-baa-with-phi.yaml",
        [f"50:15: {CRITICAL}", "132:12: documents: must include baa: a workload carries phi"],
        edits=[("documents: [msa, nda, baa, dpa,", "documents: [msa, nda, dpa,")],
    ),
    Case(
        "documents-missing-dpa-with-personal-data.yaml",
        [
            f"50:15: {CRITICAL}",
            "132:12: documents: must include dpa: a workload carries personal data",
        ],
        edits=[("documents: [msa, nda, baa, dpa,", "documents: [msa, nda, baa,")],
    ),
    Case(
        "documents-listed-twice.yaml",
        [f"50:15: {CRITICAL}", "132:63: documents[6]: 'nda' is listed twice"],
        edits=[("ip_assignment, exit_schedule]", "ip_assignment, exit_schedule, nda]")],
    ),
]


def summary(file: str, expected: Sequence[str]) -> str:
    """The last line ``validate`` prints for an invalid file."""
    errors = sum(": warning: " not in line for line in expected)
    return f"{file}: invalid ({errors} error{'s' * (errors != 1)})"


def expected_stderr(file: str, expected: Sequence[str]) -> list[str]:
    return [f"{file}:{line}" for line in expected] + [summary(file, expected)]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_fixture_reports_exact_located_messages(case: Case, run_cli: RunCli) -> None:
    result = run_cli("validate", case.file, cwd=FIXTURES)

    assert result.stderr.splitlines() == expected_stderr(case.file, case.expected)
    assert result.stdout == ""
    assert result.exit_code == 1


# Mistakes that must each keep their fixture, so that none is dropped with a reshuffle of CASES.
REQUIRED = [
    "unknown-key-typo.yaml",
    "phi-without-hipaa-baa-cert.yaml",
    "phi-without-hipaa-role.yaml",
    "phi-breach-notice-over-60.yaml",
    "eu-data-without-gdpr-role.yaml",
    "us-only-with-offshore-location.yaml",
    "us-only-with-offshore-subprocessor.yaml",
    "dedicated-team-without-staffing.yaml",
    "hybrid-without-surge.yaml",
    "duplicate-workload-id.yaml",
    "documents-without-msa.yaml",
    "documents-baa-without-phi.yaml",
    "documents-missing-baa-with-phi.yaml",
    "documents-missing-dpa-with-personal-data.yaml",
    "bad-country-code.yaml",
    "bad-email.yaml",
    "bad-slug-id.yaml",
    "fraction-out-of-range.yaml",
    "negative-count.yaml",
    "bad-enum.yaml",
    "bad-date.yaml",
    "unknown-deliverable.yaml",
    "yaml-syntax-error.yaml",
    "json-syntax-error.json",
    "empty.yaml",
    "top-level-list.yaml",
    "python-tag.yaml",
    "anchors-aliases.yaml",
    "duplicate-key.yaml",
]


def test_fixture_files_are_the_cases_and_derived_ones_are_current(
    edit_reference: Callable[[Sequence[tuple[str, str]]], str],
) -> None:
    """The test data itself, checked once: the folder holds exactly the cases' files, each
    required mistake among them, and each derived fixture is the reference with its edit."""
    on_disk = sorted(p.name for p in FIXTURES.iterdir())
    assert on_disk == sorted(c.file for c in CASES)
    assert sorted(set(REQUIRED) - set(on_disk)) == []
    stale = [
        c.file
        for c in CASES
        if c.edits is not None
        and (FIXTURES / c.file).read_text(encoding="utf-8") != edit_reference(c.edits)
    ]
    assert stale == []


# --- Inputs generated in tmp_path: bytes git could mangle, and sizes too big to commit ----------


def test_non_utf8_file_is_located_at_the_bad_byte(
    run_cli: RunCli, write_spec: WriteSpec, reference_text: str
) -> None:
    text = reference_text.replace("legal_name: Acme Health AI, Inc.", "legal_name: Acmé Health")
    path = write_spec(name="non-utf8.yaml", text=text.encode("latin-1"))

    result = run_cli("validate", path.name, cwd=path.parent)

    assert result.stderr.splitlines() == [
        "non-utf8.yaml:19:18: not valid UTF-8 (byte 0xe9); save the file as UTF-8",
        "non-utf8.yaml: invalid (1 error)",
    ]
    assert result.exit_code == 1


def test_utf8_with_byte_order_mark_is_read(run_cli: RunCli, write_spec: WriteSpec) -> None:
    path = write_spec(name="bom.yaml", text=b"\xef\xbb\xbf" + write_spec().read_bytes())

    result = run_cli("validate", path.name, cwd=path.parent)

    assert result.stderr.splitlines() == [
        f"bom.yaml:50:15: {CRITICAL}",
        "bom.yaml: valid (1 warning)",
    ]
    assert result.exit_code == 0


@pytest.mark.parametrize("brackets", [MAX_DEPTH + 1, 5000])
def test_deep_nesting_is_refused_quickly_at_the_first_level_too_deep(
    brackets: int, run_cli: RunCli, write_spec: WriteSpec
) -> None:
    path = write_spec(
        name="deep-nesting.yaml",
        text="contractkit: 1\nengagement: " + "[" * brackets + "]" * brackets + "\n",
    )

    started = time.monotonic()
    result = run_cli("validate", path.name, cwd=path.parent)
    elapsed = time.monotonic() - started

    # The root mapping is level 0; the 65th bracket (column 13 + 64) is one level too deep.
    assert result.stderr.splitlines() == [
        f"deep-nesting.yaml:2:{13 + MAX_DEPTH}: nesting is deeper than {MAX_DEPTH} levels",
        "deep-nesting.yaml: invalid (1 error)",
    ]
    assert result.exit_code == 1
    assert elapsed < 10, f"rejecting {brackets} levels took {elapsed:.1f}s"


def test_deep_block_nesting_is_refused(run_cli: RunCli, write_spec: WriteSpec) -> None:
    levels = MAX_DEPTH + 5
    body = "".join("  " * (i + 1) + f"k{i}:\n" for i in range(levels)) + "  " * (levels + 1) + "x\n"
    path = write_spec(name="deep-blocks.yaml", text="contractkit: 1\nengagement:\n" + body)

    result = run_cli("validate", path.name, cwd=path.parent)

    # Key k63 sits inside 65 open mappings (the root, engagement, k0 .. k62): one too many.
    line, column = 3 + MAX_DEPTH - 1, 2 * MAX_DEPTH + 1
    assert result.stderr.splitlines() == [
        f"deep-blocks.yaml:{line}:{column}: nesting is deeper than {MAX_DEPTH} levels",
        "deep-blocks.yaml: invalid (1 error)",
    ]
    assert result.exit_code == 1


def test_too_large_file_is_refused_before_it_is_read(
    run_cli: RunCli, write_spec: WriteSpec, reference_text: str
) -> None:
    padding = MAX_FILE_BYTES + 1 - len(reference_text.encode("utf-8"))
    path = write_spec(name="too-large.yaml", text=reference_text + "#" * padding)
    assert path.stat().st_size == MAX_FILE_BYTES + 1

    result = run_cli("validate", path.name, cwd=path.parent)

    assert result.stderr.splitlines() == [
        f"too-large.yaml: file is {MAX_FILE_BYTES + 1} bytes; the limit is {MAX_FILE_BYTES}",
        "too-large.yaml: invalid (1 error)",
    ]
    assert result.exit_code == 1


def test_file_at_the_size_limit_is_read(
    run_cli: RunCli, write_spec: WriteSpec, reference_text: str
) -> None:
    padding = MAX_FILE_BYTES - len(reference_text.encode("utf-8"))
    path = write_spec(name="at-limit.yaml", text=reference_text + "#" * padding)

    result = run_cli("validate", path.name, cwd=path.parent)

    assert result.stderr.splitlines()[-1] == "at-limit.yaml: valid (1 warning)"
    assert result.exit_code == 0


def test_missing_file_and_directory(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "folder.yaml").mkdir()

    result = run_cli("validate", "nowhere.yaml", "folder.yaml", cwd=tmp_path)

    assert result.stderr.splitlines() == [
        "nowhere.yaml: no such file",
        "nowhere.yaml: invalid (1 error)",
        "folder.yaml: is a directory, not a file",
        "folder.yaml: invalid (1 error)",
    ]
    assert result.exit_code == 1


def test_every_file_is_reported_even_after_a_bad_one(
    run_cli: RunCli, write_spec: WriteSpec
) -> None:
    good = write_spec(name="good.yaml")
    write_spec([("accuracy_target: 0.98", "acuracy_target: 0.98")], name="typo.yaml")

    result = run_cli("validate", "typo.yaml", "good.yaml", cwd=good.parent)

    assert result.stderr.splitlines() == [
        "typo.yaml:58:7: workloads[0].quality.acuracy_target: unknown field 'acuracy_target'; "
        "did you mean 'accuracy_target'?",
        "typo.yaml: invalid (1 error)",
        f"good.yaml:50:15: {CRITICAL}",
        "good.yaml: valid (1 warning)",
    ]
    assert result.exit_code == 1


def test_readme_error_examples_are_what_validate_prints(
    run_cli: RunCli, write_spec: WriteSpec
) -> None:
    readme = (FIXTURES.parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("Errors read like a compiler's", 1)[1].split("```text\n", 1)[1]
    shown = block.split("```", 1)[0].splitlines()
    spec = write_spec(
        [
            ("accuracy_target: 0.98", "acuracy_target: 0.98"),
            ("breach_notice_days: 10 ", "breach_notice_days: 90 "),
        ]
    )

    typo = run_cli("validate", spec.name, cwd=spec.parent).stderr.splitlines()
    fixed = spec.read_text(encoding="utf-8").replace("acuracy_target", "accuracy_target")
    spec.write_text(fixed, encoding="utf-8")
    rule = run_cli("validate", spec.name, cwd=spec.parent).stderr.splitlines()

    assert shown == [typo[0], rule[1]]
