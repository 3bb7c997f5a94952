"""SIGTERM and Ctrl-C during a build: stop cleanly, but never in the middle of a commit.

While ``stop_on_signals`` is active, SIGTERM raises ``Terminated`` and SIGINT raises
``KeyboardInterrupt`` in the main thread, so the render queue stops its workers and staging
folders are removed on the way out. Inside ``critical()`` (a bundle being moved into place) the
signal is held and raised as soon as the section ends.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

TERMINATED_EXIT = 128 + signal.SIGTERM


class Terminated(BaseException):
    """The build was asked to stop (SIGTERM); not an Exception, so no handler swallows it."""


_held = 0
_pending: list[int] = []


def _raise_for(signum: int) -> None:
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Terminated(signum)


def _handler(signum: int, frame: FrameType | None) -> None:
    if _held:
        _pending.append(signum)
        return
    _raise_for(signum)


@contextlib.contextmanager
def critical() -> Iterator[None]:
    """Hold SIGTERM and SIGINT until the section ends, then act on them."""
    global _held
    _held += 1
    try:
        yield
    finally:
        _held -= 1
        if not _held and _pending:
            signum = _pending[0]
            _pending.clear()
            _raise_for(signum)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM into ``Terminated`` (and SIGINT into KeyboardInterrupt) while active."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _handler) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _pending.clear()


def reset_in_worker() -> None:
    """A forked render worker leaves stopping to the build: it ignores Ctrl-C and dies on
    SIGTERM, instead of running the build's handlers."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
