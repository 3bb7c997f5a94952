"""Redlines between bundles: the trees a build keeps, and what changed in each document.

A build stores each document's tree under ``internal/trees/``; a later build, or ``contractkit
redline OLD NEW``, compares those trees rather than the rendered files, so a redline costs a
comparison and one rendering of the changed documents.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contractkit.build.manifest import MANIFEST, read_manifest, recorded_files, verify
from contractkit.build.reports import INTERNAL
from contractkit.errors import RefusedError
from contractkit.redline import treejson
from contractkit.redline.model import BuildInfo, Comparison, Redline
from contractkit.redline.treejson import TREES
from contractkit.render.house import HouseTemplates
from contractkit.tree import DocumentTree

REDLINES = f"{INTERNAL}/redline"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def describe(redline: Redline) -> str:
    """``2 clauses changed, 3 insertions, 2 deletions`` (insertions and deletions in words)."""
    clauses = len(redline.changed_clauses)
    parts = [c.title.lower() for c in redline.changes if "." not in c.clause]
    changed = [_plural(clauses, "clause")] if clauses or not parts else []
    changed += [f"the {p}" for p in parts]
    listed = changed[0] if len(changed) == 1 else ", ".join(changed[:-1]) + " and " + changed[-1]
    return (
        f"{listed} changed, {_plural(redline.insertions, 'insertion')}, "
        f"{_plural(redline.deletions, 'deletion')}"
    )


@dataclass
class DocumentRedline:
    """One document's redline: the files written for it, and whether its DOCX was edited."""

    key: str
    redline: Redline | None
    files: list[str] = field(default_factory=list)
    hand_edited: tuple[str, ...] = ()
    only_in: str = ""

    def line(self, shown: str) -> str:
        """The line a build or ``contractkit redline`` prints; ``shown`` names the first file."""
        if self.redline is None:
            side = "the earlier" if self.only_in == "old" else "the later"
            return f"redline: {self.key}: only in {side} bundle, nothing to compare"
        text = f"redline: {shown} — {describe(self.redline)}"
        if self.hand_edited:
            text += (
                f" (edited by hand since built: {', '.join(self.hand_edited)}; this compares "
                "the generated documents)"
            )
        return text

    def to_json(self) -> list[dict[str, Any]]:
        if self.redline is None:
            change = "removed" if self.only_in == "old" else "added"
            return [
                {
                    "document": self.key,
                    "clause": None,
                    "section": None,
                    "change": change,
                    "insertions": 0,
                    "deletions": 0,
                }
            ]
        return [c.to_json() for c in self.redline.changes]


def stored_trees(folder: Path) -> dict[str, DocumentTree]:
    """The document trees a bundle keeps, by document key; refuses a folder that is no bundle."""
    manifest = read_manifest(folder)
    if not manifest:
        raise RefusedError.at(
            folder, f"not a bundle written by contractkit build (no readable {MANIFEST})"
        )
    recorded = recorded_files(manifest)
    names = sorted(n for n in recorded if n.startswith(f"{TREES}/"))
    if not names:
        raise RefusedError.at(
            folder / MANIFEST,
            f"this bundle keeps no document trees ({TREES}/): it was built by an earlier "
            "contractkit; build it again to compare it",
        )
    trees: dict[str, DocumentTree] = {}
    for name in names:
        path = folder / name
        if path.is_symlink() or not path.is_file():
            raise RefusedError.at(path, "the stored tree is missing; build the bundle again")
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != recorded[name].get("sha256"):
            raise RefusedError.at(
                path, "the stored tree changed since contractkit wrote it; build the bundle again"
            )
        tree = treejson.load(data, str(path))
        trees[tree.key] = tree
    listed = [d.get("key") for d in manifest.get("documents", []) if isinstance(d, dict)]
    order = {key: index for index, key in enumerate(listed)}
    return dict(sorted(trees.items(), key=lambda item: order.get(item[0], len(order))))


def build_info(folder: Path, tree: DocumentTree, label: str | None = None) -> BuildInfo:
    """One side of a comparison: the bundle's name, its spec's hash and the build's date."""
    spec = read_manifest(folder).get("spec", {})
    digest = spec.get("sha256", "") if isinstance(spec, dict) else ""
    return BuildInfo(label or folder.name, str(digest), tree.metadata.get("timestamp", ""))


def hand_edited(folder: Path) -> list[str]:
    """The documents of ``folder`` (not its internal files) changed since contractkit wrote them."""
    try:
        changed = verify(folder).changed
    except RefusedError:
        return []
    return [name for name in changed if "/" not in name]


def _of(stem: str, names: list[str]) -> list[str]:
    return [n for n in names if Path(n).stem == stem]


def summary_json(redlines: list[DocumentRedline]) -> str:
    """Every changed clause of every document, as the ``--json`` output prints them."""
    rows = [row for r in redlines for row in r.to_json()]
    return json.dumps(rows, indent=2)


@dataclass
class BundleComparison:
    """What ``contractkit redline OLD NEW`` found and wrote."""

    folder: Path
    documents: list[DocumentRedline]
    written: list[Path] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.documents)


def default_folder(old: Path, new: Path) -> Path:
    """``NEW/internal/redline-vs-<old id>``, or the old folder's name for the same engagement."""
    old_id = read_manifest(old).get("engagement")
    same = not isinstance(old_id, str) or old_id == read_manifest(new).get("engagement")
    name = old.resolve().name if same else str(old_id)
    return new / INTERNAL / f"redline-vs-{name}"


def compare_bundles(
    old: Path,
    new: Path,
    out: Path | None,
    only: tuple[str, ...] | None,
    formats: tuple[str, ...],
    templates: HouseTemplates,
) -> BundleComparison:
    """Redline every document the two bundles share; nothing is written unless all rendered."""
    from contractkit.redline.diff import compare
    from contractkit.redline.renderers import render_redline

    before, after = stored_trees(old), stored_trees(new)
    folder = out or default_folder(old, new)
    keys = [k for k in [*after, *(k for k in before if k not in after)] if not only or k in only]
    documents: list[DocumentRedline] = []
    files: dict[Path, bytes] = {}
    edited_old, edited_new = hand_edited(old), hand_edited(new)
    for key in keys:
        if key not in before or key not in after:
            documents.append(DocumentRedline(key, None, only_in="new" if key in after else "old"))
            continue
        redline = compare(before[key], after[key])
        if not redline.changed:
            continue
        stem = after[key].stem
        edited = [f"{old.name}/{n}" for n in _of(stem, edited_old)]
        edited += [f"{new.name}/{n}" for n in _of(stem, edited_new)]
        comparison = Comparison(
            build_info(old, before[key]), build_info(new, after[key]), tuple(edited)
        )
        report = DocumentRedline(key, redline, hand_edited=tuple(edited))
        for kind in formats:
            path = folder / f"{stem}.{kind}"
            files[path] = render_redline(kind, redline, comparison, templates)
            report.files.append(str(path))
        documents.append(report)
    written = []
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return BundleComparison(folder, documents, written)
