"""``contractkit init``: a commented spec to start from, or a copy of a shipped example."""

from __future__ import annotations

from pathlib import Path

from contractkit.errors import RefusedError
from contractkit.fsutil import write_atomic
from contractkit.loader import parse, read_text
from contractkit.resources import example_names, example_path
from contractkit.schema_docs import commented_example


def starter_text(example: str | None = None) -> str:
    """The text ``init`` writes: an example verbatim, or the commented reference spec."""
    if example is not None:
        if example not in example_names():
            names = ", ".join(example_names())
            raise RefusedError(f"unknown example '{example}'; choose one of: {names}")
        return read_text(example_path(example))
    source = example_path("reference")
    doc = parse(read_text(source), str(source))
    return commented_example(doc.data)


def init_spec(target: Path, example: str | None = None) -> Path:
    """Write a starting spec to ``target``; never replaces an existing file."""
    text = starter_text(example)
    if target.exists():
        raise RefusedError.at(target, "already exists; choose another path or remove it first")
    try:
        write_atomic(target, text, exclusive=True)
    except FileExistsError:
        if target.exists():
            raise RefusedError.at(
                target, "already exists; choose another path or remove it first"
            ) from None
        raise RefusedError.at(target, "cannot write: a folder on the path is a file") from None
    except OSError as exc:
        raise RefusedError.at(target, f"cannot write: {exc.strerror}") from None
    return target
