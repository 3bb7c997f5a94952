"""Redlines on rebuild: each document that changed since the bundle's last build gets one.

The previous build's trees are still on disk when a build is planned, so each new tree is
compared with the one it replaces; a changed document gets ``internal/redline/<stem>.<format>``
as outputs like any other, and a redline left from an older build of a document built now is
removed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from contractkit import render
from contractkit.build.manifest import edited_files, read_manifest, recorded_files
from contractkit.build.plan import BundlePlan, Output, file_sha, sha
from contractkit.errors import ContractkitError
from contractkit.redline import treejson
from contractkit.redline.bundle import REDLINES, DocumentRedline
from contractkit.redline.diff import compare
from contractkit.redline.model import BuildInfo, Comparison
from contractkit.redline.renderers import redline_formats
from contractkit.tree import DocumentTree

# A redline prints a few pages where its document prints dozens.
REDLINE_COST_DIVISOR = 10


def _stored(folder: Path, entry: dict[str, Any] | None) -> DocumentTree | None:
    """The previous build's tree, if it is still as that build wrote it and this one reads it."""
    if entry is None:
        return None
    path = folder / str(entry["path"])
    if not path.is_file() or file_sha(path) != entry.get("sha256"):
        return None
    try:
        return treejson.load(path.read_bytes(), str(path))
    except ContractkitError:
        return None


def plan_redlines(
    plan: BundlePlan, formats: tuple[str, ...], template_keys: dict[str, str], code: str
) -> None:
    """Add each changed document's redline outputs to ``plan``, and the stale ones to remove.

    ``formats`` empty (``--no-redline``) writes none; stale redlines are removed all the same,
    since a redline next to a document it no longer describes misleads.
    """
    folder = plan.folder
    manifest = read_manifest(folder)
    recorded = recorded_files(manifest)
    kinds = [k for k in formats if k in redline_formats()]
    spec = manifest.get("spec")
    old_spec = str(spec.get("sha256", "")) if isinstance(spec, dict) else ""
    documents = [f"{t.stem}.{k}" for t in plan.trees for k in render.formats()]
    edited = edited_files(folder, documents) if kinds else []
    for tree in plan.trees if kinds else []:
        old = _stored(folder, recorded.get(treejson.tree_file(tree)))
        if old is None:
            continue
        redline = compare(old, tree)
        if not redline.changed:
            continue
        hand = tuple(n for n in edited if Path(n).stem == tree.stem)
        comparison = Comparison(
            BuildInfo(
                f"{folder.name}, previous build", old_spec, old.metadata.get("timestamp", "")
            ),
            BuildInfo(f"{folder.name}, this build", plan.loaded.sha256, tree.metadata["timestamp"]),
            hand,
        )
        report = DocumentRedline(tree.key, redline, hand_edited=hand)
        before, after = treejson.dump(old), treejson.dump(tree)
        for kind in kinds:
            name = f"{REDLINES}/{tree.stem}.{kind}"
            key = sha(
                f"{code}|redline|{kind}|{sha(before)}|{sha(after)}|{template_keys[kind]}|"
                f"{comparison!r}".encode()
            )
            cost = len(after) * render.renderer(kind).cost // REDLINE_COST_DIVISOR
            plan.outputs.append(
                Output(
                    name, key, kind, tree=tree, cost=cost, redline=redline, comparison=comparison
                )
            )
            report.files.append(name)
        plan.redlines.append(report)
    written = {o.name for o in plan.outputs}
    stems = {t.stem for t in plan.trees}
    for name, entry in recorded.items():
        path = folder / name
        if (
            name.startswith(f"{REDLINES}/")
            and Path(name).stem in stems
            and name not in written
            and path.is_file()
            and file_sha(path) == entry.get("sha256")
        ):
            plan.removed.append(name)
