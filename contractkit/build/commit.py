"""Moving a staged bundle into place so that an interruption at any point can be finished.

Inside one exclusive lock on the bundle folder:

1. every new file is written into ``.contractkit-staging-*/new/`` beside the bundle, and every
   file it replaces or removes is linked into ``old/``;
2. backups of hand-edited files (``--force``) are written into a partial folder and renamed into
   ``internal/backups/`` only when complete;
3. ``intent.json`` lists each file with its old and new hash: from here the commit is decided;
4. the files are renamed into place, the manifest last; a failure puts the old files back;
5. the staging folder is removed.

A later build or ``verify`` that finds a staging folder finishes it before anything else: with an
intent record the remaining files are moved into place (or, when a staged file is not what the
record says, the old ones are put back); without one nothing had been moved and the folder is
removed. A file that matches neither side was changed by someone since, and is left alone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import secrets
import shutil
import stat
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from contractkit.build.reports import INTERNAL
from contractkit.build.safefs import COPY_PREFIX, Folder, LinkRefused, first_link, parts_of
from contractkit.errors import RefusedError
from contractkit.interrupt import critical

try:
    import fcntl
except ImportError:  # pragma: no cover - no advisory locks here; builds of one bundle may race
    fcntl = None  # type: ignore[assignment]

STAGING_PREFIX = ".contractkit-staging-"
PARTIAL_PREFIX = ".contractkit-partial-"
BACKUPS = f"{INTERNAL}/backups"
INTENT = "intent.json"
NEW, OLD = "new", "old"


@dataclass(frozen=True)
class FileChange:
    """One file of a commit: its hash before (None: absent) and after (None: removed)."""

    path: str
    old: str | None
    new: str | None


def inside_bundle(name: str) -> bool:
    """Whether a recorded name is a plain relative path that stays inside the bundle."""
    if not name or "\\" in name or "\0" in name or name.startswith("/"):
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))


def _split(name: str) -> tuple[tuple[str, ...], str]:
    parts = parts_of(name)
    return parts[:-1], parts[-1]


@contextlib.contextmanager
def locked(folder: Path, *, create: bool) -> Iterator[Folder | None]:
    """The bundle folder, opened without following a link and locked for this process.

    Nothing (None) when the folder does not exist and ``create`` is false.
    """
    if not create and not folder.is_symlink() and not folder.exists():
        yield None
        return
    for name in ("", INTERNAL, BACKUPS):
        link = first_link(folder, name)
        if link is not None:
            raise LinkRefused.of(link)
    root = Folder.open(folder, create=create)
    try:
        if fcntl is not None:
            fcntl.flock(root.fd, fcntl.LOCK_EX)
        yield root
    finally:
        root.close()


def finish_leftovers(root: Folder) -> None:
    """Every staging folder and partial backup left in a locked bundle, dealt with."""
    for entry in root.names():
        info = root.lstat(entry) if entry.startswith(STAGING_PREFIX) else None
        if info is not None and stat.S_ISDIR(info.st_mode):
            _finish(root, entry)
    with contextlib.suppress(FileNotFoundError, NotADirectoryError), root.sub(BACKUPS) as backups:
        for entry in backups.names():
            if entry.startswith(PARTIAL_PREFIX):
                _remove_tree(backups, entry)


def _remove_tree(parent: Folder, name: str) -> None:
    info = parent.lstat(name)
    if info is None:
        return
    if stat.S_ISDIR(info.st_mode):
        shutil.rmtree(name, dir_fd=parent.fd)
    else:
        parent.unlink(name)


def _read_intent(stage: Folder) -> list[FileChange] | None:
    try:
        fd = os.open(INTENT, os.O_RDONLY, dir_fd=stage.fd)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            data = json.loads(handle.read(16 * 1024 * 1024))
        changes = [FileChange(str(c["path"]), c["old"], c["new"]) for c in data["changes"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not all(inside_bundle(c.path) for c in changes):
        return None
    return changes


def _digest(base: Folder, name: str) -> str | None:
    head, leaf = _split(name)
    try:
        with base.sub(head) as parent:
            return parent.digest(leaf)
    except (FileNotFoundError, RefusedError):
        return None


def _finish(root: Folder, staging: str) -> None:
    """Roll an interrupted commit forward when every new file is at hand, back otherwise."""
    with root.sub(staging) as stage:
        changes = _read_intent(stage)
        if changes is not None:
            forward = all(
                c.new is None or c.new in (_digest(stage, f"{NEW}/{c.path}"), _digest(root, c.path))
                for c in changes
            )
            for change in changes:
                current = _digest(root, change.path)
                if forward:
                    _forward(root, stage, change, current)
                else:
                    _back(root, stage, change, current)
                head, leaf = _split(change.path)
                with contextlib.suppress(FileNotFoundError, RefusedError), root.sub(head) as where:
                    where.unlink(COPY_PREFIX + leaf)
    _remove_tree(root, staging)


def _forward(root: Folder, stage: Folder, change: FileChange, current: str | None) -> None:
    head, leaf = _split(change.path)
    if change.new is None:
        if current is not None and current == change.old:
            with root.sub(head) as where:
                where.unlink(leaf)
        return
    if current in (change.old, None) and _digest(stage, f"{NEW}/{change.path}") == change.new:
        with stage.sub((NEW, *head)) as source, root.sub(head, create=True) as target:
            source.move_to(leaf, target, leaf)


def _back(root: Folder, stage: Folder, change: FileChange, current: str | None) -> None:
    if current != change.new:
        return
    head, leaf = _split(change.path)
    with root.sub(head, create=True) as target:
        if change.old is None:
            target.unlink(leaf)
            return
        with stage.sub((OLD, *head)) as kept:
            if kept.digest(leaf) == change.old:
                kept.move_to(leaf, target, leaf)


def _keep_old(root: Folder, stage: Folder, name: str) -> str | None:
    """Link the file ``name`` replaces into the staging folder; its hash, or None."""
    head, leaf = _split(name)
    try:
        parent = root.sub(head)
    except FileNotFoundError:
        return None
    with parent:
        digest = parent.digest(leaf)
        if digest is None or digest == "not-a-file":
            return None
        with stage.sub((OLD, *head), create=True) as keep:
            parent.link_or_copy(leaf, keep, leaf)
    return digest


def _install(root: Folder, stage: Folder, change: FileChange) -> None:
    """Move one staged file into place (or remove one the build no longer writes)."""
    head, leaf = _split(change.path)
    if change.new is None:
        with root.sub(head) as where:
            where.unlink(leaf)
        return
    with stage.sub((NEW, *head)) as source, root.sub(head, create=True) as target:
        try:
            source.move_to(leaf, target, leaf)
        except OSError as exc:
            if exc.errno in (errno.EISDIR, errno.ENOTEMPTY, errno.EEXIST):
                raise RefusedError.at(
                    root.path / change.path,
                    "a folder is in the way of a file contractkit writes; move it away "
                    "(nothing was written for this spec)",
                ) from None
            raise


def _undo(root: Folder, stage: Folder, done: list[FileChange]) -> bool:
    """Put back what a failed commit had moved; False when that failed too."""
    try:
        for change in reversed(done):
            _back(root, stage, change, _digest(root, change.path))
    except (OSError, RefusedError):
        return False
    return True


def _stamp(backups: Folder) -> str:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    name, serial = stamp, 1
    while backups.lstat(name) is not None:
        serial += 1
        name = f"{stamp}-{serial}"
    return name


def _back_up(root: Folder, names: list[str]) -> str | None:
    """Copy ``names`` (a link as a link) into a new ``internal/backups/<UTC time>/``.

    The copies are made in a partial folder renamed into place when all are complete, so a
    full disk leaves no truncated backup behind.
    """
    if not names:
        return None
    with root.sub(BACKUPS, create=True) as backups:
        partial = PARTIAL_PREFIX + secrets.token_hex(6)
        os.mkdir(partial, dir_fd=backups.fd)
        try:
            for name in names:
                head, leaf = _split(name)
                with root.sub(head) as source, backups.sub((partial, *head), create=True) as into:
                    source.copy_to(leaf, into, leaf)
            stamp = _stamp(backups)
            os.rename(partial, stamp, src_dir_fd=backups.fd, dst_dir_fd=backups.fd)
        except BaseException:
            _remove_tree(backups, partial)
            raise
    return f"{BACKUPS}/{stamp}"


def commit(
    folder: Path, files: list[tuple[str, bytes]], removed: list[str], edited: list[str]
) -> list[Path]:
    """Write ``files`` (in order: the manifest last), remove ``removed``, all or nothing.

    ``edited`` are files to back up first; returns the backups made.
    """
    with critical(), locked(folder, create=True) as root:
        assert root is not None
        finish_leftovers(root)
        staging = STAGING_PREFIX + secrets.token_hex(6)
        os.mkdir(staging, 0o700, dir_fd=root.fd)
        clean = True
        backup: str | None = None
        try:
            with root.sub(staging) as stage:
                changes = _stage(root, stage, files, removed)
                backup = _back_up(root, edited)
                _write_intent(stage, changes)
                done: list[FileChange] = []
                try:
                    for change in changes:
                        _install(root, stage, change)
                        done.append(change)
                except BaseException:
                    clean = _undo(root, stage, done)
                    raise
        except BaseException:
            if backup is not None and clean:
                with contextlib.suppress(OSError), root.sub(BACKUPS) as backups:
                    _remove_tree(backups, backup.rsplit("/", 1)[1])
            raise
        finally:
            if clean:
                _remove_tree(root, staging)
    return [folder / backup / name for name in edited] if backup else []


def _stage(
    root: Folder, stage: Folder, files: list[tuple[str, bytes]], removed: list[str]
) -> list[FileChange]:
    changes: list[FileChange] = []
    last = files[-1:] if files else []
    for name, data in files[:-1]:
        changes.append(_stage_one(root, stage, name, data))
    for name in removed:
        old = _keep_old(root, stage, name)
        if old is not None:
            changes.append(FileChange(name, old, None))
    changes += [_stage_one(root, stage, name, data) for name, data in last]
    return changes


def _stage_one(root: Folder, stage: Folder, name: str, data: bytes) -> FileChange:
    head, leaf = _split(name)
    with stage.sub((NEW, *head), create=True) as where:
        where.write(leaf, data)
    return FileChange(name, _keep_old(root, stage, name), hashlib.sha256(data).hexdigest())


def _write_intent(stage: Folder, changes: list[FileChange]) -> None:
    record: dict[str, Any] = {"changes": [asdict(c) for c in changes]}
    stage.write(f"{INTENT}.tmp", json.dumps(record, indent=1).encode("utf-8"))
    os.rename(f"{INTENT}.tmp", INTENT, src_dir_fd=stage.fd, dst_dir_fd=stage.fd)
