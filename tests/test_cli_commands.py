"""CLI commands around the library and the checklist: exit codes, stdout data, stderr messages."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from pypdf import PdfReader

from helpers import EXAMPLES

RunCli = Callable[..., Result]
REFERENCE = EXAMPLES / "reference.yaml"


def test_clauses_list_json_has_the_documented_fields(run_cli: RunCli) -> None:
    result = run_cli("clauses", "list", "--json", "--document", "nda")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows and {r["document"] for r in rows} == {"nda"}
    for key in ("id", "document", "title", "version", "position", "path", "satisfies"):
        assert all(key in r for r in rows), key
    positions = {r["position"] for r in rows if r["id"] == "nda.residuals"}
    assert positions == {"balanced", "customer_favourable"}


def test_clauses_show_prints_the_winning_file_and_names_what_it_shadows(
    tmp_path: Path, run_cli: RunCli
) -> None:
    overlay = tmp_path / "firm" / "anywhere"
    overlay.mkdir(parents=True)
    text = textwrap.dedent(
        """\
        ---
        id: nda.residuals
        document: nda
        title: Residuals
        version: 9.0.0
        position: balanced
        ---
        The firm's own residuals clause.
        """
    )
    (overlay / "residuals.md").write_text(text, encoding="utf-8")
    result = run_cli(
        "clauses", "show", "nda.residuals", "--position", "balanced", "--library", tmp_path / "firm"
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == text
    assert result.stderr.startswith(f"{overlay / 'residuals.md'} shadows ")
    ambiguous = run_cli("clauses", "show", "nda.residuals")
    assert ambiguous.exit_code == 1
    assert (
        "has texts for positions balanced, customer_favourable; pick one with --position"
        in ambiguous.stderr
    )
    missing = run_cli("clauses", "show", "nda.nothing")
    assert (missing.exit_code, missing.stderr.strip()) == (
        1,
        "contractkit: no clause with id 'nda.nothing'",
    )


def test_checklist_formats_and_fail_on(tmp_path: Path, run_cli: RunCli) -> None:
    md = run_cli("checklist", REFERENCE)
    assert md.exit_code == 0, md.stderr
    assert md.stdout.startswith("# Exit-readiness checklist: Medical imaging")
    data = json.loads(run_cli("checklist", REFERENCE, "--format", "json").stdout)
    assert data["engagement"] == "acme-nimbus-2027"
    references = {i["id"]: i["reference"] for i in data["items"]}
    assert references["contractual.exit-certified-destruction"].startswith("exit-schedule §")
    assert references["security.data-destruction"].startswith("exit-schedule §")
    assert references["contractual.exit-knowledge-transfer"].startswith("exit-schedule §")
    assert references["operational.surge-tested"].startswith("msa §")
    assert references["contractual.baa"] == "baa"
    contractual = {i["id"]: i for i in data["items"] if i["layer"] == "contractual"}
    assert (
        contractual["contractual.baa"]["evidence"]
        == "produced for this engagement; 12 of 12 requirements covered"
    )
    rows = list(
        csv.reader(
            io.StringIO(run_cli("checklist", REFERENCE, "--format", "csv").stdout.lstrip("\ufeff"))
        )
    )
    assert rows[0][:3] == ["id", "layer", "workload"]
    gap = run_cli("checklist", REFERENCE, "--format", "json", "--fail-on", "gap")
    assert gap.exit_code == 3
    assert (
        "gap: strategic.ct-segmentation.diversification: A second vendor for the workload"
        in gap.stderr
    )
    lidar_gap = run_cli("checklist", EXAMPLES / "lidar-project.yaml", "--fail-on", "needs_input")
    assert lidar_gap.exit_code == 3
    pdf = tmp_path / "checklist.pdf"
    written = run_cli("checklist", REFERENCE, "--format", "pdf", "-o", pdf)
    assert written.exit_code == 0, written.stderr
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "EXIT-READINESS AND SOP-TRANSFERABILITY CHECKLIST" in text and "Gap" in text


def test_checklist_exit_notice_dates_the_runbook(run_cli: RunCli) -> None:
    result = run_cli("checklist", REFERENCE, "--format", "json", "--exit-notice", "2028-01-10")
    runbook = {e["event"]: e["date"] for e in json.loads(result.stdout)["runbook"]}
    assert runbook["Transition period ends"] == "2028-04-09"
    bad = run_cli("checklist", REFERENCE, "--exit-notice", "10/01/2028")
    assert bad.exit_code == 2


def test_coverage_json_lists_requirement_clause_and_section(run_cli: RunCli) -> None:
    result = run_cli("coverage", REFERENCE, "--json")
    assert result.exit_code == 0, result.stderr
    rows = {r["requirement"]: r for r in json.loads(result.stdout)}
    reporting = rows["hipaa.reporting"]
    assert (reporting["applies"], reporting["covered"], reporting["document"]) == (
        True,
        True,
        "baa",
    )
    assert reporting["clauses"] == ["baa.reporting"]
    assert reporting["sections"][0].startswith("baa §")
    assert rows["gdpr.art28-3"]["applies"] is False
    assert all(r["covered"] for r in rows.values() if r["applies"])
    for requirement in ("local.in-dpdp", "exit.destruction-deadline", "data.deletion-deadline"):
        assert rows[requirement]["applies"] and rows[requirement]["covered"], requirement
    assert not rows["local.ke-dpa"]["applies"]
    assert result.stderr.strip() == "coverage: all 37 applicable requirements covered"


def test_coverage_exits_3_when_an_overlay_removes_what_met_a_requirement(
    tmp_path: Path, run_cli: RunCli
) -> None:
    shown = run_cli("clauses", "show", "baa.reporting").stdout
    overlay = tmp_path / "firm"
    overlay.mkdir()
    (overlay / "reporting.md").write_text(
        shown.replace("satisfies: [hipaa.reporting]", "satisfies: []"), encoding="utf-8"
    )
    assert "satisfies: []" in (overlay / "reporting.md").read_text(encoding="utf-8")
    result = run_cli("coverage", REFERENCE, "--library", overlay)
    assert result.exit_code == 3
    assert "hipaa.reporting" in result.stderr and "not covered" in result.stderr
    assert "hipaa.reporting" in result.stdout and "NOT COVERED" in result.stdout


def test_readme_documents_every_command(run_cli: RunCli) -> None:
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    listing = run_cli("--help").stdout.split("Commands:")[1]
    commands = [line.split()[0] for line in listing.splitlines() if line.strip()]
    assert commands == sorted(
        [
            "build",
            "checklist",
            "clauses",
            "coverage",
            "init",
            "lint",
            "playbook",
            "portfolio",
            "redline",
            "review",
            "schema",
            "validate",
            "verify",
        ]
    )
    for command in commands:
        assert f"`contractkit {command}" in readme, command


def test_command_line_choices_match_the_models() -> None:
    from contractkit.cli import CLAUSE_POSITIONS
    from contractkit.library import ClausePosition

    assert tuple(p.value for p in ClausePosition) == CLAUSE_POSITIONS


def test_coverage_json_marks_requirements_that_do_not_apply(run_cli: RunCli) -> None:
    from contractkit.library import load_library

    lidar = EXAMPLES / "lidar-project.yaml"  # no PHI, no personal data
    result = run_cli("coverage", lidar, "--json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    registry = load_library().requirements
    assert [r["requirement"] for r in rows] == list(registry)
    by_id = {r["requirement"]: r for r in rows}
    baa = [r for r in rows if r["document"] == "baa"]
    assert len(baa) == sum(e.requirement.document.value == "baa" for e in registry.values()) > 0
    for row in [*baa, by_id["gdpr.art28-3"], by_id["ccpa.service-provider"]]:
        assert (row["applies"], row["covered"], row["clauses"], row["sections"]) == (
            False, False, [], [],
        ), row["requirement"]  # fmt: skip
    assert by_id["nda.dtsa-notice"]["applies"] is True

    not_applicable = {r["requirement"] for r in rows if not r["applies"]}
    text = run_cli("coverage", lidar)
    listed = [line.split()[0] for line in text.stdout.splitlines()]
    assert sorted(listed) == sorted(set(by_id) - not_applicable)
    assert text.stderr.strip() == f"coverage: all {len(listed)} applicable requirements covered"
