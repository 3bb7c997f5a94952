"""Ctrl-C and SIGTERM during a build, in the build's own process: each stops the build with its
own exception, except inside a critical section (a bundle being moved into place), where the
signal waits for the section to end; the previous handlers come back afterwards."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator

import pytest

from contractkit.interrupt import (
    TERMINATED_EXIT,
    Terminated,
    critical,
    reset_in_worker,
    stop_on_signals,
)


@pytest.fixture(autouse=True)
def handlers() -> Iterator[None]:
    """The process's SIGTERM and SIGINT handlers, put back whatever a test does."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def test_sigterm_raises_terminated_and_the_exit_status_is_143() -> None:
    with pytest.raises(Terminated) as raised, stop_on_signals():
        signal.raise_signal(signal.SIGTERM)
    assert raised.value.args == (signal.SIGTERM,)
    assert not isinstance(raised.value, Exception)
    assert TERMINATED_EXIT == 143


def test_ctrl_c_raises_keyboard_interrupt() -> None:
    with pytest.raises(KeyboardInterrupt), stop_on_signals():
        signal.raise_signal(signal.SIGINT)


def test_the_previous_handlers_are_back_after_the_build() -> None:
    before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    with stop_on_signals():
        assert signal.getsignal(signal.SIGTERM) is not before[signal.SIGTERM]
    assert {s: signal.getsignal(s) for s in before} == before


def test_a_signal_inside_a_critical_section_waits_for_its_end() -> None:
    done: list[str] = []
    with pytest.raises(Terminated), stop_on_signals():
        with critical():
            signal.raise_signal(signal.SIGTERM)
            done.append("moved into place")
        done.append("after the section")
    assert done == ["moved into place"]


def test_nested_sections_hold_the_first_signal_until_the_outermost_ends() -> None:
    done: list[str] = []
    with pytest.raises(KeyboardInterrupt), stop_on_signals():
        with critical():
            with critical():
                signal.raise_signal(signal.SIGINT)
                signal.raise_signal(signal.SIGTERM)
            done.append("inner section ended")
        done.append("outer section ended")
    assert done == ["inner section ended"]
    with stop_on_signals(), critical():
        done.append("a later section runs with nothing pending")
    assert done[-1] == "a later section runs with nothing pending"


def test_a_section_without_a_signal_raises_nothing() -> None:
    with stop_on_signals(), critical():
        pass
    with critical():
        pass


def test_outside_the_main_thread_no_handler_is_installed() -> None:
    seen: list[object] = []

    def build() -> None:
        with stop_on_signals():
            seen.append(signal.getsignal(signal.SIGTERM))

    before = signal.getsignal(signal.SIGTERM)
    thread = threading.Thread(target=build)
    thread.start()
    thread.join(timeout=30)
    assert seen == [before]


def test_a_render_worker_ignores_ctrl_c_and_dies_on_sigterm() -> None:
    reset_in_worker()
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
