"""``contractkit build --watch``: rebuild whenever a spec, a library overlay or a template changes.

For counsel iterating on a spec: the rendering workers are started once and kept warm, so a
rebuild costs the changed documents' own rendering. Changes are collected until the files are
quiet for a moment, so an editor's save (often a write to a temporary file renamed over the
spec) rebuilds once. The spec's parent folder is watched rather than the file, so a save that
replaces the file is seen too. A spec that is momentarily invalid prints its errors and leaves
the last good bundle in place; the next save is built again.
"""

from __future__ import annotations

import contextlib
import gc
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from watchfiles import Change, watch

from contractkit import render
from contractkit.build import BuildOptions, RenderQueue, build, spec_files
from contractkit.build.plan import BundleResult, Output
from contractkit.build.scheduler import QueuedBundle
from contractkit.errors import ContractkitError
from contractkit.library import Library, load_library
from contractkit.uptodate import EVIDENCE_SUFFIXES, SPEC_SUFFIXES, sources_digest

Report = Callable[[list[BundleResult]], None]
Echo = Callable[[str], None]

# Milliseconds without a new change before a rebuild starts, and the longest wait.
QUIET_MS = 20
MOST_MS = 2000
# How long the watcher sleeps between checks with nothing changed (the first check also
# tells that it is listening).
SETTLE_MS = 250


class WarmWorkers:
    """Rendering processes that outlive one build: started by the first, reused by the next.

    A build that is stopped (Ctrl-C) or breaks the pool ends them; the next build starts anew.
    """

    def __init__(self) -> None:
        self.pool: Any = None
        self.rendering = 0.0

    def queue(self) -> type[RenderQueue]:
        """A render queue class that takes these workers instead of starting its own."""
        workers = self

        class WarmQueue(RenderQueue):
            def __enter__(self) -> RenderQueue:
                if self.jobs > 1:
                    if workers.pool is None:
                        self._start_pool()
                    self.pool = workers.pool
                return self

            def _start_pool(self) -> None:
                super()._start_pool()
                workers.pool = self.pool

            def _record(
                self, bundle: QueuedBundle, output: Output, get: Callable[[], bytes]
            ) -> None:
                def timed() -> bytes:
                    start = time.perf_counter()
                    try:
                        return get()
                    finally:
                        workers.rendering += time.perf_counter() - start

                super()._record(bundle, output, timed)

            def __exit__(self, *exc: object) -> None:
                if exc[0] is not None:
                    workers.pool = None
                    super().__exit__(*exc)
                    return
                kept, self.pool = self.pool, None
                try:
                    super().__exit__(*exc)
                finally:
                    workers.pool = kept

        return WarmQueue

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


class KeptLibrary:
    """The clause library, loaded again only when one of its files changed."""

    def __init__(self) -> None:
        self.digest = ""
        self.library: Library | None = None

    def __call__(self, layers: tuple[Path, ...]) -> Library:
        digest = sources_digest(layers, ())
        if self.library is None or digest != self.digest:
            self.library, self.digest = load_library(layers), digest
        return self.library


class Watched:
    """The files a watch rebuilds for, and the folders it listens to for them."""

    def __init__(self, paths: Sequence[Path], options: BuildOptions) -> None:
        self.spec_folders = {p.resolve() for p in paths if p.is_dir()}
        self.specs = {p.resolve() for p in paths if not p.is_dir()}
        self.libraries = [p.resolve() for p in options.libraries]
        self.templates = options.templates.resolve() if options.templates else None
        self.out = options.out.resolve()
        self.evidence = options.evidence.resolve() if options.evidence else None

    def folders(self) -> list[Path]:
        """Existing folders to listen to: each spec's folder, each library, the templates."""
        wanted = [
            *self.spec_folders,
            *(p.parent for p in self.specs),
            *self.libraries,
            *([self.templates] if self.templates else []),
            *([self.evidence.parent] if self.evidence else []),
        ]
        found: list[Path] = []
        for folder in wanted:
            if folder.is_dir() and folder not in found:
                found.append(folder)
        return found

    def relevant(self, change: Change, name: str) -> bool:
        path = Path(name)
        if path == self.out or self.out in path.parents:
            return False
        if path in self.specs or path == self.evidence:
            return True
        if any(path == s.with_name(s.stem + e) for s in self.specs for e in EVIDENCE_SUFFIXES):
            return True
        if path.parent == self.templates:
            return path.name in render.template_names()
        if path.parent in self.spec_folders and path.suffix in SPEC_SUFFIXES:
            return not path.name.startswith(".")
        return any(lib in path.parents for lib in self.libraries)

    def fingerprint(self) -> set[tuple[str, int, int]]:
        """Name, time and size of every file a rebuild reads, to notice a change made while
        the watcher was being set up."""
        found = set()
        for folder in self.folders():
            deep = any(folder == lib or lib in folder.parents for lib in self.libraries)
            for path in folder.rglob("*") if deep else folder.iterdir():
                if path.is_file() and self.relevant(Change.modified, str(path)):
                    status = path.stat()
                    found.add((str(path), status.st_mtime_ns, status.st_size))
        return found

    def describe(self, changes: Iterable[tuple[Change, str]]) -> str:
        """The changed files, each once, relative to the working folder where possible."""
        names: list[str] = []
        for _, name in sorted(changes, key=lambda c: c[1]):
            with contextlib.suppress(ValueError):
                name = str(Path(name).relative_to(Path.cwd()))
            if name not in names:
                names.append(name)
        return ", ".join(names)


def _build(
    paths: Sequence[Path],
    options: BuildOptions,
    workers: WarmWorkers,
    library: KeptLibrary,
    echo: Echo,
) -> list[BundleResult] | None:
    """One build; a refusal of the whole batch is printed and the watch goes on."""
    try:
        return build(paths, options, render_queue=workers.queue(), libraries=library)
    except ContractkitError as exc:
        for problem in exc.problems:
            echo(str(problem))
        return None


def _settle() -> None:
    """Collect garbage while waiting for a change, and set what survives aside from the
    collections made during the next rebuild, which would otherwise scan the modules and the
    library a watch keeps again and again. Everything is unfrozen first, so what the last
    rebuild left behind is collected too."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def run_watch(
    paths: Sequence[Path],
    options: BuildOptions,
    report: Report,
    echo: Echo,
    stop: threading.Event | None = None,
) -> None:
    """Build every spec, then rebuild on each change until Ctrl-C (or ``stop`` is set)."""
    spec_files(paths)  # a folder without specs is refused before anything starts
    watched = Watched(paths, options)
    workers, library = WarmWorkers(), KeptLibrary()
    try:
        before = watched.fingerprint()
        results = _build(paths, options, workers, library, echo)
        if results is not None:
            report(results)
        _settle()
        listening = False
        for changes in watch(
            *watched.folders(),
            watch_filter=watched.relevant,
            debounce=MOST_MS,
            step=QUIET_MS,
            stop_event=stop,
            rust_timeout=SETTLE_MS,
            yield_on_timeout=True,
            raise_interrupt=True,
        ):
            if not listening:  # the first wake-up: changes from now on are seen
                listening = True
                now = watched.fingerprint()
                if now == before:
                    echo("watch: waiting for changes (Ctrl-C to stop)")
                    continue
                changes = changes or {(Change.modified, name) for name, _, _ in now ^ before}
            if not changes:
                continue
            echo(f"watch: changed {watched.describe(changes)}")
            start, workers.rendering = time.perf_counter(), 0.0
            results = _build(paths, options, workers, library, echo)
            if results is not None:
                report(results)
            took = f"{time.perf_counter() - start:.2f} s"
            if options.jobs == 1:  # rendered here, so timed here
                took += f", rendering {workers.rendering:.2f} s"
            echo(f"watch: rebuilt in {took}; waiting for changes")
            _settle()
    except KeyboardInterrupt:
        pass
    finally:
        workers.close()
        gc.unfreeze()
    echo("watch: stopped")
