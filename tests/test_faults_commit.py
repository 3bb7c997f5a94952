"""Interrupted and failing builds: a bundle is replaced as a whole or not at all.

A failure while files are moved into place puts the previous ones back; a build killed between
two moves is finished by the next build or ``verify``; backups are complete or absent.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from faults import (
    ENGAGEMENT,
    PAUSE,
    QUICK,
    contractkit_env,
    hook_folder,
    leftovers,
    run,
    snapshot,
    spec_titled,
    start,
    stub_renderers,
    wait_for,
)

import contractkit.build.commit as commit_module
import contractkit.build.safefs as safefs_module
from contractkit.build import BuildOptions, build, verify
from contractkit.build.commit import FileChange
from contractkit.build.safefs import Folder
from contractkit.cli import main


@pytest.fixture
def options(tmp_path: Path) -> BuildOptions:
    return BuildOptions(out=tmp_path / "out", formats=("docx",), jobs=1, redline=False)


QuickBundle = Callable[[str], Path]


@pytest.fixture(scope="module")
def quick_bundle(tmp_path_factory: pytest.TempPathFactory) -> QuickBundle:
    """The quick bundle of the spec with a given title (``<folder>/out/<engagement>``), built by
    ``contractkit build`` once for the module; a test copies what it changes."""
    built: dict[str, Path] = {}

    def bundle(title: str) -> Path:
        if title not in built:
            folder = tmp_path_factory.mktemp("quick")
            spec = spec_titled(folder, title)
            args = ["build", str(spec), "-o", str(folder / "out"), *QUICK]
            result = CliRunner().invoke(main, args, catch_exceptions=False)
            assert result.exit_code == 0, result.output
            built[title] = folder / "out" / ENGAGEMENT
        return built[title]

    return bundle


def first_build(tmp_path: Path, quick_bundle: QuickBundle) -> Path:
    """The spec titled "First title" in ``tmp_path`` and its quick bundle in ``tmp_path/out``.

    The bundle is a copy of the module's build (file times kept), as deep as the original, so
    its manifest's spec path, relative to the bundle, names this spec.
    """
    spec = spec_titled(tmp_path, "First title")
    shutil.copytree(quick_bundle("First title"), tmp_path / "out" / ENGAGEMENT, symlinks=True)
    return spec


@pytest.mark.parametrize(
    "every",
    [False, pytest.param(True, marks=pytest.mark.slow)],
    ids=["first-middle-last", "every-position"],
)
def test_a_failed_move_at_every_position_leaves_the_previous_bundle(
    tmp_path: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch, every: bool
) -> None:
    """A failure before each move; the fast run tries the first move, the move of nda.docx and
    the last (the manifest), the slow run every one."""
    stub_renderers(monkeypatch)
    (first,) = build([spec_titled(tmp_path, "First title")], options)
    assert first.status == "built", first.problems
    bundle = options.out / ENGAGEMENT
    before = snapshot(bundle)
    second = spec_titled(tmp_path, "Second title", "second.yaml")

    real = commit_module._install
    moves: list[str] = []

    def counting(root: Folder, stage: Folder, change: FileChange) -> None:
        moves.append(change.path)
        real(root, stage, change)

    shutil.copytree(bundle, tmp_path / "count" / ENGAGEMENT)
    monkeypatch.setattr(commit_module, "_install", counting)
    build([second], replace(options, out=tmp_path / "count"))
    assert moves[-1] == "internal/manifest.json"
    assert "nda.docx" in moves and len(moves) >= 5

    positions = range(len(moves)) if every else sorted({0, moves.index("nda.docx"), len(moves) - 1})
    for position in positions:
        name = moves[position]
        done = 0

        def failing(
            root: Folder, stage: Folder, change: FileChange, position: int = position
        ) -> None:
            nonlocal done
            if done == position:
                raise OSError(errno.EIO, "injected failure", change.path)
            done += 1
            real(root, stage, change)

        monkeypatch.setattr(commit_module, "_install", failing)
        (failed,) = build([second], options)
        assert [str(p) for p in failed.problems] == [
            f"{bundle}: cannot write: [Errno 5] injected failure: '{name}'"
        ]
        assert snapshot(bundle) == before, f"a failure before moving {name}"
        assert leftovers(bundle) == []

    monkeypatch.setattr(commit_module, "_install", real)
    (built,) = build([second], options)
    assert built.status == "built" and not built.backups
    assert verify(bundle).changed == [] and leftovers(bundle) == []


def test_a_cross_device_folder_is_written_by_copy_then_rename(
    tmp_path: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    stub_renderers(monkeypatch)
    real = os.rename
    crossed: list[str] = []

    def rename(source: str, target: str, **fds: int) -> None:
        if target.endswith(".md") and not source.startswith(safefs_module.COPY_PREFIX):
            crossed.append(target)
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real(source, target, **fds)

    monkeypatch.setattr(safefs_module.os, "rename", rename)
    (result,) = build([spec_titled(tmp_path, "A title")], options)
    assert result.status == "built", result.problems
    assert sorted(crossed) == ["checklist.md", "coverage.md", "playbook.md", "review-notes.md"]
    bundle = options.out / ENGAGEMENT
    assert verify(bundle).changed == [] and leftovers(bundle) == []
    notes = (bundle / "internal" / "review-notes.md").read_text(encoding="utf-8")
    assert "Review notes for **A title**" in notes


def _paused_build(tmp_path: Path, spec: Path, before: str, seconds: float) -> subprocess.Popen[str]:
    hook = hook_folder(tmp_path, PAUSE)
    paused = tmp_path / "paused"
    env = contractkit_env(
        hook, PAUSE_BEFORE=before, PAUSED_FILE=str(paused), PAUSE_SECONDS=str(seconds)
    )
    process = start(["build", spec, "-o", "out", *QUICK], tmp_path, env)
    wait_for(lambda: paused.exists() or process.poll() is not None, what="the paused move")
    assert process.poll() is None, process.communicate()
    return process


@pytest.mark.parametrize(
    ("before", "recover_with"),
    [
        ("internal/review-notes.md", "build"),
        ("nda.docx", "verify"),
        ("internal/manifest.json", "verify"),
    ],
)
def test_kill_9_between_moves_is_finished_before_anything_else(
    tmp_path: Path, before: str, recover_with: str, quick_bundle: QuickBundle
) -> None:
    spec = first_build(tmp_path, quick_bundle)
    bundle = tmp_path / "out" / ENGAGEMENT
    old = snapshot(bundle)
    spec_titled(tmp_path, "Second title")

    process = _paused_build(tmp_path, spec, before, 600)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    half = snapshot(bundle)
    assert leftovers(bundle), "the staging folder of the killed build"
    assert half["internal/manifest.json"] == old["internal/manifest.json"]
    assert any(half[n] != old[n] for n in old if n != "internal/manifest.json"), "half new"

    if recover_with == "verify":
        checked = run(["verify", bundle], tmp_path)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert checked.stdout == ""
    again = run(["build", spec, "-o", "out", *QUICK, "--force"], tmp_path)
    assert again.returncode == 0, again.stderr
    assert "backed up" not in again.stderr, "contractkit's own new files are not hand edits"
    assert again.stderr.strip().endswith(f"{ENGAGEMENT}: up to date (out/{ENGAGEMENT})")
    assert leftovers(bundle) == []
    assert not (bundle / "internal" / "backups").exists()

    clean = quick_bundle("Second title")  # the same spec built in a clean folder
    finished, fresh = snapshot(bundle), snapshot(clean)
    manifest = "internal/manifest.json"
    assert finished.keys() == fresh.keys()
    assert {n: d for n, d in finished.items() if n != manifest} == {
        n: d for n, d in fresh.items() if n != manifest
    }
    assert _hashes(bundle) == _hashes(clean)


def _hashes(bundle: Path) -> dict[str, str]:
    """The files a manifest lists with their hashes (what decides ownership)."""
    manifest = json.loads((bundle / "internal" / "manifest.json").read_text(encoding="utf-8"))
    return {f["path"]: f["sha256"] for f in manifest["files"]}


def test_verify_during_a_build_waits_for_the_bundle_to_be_complete(
    tmp_path: Path, quick_bundle: QuickBundle
) -> None:
    spec = first_build(tmp_path, quick_bundle)
    spec_titled(tmp_path, "Second title")
    process = _paused_build(tmp_path, spec, "nda.docx", 3)
    started = time.monotonic()
    checked = run(["verify", tmp_path / "out" / ENGAGEMENT], tmp_path)
    waited = time.monotonic() - started
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout == ""
    assert waited > 1.5, "verify waited for the commit to finish"


def test_a_full_disk_during_force_leaves_no_partial_backup(
    tmp_path: Path, quick_bundle: QuickBundle
) -> None:
    spec = first_build(tmp_path, quick_bundle)
    bundle = tmp_path / "out" / ENGAGEMENT
    edited = bundle / "nda.docx"
    edited.write_bytes(edited.read_bytes() + b"counsel's notes " * 200_000)  # about 3 MB
    spec_titled(tmp_path, "Second title")
    before = snapshot(bundle)
    for _ in range(2):  # a second failure finds nothing left over from the first
        full = run(
            ["build", spec, "-o", "out", *QUICK, "--force"], tmp_path, max_file_size=1_000_000
        )
        assert full.returncode == 1
        assert "File too large" in full.stderr, full.stderr
        assert "Traceback" not in full.stderr
        assert snapshot(bundle) == before
        assert leftovers(bundle) == []
        assert list((bundle / "internal" / "backups").iterdir()) == []
    forced = run(["build", spec, "-o", "out", *QUICK, "--force"], tmp_path)
    assert forced.returncode == 0, forced.stderr
    (backup,) = (bundle / "internal" / "backups").glob("*/nda.docx")
    assert backup.read_bytes() == before["nda.docx"]
    assert f"backed up out/{ENGAGEMENT}/internal/backups/{backup.parent.name}/nda.docx" in (
        forced.stderr
    )
