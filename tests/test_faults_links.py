"""Symbolic links in a bundle: contractkit never writes through a link it did not create."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from faults import ENGAGEMENT, leftovers, snapshot, spec_titled, stub_renderers

RunCli = Callable[..., Result]
LINK = (
    "is a symbolic link; contractkit never writes through a link it did not create (nothing "
    "was written for this spec). Replace the link with a real folder or file, or build into "
    "another --out"
)


@pytest.fixture
def spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    stub_renderers(monkeypatch)
    return spec_titled(tmp_path, "A title")


def _build(run_cli: RunCli, spec: Path, out: Path, *more: str) -> Result:
    return run_cli("build", spec, "-o", out, "--format", "docx", "--no-redline", *more)


def _users_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "manifest.json").write_text("the user's own file\n", encoding="utf-8")
    (folder / "coverage.md").write_text("the user's notes\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("linked", ["", "internal", "internal/backups"])
def test_a_linked_bundle_folder_is_refused_with_or_without_force(
    tmp_path: Path, spec: Path, run_cli: RunCli, linked: str
) -> None:
    out = tmp_path / "out"
    bundle = out / ENGAGEMENT
    if linked:
        assert _build(run_cli, spec, out).exit_code == 0
    elsewhere = _users_folder(tmp_path)
    before = snapshot(elsewhere)
    link = bundle / linked if linked else bundle
    if linked == "internal":
        for child in link.rglob("*"):
            if child.is_file():
                child.unlink()
        for child in sorted(link.rglob("*"), reverse=True):
            child.rmdir()
        link.rmdir()
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(elsewhere, target_is_directory=True)
    bundle_before = snapshot(bundle) if linked else {}
    spec_titled(tmp_path, "Another title")
    for force in ((), ("--force",)):
        result = _build(run_cli, spec, out, *force)
        assert result.exit_code == 1
        assert f"{link}: {LINK}" in result.stderr.splitlines()
        assert snapshot(elsewhere) == before
        if linked:
            assert snapshot(bundle) == bundle_before
    assert link.is_symlink()


def test_a_linked_output_is_a_hand_edit_and_force_backs_up_the_link(
    tmp_path: Path, spec: Path, run_cli: RunCli
) -> None:
    out = tmp_path / "out"
    assert _build(run_cli, spec, out).exit_code == 0
    bundle = out / ENGAGEMENT
    mine = tmp_path / "mine.docx"
    mine.write_bytes(b"counsel's own document")
    (bundle / "nda.docx").unlink()
    (bundle / "nda.docx").symlink_to(mine)
    spec_titled(tmp_path, "Another title")

    refused = _build(run_cli, spec, out)
    assert refused.exit_code == 1
    assert f"{bundle / 'nda.docx'}: changed since contractkit wrote it" in refused.stderr
    assert mine.read_bytes() == b"counsel's own document"

    forced = _build(run_cli, spec, out, "--force")
    assert forced.exit_code == 0, forced.stderr
    (backup,) = (bundle / "internal" / "backups").glob("*/nda.docx")
    assert backup.is_symlink() and backup.readlink() == mine
    assert f"backed up {backup}" in forced.stderr
    assert mine.read_bytes() == b"counsel's own document"
    assert not (bundle / "nda.docx").is_symlink()
    assert (bundle / "nda.docx").read_bytes().startswith(b"nda.docx rendered from ")
    assert leftovers(bundle) == []


def test_a_linked_manifest_is_refused_and_never_written_through(
    tmp_path: Path, spec: Path, run_cli: RunCli
) -> None:
    out = tmp_path / "out"
    assert _build(run_cli, spec, out).exit_code == 0
    bundle = out / ENGAGEMENT
    manifest = bundle / "internal" / "manifest.json"
    users = tmp_path / "users.json"
    users.write_bytes(manifest.read_bytes())
    manifest.unlink()
    manifest.symlink_to(users)
    spec_titled(tmp_path, "Another title")
    before = snapshot(bundle)

    refused = _build(run_cli, spec, out)
    assert refused.exit_code == 1
    assert (
        f"{manifest}: is a symbolic link; contractkit reads and writes its manifest only as a "
        "real file in a real folder; nothing was written for this spec. Move it away, or "
        "rebuild with --force to back it up and replace it"
    ) in refused.stderr.splitlines()
    assert snapshot(bundle) == before
    verified = run_cli("verify", bundle)
    assert verified.exit_code == 1
    assert verified.stderr.startswith(f"{manifest}: is a symbolic link")

    saved = users.read_bytes()
    forced = _build(run_cli, spec, out, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert users.read_bytes() == saved
    (backup,) = (bundle / "internal" / "backups").glob("*/internal/manifest.json")
    assert backup.readlink() == users
    assert not manifest.is_symlink()
    assert run_cli("verify", bundle).exit_code == 0
