"""The manifest of a bundle: which files contractkit wrote, with their hashes and inputs.

Files listed with an unchanged hash are contractkit's to replace; one that changed since
(counsel's edits) is never overwritten silently, and files contractkit did not write are never
touched. Each bundle is staged beside its folder and committed as a whole (``commit``): an
interrupted build is finished by the next build or ``verify`` before anything else.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contractkit import __version__
from contractkit.build.commit import commit, finish_leftovers, locked
from contractkit.build.plan import BundlePlan, BundleResult, sha
from contractkit.build.record import MANIFEST, MAX_MANIFEST_BYTES, ManifestError, read_manifest
from contractkit.build.safefs import READ, first_link, regular_sha
from contractkit.errors import Location, Problem, RefusedError
from contractkit.resources import recorded_source

__all__ = ["MANIFEST", "ManifestError", "read_manifest"]


def recorded_files(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The manifest's file entries by path."""
    files = manifest.get("files", [])
    return {f["path"]: f for f in files if isinstance(f, dict) and "path" in f}


def prepare(folder: Path, force: bool) -> list[Path]:
    """Before a bundle is planned: finish an interrupted build's commit and check the manifest.

    A bundle folder that is a link is refused. A manifest that is not contractkit's stops the
    spec, unless ``force``: then it is backed up and removed (the backups are returned).
    """
    with locked(folder, create=False) as root:
        if root is None:
            return []
        finish_leftovers(root)
    try:
        read_manifest(folder)
    except ManifestError as exc:
        if not force:
            note = (
                "; nothing was written for this spec. Move it away, or rebuild with --force "
                "to back it up and replace it"
            )
            raise ManifestError(
                [Problem(p.location, p.message + note) for p in exc.problems]
            ) from None
        try:
            return commit(folder, [], [MANIFEST], [MANIFEST])
        except OSError as error:
            raise RefusedError.at(folder / MANIFEST, f"cannot replace: {error}") from None
    return []


def unchanged_since_last_build(folder: Path, key: str) -> bool:
    """Whether the last build had these inputs and left every file it wrote as it is."""
    manifest = read_manifest(folder)
    if manifest.get("inputs") != key:
        return False
    for name, entry in recorded_files(manifest).items():
        if regular_sha(folder / name) != entry.get("sha256"):
            return False
    return True


def edited_files(folder: Path, names: Iterable[str]) -> list[str]:
    """Files contractkit would write that changed since it wrote them, or that it never wrote.

    A link in a file's place counts as changed: contractkit never wrote one.
    """
    recorded = recorded_files(read_manifest(folder))
    edited = []
    for name in names:
        path = folder / name
        if name == MANIFEST:
            continue
        if path.is_symlink():
            edited.append(name)
            continue
        if not path.is_file():
            continue
        entry = recorded.get(name)
        if entry is None or regular_sha(path) != entry.get("sha256"):
            edited.append(name)
    return edited


def reusable(plan: BundlePlan) -> set[str]:
    """Outputs whose file on disk is exactly what this build would render again."""
    try:
        recorded = recorded_files(read_manifest(plan.folder))
    except ManifestError:
        return set()
    keep = set()
    for output in plan.outputs:
        entry = recorded.get(output.name)
        if (
            entry
            and entry.get("input") == output.key
            and regular_sha(plan.folder / output.name) == entry.get("sha256")
        ):
            keep.add(output.name)
    return keep


def _changed_clauses(plan: BundlePlan, previous: dict[str, Any]) -> dict[str, list[str]]:
    before = {d.get("key"): d.get("clause_hashes", {}) for d in previous.get("documents", [])}
    changes: dict[str, list[str]] = {}
    for key, now in plan.clause_hashes.items():
        if key not in before:
            continue
        old = before[key]
        ids = sorted(
            {cid for cid in now if old.get(cid) != now[cid]}
            | {cid for cid in old if cid not in now}
        )
        if ids:
            changes[key] = ids
    return changes


def _manifest(plan: BundlePlan, files: list[dict[str, Any]]) -> dict[str, Any]:
    loaded = plan.loaded
    try:
        spec_path = os.path.relpath(loaded.path.resolve(), plan.folder.resolve())
    except ValueError:
        spec_path = str(loaded.path.resolve())
    return {
        "contractkit": __version__,
        "engagement": loaded.spec.engagement.id,
        "inputs": plan.inputs,
        "spec": {"path": spec_path, "sha256": loaded.sha256},
        "documents": [
            {
                "key": t.key,
                "clauses": [
                    {
                        "id": c.id,
                        "version": c.version,
                        "position": c.position,
                        "source": recorded_source(c.source),
                    }
                    for c in t.clauses()
                ],
                "clause_hashes": plan.clause_hashes[t.key],
            }
            for t in plan.trees
        ],
        "files": sorted(files, key=lambda f: str(f["path"])),
    }


def _current_manifest(folder: Path) -> bytes | None:
    if first_link(folder, MANIFEST) is not None:
        return None
    try:
        with os.fdopen(os.open(folder / MANIFEST, READ), "rb") as handle:
            return handle.read(MAX_MANIFEST_BYTES + 1)
    except OSError:
        return None


def write_bundle(plan: BundlePlan, rendered: dict[str, bytes], result: BundleResult) -> None:
    """Stage every new file beside the bundle, then commit them together, the manifest last.

    Outputs kept from the last build keep their manifest entry (checked by ``reusable``), so
    they are not read again; every other file the last build wrote and this one does not
    replace stays listed while it is unchanged.
    """
    folder = plan.folder
    previous = read_manifest(folder)
    recorded = recorded_files(previous)
    entries: list[dict[str, Any]] = []
    for output in plan.outputs:
        if output.name in rendered:
            data = rendered[output.name]
            entries.append(
                {"path": output.name, "sha256": sha(data), "size": len(data), "input": output.key}
            )
        else:
            entries.append(recorded[output.name])
            result.unchanged.append(folder / output.name)
    names = {o.name for o in plan.outputs}
    entries += [
        entry
        for name, entry in recorded.items()
        if name not in names
        and name not in plan.removed
        and regular_sha(folder / name) == entry.get("sha256")
    ]
    manifest = (json.dumps(_manifest(plan, entries), indent=2) + "\n").encode("utf-8")
    result.redlines = plan.redlines
    if not rendered and not plan.removed and _current_manifest(folder) == manifest:
        return
    edited = edited_files(folder, sorted(rendered))
    files = [*sorted(rendered.items()), (MANIFEST, manifest)]
    result.backups += commit(folder, files, list(plan.removed), edited)
    result.written += [folder / name for name in sorted(rendered)]
    result.changed_clauses = _changed_clauses(plan, previous)


@dataclass
class Verification:
    """Files of a bundle that no longer match the manifest."""

    folder: Path
    changed: list[str]
    missing: list[str]
    checked: int


def verify(folder: Path) -> Verification:
    """Re-hash every file the manifest lists; raises when there is no manifest.

    An interrupted build is finished first, and the bundle is locked while it is checked, so
    files a running build is moving into place are never reported.
    """
    if folder.is_symlink():
        raise RefusedError.at(folder, "is a symbolic link; verify the bundle folder itself")
    with locked(folder, create=False) as root:
        if root is not None:
            try:
                finish_leftovers(root)
            except OSError as exc:
                raise RefusedError.at(
                    folder, f"an interrupted build left files that cannot be finished: {exc}"
                ) from None
        manifest = read_manifest(folder)
        if not manifest:
            raise RefusedError(
                [
                    Problem(
                        Location(str(folder)),
                        f"no {MANIFEST}; this is not a folder contractkit built",
                    )
                ]
            )
        changed, missing = [], []
        entries = recorded_files(manifest)
        for name, entry in entries.items():
            path = folder / name
            if not path.is_symlink() and not path.exists():
                missing.append(name)
            elif regular_sha(path) != entry["sha256"]:
                changed.append(name)
    return Verification(folder, changed, missing, len(entries))
