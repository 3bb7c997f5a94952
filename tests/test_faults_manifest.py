"""A hostile or broken manifest: one clear message, nothing read or hashed outside the bundle."""

from __future__ import annotations

import json
import pathlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from faults import ENGAGEMENT, snapshot, spec_titled, stub_renderers

from contractkit.cli import main

RunCli = Callable[..., Result]


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The spec titled "A title" built by ``contractkit build --format docx`` with stand-in
    renderers, once for the module: ``<folder>/out/<engagement>``."""
    folder = tmp_path_factory.mktemp("built")
    with pytest.MonkeyPatch.context() as monkeypatch:
        stub_renderers(monkeypatch)
        spec = spec_titled(folder, "A title")
        result = CliRunner().invoke(
            main,
            ["build", str(spec), "-o", str(folder / "out"), "--format", "docx"],
            catch_exceptions=False,
        )
    assert result.exit_code == 0, result.stderr
    return folder / "out" / ENGAGEMENT


@pytest.fixture
def bundle(built_once: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """That bundle in ``tmp_path/out``, this test's own copy (file times kept) beside its spec;
    the test's builds render with the same stand-ins."""
    stub_renderers(monkeypatch)
    spec_titled(tmp_path, "A title")
    return Path(shutil.copytree(built_once, tmp_path / "out" / ENGAGEMENT, symlinks=True))


def _rewrite(bundle: Path, change: Callable[[dict[str, Any]], object]) -> Path:
    path = bundle / "internal" / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda m: m["files"].insert(0, {**m["files"][0], "path": "../../secret.txt"}),
            "files[0].path: '../../secret.txt' is not a relative path inside the bundle",
        ),
        (
            lambda m: m["files"].insert(0, {**m["files"][0], "path": "/etc/shadow"}),
            "files[0].path: '/etc/shadow' is not a relative path inside the bundle",
        ),
        (
            lambda m: m["files"].insert(0, {**m["files"][0], "path": 3}),
            "files[0].path: Input should be a valid string",
        ),
        (lambda m: m.update(files="all of them"), "files: Input should be a valid list"),
        (
            lambda m: m["files"][1].update(sha256=None),
            "files[1].sha256: Input should be a valid string",
        ),
        (lambda m: m.pop("spec"), "spec: Field required"),
    ],
)
def test_a_bad_manifest_is_one_message_for_verify_and_build(
    tmp_path: Path,
    bundle: Path,
    run_cli: RunCli,
    change: Callable[[dict[str, Any]], object],
    reason: str,
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not the bundle's\n", encoding="utf-8")
    manifest = _rewrite(bundle, change)
    checked = run_cli("verify", bundle)
    assert checked.exit_code == 1
    assert checked.stdout == ""
    assert checked.stderr == f"{manifest}: not a contractkit manifest: {reason}\n"

    before = snapshot(bundle)
    built = run_cli(
        "build", tmp_path / "engagement.yaml", "-o", tmp_path / "out", "--format", "docx"
    )
    assert built.exit_code == 1
    assert (
        f"{manifest}: not a contractkit manifest: {reason}; nothing was written for this spec. "
        "Move it away, or rebuild with --force to back it up and replace it"
    ) in built.stderr.splitlines()
    assert "changed since contractkit wrote it" not in built.stderr
    assert "Traceback" not in built.stderr
    assert snapshot(bundle) == before
    assert secret.read_text(encoding="utf-8") == "not the bundle's\n"


def test_force_replaces_a_bad_manifest_after_backing_it_up(
    tmp_path: Path, bundle: Path, run_cli: RunCli
) -> None:
    manifest = _rewrite(bundle, lambda m: m["files"].append({**m["files"][0], "path": "../x"}))
    bad = manifest.read_bytes()
    forced = run_cli(
        "build", tmp_path / "engagement.yaml", "-o", tmp_path / "out", "--format", "docx", "--force"
    )
    assert forced.exit_code == 0, forced.stderr
    backups = sorted((bundle / "internal" / "backups").glob("*/internal/manifest.json"))
    assert [b.read_bytes() for b in backups] == [bad]
    recorded = json.loads(manifest.read_text(encoding="utf-8"))
    assert all(".." not in f["path"] for f in recorded["files"])
    assert run_cli("verify", bundle).exit_code == 0


def test_files_are_hashed_in_a_stream_never_read_whole(
    tmp_path: Path, bundle: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    huge = bundle / "internal" / "coverage.md"
    with huge.open("r+b") as handle:
        handle.truncate(64 * 1024 * 1024)  # sparse: costs no disk
    real_read = pathlib.Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.stat().st_size > 8 * 1024 * 1024:
            raise AssertionError(f"{path} read whole")
        return real_read(path)

    monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)
    checked = run_cli("verify", bundle)
    assert checked.exit_code == 3
    assert checked.stdout == f"changed: {huge}\n"
    built = run_cli(
        "build", tmp_path / "engagement.yaml", "-o", tmp_path / "out", "--format", "docx"
    )
    assert built.exit_code == 1
    assert f"{huge}: changed since contractkit wrote it" in built.stderr


def test_control_characters_in_printed_paths_are_escaped(
    tmp_path: Path, bundle: Path, run_cli: RunCli
) -> None:
    name = "notes\x1b[2J\rfake.md"
    _rewrite(bundle, lambda m: m["files"].append({**m["files"][0], "path": name}))
    checked = run_cli("verify", bundle)
    assert checked.exit_code == 3
    assert checked.stdout == f"missing: {bundle}/notes\\x1b[2J\\rfake.md\n"

    odd = tmp_path / "spec\x1b]0;title\x07.yaml"
    built = run_cli("build", odd, "-o", tmp_path / "out")
    assert built.exit_code == 1
    shown = f"{tmp_path}/spec\\x1b]0;title\\x07.yaml"
    assert built.stderr.splitlines() == [
        f"{shown}: no such file",
        f"build: 1 of 1 spec failed: {shown}",
    ]
