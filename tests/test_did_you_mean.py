"""Wherever a user types a name, a near miss is answered with the name they meant."""

from __future__ import annotations

from pathlib import Path

from conftest import REFERENCE, RunCli, WriteSpec


def test_only_takes_a_document_s_file_stem_for_its_key(tmp_path: Path, run_cli: RunCli) -> None:
    result = run_cli("build", REFERENCE, "-o", tmp_path, "--only", "msa,ip-assignment")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--only': 'ip-assignment' is not a document key (msa, nda, "
        "baa, dpa, ip_assignment, exit_schedule); did you mean 'ip_assignment'?"
    )
    listing = run_cli("clauses", "list", "--document", "exit-schedule")
    assert listing.exit_code == 2
    assert listing.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--document': 'exit-schedule' is not one of 'msa', 'nda', "
        "'baa', 'dpa', 'ip_assignment', 'exit_schedule'; did you mean 'exit_schedule'?"
    )
    assert not tmp_path.joinpath("acme-nimbus-2027").exists()


def test_a_misspelt_clause_id_names_the_one_that_exists(run_cli: RunCli) -> None:
    result = run_cli("clauses", "show", "msa.liabilty_cap")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "contractkit: no clause with id 'msa.liabilty_cap'; did you mean 'msa.liability_cap'?"
    ]
    far = run_cli("clauses", "show", "zzz.nothing")
    assert far.stderr.splitlines() == ["contractkit: no clause with id 'zzz.nothing'"]


def test_a_governing_law_given_by_its_postal_code_suggests_the_state(
    write_spec: WriteSpec, run_cli: RunCli
) -> None:
    spec = write_spec([("governing_law: New York ", "governing_law: CA ")])
    result = run_cli("validate", spec)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{spec}:11:18: engagement.governing_law: must be the full name of a US state or the "
        "District of Columbia; got 'CA'; did you mean 'California'?",
        f"{spec}: invalid (1 error)",
    ]
    lower = write_spec([("governing_law: New York ", "governing_law: new york ")])
    assert "got 'new york'; did you mean 'New York'?" in run_cli("validate", lower).stderr
    foreign = write_spec([("governing_law: New York ", "governing_law: Ontario ")])
    assert run_cli("validate", foreign).stderr.splitlines()[0].endswith("; got 'Ontario'")


def test_unknown_formats_suggest_the_format_meant(tmp_path: Path, run_cli: RunCli) -> None:
    build = run_cli("build", REFERENCE, "-o", tmp_path, "--format", "docx,pfd")
    assert build.exit_code == 2
    assert build.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--format': 'pfd' is not a format (docx, pdf); "
        "did you mean 'pdf'?"
    )
    checklist = run_cli("checklist", REFERENCE, "--format", "jsn")
    assert checklist.exit_code == 2
    assert checklist.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--format': 'jsn' is not one of 'md', 'json', 'csv', 'docx', "
        "'pdf'; did you mean 'json'?"
    )
    assert not tmp_path.joinpath("acme-nimbus-2027").exists()
