"""Redlines in bundles: a rebuild writes one per changed document, ``contractkit redline OLD NEW``
compares two bundles, and folders that are not bundles are refused."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from lxml import etree
from test_redline import PARTS, paragraphs, part, resolve

from conftest import BREACH, Rebuild, RunCli, WriteSpec
from helpers import copy_bundle

LINE = "— 1 clause changed, 2 insertions, 2 deletions"


def redline_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("redline:")]


def manifest_paths(bundle: Path) -> list[str]:
    manifest = json.loads((bundle / "internal" / "manifest.json").read_text(encoding="utf-8"))
    return [f["path"] for f in manifest["files"]]


def text_of(docx: Path | bytes, accept: bool | None = None) -> list[tuple[str, str, str]]:
    data = docx if isinstance(docx, bytes) else docx.read_bytes()
    xml = part(data, PARTS[0])
    root = etree.fromstring(xml) if accept is None else resolve(xml, accept)
    return paragraphs(root, fields_as_codes=True)


def test_rebuild_writes_a_redline_for_exactly_each_changed_document(
    bundles: dict[str, Path], breach_rebuild: Rebuild, run_cli: RunCli
) -> None:
    bundle = breach_rebuild.bundle
    before = (bundles["reference"] / "msa.docx").read_bytes()
    assert "internal/trees/msa.json" in manifest_paths(bundles["reference"])
    assert redline_lines(breach_rebuild.stderr) == [
        f"redline: internal/redline/{stem}.docx {LINE}" for stem in ("msa", "baa", "dpa")
    ]
    written = sorted(p.name for p in (bundle / "internal" / "redline").iterdir())
    assert written == ["baa.docx", "baa.pdf", "dpa.docx", "dpa.pdf", "msa.docx", "msa.pdf"]
    assert {f"internal/redline/{name}" for name in written} <= set(manifest_paths(bundle))
    redline = bundle / "internal" / "redline" / "msa.docx"
    assert text_of(redline, accept=True) == text_of(bundle / "msa.docx")
    assert text_of(redline, accept=False) == text_of(before)
    assert run_cli("verify", bundle).exit_code == 0


def test_a_later_rebuild_removes_redlines_of_unchanged_documents_and_no_redline_writes_none(
    bundles: dict[str, Path], write_spec: WriteSpec, run_cli: RunCli, tmp_path: Path
) -> None:
    bundle = copy_bundle(bundles["reference"], tmp_path / "out")
    out = tmp_path / "out"
    docx = ("--format", "docx", "-j", "1")
    assert run_cli("build", write_spec([BREACH]), "-o", out, *docx).exit_code == 0
    pilot = ("pilot: {weeks: 4,", "pilot: {weeks: 6,")
    result = run_cli("build", write_spec([BREACH, pilot]), "-o", out, *docx, "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)[0]["redlines"]
    assert [(r["document"], r["clause"], r["change"]) for r in summary] == [
        ("msa", "msa.pilot", "changed")
    ]
    assert sorted(p.name for p in (bundle / "internal" / "redline").iterdir()) == ["msa.docx"]
    assert not {"internal/redline/baa.docx", "internal/redline/dpa.docx"} & set(
        manifest_paths(bundle)
    )
    weeks = ("pilot: {weeks: 4,", "pilot: {weeks: 8,")
    result = run_cli("build", write_spec([BREACH, weeks]), "-o", out, *docx, "--no-redline")
    assert result.exit_code == 0, result.stderr
    assert redline_lines(result.stderr) == []
    assert list((bundle / "internal" / "redline").glob("*")) == []
    assert run_cli("verify", bundle).exit_code == 0


def test_redline_command_compares_a_sent_bundle_with_todays(
    bundles: dict[str, Path], breach_rebuild: Rebuild, run_cli: RunCli, tmp_path: Path
) -> None:
    sent = copy_bundle(bundles["reference"], tmp_path / "sent")
    today = copy_bundle(breach_rebuild.bundle, tmp_path / "out")
    result = run_cli("redline", sent, today, "--json")
    assert result.exit_code == 3, result.stderr
    folder = today / "internal" / f"redline-vs-{sent.name}"
    assert sorted(p.name for p in folder.iterdir()) == [
        f"{stem}.{kind}" for stem in ("baa", "dpa", "msa") for kind in ("docx", "pdf")
    ]
    assert redline_lines(result.stderr) == [
        f"redline: {folder / stem}.docx {LINE}" for stem in ("msa", "baa", "dpa")
    ] + ["redline: 3 documents changed"]
    rows = json.loads(result.stdout)
    assert [(r["document"], r["change"], r["insertions"], r["deletions"]) for r in rows] == [
        (key, "changed", 2, 2) for key in ("msa", "baa", "dpa")
    ]
    assert text_of(folder / "msa.docx", accept=True) == text_of(today / "msa.docx")
    assert text_of(folder / "msa.docx", accept=False) == text_of(sent / "msa.docx")

    only = run_cli(
        "redline", sent, today, "--only", "msa", "--format", "docx", "-o", tmp_path / "r"
    )
    assert only.exit_code == 3
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == ["msa.docx"]

    same = run_cli("redline", sent, sent, "-o", tmp_path / "same")
    assert same.exit_code == 0, same.stderr
    assert same.stderr.strip() == f"redline: no changes between {sent} and {sent}"
    assert not (tmp_path / "same").exists()


def test_redline_command_compares_a_spec_with_its_fork(
    bundles: dict[str, Path], write_spec: WriteSpec, run_cli: RunCli, tmp_path: Path
) -> None:
    fork = write_spec(
        [
            ("id: acme-nimbus-2027", "id: zenith-nimbus-2027"),
            ("legal_name: Acme Health AI, Inc.", "legal_name: Zenith Health AI, Inc."),
        ],
        name="fork.yaml",
    )
    out = tmp_path / "out"
    assert run_cli("build", fork, "-o", out, "--format", "docx", "-j", "1").exit_code == 0
    result = run_cli("redline", bundles["reference"], out / "zenith-nimbus-2027", "--json")
    assert result.exit_code == 3, result.stderr
    folder = out / "zenith-nimbus-2027" / "internal" / "redline-vs-acme-nimbus-2027"
    assert (folder / "msa.docx").is_file() and (folder / "nda.pdf").is_file()
    rows = json.loads(result.stdout)
    assert {r["document"] for r in rows} == {
        "msa",
        "nda",
        "baa",
        "dpa",
        "ip_assignment",
        "exit_schedule",
    }
    assert ("msa", "front") in {(r["document"], r["clause"]) for r in rows}
    xml = part((folder / "msa.docx").read_bytes(), PARTS[0]).decode()
    assert '<w:delText xml:space="preserve">Acme</w:delText>' in xml


def test_redline_command_refuses_folders_that_are_not_bundles(
    bundles: dict[str, Path], run_cli: RunCli, tmp_path: Path
) -> None:
    bundle = bundles["reference"]
    plain = tmp_path / "plain"
    plain.mkdir()
    result = run_cli("redline", plain, bundle)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{plain}: not a bundle written by contractkit build (no readable internal/manifest.json)"
    )
    older = copy_bundle(bundle, tmp_path / "older")
    manifest = older / "internal" / "manifest.json"
    record = json.loads(manifest.read_text(encoding="utf-8"))
    record["files"] = [f for f in record["files"] if not f["path"].startswith("internal/trees/")]
    manifest.write_text(json.dumps(record), encoding="utf-8")
    result = run_cli("redline", older, bundle)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{manifest}: this bundle keeps no document trees (internal/trees/): it was built by an "
        "earlier contractkit; build it again to compare it"
    )
    future = copy_bundle(bundle, tmp_path / "future")
    stored = future / "internal" / "trees" / "nda.json"
    data = json.loads(stored.read_text(encoding="utf-8"))
    data["contractkit_tree"] = 2
    stored.write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("redline", bundle, future, "-o", tmp_path / "r")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{stored}: the stored tree changed since contractkit wrote it; build the bundle again"
    )
    manifest = future / "internal" / "manifest.json"
    record = json.loads(manifest.read_text(encoding="utf-8"))
    for entry in record["files"]:
        if entry["path"] == "internal/trees/nda.json":
            entry["sha256"] = hashlib.sha256(stored.read_bytes()).hexdigest()
            entry["size"] = stored.stat().st_size
    manifest.write_text(json.dumps(record), encoding="utf-8")
    result = run_cli("redline", bundle, future, "-o", tmp_path / "r")
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"{stored}: stored tree format 2 is not the format")
    assert not (tmp_path / "r").exists()


def test_redline_says_when_a_document_was_edited_by_hand(
    bundles: dict[str, Path], write_spec: WriteSpec, run_cli: RunCli, tmp_path: Path
) -> None:
    sent = copy_bundle(bundles["reference"], tmp_path / "sent")
    today = copy_bundle(bundles["reference"], tmp_path / "out")
    assert (
        run_cli("build", write_spec([BREACH]), "-o", tmp_path / "out", "--format", "docx").exit_code
        == 0
    )
    edited = sent / "msa.docx"
    shutil.copy(today / "nda.docx", edited)
    result = run_cli("redline", sent, today, "--only", "msa", "--format", "docx")
    assert result.exit_code == 3
    assert redline_lines(result.stderr)[0].endswith(
        f"{LINE} (edited by hand since built: {sent.name}/msa.docx; this compares the "
        "generated documents)"
    )
