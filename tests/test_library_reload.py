"""Loading the library again in one process (a watch, a review, lint) reads unchanged files from
the parse cache, yet sees every edit and refuses a broken one at its line each time."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractkit.errors import LibraryError
from contractkit.library import load_library
from contractkit.yamlread import parse_once

from helpers import write_tree

CLAUSE = """
    ---
    id: msa.acceptance
    document: msa
    title: {title}
    version: 7.0.0
    satisfies: [msa.acceptance]
    ---
    The firm's own acceptance text.
    """


def _title(firm: Path) -> str:
    library = load_library((firm,))
    (variant,) = [f for f in library.variants("msa.acceptance") if f.path.is_relative_to(firm)]
    return variant.meta.title


def test_a_reload_sees_each_edit_and_refuses_a_broken_file_every_time(tmp_path: Path) -> None:
    firm = write_tree(tmp_path / "firm", {"acceptance.md": CLAUSE.format(title="First")})
    assert _title(firm) == "First"
    hits = parse_once.cache_info().hits
    assert _title(firm) == "First"
    assert parse_once.cache_info().hits > hits  # the unchanged texts were not parsed again

    write_tree(firm, {"acceptance.md": CLAUSE.format(title="Second")})
    assert _title(firm) == "Second"

    write_tree(firm, {"acceptance.md": CLAUSE.format(title="[unclosed")})
    for _ in range(2):
        with pytest.raises(LibraryError) as raised:
            load_library((firm,))
        assert f"{firm / 'acceptance.md'}:5:8: YAML syntax error" in str(raised.value)
