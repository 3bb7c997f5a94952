"""Reading a bundle's manifest: checked against a model before anything it lists is touched.

A manifest names the files contractkit may hash and replace, so a hand-edited or hostile one
(``../../x``, ``/etc/shadow``, a link, a number where a hash belongs) must not steer a build or
``verify`` outside the bundle. It is read without following links, size-limited, and validated;
anything wrong is one clear message naming the manifest.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from contractkit.build.commit import STAGING_PREFIX, inside_bundle
from contractkit.build.reports import INTERNAL
from contractkit.build.safefs import READ, first_link
from contractkit.errors import Location, Problem, RefusedError
from contractkit.yamlread import dotted

MANIFEST = f"{INTERNAL}/manifest.json"
MAX_MANIFEST_BYTES = 32 * 1024 * 1024
SHA256 = r"^[0-9a-f]{64}$"


class ManifestError(RefusedError):
    """The manifest is a link, unreadable, or not what contractkit writes."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class FileEntry(_Model):
    """One file contractkit wrote."""

    path: str = Field(description="Path inside the bundle, with '/' between parts.")
    sha256: str = Field(pattern=SHA256, description="SHA-256 of the file as written.")
    size: int = Field(ge=0, description="Size in bytes as written.")
    input: str = Field(description="Hash of everything that decided the file's content.")

    @field_validator("path")
    @classmethod
    def _inside(cls, value: str) -> str:
        if not inside_bundle(value):
            raise ValueError(f"'{value}' is not a relative path inside the bundle")
        if value == MANIFEST or value.startswith(STAGING_PREFIX):
            raise ValueError(f"'{value}' is a file contractkit never lists")
        return value


class ClauseEntry(_Model):
    """One clause printed in a document."""

    id: str = Field(description="Clause id.")
    version: str = Field(description="Clause version.")
    position: str = Field(description="Negotiating position of the text used.")
    source: str = Field(description="Clause file the text came from.")


class DocumentEntry(_Model):
    """One document of the bundle."""

    key: str = Field(description="Document key.")
    clauses: list[ClauseEntry] = Field(description="Clauses in order.")
    clause_hashes: dict[str, str] = Field(description="Hash of each clause's printed text.")


class SpecEntry(_Model):
    """The spec the bundle was built from."""

    path: str = Field(description="The spec's path, relative to the bundle where possible.")
    sha256: str = Field(pattern=SHA256, description="SHA-256 of the spec file.")


class Manifest(_Model):
    """``internal/manifest.json``: what one build wrote, and from what."""

    contractkit: str = Field(description="Version of contractkit that wrote the bundle.")
    engagement: str = Field(description="The engagement id.")
    inputs: str = Field(description="Hash of every input; equal means nothing to rebuild.")
    spec: SpecEntry = Field(description="The spec file.")
    documents: list[DocumentEntry] = Field(description="Documents with their clauses.")
    files: list[FileEntry] = Field(description="Every file written, except the manifest.")

    @field_validator("files")
    @classmethod
    def _once_each(cls, value: list[FileEntry]) -> list[FileEntry]:
        seen: set[str] = set()
        for entry in value:
            if entry.path in seen:
                raise ValueError(f"'{entry.path}' is listed twice")
            seen.add(entry.path)
        return value


def _not_a_manifest(path: Path, reason: str) -> ManifestError:
    return ManifestError([Problem(Location(str(path)), f"not a contractkit manifest: {reason}")])


def _first_error(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    where = dotted(tuple(p for p in err["loc"] if isinstance(p, str | int)))
    message = err["msg"].removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def read_manifest(folder: Path) -> dict[str, Any]:
    """The last build's manifest, validated; nothing ({}) when the bundle has none.

    Raises ManifestError when it is a link, not a regular file, too large, or not valid.
    """
    path = folder / MANIFEST
    link = first_link(folder, MANIFEST)
    if link is not None:
        raise ManifestError(
            [
                Problem(
                    Location(str(link)),
                    "is a symbolic link; contractkit reads and writes its manifest only as a "
                    "real file in a real folder",
                )
            ]
        )
    try:
        fd = os.open(path, READ)
    except (FileNotFoundError, NotADirectoryError):
        return {}
    except OSError as exc:
        raise _not_a_manifest(path, f"cannot read it: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise _not_a_manifest(path, "it is not a regular file")
        raw = handle.read(MAX_MANIFEST_BYTES + 1)
    if len(raw) > MAX_MANIFEST_BYTES:
        raise _not_a_manifest(path, f"it is larger than {MAX_MANIFEST_BYTES} bytes")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _not_a_manifest(path, f"not valid JSON ({exc})") from None
    try:
        Manifest.model_validate(data)
    except ValidationError as exc:
        raise _not_a_manifest(path, _first_error(exc)) from None
    assert isinstance(data, dict)
    return data
