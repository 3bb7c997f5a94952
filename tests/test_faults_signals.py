"""A build killed or terminated: no worker outlives it, nothing is left half-written."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

from faults import (
    PAUSE,
    REFERENCE,
    alive,
    children,
    contractkit_env,
    hook_folder,
    leftovers,
    run,
    start,
    wait_for,
)

STOPPED = "contractkit: stopped by SIGTERM; bundles not yet written were left as they were"


def _batch(folder: Path, count: int) -> Path:
    specs = folder / "specs"
    specs.mkdir()
    text = REFERENCE.read_text(encoding="utf-8")
    for n in range(count):
        spec = text.replace("id: acme-nimbus-2027", f"id: acme-batch-{n}")
        (specs / f"spec-{n}.yaml").write_text(spec, encoding="utf-8")
    return specs


def _workers(pid: int, count: int) -> list[int]:
    wait_for(lambda: len(children(pid)) >= count, what="the render workers")
    return children(pid)


def _all_gone(pids: list[int], within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not any(alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


def test_workers_exit_within_a_second_of_a_killed_build(tmp_path: Path) -> None:
    specs = _batch(tmp_path, 4)
    build = start(["build", specs, "-o", "out", "--jobs", "2"], tmp_path)
    workers = _workers(build.pid, 2)
    time.sleep(1.0)  # the workers are rendering
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    started = time.monotonic()
    assert _all_gone(workers, within=1.0), [p for p in workers if alive(p)]
    assert time.monotonic() - started < 1.0


def test_sigterm_stops_workers_cleans_up_and_exits_143(tmp_path: Path) -> None:
    specs = _batch(tmp_path, 4)
    build = start(["build", specs, "-o", "out", "--jobs", "2", "--json"], tmp_path)
    workers = _workers(build.pid, 2)
    time.sleep(1.0)
    build.send_signal(signal.SIGTERM)
    out, err = build.communicate(timeout=30)
    assert build.returncode == 143
    assert err.splitlines() == [STOPPED]
    assert json.loads(out) == {
        "status": "error",
        "exit_code": 143,
        "errors": [
            {
                "file": None,
                "line": None,
                "column": None,
                "field": None,
                "severity": "error",
                "message": STOPPED.removeprefix("contractkit: "),
                "text": STOPPED.removeprefix("contractkit: "),
            }
        ],
    }
    assert _all_gone(workers, within=1.0)
    for bundle in (tmp_path / "out").glob("*") if (tmp_path / "out").exists() else []:
        assert leftovers(bundle) == []
        assert run(["verify", bundle], tmp_path).returncode == 0


def test_sigterm_during_a_commit_finishes_that_bundle_first(tmp_path: Path) -> None:
    hook = hook_folder(tmp_path, PAUSE)
    paused = tmp_path / "paused"
    env = contractkit_env(hook, PAUSE_BEFORE="nda.docx", PAUSED_FILE=str(paused), PAUSE_SECONDS="2")
    build = start(["build", REFERENCE, "-o", "out", "--format", "docx"], tmp_path, env)
    wait_for(lambda: paused.exists() or build.poll() is not None, what="the paused move")
    build.send_signal(signal.SIGTERM)
    _, err = build.communicate(timeout=60)
    assert build.returncode == 143
    assert err.splitlines() == [STOPPED]
    bundle = tmp_path / "out" / "acme-nimbus-2027"
    assert leftovers(bundle) == []
    checked = run(["verify", bundle], tmp_path)
    assert checked.returncode == 0, checked.stdout
