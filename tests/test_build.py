"""``contractkit build``: the bundle, reproducibility, hand edits, all-or-nothing, increments."""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from pypdf import PdfReader

import contractkit.build as build_module
import contractkit.build.plan as plan_module
import contractkit.build.scheduler as scheduler_module
from contractkit.errors import ContractkitError, TemplateError
from contractkit.library import load_library
from contractkit.resources import data_dir
from contractkit.spec import DocumentKey

from conftest import HOSTILE_NAME, HOSTILE_TITLE, Rebuild
from helpers import EXAMPLES, copy_bundle, pdf_text

RunCli = Callable[..., Result]
REFERENCE = EXAMPLES / "reference.yaml"
STEMS = ["msa", "nda", "baa", "dpa", "ip-assignment", "exit-schedule"]


def batch_of_specs(tmp_path: Path, count: int) -> Path:
    """A folder of ``count`` copies of the reference spec, ids ``acme-batch-0`` and up."""
    folder = tmp_path / "specs"
    folder.mkdir()
    text = REFERENCE.read_text(encoding="utf-8")
    for n in range(count):
        spec = text.replace("id: acme-nimbus-2027", f"id: acme-batch-{n}")
        (folder / f"spec-{n}.yaml").write_text(spec, encoding="utf-8")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def built(bundles: dict[str, Path], tmp_path: Path) -> Path:
    """The reference bundle as ``contractkit build`` wrote it, in ``tmp_path/out``, this test's own."""
    return copy_bundle(bundles["reference"], tmp_path / "out")


def test_reference_bundle_has_six_pairs_and_internal_files(built: Path, run_cli: RunCli) -> None:
    names = sorted(str(p.relative_to(built)) for p in built.rglob("*") if p.is_file())
    assert names == sorted(
        [f"{s}.{ext}" for s in STEMS for ext in ("docx", "pdf")]
        + [
            f"internal/{n}"
            for n in (
                "review-notes.md",
                "coverage.md",
                "checklist.md",
                "checklist.json",
                "checklist.pdf",
                "playbook.md",
                "playbook.pdf",
                "manifest.json",
                *(f"trees/{s}.json" for s in STEMS),
            )
        ]
    )
    notes = (built / "internal" / "review-notes.md").read_text(encoding="utf-8")
    assert notes.startswith("# Privileged & Confidential\n")
    playbook = (built / "internal" / "playbook.md").read_text(encoding="utf-8")
    assert playbook.startswith("# Privileged & Confidential\n")
    assert "\n### §10.1 Limitation of Liability (`msa.liability_cap`)\n" in playbook
    assert "- Walk-away: below 6 months." in playbook
    assert (built / "internal" / "playbook.pdf").read_bytes().startswith(b"%PDF-")
    manifest = json.loads((built / "internal" / "manifest.json").read_text(encoding="utf-8"))
    assert {f["path"] for f in manifest["files"]} == set(names) - {"internal/manifest.json"}
    assert manifest["spec"]["sha256"] and manifest["contractkit"]


def test_every_document_says_it_is_a_draft(built: Path) -> None:
    for stem in STEMS:
        text = pdf_text(built / f"{stem}.pdf")
        assert "Draft for review by counsel" in text, stem
        assert "DRAFT - FOR COUNSEL REVIEW" in text, stem


def test_no_drafting_note_reaches_any_docx_part_or_pdf(built: Path) -> None:
    notes = [c.meta.note for c in load_library().all_clause_files if c.meta.note]
    assert notes
    probes = [" ".join(n.split())[:40] for n in notes]
    for stem in STEMS:
        with zipfile.ZipFile(built / f"{stem}.docx") as archive:
            for name in archive.namelist():
                text = " ".join(archive.read(name).decode("utf-8", "replace").split())
                for probe in probes:
                    assert probe not in text, (stem, name, probe)
        pdf = " ".join(pdf_text(built / f"{stem}.pdf").split())
        for probe in probes:
            assert probe not in pdf, (stem, probe)


def test_no_residue_reaches_a_page(built: Path) -> None:
    for stem in STEMS:
        pdf = pdf_text(built / f"{stem}.pdf")
        for residue in ("None", "TBD", "{{", "}}", "{%", "[]", "\ue000", "\ue002"):
            assert residue not in pdf, (stem, residue)


def test_two_builds_seconds_apart_give_the_same_bytes(
    built: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    written = (built / "internal" / "manifest.json").stat().st_mtime
    time.sleep(max(0.0, written + 1.1 - time.time()))
    # One agreement is enough to build again: every kind of output is written for it (DOCX,
    # PDF, the reports and their PDFs, its tree), and the others go through the same code.
    result = run_cli("build", REFERENCE, "-o", tmp_path / "again", "--only", "nda")
    assert result.exit_code == 0, result.stderr
    again, before = snapshot(tmp_path / "again" / "acme-nimbus-2027"), snapshot(built)
    manifest = "internal/manifest.json"
    assert {"nda.docx", "nda.pdf", "internal/checklist.pdf", "internal/playbook.pdf"} < set(again)
    assert {name: again[name] for name in again if name != manifest} == {
        name: data for name, data in before.items() if name in again and name != manifest
    }
    first, second = json.loads(before[manifest]), json.loads(again[manifest])
    partial = ("inputs", "documents", "files")  # what differs because of --only
    assert {k: v for k, v in second.items() if k not in partial} == {
        k: v for k, v in first.items() if k not in partial
    }
    assert all(d in first["documents"] for d in second["documents"])
    assert all(f in first["files"] for f in second["files"])


def test_hand_edit_is_refused_then_backed_up_with_force(built: Path, run_cli: RunCli) -> None:
    edited = built / "msa.docx"
    edited.write_bytes(edited.read_bytes() + b"counsel was here")
    before = snapshot(built)
    result = run_cli("build", REFERENCE, "-o", built.parent)
    assert result.exit_code == 1
    assert (
        f"{edited}: changed since contractkit wrote it; nothing was written for this spec."
        in result.stderr
    )
    assert snapshot(built) == before
    forced = run_cli("build", REFERENCE, "-o", built.parent, "--force")
    assert forced.exit_code == 0, forced.stderr
    (backup,) = list((built / "internal" / "backups").glob("*/msa.docx"))
    assert backup.read_bytes().endswith(b"counsel was here")
    assert f"backed up {backup}" in forced.stderr
    assert not edited.read_bytes().endswith(b"counsel was here")


def test_files_contractkit_did_not_write_are_left_alone(built: Path, run_cli: RunCli) -> None:
    own = built / "counsel-redline.docx"
    lock = built / "~$msa.docx"
    own.write_bytes(b"mine")
    lock.write_bytes(b"lock")
    (built / "internal" / "manifest.json").unlink()
    # Only the DOCX are rebuilt: the PDFs would only cost time here.
    result = run_cli("build", REFERENCE, "-o", built.parent, "--format", "docx")
    assert result.exit_code == 1
    assert "msa.docx" in result.stderr
    assert "a file contractkit did not write is in the way" in result.stderr
    forced = run_cli("build", REFERENCE, "-o", built.parent, "--format", "docx", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert own.read_bytes() == b"mine" and lock.read_bytes() == b"lock"


def test_a_failing_renderer_leaves_the_previous_bundle(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(built)
    spec = built.parent.parent / "changed.yaml"
    spec.write_text(
        REFERENCE.read_text(encoding="utf-8").replace(
            "breach_notice_days: 10 ", "breach_notice_days: 9 "
        ),
        encoding="utf-8",
    )

    def flaky(output: build_module.Output, templates: object) -> bytes:
        if output.name == "dpa.pdf":
            raise TemplateError("injected failure while rendering dpa.pdf")
        # Every other output renders, as a stand-in: what is written is not the point here.
        return output.data if output.data is not None else f"{output.name}\n".encode()

    monkeypatch.setattr(scheduler_module, "render_output", flaky)
    (result,) = build_module.build([spec], build_module.BuildOptions(out=built.parent, jobs=1))
    assert [p.message for p in result.problems] == ["injected failure while rendering dpa.pdf"]
    assert snapshot(built) == before
    assert not list(built.glob(".contractkit-staging-*"))


def test_rebuild_with_nothing_changed_is_up_to_date_without_renderer_libraries(built: Path) -> None:
    code = (
        "import sys\n"
        "from contractkit.cli import main\n"
        "try:\n"
        f"    main(['build', {str(REFERENCE)!r}, '-o', {str(built.parent)!r}])\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "imported = {'weasyprint', 'docx', 'docxtpl'} & set(sys.modules)\n"
        "assert not imported, imported\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert f"acme-nimbus-2027: up to date ({built})" in done.stderr


def test_one_field_change_rerenders_only_what_it_touches(breach_rebuild: Rebuild) -> None:
    built = breach_rebuild.bundle
    written = {
        line.removeprefix("wrote ")
        for line in breach_rebuild.stderr.splitlines()
        if line.startswith("wrote ")
    }
    # The period is printed in three agreements and in the playbook's text (its PDF shows only
    # the tiers); the checklist document does not print it.
    assert written == {
        str(built / name)
        for name in [
            "msa.docx", "msa.pdf", "dpa.docx", "dpa.pdf", "baa.docx", "baa.pdf",
            "internal/checklist.md", "internal/checklist.json", "internal/playbook.md",
            *(f"internal/trees/{stem}.json" for stem in ("msa", "dpa", "baa")),
            *(f"internal/redline/{stem}.{kind}" for stem in ("msa", "dpa", "baa")
              for kind in ("docx", "pdf")),
        ]
    }  # fmt: skip
    changed = [line for line in breach_rebuild.stderr.splitlines() if "changed clauses" in line]
    assert changed == [
        "msa: changed clauses msa.security_incidents",
        "baa: changed clauses baa.reporting",
        "dpa: changed clauses dpa.incidents",
    ]


def test_batch_continues_past_a_bad_spec_and_reports_json(tmp_path: Path, run_cli: RunCli) -> None:
    folder = tmp_path / "specs"
    folder.mkdir()
    (folder / "a.yaml").write_text(
        (EXAMPLES / "lidar-project.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (folder / "b.yaml").write_text("contractkit: 1\n", encoding="utf-8")
    result = run_cli("build", folder, "-o", tmp_path / "out", "--json", "--format", "docx")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert [(s["spec"], s["status"]) for s in summary] == [
        (str(folder / "a.yaml"), "built"),
        (str(folder / "b.yaml"), "failed"),
    ]
    assert (tmp_path / "out" / "orbital-lidar-2027" / "msa.docx").is_file()
    assert not list((tmp_path / "out" / "orbital-lidar-2027").glob("*.pdf"))
    assert f"build: 1 of 2 specs failed: {folder / 'b.yaml'}" in result.stderr


def test_two_specs_with_one_id_are_refused_before_writing(tmp_path: Path, run_cli: RunCli) -> None:
    copy = tmp_path / "copy.yaml"
    copy.write_text(REFERENCE.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("build", REFERENCE, copy, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert (
        f"{copy}:6:7: engagement.id: 'acme-nimbus-2027' is also the id of {REFERENCE}; each spec in one build needs its own id (nothing was written)"
        in result.stderr
    )
    assert not (tmp_path / "out").exists()


def test_only_builds_the_named_documents(tmp_path: Path, run_cli: RunCli) -> None:
    result = run_cli("build", REFERENCE, "-o", tmp_path, "--only", "msa,nda", "--format", "docx")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "acme-nimbus-2027").glob("*.docx")) == [
        "msa.docx",
        "nda.docx",
    ]
    bad = run_cli("build", REFERENCE, "-o", tmp_path, "--only", "nda,contract")
    assert bad.exit_code == 2
    lidar = run_cli("build", EXAMPLES / "lidar-project.yaml", "-o", tmp_path, "--only", "baa")
    assert lidar.exit_code == 1
    assert (
        "--only baa: the Business Associate Agreement is not produced for this engagement"
        in lidar.stderr
    )


def test_verify_lists_changed_files(built: Path, run_cli: RunCli) -> None:
    clean = run_cli("verify", built)
    assert clean.exit_code == 0, clean.stderr
    (built / "nda.pdf").write_bytes(b"%PDF-1.7 edited")
    (built / "internal" / "checklist.md").unlink()
    changed = run_cli("verify", built)
    assert changed.exit_code == 3
    assert changed.stdout.splitlines() == [
        f"changed: {built / 'nda.pdf'}",
        f"missing: {built / 'internal' / 'checklist.md'}",
    ]


def test_only_then_full_build_is_not_mistaken_for_hand_edits(built: Path, run_cli: RunCli) -> None:
    partial = run_cli("build", REFERENCE, "-o", built.parent, "--only", "msa", "--format", "docx")
    assert partial.exit_code == 0, partial.stderr
    notes = (built / "internal" / "review-notes.md").read_text(encoding="utf-8")
    assert "## Business Associate Agreement (baa)" in notes, (
        "--only must not rewrite the shared notes"
    )
    full = run_cli("build", REFERENCE, "-o", built.parent)
    assert full.exit_code == 0, full.stderr
    assert run_cli("verify", built).exit_code == 0


def test_a_broken_house_template_fails_cleanly_with_parallel_jobs(
    tmp_path: Path, run_cli: RunCli
) -> None:
    firm = tmp_path / "firm"
    firm.mkdir()
    source = (data_dir("templates") / "agreement.html.j2").read_text(encoding="utf-8")
    (firm / "agreement.html.j2").write_text(
        source.replace("{{ tree.title }}</title>", "{{ tree.no_such_field }}</title>"),
        encoding="utf-8",
    )
    (firm / "print.css").write_text("body { }", encoding="utf-8")
    result = run_cli("build", REFERENCE, "-o", tmp_path / "out", "--templates", firm, "--jobs", "2")
    assert result.exit_code == 1
    assert f"{firm / 'agreement.html.j2'}" in result.stderr and "no_such_field" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "acme-nimbus-2027" / "msa.pdf").exists()


def test_any_renderer_exception_becomes_a_problem_for_its_spec(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def boom(output: build_module.Output, templates: object) -> bytes:
        raise KeyError("deep inside a library")

    monkeypatch.setattr(scheduler_module, "render_output", boom)
    with pytest.raises(
        ContractkitError, match=r"could not render msa.docx: KeyError: 'deep inside a library'"
    ):
        scheduler_module._render_in_worker(build_module.Output("msa.docx", "k", "docx"), None)  # type: ignore[arg-type]


def test_hostile_names_print_literally_in_docx_and_pdf(hostile_bundle: Path) -> None:
    pages = PdfReader(hostile_bundle / "nda.pdf").pages
    pdf = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert f"(“{HOSTILE_NAME}”)" in pdf
    with zipfile.ZipFile(hostile_bundle / "nda.docx") as archive:
        body = archive.read("word/document.xml").decode("utf-8")
        headers = [archive.read(n).decode("utf-8") for n in archive.namelist() if "/header" in n]
    for text, parts in ((HOSTILE_NAME, [body]), (HOSTILE_TITLE, headers)):
        assert any(html.escape(text, quote=False) in p or html.escape(text) in p for p in parts)


def test_a_long_batch_keeps_at_most_two_bundles_per_worker_in_flight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = batch_of_specs(tmp_path, 7)
    in_flight: list[int] = []
    real_add = build_module.RenderQueue.add

    def add(queue: build_module.RenderQueue, *args: object) -> None:
        real_add(queue, *args)  # type: ignore[arg-type]
        in_flight.append(len(queue.bundles))

    real_render = scheduler_module.render_output

    def slow_render(output: build_module.Output, templates: object) -> bytes:
        time.sleep(0.2)  # slower than assembly, so an unbounded batch would pile up
        return real_render(output, templates)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module.RenderQueue, "add", add)
    monkeypatch.setattr(scheduler_module, "render_output", slow_render)
    options = build_module.BuildOptions(
        out=tmp_path / "out", only=(DocumentKey.nda,), formats=("docx",), jobs=2
    )
    results = build_module.build([folder], options)
    assert [r.status for r in results] == ["built"] * 7
    assert len(in_flight) == 7
    assert max(in_flight) <= 4
    for n in range(7):
        assert (tmp_path / "out" / f"acme-batch-{n}" / "nda.docx").is_file()


def test_a_crashed_worker_fails_its_spec_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = batch_of_specs(tmp_path, 6)
    real_render = scheduler_module.render_output

    def crash_on_first(output: build_module.Output, templates: object) -> bytes:
        assert output.tree is not None
        if output.tree.metadata["engagement"] == "acme-batch-0":
            os._exit(9)  # a worker killed mid-render, as by the out-of-memory killer
        return real_render(output, templates)  # type: ignore[arg-type]

    monkeypatch.setattr(scheduler_module, "render_output", crash_on_first)
    options = build_module.BuildOptions(
        out=tmp_path / "out", only=(DocumentKey.nda,), formats=("docx",), jobs=2
    )
    results = build_module.build([folder], options)
    assert len(results) == 6
    assert [str(p) for p in results[0].problems] == [
        f"{folder / 'spec-0.yaml'}: could not render nda.docx: a rendering process stopped "
        "unexpectedly (killed, or out of memory) while this spec was being rendered"
    ]
    assert not (tmp_path / "out" / "acme-batch-0").exists()
    assert results[-1].status == "built"
    assert (tmp_path / "out" / "acme-batch-5" / "nda.docx").is_file()


def test_a_changed_renderer_renders_again_though_the_version_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = build_module.BuildOptions(
        out=tmp_path / "out", only=(DocumentKey.nda,), formats=("docx",), jobs=1
    )
    (first,) = build_module.build([REFERENCE], options)
    assert first.status == "built"
    (same,) = build_module.build([REFERENCE], options)
    assert same.status == "up_to_date"
    monkeypatch.setattr(plan_module, "code_digest", lambda: "another renderer")
    (again,) = build_module.build([REFERENCE], options)
    assert [p.name for p in again.written] == ["nda.docx"]


def test_progress_reaches_its_total_when_specs_fail(tmp_path: Path) -> None:
    folder = batch_of_specs(tmp_path, 3)
    calls: list[tuple[int, int]] = []
    options = build_module.BuildOptions(
        out=tmp_path / "out", only=(DocumentKey.nda,), formats=("docx",), jobs=1
    )
    (tmp_path / "out" / "acme-batch-1").mkdir(parents=True)
    (tmp_path / "out" / "acme-batch-1" / "nda.docx").write_bytes(b"counsel's own file")
    results = build_module.build(
        [folder], options, lambda _, done, total: calls.append((done, total))
    )
    assert [r.status for r in results] == ["built", "failed", "built"]
    assert calls[-1] == (2, 2)


def test_workers_that_die_on_start_up_fail_every_spec_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import contractkit.render.html as html_module

    folder = batch_of_specs(tmp_path, 4)
    monkeypatch.setattr(html_module, "warm_up", lambda: os._exit(11))
    options = build_module.BuildOptions(
        out=tmp_path / "out", only=(DocumentKey.nda,), formats=("pdf",), jobs=2
    )
    results = build_module.build([folder], options)
    assert [r.status for r in results] == ["failed"] * 4
    for result in results:
        assert "a rendering process stopped unexpectedly" in str(result.problems[0])
    assert not (tmp_path / "out").exists()


def test_a_default_build_after_a_docx_only_build_writes_the_pdf(
    tmp_path: Path, run_cli: RunCli
) -> None:
    out = tmp_path / "out"
    folder = out / "acme-nimbus-2027"
    docx = run_cli("build", REFERENCE, "-o", out, "--only", "nda", "--format", "docx")
    assert docx.exit_code == 0, docx.stderr
    assert sorted(p.name for p in folder.glob("*.*")) == ["nda.docx"]

    default = run_cli("build", REFERENCE, "-o", out, "--only", "nda")
    assert default.exit_code == 0, default.stderr
    assert default.stderr.splitlines()[1:] == [
        f"wrote {folder / 'internal' / 'checklist.pdf'}",
        f"wrote {folder / 'internal' / 'playbook.pdf'}",
        f"wrote {folder / 'nda.pdf'}",
        "acme-nimbus-2027: skipped (not in --only): msa, baa, dpa, ip_assignment, exit_schedule; "
        "the internal reports cover every document",
        f"acme-nimbus-2027: 3 written, 7 unchanged in {folder}",
    ]
    assert (folder / "nda.pdf").read_bytes().startswith(b"%PDF-")
    assert run_cli("verify", folder).exit_code == 0
