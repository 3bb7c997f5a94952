"""Folders and files of a bundle, opened without ever following a symbolic link.

Every folder is opened by a descriptor relative to its parent with ``O_NOFOLLOW``, and every
file is created with ``O_EXCL | O_NOFOLLOW`` inside such a folder, so a link placed in the bundle
(``internal`` pointing at another folder, ``msa.pdf`` at a user's file) is refused instead of
written through. Renames replace a link itself, never the file it points to.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
from pathlib import Path, PurePosixPath
from types import TracebackType

from contractkit.errors import Location, Problem, RefusedError

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
DIRECTORY = getattr(os, "O_DIRECTORY", 0)
CLOEXEC = getattr(os, "O_CLOEXEC", 0)
NONBLOCK = getattr(os, "O_NONBLOCK", 0)
READ = os.O_RDONLY | NOFOLLOW | CLOEXEC | NONBLOCK
CHUNK = 1024 * 1024
COPY_PREFIX = ".contractkit-tmp-"


class LinkRefused(RefusedError):
    """A folder or file of the bundle is a symbolic link contractkit did not create."""

    @classmethod
    def of(cls, path: Path) -> LinkRefused:
        return cls(
            [
                Problem(
                    Location(str(path)),
                    "is a symbolic link; contractkit never writes through a link it did not "
                    "create (nothing was written for this spec). Replace the link with a real "
                    "folder or file, or build into another --out",
                )
            ]
        )


def _refusal(exc: OSError, path: Path) -> RefusedError | OSError:
    """A link or a file in the way as a clear refusal; any other failure as it is."""
    if exc.errno == errno.ELOOP:
        return LinkRefused.of(path)
    if exc.errno == errno.ENOTDIR:
        return _in_the_way(path)
    return exc


def _in_the_way(path: Path) -> RefusedError:
    return RefusedError(
        [Problem(Location(str(path)), "a file is in the way of a folder contractkit writes")]
    )


def parts_of(name: str) -> tuple[str, ...]:
    """The parts of a bundle-relative name (``internal/coverage.md``)."""
    return PurePosixPath(name).parts


class Folder:
    """An open folder of a bundle; everything below it is reached without following links."""

    def __init__(self, fd: int, path: Path) -> None:
        self.fd = fd
        self.path = path

    @classmethod
    def open(cls, path: Path, *, create: bool = False) -> Folder:
        """Open ``path`` itself (created when asked); a link there is refused."""
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileExistsError):
                path.mkdir()
        try:
            fd = os.open(path, os.O_RDONLY | DIRECTORY | NOFOLLOW | CLOEXEC)
        except OSError as exc:
            raise _refusal(exc, path) from None
        if not stat.S_ISDIR(os.fstat(fd).st_mode):  # where O_DIRECTORY does not exist
            os.close(fd)
            raise _in_the_way(path)
        return cls(fd, path)

    def sub(self, relative: str | tuple[str, ...], *, create: bool = False) -> Folder:
        """A folder below this one, each part opened (and created when asked) without links."""
        parts = parts_of(relative) if isinstance(relative, str) else relative
        fd = os.dup(self.fd)
        path = self.path
        try:
            for part in parts:
                path = path / part
                if create:
                    with contextlib.suppress(FileExistsError):
                        os.mkdir(part, dir_fd=fd)
                try:
                    child = os.open(part, os.O_RDONLY | DIRECTORY | NOFOLLOW | CLOEXEC, dir_fd=fd)
                except OSError as exc:
                    raise _refusal(exc, path) from None
                os.close(fd)
                fd = child
        except BaseException:
            os.close(fd)
            raise
        return Folder(fd, path)

    def names(self) -> list[str]:
        """The names of the entries in this folder, sorted."""
        with os.scandir(self.fd) as entries:
            return sorted(entry.name for entry in entries)

    def lstat(self, name: str) -> os.stat_result | None:
        """The entry ``name`` itself (a link is not followed), or None when there is none."""
        try:
            return os.stat(name, dir_fd=self.fd, follow_symlinks=False)
        except FileNotFoundError:
            return None

    def write(self, name: str, data: bytes) -> None:
        """Create ``name`` with ``data``; an entry already there (a link too) is an error."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | CLOEXEC
        fd = os.open(name, flags, 0o666, dir_fd=self.fd)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        except BaseException:
            os.close(fd)
            os.unlink(name, dir_fd=self.fd)
            raise
        os.close(fd)

    def digest(self, name: str) -> str | None:
        """What ``name`` holds: a regular file's SHA-256, a link's target, or None if absent."""
        found = self.lstat(name)
        if found is None:
            return None
        if stat.S_ISLNK(found.st_mode):
            return "symlink:" + os.readlink(name, dir_fd=self.fd)
        if not stat.S_ISREG(found.st_mode):
            return "not-a-file"
        fd = os.open(name, READ, dir_fd=self.fd)
        with os.fdopen(fd, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()

    def copy_to(self, name: str, target: Folder, target_name: str) -> None:
        """Copy ``name`` (a link as a link) to a new entry in ``target``, streamed."""
        found = self.lstat(name)
        if found is not None and stat.S_ISLNK(found.st_mode):
            os.symlink(os.readlink(name, dir_fd=self.fd), target_name, dir_fd=target.fd)
            return
        source = os.open(name, READ, dir_fd=self.fd)
        if not stat.S_ISREG(os.fstat(source).st_mode):
            os.close(source)
            raise IsADirectoryError(errno.EISDIR, "not a regular file", str(self.path / name))
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | CLOEXEC
        try:
            sink = os.open(target_name, flags, 0o666, dir_fd=target.fd)
            try:
                while chunk := os.read(source, CHUNK):
                    view = memoryview(chunk)
                    while view:
                        view = view[os.write(sink, view) :]
                info = os.fstat(source)
                os.utime(sink, ns=(info.st_atime_ns, info.st_mtime_ns))
            except BaseException:
                os.close(sink)
                os.unlink(target_name, dir_fd=target.fd)
                raise
            os.close(sink)
        finally:
            os.close(source)

    def move_to(self, name: str, target: Folder, target_name: str) -> None:
        """Rename ``name`` onto ``target_name`` (replacing it, a link itself, not its target).

        Across file systems the file is copied beside the target first, then renamed over it.
        """
        try:
            os.rename(name, target_name, src_dir_fd=self.fd, dst_dir_fd=target.fd)
            return
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
        temporary = COPY_PREFIX + target_name
        self._remove_entry(target, temporary)
        self.copy_to(name, target, temporary)
        os.rename(temporary, target_name, src_dir_fd=target.fd, dst_dir_fd=target.fd)
        os.unlink(name, dir_fd=self.fd)

    @staticmethod
    def _remove_entry(folder: Folder, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name, dir_fd=folder.fd)

    def link_or_copy(self, name: str, target: Folder, target_name: str) -> None:
        """Keep the entry ``name`` under ``target_name`` too: a hard link, or a copy."""
        try:
            os.link(name, target_name, src_dir_fd=self.fd, dst_dir_fd=target.fd,
                    follow_symlinks=False)  # fmt: skip
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                raise
            self.copy_to(name, target, target_name)

    def unlink(self, name: str) -> None:
        self._remove_entry(self, name)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __enter__(self) -> Folder:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def first_link(folder: Path, name: str = "") -> Path | None:
    """The first symbolic link among ``folder`` and the parts of ``name`` below it."""
    path = folder
    for part in ("", *parts_of(name)):
        path = path / part if part else path
        if path.is_symlink():
            return path
        if not path.exists():
            return None
    return None


def regular_sha(path: Path) -> str | None:
    """The SHA-256 of a regular file, streamed; None for a link, a folder or nothing."""
    try:
        fd = os.open(path, READ)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        return hashlib.file_digest(handle, "sha256").hexdigest()
