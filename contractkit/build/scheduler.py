"""The render queue: outputs go to worker processes, each bundle is written when its last is done.

With ``--jobs`` above one, worker processes are forked and warmed up (each format's slow imports
and font loading done) before the first spec is assembled, so assembly and start-up overlap.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from contractkit import render
from contractkit.build.manifest import reusable, write_bundle
from contractkit.build.plan import BuildOptions, BundlePlan, BundleResult, Output
from contractkit.errors import ContractkitError, Location, Problem
from contractkit.interrupt import reset_in_worker
from contractkit.render.house import HouseTemplates

Progress = Callable[[str, int, int], None]
"""Told (file rendered, how many so far, how many in all) after each rendering."""


def render_output(output: Output, templates: HouseTemplates) -> bytes:
    """The bytes of one output (runs in a worker process when --jobs > 1)."""
    if output.data is not None:
        return output.data
    if output.redline is not None and output.comparison is not None:
        from contractkit.redline.renderers import render_redline

        return render_redline(output.kind, output.redline, output.comparison, templates)
    assert output.tree is not None
    return render.renderer(output.kind).render(output.tree, templates)


def _render_in_worker(output: Output, templates: HouseTemplates) -> bytes:
    """render_output for a worker process: every failure comes back as a ContractkitError."""
    try:
        return render_output(output, templates)
    except ContractkitError:
        raise
    except Exception as exc:
        raise ContractkitError(
            f"could not render {output.name}: {type(exc).__name__}: {exc}"
        ) from None


PR_SET_PDEATHSIG = 1


def _exit_with_parent(parent: int) -> None:
    """Make this worker exit as soon as the build process that started it is gone.

    On Linux the kernel kills it (``PR_SET_PDEATHSIG``); elsewhere a thread watches the parent
    process id. Either way a killed build leaves no worker running.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
        if armed:
            if os.getppid() != parent:  # the build died before the request took effect
                os._exit(1)
            return
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(1)


def _start_worker(kinds: tuple[str, ...], parent: int) -> None:
    """Tie the worker's life to the build's, then warm it up (a failure here is left for the
    first real render to report)."""
    _exit_with_parent(parent)
    reset_in_worker()
    for kind in kinds:
        with contextlib.suppress(Exception):
            render.renderer(kind).warm_up()


def _ready() -> None:
    """A no-op task: submitting one per worker starts the workers before any plan exists."""


@dataclass
class QueuedBundle:
    """A bundle whose outputs are being rendered, and what came back so far."""

    plan: BundlePlan
    result: BundleResult
    rendered: dict[str, bytes] = field(default_factory=dict)
    remaining: int = 0
    failed: bool = False
    crashed: bool = False


class RenderQueue:
    """Renders outputs and writes each bundle as soon as its last output is done.

    The largest outputs go first, so the slowest document does not start last. At most two
    bundles per worker are in flight, so a long batch holds only a few assembled specs in memory.
    """

    def __init__(
        self,
        templates: HouseTemplates,
        options: BuildOptions,
        progress: Progress | None,
        specs: int,
    ) -> None:
        self.templates = templates
        self.options = options
        self.progress = progress
        self.jobs = max(options.jobs, 1)
        self.pool: ProcessPoolExecutor | None = None
        self.running: dict[Future[bytes], tuple[QueuedBundle, Output]] = {}
        self.bundles: list[QueuedBundle] = []
        self.done = 0
        self.total = 0
        self.unplanned = specs
        self.planned = 0

    def __enter__(self) -> RenderQueue:
        if self.jobs > 1:
            self._start_pool()
        return self

    def _start_pool(self) -> None:
        self.pool = ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(self.options.formats, os.getpid()),
        )
        with contextlib.suppress(BrokenProcessPool):  # reported by the first real render
            for _ in range(self.jobs):
                self.pool.submit(_ready)

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                self._wait(until=0)
        finally:
            if self.pool is not None:
                if exc[0] is not None:  # stopped (SIGTERM, Ctrl-C) or failed: no waiting
                    self._stop_workers()
                self.pool.shutdown(wait=True, cancel_futures=True)

    def _stop_workers(self) -> None:
        """End the worker processes now, whatever they are rendering."""
        assert self.pool is not None
        processes = list((self.pool._processes or {}).values())
        for process in processes:
            with contextlib.suppress(OSError):
                process.terminate()
        for process in processes:
            process.join(timeout=5)

    def add(self, plan: BundlePlan, result: BundleResult) -> None:
        """Queue a bundle's outputs that need rendering; write it now if none does."""
        bundle = QueuedBundle(plan, result)
        keep = reusable(plan)
        work = []
        for output in plan.outputs:
            if output.name in keep:
                continue
            if output.data is not None:
                bundle.rendered[output.name] = output.data
            else:
                work.append(output)
        bundle.remaining = len(work)
        self.total += len(work)
        self.skip()
        self.planned += 1
        if not work:
            self._finish(bundle)
            return
        self.bundles.append(bundle)
        for output in sorted(work, key=lambda o: -o.cost):
            if self.pool is None:
                self._record(
                    bundle, output, functools.partial(render_output, output, self.templates)
                )
            else:
                self.running[self._submit(output)] = (bundle, output)

    def skip(self) -> None:
        """Count off a spec as assembled or given up on; the progress total is estimated from
        the specs still to come."""
        self.unplanned -= 1

    def _submit(self, output: Output) -> Future[bytes]:
        """Send an output to a worker; a pool broken by a crashed worker is replaced first.

        The crash fails the outputs that were in flight with it; specs after it still build.
        """
        for _ in range(2):
            assert self.pool is not None
            try:
                return self.pool.submit(_render_in_worker, output, self.templates)
            except BrokenProcessPool:
                self.pool.shutdown(wait=True, cancel_futures=True)
                self._start_pool()
        failed: Future[bytes] = Future()
        failed.set_exception(BrokenProcessPool("the new rendering processes stopped at once"))
        return failed

    def wait_for_room(self) -> None:
        """Block until fewer than two bundles per worker are in flight."""
        self._wait(until=2 * self.jobs - 1)

    def _wait(self, until: int) -> None:
        while self.running and len(self.bundles) > until:
            finished, _ = wait(self.running, return_when=FIRST_COMPLETED)
            for future in finished:
                bundle, output = self.running.pop(future)
                self._record(bundle, output, future.result)

    def _record(self, bundle: QueuedBundle, output: Output, get: Callable[[], bytes]) -> None:
        result = bundle.result
        problems: list[Problem] = []
        where = Location(str(bundle.plan.loaded.path))
        try:
            bundle.rendered[output.name] = get()
        except ContractkitError as exc:
            problems = exc.problems
        except BrokenProcessPool:
            if not bundle.crashed:  # one line per spec, however many of its files were in flight
                bundle.crashed = True
                message = (
                    f"could not render {output.name}: a rendering process stopped unexpectedly "
                    "(killed, or out of memory) while this spec was being rendered"
                )
                problems = [Problem(where, message)]
            bundle.failed = True
        except Exception as exc:  # a renderer's own failure: report it, keep the batch going
            message = f"could not render {output.name}: {type(exc).__name__}: {exc}"
            problems = [Problem(where, message)]
        if problems:
            bundle.failed = True
            result.problems += [p for p in problems if p not in result.problems]
        self.done += 1
        if self.progress:
            expected = self.total + self.unplanned * self.total // max(self.planned, 1)
            self.progress(str(bundle.plan.folder / output.name), self.done, expected)
        bundle.remaining -= 1
        if bundle.remaining == 0:
            self.bundles.remove(bundle)
            self._finish(bundle)

    def _finish(self, bundle: QueuedBundle) -> None:
        """Write a bundle whose outputs are all rendered, then let its bytes go."""
        if not bundle.failed:
            try:
                write_bundle(bundle.plan, bundle.rendered, bundle.result)
            except ContractkitError as exc:
                bundle.result.problems += exc.problems
            except OSError as exc:
                message = f"cannot write: {exc}"
                bundle.result.problems.append(Problem(Location(str(bundle.plan.folder)), message))
        bundle.rendered = {}
        bundle.plan.trees, bundle.plan.outputs = [], []
