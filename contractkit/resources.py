"""Where the shipped clause library, templates and examples live, installed or in a checkout."""

from __future__ import annotations

import functools
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder ``name`` (clauses, templates, examples) shipped with contractkit."""
    installed = PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return PACKAGE.parent / name


def example_names() -> list[str]:
    """Names of the shipped example specs, for ``init --example`` (their evidence files,
    ``<name>.evidence.yaml``, are not examples of their own)."""
    return sorted(
        p.stem for p in data_dir("examples").glob("*.yaml") if not p.stem.endswith(".evidence")
    )


def example_path(name: str) -> Path:
    """The file of a shipped example."""
    return data_dir("examples") / f"{name}.yaml"


@functools.lru_cache(maxsize=8192)
def recorded_source(path: str) -> str:
    """A clause file's path as a bundle records it: a built-in file as ``built-in:<path in the
    library>``, so a bundle's bytes do not depend on where contractkit is installed; an overlay
    file as it was given."""
    try:
        inside = Path(path).resolve().relative_to(_builtin_clauses())
    except ValueError:
        return path
    return f"built-in:{inside.as_posix()}"


@functools.cache
def _builtin_clauses() -> Path:
    return data_dir("clauses").resolve()
