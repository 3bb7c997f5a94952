"""A bundle's bytes do not depend on where contractkit is installed: the trees and the manifest
name built-in clause files by their place in the library, not by an absolute path."""

from __future__ import annotations

import json
from pathlib import Path

from contractkit.resources import data_dir, recorded_source


def test_trees_and_manifest_name_built_in_clauses_by_library_path(
    bundles: dict[str, Path],
) -> None:
    bundle = bundles["reference"]
    library = str(data_dir("clauses").resolve())
    internal = [p for p in (bundle / "internal").rglob("*") if p.suffix in (".json", ".md")]
    assert internal
    for path in internal:
        assert library not in path.read_text(encoding="utf-8"), path
    manifest = json.loads((bundle / "internal" / "manifest.json").read_text(encoding="utf-8"))
    sources = {c["source"] for d in manifest["documents"] for c in d["clauses"]}
    assert "built-in:nda/purpose.md" in sources
    assert all(s.startswith("built-in:") for s in sources)
    tree = json.loads((bundle / "internal" / "trees" / "nda.json").read_text(encoding="utf-8"))
    first = tree["articles"][1]["clauses"][0]["source"] if tree["articles"][1]["clauses"] else ""
    assert first.startswith("built-in:nda/")


def test_an_overlay_file_is_recorded_as_given(tmp_path: Path) -> None:
    overlay = tmp_path / "firm" / "msa" / "fees.md"
    assert recorded_source(str(overlay)) == str(overlay)
    built_in = data_dir("clauses") / "msa" / "fees.md"
    assert recorded_source(str(built_in)) == "built-in:msa/fees.md"
