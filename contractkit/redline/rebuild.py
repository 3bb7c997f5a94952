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
from contractkit.build.plan import BundlePlan, Output, sha
from contractkit.build.safefs import regular_sha
from contractkit.errors import ContractkitError
from contractkit.redline import treejson
from contractkit.redline.bundle import REDLINES, DocumentRedline
from contractkit.redline.diff import compare
from contractkit.redline.model import BuildInfo, Comparison
from contractkit.redline.renderers import redline_formats

# A redline prints a few pages where its document prints dozens.
REDLINE_COST_DIVISOR = 10


def _stored(folder: Path, entry: dict[str, Any] | None) -> bytes | None:
    """The previous build's stored tree, if it is still as that build wrote it."""
    if entry is None:
        return None
    path = folder / str(entry["path"])
    if regular_sha(path) != entry.get("sha256"):
        return None
    return path.read_bytes()


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
    stored = {o.name: o.data for o in plan.outputs if o.data is not None}
    for tree in plan.trees if kinds else []:
        name = treejson.tree_file(tree)
        before, after = _stored(folder, recorded.get(name)), stored.get(name) or b""
        if before is None or before == after:
            continue
        try:
            old = treejson.load(before, str(folder / name))
        except ContractkitError:
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
        for kind in kinds:
            target = f"{REDLINES}/{tree.stem}.{kind}"
            key = sha(
                f"{code}|redline|{kind}|{sha(before)}|{sha(after)}|{template_keys[kind]}|"
                f"{comparison!r}".encode()
            )
            cost = len(after) * render.renderer(kind).cost // REDLINE_COST_DIVISOR
            plan.outputs.append(
                Output(
                    target, key, kind, tree=tree, cost=cost, redline=redline, comparison=comparison
                )
            )
            report.files.append(target)
        plan.redlines.append(report)
    written = {o.name for o in plan.outputs}
    stems = {t.stem for t in plan.trees}
    for name, entry in recorded.items():
        path = folder / name
        if (
            name.startswith(f"{REDLINES}/")
            and Path(name).stem in stems
            and name not in written
            and regular_sha(path) == entry.get("sha256")
        ):
            plan.removed.append(name)
