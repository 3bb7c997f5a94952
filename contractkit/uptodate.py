"""Whether a build has nothing to do, decided before anything heavy is imported.

A bundle is up to date when the hash of everything it is made from (``inputs_key``: the spec's
bytes, the clause library, the house templates, the options and contractkit's own code) equals
the one its manifest recorded, and every file the manifest lists is as contractkit wrote it.
All of that is bytes and hashes, so ``contractkit build`` answers a no-op from here, at about
the cost of starting Python, without loading the spec models, the clause templates or a
renderer. Anything this module is not sure of (a spec never built, ``--only``, a manifest or
file that looks unusual, an interrupted build) is left to the full build, which decides again.

The spec's warnings are printed by every build, a no-op too; they come from validating the
spec, so the full build remembers them in the cache, keyed by the inputs key.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from contractkit import __version__, render
from contractkit.errors import Location, Problem
from contractkit.outcome import BundleResult
from contractkit.resources import PACKAGE, data_dir

SPEC_SUFFIXES = (".yaml", ".yml", ".json")
# As contractkit.evidence names them (a test keeps the two equal).
EVIDENCE_SUFFIXES = (".evidence.yaml", ".evidence.yml", ".evidence.json")
MANIFEST = ("internal", "manifest.json")
MAX_MANIFEST_BYTES = 32 * 1024 * 1024
_SAFE_PART = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.cache
def code_digest() -> str:
    """A hash of contractkit's own code and renderer resources.

    Part of every key, so a changed renderer renders again even when the version number
    stayed the same.
    """
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE)
        if path.suffix in (".py", ".css") and relative.parts[0] not in ("_data", "__pycache__"):
            digest.update(str(relative).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def template_files(folder: Path | None) -> dict[str, Path]:
    """The house template files a build reads: the firm's where given, the built-in ones
    otherwise (as ``render.house.resolve_templates`` picks them, without its checks)."""
    builtin = data_dir("templates")

    def pick(name: str) -> Path:
        if folder is not None and (folder / name).is_file():
            return folder / name
        return builtin / name

    return {name: pick(name) for name in render.template_names()}


def sources_digest(libraries: Sequence[Path], templates: Iterable[Path]) -> str:
    """A hash of the clause library layers and the house template files a build reads.

    Files are named relative to their layer, so the same library gives the same key wherever
    it is installed (a build by the console script and a check from a source checkout agree).
    """
    digest = hashlib.sha256()
    for layer in [*libraries, data_dir("clauses")]:
        digest.update(b"\1layer\0")
        for path in sorted(layer.rglob("*")) if layer.is_dir() else []:
            if path.is_file():
                name = path.relative_to(layer).as_posix()
                digest.update(name.encode() + b"\0" + path.read_bytes())
    for path in templates:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def evidence_digest(spec: Path, explicit: Path | None) -> str:
    """The evidence file's bytes, hashed: ``--evidence`` or ``<stem>.evidence.yaml`` beside."""
    path = explicit
    if path is None:
        beside = (spec.with_name(spec.stem + suffix) for suffix in EVIDENCE_SUFFIXES)
        path = next((p for p in beside if p.is_file()), None)
    if path is None:
        return "none"
    try:
        return sha(path.read_bytes())
    except OSError:
        return "unreadable"


def inputs_key(
    *,
    code: str,
    spec_sha: str,
    sources: str,
    only: Sequence[str] | None,
    formats: Sequence[str],
    evidence: str,
    as_of: str,
) -> str:
    """The hash of everything a bundle is made from; the full build and the quick check both
    compute it here, so they cannot disagree."""
    parts = [
        code,
        spec_sha,
        sources,
        ",".join(only) if only is not None else "*",
        ",".join(formats),
        os.environ.get("SOURCE_DATE_EPOCH", ""),
        evidence,
        as_of,
    ]
    return sha("|".join(parts).encode())


def _cache_dir() -> Path | None:
    if os.environ.get("CONTRACTKIT_NO_CACHE"):
        return None
    configured = os.environ.get("CONTRACTKIT_CACHE_DIR")
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(configured) if configured else (Path(xdg) if xdg else Path.home() / ".cache")
    return (base if configured else base / "contractkit") / "up-to-date"


def remember(key: str, spec: Path, warnings: Sequence[Problem]) -> None:
    """Keep a built spec's warnings for the quick check (best effort: a cache)."""
    folder = _cache_dir()
    if folder is None:
        return
    rows = [
        {
            "in_spec": p.location.file == str(spec),
            "file": p.location.file,
            "line": p.location.line,
            "column": p.location.column,
            "path": p.location.path,
            "message": p.message,
            "severity": p.severity,
        }
        for p in warnings
    ]
    target = folder / f"{key}.json"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if target.is_file():
            return
        temporary = target.with_name(f".{key}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(rows), encoding="utf-8")
        temporary.replace(target)
    except OSError:
        return


def _remembered(key: str, spec: Path) -> list[Problem] | None:
    folder = _cache_dir()
    if folder is None:
        return None
    try:
        rows = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        return [
            Problem(
                Location(
                    str(spec) if row["in_spec"] else row["file"],
                    row["line"],
                    row["column"],
                    row["path"],
                ),
                row["message"],
                row["severity"],
            )
            for row in rows
        ]
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _spec_files(paths: Sequence[Path]) -> list[Path] | None:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            entries = sorted(
                p
                for p in path.iterdir()
                if p.suffix in SPEC_SUFFIXES
                and p.is_file()
                and not p.name.endswith(EVIDENCE_SUFFIXES)
            )
            if not entries:
                return None
            found.extend(entries)
        elif path.is_file():
            found.append(path)
        else:
            return None
    return found


def _plain_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _manifest(folder: Path) -> dict[str, Any] | None:
    """A bundle's manifest when it, its folder and every file it lists look exactly as a
    finished build leaves them; None for anything else (the full build looks closer)."""
    internal = folder / MANIFEST[0]
    path = internal / MANIFEST[1]
    try:
        if not (
            stat.S_ISDIR(os.lstat(folder).st_mode) and stat.S_ISDIR(os.lstat(internal).st_mode)
        ):
            return None
        names = [p.name for p in (*folder.iterdir(), *internal.iterdir())]
        backups = internal / "backups"
        if os.path.lexists(backups):
            if not stat.S_ISDIR(os.lstat(backups).st_mode):
                return None
            names += [p.name for p in backups.iterdir()]
        if any(n.startswith(".contractkit") for n in names):
            return None  # a build in progress or interrupted
        if not _plain_file(path) or path.stat().st_size > MAX_MANIFEST_BYTES:
            return None
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        return None
    return data


def _files_intact(folder: Path, manifest: dict[str, Any]) -> list[Path] | None:
    """Every file the manifest lists, when each is a plain file inside the bundle with the
    hash recorded for it."""
    listed = []
    for entry in manifest["files"]:
        if not isinstance(entry, dict):
            return None
        name, digest = entry.get("path"), entry.get("sha256")
        if not isinstance(name, str) or not isinstance(digest, str):
            return None
        parts = name.split("/")
        if any(p in ("", ".", "..") or not set(p) <= _SAFE_PART for p in parts):
            return None
        for depth in range(1, len(parts) + 1):
            target = folder.joinpath(*parts[:depth])
            if depth < len(parts):
                try:
                    if not stat.S_ISDIR(os.lstat(target).st_mode):
                        return None
                except OSError:
                    return None
            elif not _plain_file(target):
                return None
        with folder.joinpath(*parts).open("rb") as handle:  # streamed: a file may be huge
            if hashlib.file_digest(handle, "sha256").hexdigest() != digest:
                return None
        listed.append(folder / name)
    return listed


def up_to_date(
    paths: Sequence[Path],
    *,
    out: Path,
    only: Sequence[str] | None,
    formats: Sequence[str],
    libraries: Sequence[Path],
    templates: Path | None,
    evidence: Path | None,
    as_of: str,
    strict: bool,
) -> list[BundleResult] | None:
    """Each spec's result when every one is certainly up to date; None when any may not be.

    Reads only bytes: the specs, the manifests under ``out``, the files they list, the
    library, the templates and contractkit's code.
    """
    if only is not None:
        return None
    specs = _spec_files(paths)
    if not specs or not out.is_dir() or (evidence is not None and len(specs) != 1):
        return None
    try:
        spec_shas = [sha(p.read_bytes()) for p in specs]
        folders = [f for f in sorted(out.iterdir()) if f.is_dir() and not f.is_symlink()]
        sources = sources_digest(libraries, template_files(templates).values())
    except OSError:
        return None
    built: dict[str, list[tuple[Path, dict[str, Any]]]] = {}
    for folder in folders:
        if not _plain_file(folder / MANIFEST[0] / MANIFEST[1]):
            continue
        manifest = _manifest(folder)
        spec = manifest.get("spec") if manifest else None
        if manifest is not None and isinstance(spec, dict) and isinstance(spec.get("sha256"), str):
            built.setdefault(spec["sha256"], []).append((folder, manifest))
    results: list[BundleResult] = []
    seen: set[Path] = set()
    for path, spec_sha in zip(specs, spec_shas, strict=True):
        candidates = built.get(spec_sha, [])
        if len(candidates) != 1 or candidates[0][0] in seen:
            return None
        folder, manifest = candidates[0]
        seen.add(folder)
        key = inputs_key(
            code=code_digest(),
            spec_sha=spec_sha,
            sources=sources,
            only=None,
            formats=formats,
            evidence=evidence_digest(path, evidence),
            as_of=as_of,
        )
        warnings = _remembered(key, path)
        if manifest.get("inputs") != key or warnings is None or (strict and warnings):
            return None
        try:
            unchanged = _files_intact(folder, manifest)
        except OSError:
            return None
        engagement = manifest.get("engagement")
        if unchanged is None or engagement != folder.name:
            return None
        result = BundleResult(str(path), engagement, out / engagement, unchanged=unchanged)
        result.warnings = warnings
        results.append(result)
    return results
