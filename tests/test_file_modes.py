"""Files written by ``checklist -o`` and ``init`` get the permissions ``build``'s files get."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REFERENCE, RunCli


@pytest.fixture
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("usual_umask")
def test_checklist_output_and_init_are_0644_like_build(tmp_path: Path, run_cli: RunCli) -> None:
    built = run_cli("build", REFERENCE, "-o", tmp_path / "out", "--only", "nda", "--format", "docx")
    assert built.exit_code == 0, built.stderr
    assert mode(tmp_path / "out" / "acme-nimbus-2027" / "nda.docx") == 0o644
    for fmt in ("md", "csv"):
        target = tmp_path / f"checklist.{fmt}"
        result = run_cli("checklist", REFERENCE, "--format", fmt, "-o", target)
        assert result.exit_code == 0, result.stderr
        assert oct(mode(target)) == oct(0o644)
    started = run_cli("init", tmp_path / "engagement.yaml")
    assert started.exit_code == 0, started.stderr
    assert oct(mode(tmp_path / "engagement.yaml")) == oct(0o644)


def test_a_stricter_umask_is_respected(tmp_path: Path, run_cli: RunCli) -> None:
    previous = os.umask(0o077)
    try:
        result = run_cli("checklist", REFERENCE, "-o", tmp_path / "checklist.md")
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.stderr
    assert oct(mode(tmp_path / "checklist.md")) == oct(0o600)
