"""Shared pieces of the fault tests: real ``contractkit`` processes, hooks into them, snapshots."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import contractkit.build.scheduler as scheduler_module
from contractkit.build import Output

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "examples" / "reference.yaml"
ENGAGEMENT = "acme-nimbus-2027"
# A quick real build: Word files only, no redlines.
QUICK = ("--format", "docx", "--no-redline")
# For hook_folder: a build that stops for PAUSE_SECONDS before moving PAUSE_BEFORE into place
# (after writing PAUSED_FILE), so a test can kill it or run something beside it right there.
PAUSE = """
import os, pathlib, time
if os.environ.get("PAUSE_BEFORE"):
    import contractkit.build.commit as commit
    real = commit._install
    def paused(root, stage, change):
        if change.path == os.environ["PAUSE_BEFORE"]:
            pathlib.Path(os.environ["PAUSED_FILE"]).write_text(change.path)
            time.sleep(float(os.environ["PAUSE_SECONDS"]))
        real(root, stage, change)
    commit._install = paused
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (links as their target text) by relative path."""
    files: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            files[name] = b"link:" + str(path.readlink()).encode()
        elif path.is_file():
            files[name] = path.read_bytes()
    return files


def leftovers(folder: Path) -> list[str]:
    """Staging folders, partial backups and temporary copies left anywhere in a bundle."""
    marks = (".contractkit-staging-", ".contractkit-partial-", ".contractkit-tmp-")
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.name.startswith(marks))


def stub_renderers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Render every output as a short text naming its key: assembly and writing stay real."""

    def fake(output: Output, templates: object) -> bytes:
        if output.data is not None:
            return output.data
        return f"{output.name} rendered from {output.key}\n".encode()

    monkeypatch.setattr(scheduler_module, "render_output", fake)


def spec_titled(folder: Path, title: str, name: str = "engagement.yaml") -> Path:
    """The reference spec with another engagement title (every document prints it)."""
    text = REFERENCE.read_text(encoding="utf-8")
    old = "title: Medical imaging and clinical text annotation services"
    assert text.count(old) == 1
    path = folder / name
    path.write_text(text.replace(old, f"title: {title}"), encoding="utf-8")
    return path


def hook_folder(tmp_path: Path, code: str) -> Path:
    """A folder with a ``sitecustomize`` running ``code`` at the start of every process that
    has it on PYTHONPATH: how a test reaches into a real ``python -m contractkit`` run."""
    folder = tmp_path / "hook"
    folder.mkdir(exist_ok=True)
    (folder / "sitecustomize.py").write_text(textwrap.dedent(code), encoding="utf-8")
    return folder


def contractkit_env(hook: Path | None = None, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if hook is not None:
        env["PYTHONPATH"] = str(hook)
    env.update(extra)
    return env


def start(
    args: list[str | Path],
    cwd: Path,
    env: dict[str, str] | None = None,
    *,
    max_file_size: int | None = None,
) -> subprocess.Popen[str]:
    """``python -m contractkit ARGS`` as a separate process.

    ``max_file_size`` makes every write past that many bytes in a file fail, as a full disk
    makes it fail.
    """

    def limit() -> None:
        if max_file_size is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_size, max_file_size))

    return subprocess.Popen(
        [sys.executable, "-m", "contractkit", *map(str, args)],
        cwd=cwd,
        env=env or contractkit_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=limit if max_file_size is not None else None,
    )


def run(
    args: list[str | Path],
    cwd: Path,
    env: dict[str, str] | None = None,
    *,
    max_file_size: int | None = None,
) -> subprocess.CompletedProcess[str]:
    process = start(args, cwd, env, max_file_size=max_file_size)
    out, err = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def wait_for(condition: Callable[[], bool], timeout: float = 120, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for its reaper counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
