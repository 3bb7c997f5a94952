"""The watch loop run in the test's own process (stopped by an event instead of Ctrl-C), with
renderers that write a line per output: a save made while the watcher starts is built at once,
a folder left without specs is reported and watched on, warm workers serve every rebuild."""

from __future__ import annotations

import gc
import hashlib
import json
import queue
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from faults import stub_renderers
from watchfiles import Change

from contractkit.build import BuildOptions, build
from contractkit.build.plan import BundleResult
from contractkit.build.watch import WarmWorkers, Watched, run_watch
from contractkit.documents import DocumentKey

from helpers import LIDAR

WAIT = 120.0


@dataclass
class Loop:
    """A ``run_watch`` in a thread: the lines it echoes and the bundles it reports."""

    stop: threading.Event = field(default_factory=threading.Event)
    lines: queue.Queue[str] = field(default_factory=queue.Queue)
    reports: list[list[str]] = field(default_factory=list)

    def until(self, prefix: str) -> list[str]:
        """The lines echoed up to and including the next one starting with ``prefix``."""
        deadline = time.monotonic() + WAIT
        echoed: list[str] = []
        while True:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                pytest.fail(f"no line starting {prefix!r} within {WAIT} s; got {echoed}")
            echoed.append(line)
            if line.startswith(prefix):
                return echoed


@pytest.fixture
def specs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding the LIDAR spec, with tmp_path as the working folder."""
    stub_renderers(monkeypatch)
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "specs"
    folder.mkdir()
    shutil.copy(LIDAR, folder / "lidar.yaml")
    return folder


def _options(tmp_path: Path, jobs: int = 1) -> BuildOptions:
    return BuildOptions(
        out=tmp_path / "out", only=(DocumentKey.nda,), formats=("docx",), jobs=jobs, redline=False
    )


StartLoop = Callable[..., Loop]


@pytest.fixture
def start_loop(specs: Path, tmp_path: Path) -> Iterator[StartLoop]:
    """Starts the watch over ``specs``; with ``save_at_start`` the first report saves the spec
    again, as an editor would while the watcher is starting."""
    started: list[tuple[Loop, threading.Thread]] = []

    def start(*, save_at_start: bool = False) -> Loop:
        watching = Loop()
        spec = specs / "lidar.yaml"

        def report(results: list[BundleResult]) -> None:
            if save_at_start and not watching.reports:
                text = spec.read_text(encoding="utf-8")
                spec.write_text(text.replace("Luzon Data", "Luzon Labs"), encoding="utf-8")
            watching.reports.append([f"{r.engagement}: {r.status}" for r in results])

        thread = threading.Thread(
            target=run_watch,
            args=([specs], _options(tmp_path), report, watching.lines.put, watching.stop),
        )
        thread.start()
        started.append((watching, thread))
        return watching

    yield start
    for watching, thread in started:
        watching.stop.set()
        thread.join(timeout=WAIT)
        assert not thread.is_alive()


def test_a_save_while_the_watch_starts_is_built_at_once(
    start_loop: StartLoop, tmp_path: Path
) -> None:
    loop = start_loop(save_at_start=True)
    first = loop.until("watch: rebuilt in ")
    assert first[0] == "watch: changed specs/lidar.yaml"
    assert first[-1].endswith("; waiting for changes")
    assert ", rendering " in first[-1]
    assert loop.reports == [["orbital-lidar-2027: built"], ["orbital-lidar-2027: built"]]
    bundle = tmp_path / "out" / "orbital-lidar-2027"
    assert (bundle / "nda.docx").read_bytes().startswith(b"nda.docx rendered from ")
    manifest = json.loads((bundle / "internal" / "manifest.json").read_text(encoding="utf-8"))
    saved = (tmp_path / "specs" / "lidar.yaml").read_bytes()
    assert b"Luzon Labs" in saved
    assert manifest["spec"]["sha256"] == hashlib.sha256(saved).hexdigest()
    loop.stop.set()
    assert loop.until("watch: stopped") == ["watch: stopped"]


def test_what_a_watch_keeps_is_set_aside_between_rebuilds_and_released_when_it_stops(
    start_loop: StartLoop,
) -> None:
    assert gc.get_freeze_count() == 0
    loop = start_loop()
    loop.until("watch: waiting for changes")
    assert gc.get_freeze_count() > 0  # kept out of the collections a rebuild makes
    loop.stop.set()
    loop.until("watch: stopped")
    assert gc.get_freeze_count() == 0


def test_a_folder_left_without_specs_is_reported_and_watched_on(
    start_loop: StartLoop, specs: Path
) -> None:
    loop = start_loop()
    assert loop.until("watch: waiting for changes") == [
        "watch: waiting for changes (Ctrl-C to stop)"
    ]
    assert loop.reports == [["orbital-lidar-2027: built"]]
    spec = specs / "lidar.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.unlink()
    refused = loop.until("watch: rebuilt in ")
    assert refused[0] == "watch: changed specs/lidar.yaml"
    assert refused[1:-1] == [
        f"contractkit: {specs}: no spec files (*.yaml, *.yml, *.json) in this folder"
    ]
    assert len(loop.reports) == 1
    spec.write_text(text.replace("Luzon Data", "Luzon Works"), encoding="utf-8")
    rebuilt = loop.until("watch: rebuilt in ")
    assert rebuilt[0] == "watch: changed specs/lidar.yaml"
    assert loop.reports[-1] == ["orbital-lidar-2027: built"]


def test_warm_workers_serve_every_build_until_closed(specs: Path, tmp_path: Path) -> None:
    workers = WarmWorkers()
    options = _options(tmp_path, jobs=2)
    try:
        first = build([specs], options, render_queue=workers.queue())
        pool = workers.pool
        assert pool is not None
        (specs / "lidar.yaml").write_text(
            LIDAR.read_text(encoding="utf-8").replace("Luzon Data", "Luzon Labs"), "utf-8"
        )
        second = build([specs], options, render_queue=workers.queue())
        assert workers.pool is pool
    finally:
        workers.close()
    assert workers.pool is None
    assert [r.status for r in (*first, *second)] == ["built", "built"]


def test_the_changes_are_named_once_each_relative_to_the_working_folder(
    specs: Path, tmp_path: Path
) -> None:
    watched = Watched([specs], _options(tmp_path))
    spec = str(specs / "lidar.yaml")
    other = "/elsewhere/library/msa/term.md"
    changes = {(Change.modified, spec), (Change.deleted, spec), (Change.added, other)}
    assert watched.describe(changes) == f"{other}, specs/lidar.yaml"


def test_a_watched_spec_folder_hears_specs_and_evidence_only(specs: Path, tmp_path: Path) -> None:
    evidence = tmp_path / "records" / "lidar.evidence.yaml"
    evidence.parent.mkdir()
    evidence.write_text("", encoding="utf-8")
    options = BuildOptions(out=specs / "out", evidence=evidence, libraries=(tmp_path / "lib",))
    watched = Watched([specs], options)
    assert watched.folders() == [specs.resolve(), evidence.parent.resolve()]
    root = specs.resolve()
    heard = {
        str(root / "other.yml"): True,
        str(root / "data.json"): True,
        str(root / ".lidar.yaml.swp"): False,
        str(root / ".hidden.yaml"): False,
        str(root / "notes.txt"): False,
        str(root / "out" / "orbital-lidar-2027" / "spec.yaml"): False,
        str(evidence.resolve()): True,
        str(evidence.parent.resolve() / "other.evidence.yaml"): False,
    }
    assert {name: watched.relevant(Change.modified, name) for name in heard} == heard
    fingerprint = watched.fingerprint()
    assert {Path(name).name for name, _, _ in fingerprint} == {"lidar.yaml", evidence.name}
