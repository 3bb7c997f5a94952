"""``verify OUT`` on the output folder of a batch verifies every bundle in it."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import RunCli
from helpers import copy_bundle


def files_of(bundle: Path) -> int:
    manifest = json.loads((bundle / "internal" / "manifest.json").read_text(encoding="utf-8"))
    return len(manifest["files"])


def test_verify_checks_each_bundle_of_a_folder_of_bundles(
    bundles: dict[str, Path], tmp_path: Path, run_cli: RunCli
) -> None:
    out = tmp_path / "out"
    copies = {name: copy_bundle(folder, out) for name, folder in sorted(bundles.items())}
    (out / "notes").mkdir()
    ordered = sorted(copies.values())

    clean = run_cli("verify", out)
    assert clean.exit_code == 0, clean.stderr
    assert clean.stdout == ""
    assert clean.stderr.splitlines() == [
        *(f"verify: {files_of(b)} files as generated in {b}" for b in ordered),
        f"verify: 3 bundles in {out}, 0 with files that differ from generation",
    ]

    edited = copies["lidar-project"] / "msa.docx"
    edited.write_bytes(edited.read_bytes() + b"counsel")
    changed = run_cli("verify", out)
    assert changed.exit_code == 3
    assert changed.stdout.splitlines() == [f"changed: {edited}"]
    assert (
        f"verify: 1 of {files_of(edited.parent)} files differ from generation in {edited.parent}"
    ) in changed.stderr.splitlines()
    assert changed.stderr.splitlines()[-1] == (
        f"verify: 3 bundles in {out}, 1 with files that differ from generation"
    )


def test_verify_refuses_a_folder_with_no_bundle(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    result = run_cli("verify", tmp_path / "empty")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'empty'}: no internal/manifest.json in it or in any folder directly "
        "inside it; this is not a bundle contractkit built, nor a folder of bundles"
    ]
