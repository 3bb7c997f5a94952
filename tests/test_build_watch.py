"""``contractkit build --watch``: a saved spec rebuilds, an invalid one keeps the last bundle.

The watcher runs as the user runs it, in its own process; it is stopped with Ctrl-C (SIGINT).
Timeouts are generous: they only bound a hung watcher, nothing here is timed.
"""

from __future__ import annotations

import hashlib
import json
import queue
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from watchfiles import Change

from contractkit.build import BuildOptions
from contractkit.build.watch import KeptLibrary, Watched

from helpers import LIDAR

WAIT = 240.0
NDA = "orbital-lidar-2027/nda.docx"


class Watcher:
    """A ``contractkit build --watch`` process and the lines it prints on stderr."""

    def __init__(self, folder: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "contractkit",
                "build",
                "spec.yaml",
                "-o",
                "out",
                "--watch",
                *args,
            ],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))

    def until(self, prefix: str) -> list[str]:
        """The lines printed up to and including the next one starting with ``prefix``."""
        deadline = time.monotonic() + WAIT
        printed: list[str] = []
        while True:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                pytest.fail(f"no line starting {prefix!r} within {WAIT} s; got {self.seen}")
            printed.append(line)
            self.seen.append(line)
            if line.startswith(prefix):
                return printed

    def stop(self) -> int:
        """Ctrl-C, and the exit status once the watcher has finished."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=WAIT)


StartWatcher = Callable[..., Watcher]


@pytest.fixture
def watcher(tmp_path: Path) -> Iterator[StartWatcher]:
    watchers: list[Watcher] = []

    def start(*args: str) -> Watcher:
        watchers.append(Watcher(tmp_path, *args))
        return watchers[-1]

    yield start
    for each in watchers:
        if each.process.poll() is None:
            each.process.kill()
            each.process.wait()


def save_by_rename(spec: Path, text: str) -> None:
    """Save as many editors do: write a temporary file, then rename it over the spec."""
    temporary = spec.with_name(f".{spec.name}.swp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(spec)


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_a_saved_spec_is_rebuilt_by_warm_workers(tmp_path: Path, watcher: StartWatcher) -> None:
    spec = tmp_path / "spec.yaml"
    original = LIDAR.read_text(encoding="utf-8")
    spec.write_text(original, encoding="utf-8")
    running = watcher("--only", "nda", "--jobs", "2", "--no-redline")
    first = running.until("watch: waiting for changes")
    assert f"wrote out/{NDA}" in first
    assert "Luzon Labs" not in docx_text(tmp_path / "out" / NDA)

    edited = original.replace("short_name: Luzon Data", "short_name: Luzon Labs")
    assert edited != original
    save_by_rename(spec, edited)
    rebuilt = running.until("watch: rebuilt in ")
    assert rebuilt[0] == "watch: changed spec.yaml"
    assert f"wrote out/{NDA}" in rebuilt
    assert f"wrote out/{NDA.replace('.docx', '.pdf')}" in rebuilt
    assert "Luzon Labs" in docx_text(tmp_path / "out" / NDA)
    manifest = json.loads(
        (tmp_path / "out" / "orbital-lidar-2027" / "internal" / "manifest.json").read_text()
    )
    assert manifest["spec"]["sha256"] == hashlib.sha256(edited.encode()).hexdigest()

    assert running.stop() == 0
    assert running.until("watch: stopped") == ["watch: stopped"]


def test_an_invalid_spec_keeps_the_last_bundle_until_it_is_valid_again(
    tmp_path: Path, watcher: StartWatcher
) -> None:
    spec = tmp_path / "spec.yaml"
    original = LIDAR.read_text(encoding="utf-8")
    spec.write_text(original, encoding="utf-8")
    running = watcher("--only", "nda", "--format", "docx", "--jobs", "1")
    running.until("watch: waiting for changes")
    bundle = tmp_path / "out" / "orbital-lidar-2027"
    before = {p: p.read_bytes() for p in bundle.rglob("*") if p.is_file()}

    save_by_rename(spec, original.replace("breach_notice_days: 5", "breach_notice_days: [5"))
    failed = running.until("watch: rebuilt in ")
    assert failed[0] == "watch: changed spec.yaml"
    assert any(line.startswith("spec.yaml:") and "YAML syntax error" in line for line in failed)
    assert "build: 1 of 1 spec failed: spec.yaml" in failed
    assert {p: p.read_bytes() for p in bundle.rglob("*") if p.is_file()} == before

    save_by_rename(spec, original.replace("short_name: Luzon Data", "short_name: Luzon Labs"))
    rebuilt = running.until("watch: rebuilt in ")
    assert f"wrote out/{NDA}" in rebuilt
    assert not any("failed" in line for line in rebuilt)
    assert "Luzon Labs" in docx_text(tmp_path / "out" / NDA)
    assert running.stop() == 0


def test_the_library_is_loaded_again_only_when_an_overlay_file_changes(tmp_path: Path) -> None:
    overlay = tmp_path / "firm-clauses"
    clause = overlay / "nda" / "extra.md"
    clause.parent.mkdir(parents=True)
    clause.write_text(
        "---\nid: nda.extra\ndocument: nda\ntitle: Extra\nversion: 1.0.0\n---\nFirst text.\n",
        encoding="utf-8",
    )
    kept = KeptLibrary()
    first = kept((overlay,))
    assert kept((overlay,)) is first
    clause.write_text(clause.read_text(encoding="utf-8").replace("First", "Second"), "utf-8")
    assert kept((overlay,)) is not first


def test_the_watch_listens_for_specs_overlays_and_templates_only(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("", encoding="utf-8")
    (tmp_path / "lib").mkdir()
    (tmp_path / "house").mkdir()
    options = BuildOptions(
        out=tmp_path / "out", libraries=(tmp_path / "lib",), templates=tmp_path / "house"
    )
    watched = Watched([spec], options)
    assert set(watched.folders()) == {tmp_path.resolve(), (tmp_path / "lib").resolve(),
                                      (tmp_path / "house").resolve()}  # fmt: skip
    root = tmp_path.resolve()
    heard = {
        "spec.yaml": True,
        "spec.evidence.yaml": True,
        ".spec.yaml.swp": False,
        "spec.yaml~": False,
        "other.yaml": False,
        "out/orbital-lidar-2027/nda.docx": False,
        "lib/msa/new-clause.md": True,
        "house/print.css": True,
        "house/notes.txt": False,
    }
    for name, expected in heard.items():
        assert watched.relevant(Change.modified, str(root / name)) is expected, name
