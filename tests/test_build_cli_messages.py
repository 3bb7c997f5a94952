"""What ``build`` says on stderr: the spec's warnings once, what --only skipped, what is in the way."""

from __future__ import annotations

from pathlib import Path

from conftest import REFERENCE, RunCli

WARNING = (
    f"{REFERENCE}:50:15: workloads[0].critical: warning: critical workload 'ct-segmentation' has "
    "no secondary_vendor: the program depends on one vendor"
)


def test_build_prints_the_spec_s_warnings_once_as_validate_does(
    tmp_path: Path, run_cli: RunCli
) -> None:
    validated = run_cli("validate", REFERENCE)
    assert validated.stderr.splitlines() == [WARNING, f"{REFERENCE}: valid (1 warning)"]
    built = run_cli("build", REFERENCE, "-o", tmp_path, "--only", "nda", "--format", "docx")
    assert built.exit_code == 0, built.stderr
    lines = built.stderr.splitlines()
    assert lines[0] == WARNING and lines.count(WARNING) == 1
    again = run_cli("build", REFERENCE, "-o", tmp_path, "--only", "nda", "--format", "docx")
    assert again.stderr.splitlines()[0] == WARNING
    assert again.stderr.count(WARNING) == 1
    quiet = run_cli("build", REFERENCE, "-o", tmp_path, "--only", "nda", "--format", "docx", "-q")
    assert quiet.stderr == ""


def test_build_strict_refuses_a_spec_with_warnings_and_writes_nothing(
    tmp_path: Path, run_cli: RunCli
) -> None:
    result = run_cli("build", REFERENCE, "-o", tmp_path, "--strict", "--format", "docx")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        WARNING,
        f"{REFERENCE}: invalid under --strict (1 warning); nothing was written for this spec",
        f"build: 1 of 1 spec failed: {REFERENCE}",
    ]
    assert not tmp_path.joinpath("acme-nimbus-2027").exists()


def test_only_writes_the_internal_reports_and_says_what_it_skipped(
    tmp_path: Path, run_cli: RunCli
) -> None:
    result = run_cli("build", REFERENCE, "-o", tmp_path, "--only", "msa", "--format", "docx")
    assert result.exit_code == 0, result.stderr
    assert (
        "acme-nimbus-2027: skipped (not in --only): nda, baa, dpa, ip_assignment, exit_schedule; "
        "the internal reports cover every document"
    ) in result.stderr.splitlines()
    internal = tmp_path / "acme-nimbus-2027" / "internal"
    notes = (internal / "review-notes.md").read_text(encoding="utf-8")
    assert "## Master Services Agreement (msa)" in notes
    assert "## Business Associate Agreement (baa)" in notes
    coverage = (internal / "coverage.md").read_text(encoding="utf-8")
    assert "msa." in coverage and "hipaa." in coverage
    assert sorted(p.name for p in internal.parent.glob("*.docx")) == ["msa.docx"]


def test_a_user_s_own_file_is_named_as_one_contractkit_did_not_write(
    tmp_path: Path, run_cli: RunCli
) -> None:
    folder = tmp_path / "out" / "acme-nimbus-2027"
    folder.mkdir(parents=True)
    (folder / "msa.docx").write_bytes(b"the customer's own MSA")
    result = run_cli(
        "build", REFERENCE, "-o", tmp_path / "out", "--only", "msa", "--format", "docx"
    )
    assert result.exit_code == 1
    assert (
        f"{folder / 'msa.docx'}: a file contractkit did not write is in the way; nothing was "
        "written for this spec. Move it elsewhere, or rebuild with --force to back it up first"
    ) in result.stderr.splitlines()
    assert "changed since contractkit wrote it" not in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["msa.docx"]
