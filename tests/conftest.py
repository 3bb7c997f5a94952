"""Shared helpers: the shipped reference spec, edits of it written to tmp_path, and the CLI.

Every file a test writes goes under pytest's ``tmp_path``; the fixtures here never write
anywhere else.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from contractkit.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
REFERENCE = EXAMPLES / "reference.yaml"

Edits = Sequence[tuple[str, str]]
WriteSpec = Callable[..., Path]
RunCli = Callable[..., Result]


def apply_edits(text: str, edits: Edits) -> str:
    """``text`` with each ``(old, new)`` replacement made; each ``old`` must occur exactly once."""
    for old, new in edits:
        count = text.count(old)
        assert count == 1, f"{old!r} occurs {count} times; an edit must match exactly once"
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="session")
def reference_text() -> str:
    """The shipped reference spec, as text."""
    return REFERENCE.read_text(encoding="utf-8")


@pytest.fixture
def edit_reference(reference_text: str) -> Callable[[Edits], str]:
    """A function giving the reference spec's text with some replacements made."""

    def edit(edits: Edits) -> str:
        return apply_edits(reference_text, edits)

    return edit


@pytest.fixture
def write_spec(tmp_path: Path, reference_text: str) -> WriteSpec:
    """A function writing a spec into ``tmp_path`` and returning its path.

    ``write_spec(replacements)`` writes the reference spec with the replacements made;
    ``write_spec(text=...)`` writes the given text (or bytes) instead.
    """

    def write(
        replacements: Edits = (),
        *,
        name: str = "engagement.yaml",
        text: str | bytes | None = None,
    ) -> Path:
        path = tmp_path / name
        content = apply_edits(reference_text, replacements) if text is None else text
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


@pytest.fixture
def run_cli() -> RunCli:
    """A function running ``contractkit ARGS...`` in-process, optionally from another folder.

    The result keeps stdout and stderr apart (``result.stdout``, ``result.stderr``).
    """

    def run(*args: str | Path, cwd: Path | None = None) -> Result:
        runner = CliRunner()
        with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
            return runner.invoke(
                main, [str(a) for a in args], prog_name="contractkit", catch_exceptions=False
            )

    return run


@pytest.fixture(scope="session")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every shipped example built once (DOCX, PDF, internal files): name -> bundle folder."""
    from contractkit.build import BuildOptions, build

    out = tmp_path_factory.mktemp("bundles")
    names = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
    results = build([EXAMPLES / f"{n}.yaml" for n in names], BuildOptions(out=out, jobs=2))
    problems = [str(p) for r in results for p in r.problems]
    assert not problems, problems
    return {name: r.folder for name, r in zip(names, results, strict=True) if r.folder}
