"""A bundle's internal checklist with evidence: judged without reading the clock, rebuilt when
the evidence changes, and a bad evidence file stops that spec's build."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from helpers import EXAMPLES

RunCli = Callable[..., Result]
CHECKLIST = Path("out/acme-nimbus-2027/internal/checklist.json")


def open_items(folder: Path) -> tuple[str | None, list[str]]:
    data = json.loads((folder / CHECKLIST).read_text(encoding="utf-8"))
    return data["as_of"], [i["id"] for i in data["items"] if i["status"] in ("gap", "stale")]


def test_the_bundle_checklist_is_judged_as_of_the_evidence_and_follows_it(
    run_cli: RunCli, tmp_path: Path
) -> None:
    shutil.copy(EXAMPLES / "reference.yaml", tmp_path / "deal.yaml")
    evidence = tmp_path / "deal.evidence.yaml"
    shutil.copy(EXAMPLES / "reference.evidence.yaml", evidence)
    first = run_cli("build", "deal.yaml", "--format", "docx", "-q", cwd=tmp_path)
    assert first.exit_code == 0, first.stderr
    assert open_items(tmp_path) == (
        "2027-09-15",
        [
            "operational.insurance-certificates",
            "strategic.ct-segmentation.diversification",
            "transferability.clinical-notes-ner.ground-truth-owned",
        ],
    )
    same = run_cli("build", "deal.yaml", "--format", "docx", cwd=tmp_path)
    assert "acme-nimbus-2027: up to date" in same.stderr
    text = evidence.read_text(encoding="utf-8")
    evidence.write_text(text.replace("as_of: 2027-09-15 ", "as_of: 2027-10-02 "), encoding="utf-8")
    later = run_cli("build", "deal.yaml", "--format", "docx", cwd=tmp_path)
    assert later.exit_code == 0, later.stderr
    assert "internal/checklist.json" in later.stderr
    assert open_items(tmp_path)[0] == "2027-10-02"
    assert "transferability.ct-segmentation.sop-copy-held" in open_items(tmp_path)[1]
    pinned = run_cli(
        "build", "deal.yaml", "--format", "docx", "--as-of", "2027-07-31", "-q", cwd=tmp_path
    )
    assert pinned.exit_code == 0, pinned.stderr
    assert open_items(tmp_path) == ("2027-07-31", ["strategic.ct-segmentation.diversification"])


def test_without_an_as_of_a_build_judges_on_the_last_recorded_date(
    run_cli: RunCli, tmp_path: Path
) -> None:
    shutil.copy(EXAMPLES / "reference.yaml", tmp_path / "deal.yaml")
    text = (EXAMPLES / "reference.evidence.yaml").read_text(encoding="utf-8")
    record = tmp_path / "record.yaml"
    record.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("as_of:")) + "\n",
        encoding="utf-8",
    )
    result = run_cli(
        "build", "deal.yaml", "--evidence", record, "--format", "docx", "-q", cwd=tmp_path
    )
    assert result.exit_code == 0, result.stderr
    # The last date the record holds is the SOP copy synced on 2027-09-05.
    assert open_items(tmp_path)[0] == "2027-09-05"


def test_a_bad_evidence_file_fails_its_spec_and_writes_nothing(
    run_cli: RunCli, tmp_path: Path
) -> None:
    shutil.copy(EXAMPLES / "reference.yaml", tmp_path / "deal.yaml")
    (tmp_path / "deal.evidence.yaml").write_text(
        "contractkit_evidence: 1\nengagement: acme-nimbus-2027\nsigend: {}\n", encoding="utf-8"
    )
    result = run_cli("build", "deal.yaml", "--format", "docx", cwd=tmp_path)
    assert result.exit_code == 1
    assert "deal.evidence.yaml:3:1: sigend: unknown field 'sigend'; did you mean 'signed'?" in (
        result.stderr.splitlines()
    )
    assert not (tmp_path / "out" / "acme-nimbus-2027").exists()


def test_one_evidence_file_for_several_specs_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli(
        "build",
        EXAMPLES,
        "--evidence",
        EXAMPLES / "reference.evidence.yaml",
        "--format",
        "docx",
        cwd=tmp_path,
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"contractkit: --evidence {EXAMPLES / 'reference.evidence.yaml'} names the evidence of "
        "one spec, and 3 specs were given; put each spec's evidence beside it as "
        "<stem>.evidence.yaml"
    ]
    assert not (tmp_path / "out").exists()
