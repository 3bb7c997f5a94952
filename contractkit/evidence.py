"""Evidence files: what has actually happened since the agreements were drafted.

An evidence file sits beside its spec (``<spec stem>.evidence.yaml``) and is owned by the user:
which agreements are signed and when, and for checklist items the proof that they are still
true. It is read like a spec (YAML 1.2 or JSON, every key and value located) and refused with
FILE:LINE:COL messages; what it says about items is checked against the checklist they belong to.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from pydantic_core import ErrorDetails

from contractkit.documents import BY_KEY
from contractkit.errors import ContractkitError, Problem
from contractkit.humane import located_problems, shown
from contractkit.spec import SLUG_PATTERN, DocumentKey, Slug, Text
from contractkit.yamlread import LocatedData, YamlPath, decode, parse, read_bytes

EVIDENCE_FORMAT = 1
# The name an evidence file takes beside its spec; spec discovery in a folder skips these.
EVIDENCE_SUFFIXES = (".evidence.yaml", ".evidence.yml", ".evidence.json")
SCHEMA_ID = "https://contractkit.dev/schema/evidence-1.json"


class EvidenceError(ContractkitError):
    """An evidence file is malformed or disagrees with its spec or checklist."""


class EvidenceStatus(StrEnum):
    done = "done"
    in_progress = "in_progress"
    missing = "missing"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False, allow_inf_nan=False)


class SignedDates(_Strict):
    """Dates on which the agreements were signed; an agreement left out is not signed yet.

    One optional field per document of the registry (``Signed``), so that a document added
    there can be recorded as signed without changing this file.
    """

    def on(self, key: DocumentKey) -> dt.date | None:
        """The date the agreement ``key`` was signed, if recorded."""
        value = getattr(self, key.value, None)
        return value if isinstance(value, dt.date) else None


if TYPE_CHECKING:
    Signed = SignedDates
else:
    Signed = create_model(
        "Signed",
        __base__=SignedDates,
        __doc__=SignedDates.__doc__.split("\n", 1)[0],
        **{
            key.value: (dt.date | None, Field(default=None, description=f"{info.title}."))
            for key, info in BY_KEY.items()
        },
    )


class Entry(_Strict):
    """What is known about one checklist item, and where the proof is."""

    item: str = Field(
        min_length=1, description="A checklist item id, e.g. transferability.ct-seg.sop-copy-held."
    )
    status: EvidenceStatus = Field(description="done, in_progress or missing.")
    date: dt.date = Field(description="When this was last true, or last checked (YYYY-MM-DD).")
    reference: Text | None = Field(
        default=None, description="Where the proof is: a file, a ticket, a hash."
    )
    by: Text | None = Field(default=None, description="Who recorded or checked it.")
    expires: dt.date | None = Field(
        default=None,
        description="When the proof stops counting (a certificate's end date); otherwise the "
        "freshness rule for the item applies.",
    )


class Evidence(_Strict):
    """An evidence file, format 1."""

    contractkit_evidence: Literal[1] = Field(description="Evidence file format; always 1.")
    engagement: Slug = Field(description="The engagement.id of the spec this evidence is for.")
    as_of: dt.date | None = Field(
        default=None,
        description="The date this record speaks for: freshness is judged as of it unless "
        "--as-of is given; leave it out to judge as of today (a build then uses the last date "
        "the file records).",
    )
    signed: Signed = Field(default_factory=Signed, description="Signature dates by document key.")
    items: list[Entry] = Field(default_factory=list, description="Evidence per checklist item.")

    def latest_date(self) -> dt.date | None:
        """The last date the file records anywhere: the day it was last brought up to date."""
        dates = [d for d in self.signed.model_dump().values() if d is not None]
        dates += [e.date for e in self.items]
        return max(dates, default=None)


@dataclass
class LoadedEvidence:
    """A valid evidence file with where each of its values was written."""

    evidence: Evidence
    path: Path
    sha256: str
    document: LocatedData

    def problem(self, path: YamlPath, message: str, *, key: bool = False) -> Problem:
        """A problem located at ``path`` in the file."""
        return Problem(self.document.locate(path, key=key), message)


def evidence_path_for(spec_path: Path) -> Path | None:
    """The evidence file beside a spec (``<stem>.evidence.yaml``), when there is one."""
    for suffix in EVIDENCE_SUFFIXES:
        candidate = spec_path.with_name(spec_path.stem + suffix)
        if candidate.is_file():
            return candidate
    return None


def is_evidence_file(path: Path) -> bool:
    """Whether a file is named as an evidence file, so that spec discovery leaves it out."""
    return path.name.endswith(EVIDENCE_SUFFIXES)


def evidence_digest(spec_path: Path, explicit: Path | None = None) -> str:
    """What the evidence for a spec hashes to, for deciding whether a bundle is up to date.

    Reads the bytes only; a file that cannot be read digests as such and is reported when the
    bundle is planned.
    """
    path = explicit or evidence_path_for(spec_path)
    if path is None:
        return "none"
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def _format_message(path: YamlPath, err: ErrorDetails) -> str | None:
    if path == ("contractkit_evidence",) and err["type"] == "literal_error":
        return (
            f"must be {EVIDENCE_FORMAT}, the evidence format this contractkit reads; "
            f"got {shown(err.get('input'))}"
        )
    return None


PATTERNS = {
    SLUG_PATTERN: "'{value}' is not a valid engagement id: use lower-case letters, digits and "
    "hyphens, starting with a letter or digit, at most 63 characters",
}


def load_evidence(path: Path) -> LoadedEvidence:
    """Read and validate an evidence file on its own; raises EvidenceError listing every problem."""
    raw = read_bytes(path)
    doc = parse(decode(raw, path), str(path))
    try:
        evidence = Evidence.model_validate(doc.data)
    except ValidationError as exc:
        raise EvidenceError(
            located_problems(exc, doc, Evidence, patterns=PATTERNS, explain=_format_message)
        ) from None
    loaded = LoadedEvidence(evidence, path, hashlib.sha256(raw).hexdigest(), doc)
    problems = [
        loaded.problem(("items", i, "expires"), f"is before the date {entry.date}")
        for i, entry in enumerate(evidence.items)
        if entry.expires is not None and entry.expires < entry.date
    ]
    seen: dict[str, int] = {}
    for i, entry in enumerate(evidence.items):
        if entry.item in seen:
            line = doc.locate(("items", seen[entry.item], "item")).line
            problems.append(
                loaded.problem(
                    ("items", i, "item"),
                    f"'{entry.item}' is also recorded at line {line}; keep one entry per item",
                )
            )
        seen.setdefault(entry.item, i)
    if problems:
        raise EvidenceError(problems)
    return loaded


def check_against(
    loaded: LoadedEvidence,
    engagement: str,
    spec_path: Path,
    item_ids: Collection[str],
    produced: Collection[DocumentKey],
    needs_expiry: Collection[str] = (),
) -> None:
    """Refuse evidence for another engagement, for items the checklist does not have, or for
    agreements that are not produced; every problem is reported at its line."""
    ev = loaded.evidence
    problems: list[Problem] = []
    if ev.engagement != engagement:
        problems.append(
            loaded.problem(
                ("engagement",),
                f"'{ev.engagement}' is not the engagement of {spec_path} ('{engagement}')",
            )
        )
    for key in BY_KEY:
        if ev.signed.on(key) is not None and key not in produced:
            problems.append(
                loaded.problem(
                    ("signed", key.value),
                    f"the {BY_KEY[key].title} is not produced for this engagement",
                    key=True,
                )
            )
    ordered = sorted(item_ids)
    for i, entry in enumerate(ev.items):
        if entry.item not in item_ids:
            close = difflib.get_close_matches(entry.item, ordered, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(
                loaded.problem(
                    ("items", i, "item"), f"the checklist has no item '{entry.item}'{hint}"
                )
            )
        elif (
            entry.item in needs_expiry
            and entry.status is EvidenceStatus.done
            and entry.expires is None
        ):
            problems.append(
                loaded.problem(
                    ("items", i),
                    "needs 'expires': the date the certificate stops being valid",
                )
            )
    if problems:
        problems.sort(key=lambda p: (p.location.line or 0, p.location.column or 0))
        raise EvidenceError(problems)


def evidence_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an evidence file."""
    schema = Evidence.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}
