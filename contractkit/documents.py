"""The registry of agreements contractkit drafts: the only place that knows them.

Each entry says what a document is called (key, file stem, title, the defined term other
agreements name it by) and when it applies. Validation rules, assembly, the command line's
choices, the checklist and the README's table all read this registry. Adding a document is a
key in :class:`DocumentKey`, an entry in ``DOCUMENTS`` and a clause folder with its outline.

The key is declared as an enum so the spec's JSON Schema lists it and code that is about one
particular agreement (``DocumentKey.dpa``) is checked by mypy. This module imports no models,
so the command line can offer the keys without loading them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contractkit.spec import Spec


class DocumentKey(StrEnum):
    msa = "msa"
    nda = "nda"
    baa = "baa"
    dpa = "dpa"
    ip_assignment = "ip_assignment"
    exit_schedule = "exit_schedule"


@dataclass(frozen=True)
class Condition:
    """A fact about an engagement, and how a message states it."""

    holds: Callable[[Spec], bool]
    reason: str


@dataclass(frozen=True)
class DocumentInfo:
    """What one document is called and when it is produced.

    ``required_when`` makes the document mandatory in a spec's ``documents`` list;
    ``only_when`` keeps it out of engagements where it has no place.
    """

    key: DocumentKey
    stem: str
    title: str
    term: str
    applies: str
    required_when: Condition | None = None
    only_when: Condition | None = None

    def required(self, spec: Spec) -> bool:
        """Whether a spec that lists its documents must list this one."""
        return self.required_when is not None and self.required_when.holds(spec)

    def allowed(self, spec: Spec) -> bool:
        """Whether this document may be produced for the engagement."""
        return self.only_when is None or self.only_when.holds(spec)


def _always(spec: Spec) -> bool:
    return True


def _has_phi(spec: Spec) -> bool:
    from contractkit.spec import DataCategory

    return spec.carries(DataCategory.phi)


def _has_personal_data(spec: Spec) -> bool:
    return spec.has_personal_data


CARRIES_PHI = Condition(_has_phi, "a workload carries phi")

DOCUMENTS: tuple[DocumentInfo, ...] = (
    DocumentInfo(
        DocumentKey.msa,
        stem="msa",
        title="Master Services Agreement",
        term="Agreement",
        applies="always",
        required_when=Condition(_always, "every engagement has a Master Services Agreement"),
    ),
    DocumentInfo(
        DocumentKey.nda,
        stem="nda",
        title="Mutual Non-Disclosure Agreement",
        term="NDA",
        applies="by default",
    ),
    DocumentInfo(
        DocumentKey.baa,
        stem="baa",
        title="Business Associate Agreement",
        term="BAA",
        applies="exactly when a workload carries `phi`",
        required_when=CARRIES_PHI,
        only_when=CARRIES_PHI,
    ),
    DocumentInfo(
        DocumentKey.dpa,
        stem="dpa",
        title="Data Sharing and Processing Agreement",
        term="DPA",
        applies="by default; required when any personal data is in scope",
        required_when=Condition(_has_personal_data, "a workload carries personal data"),
    ),
    DocumentInfo(
        DocumentKey.ip_assignment,
        stem="ip-assignment",
        title="Intellectual Property Assignment Agreement",
        term="IP Assignment",
        applies="by default",
    ),
    DocumentInfo(
        DocumentKey.exit_schedule,
        stem="exit-schedule",
        title="Exit Management and Knowledge Transfer Schedule",
        term="Exit Schedule",
        applies="by default",
    ),
)

BY_KEY: dict[DocumentKey, DocumentInfo] = {d.key: d for d in DOCUMENTS}
KEYS: tuple[str, ...] = tuple(d.key.value for d in DOCUMENTS)


def selected_documents(spec: Spec) -> list[DocumentInfo]:
    """The documents to produce for a valid spec, in registry order."""
    if spec.documents is None:
        return [d for d in DOCUMENTS if d.allowed(spec)]
    chosen = set(spec.documents)
    return [d for d in DOCUMENTS if d.key in chosen]


def document_table_markdown() -> str:
    """The README's table of documents, generated so it cannot drift from the registry."""
    rows = ["| key | file stem | title | applies |", "|---|---|---|---|"]
    rows += [f"| `{d.key.value}` | `{d.stem}` | {d.title} | {d.applies} |" for d in DOCUMENTS]
    return "\n".join(rows)
