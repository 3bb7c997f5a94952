"""The six agreements contractkit drafts, and when each one applies.

This table is the single source for keys, file stems and titles used by every command.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from contractkit.spec import DataCategory, DocumentKey, Spec


@dataclass(frozen=True)
class DocumentInfo:
    """What one document is called and when it is produced."""

    key: DocumentKey
    stem: str
    title: str
    applies: str
    required: Callable[[Spec], bool]
    allowed: Callable[[Spec], bool]


def _always(spec: Spec) -> bool:
    return True


def _never(spec: Spec) -> bool:
    return False


def _has_phi(spec: Spec) -> bool:
    return spec.carries(DataCategory.phi)


def _has_personal_data(spec: Spec) -> bool:
    return spec.has_personal_data


DOCUMENTS: tuple[DocumentInfo, ...] = (
    DocumentInfo(DocumentKey.msa, "msa", "Master Services Agreement", "always", _always, _always),
    DocumentInfo(
        DocumentKey.nda, "nda", "Mutual Non-Disclosure Agreement", "by default", _never, _always
    ),
    DocumentInfo(
        DocumentKey.baa,
        "baa",
        "Business Associate Agreement",
        "exactly when a workload carries `phi`",
        _has_phi,
        _has_phi,
    ),
    DocumentInfo(
        DocumentKey.dpa,
        "dpa",
        "Data Sharing and Processing Agreement",
        "by default; required when any personal data is in scope",
        _has_personal_data,
        _always,
    ),
    DocumentInfo(
        DocumentKey.ip_assignment,
        "ip-assignment",
        "Intellectual Property Assignment Agreement",
        "by default",
        _never,
        _always,
    ),
    DocumentInfo(
        DocumentKey.exit_schedule,
        "exit-schedule",
        "Exit Management and Knowledge Transfer Schedule",
        "by default",
        _never,
        _always,
    ),
)

BY_KEY: dict[DocumentKey, DocumentInfo] = {d.key: d for d in DOCUMENTS}


def selected_documents(spec: Spec) -> list[DocumentInfo]:
    """The documents to produce for a valid spec, in table order."""
    if spec.documents is None:
        return [d for d in DOCUMENTS if d.allowed(spec)]
    chosen = set(spec.documents)
    return [d for d in DOCUMENTS if d.key in chosen]


def document_table_markdown() -> str:
    """The README's table of documents, generated so it cannot drift from the code."""
    rows = ["| key | file stem | title | applies |", "|---|---|---|---|"]
    rows += [f"| `{d.key.value}` | `{d.stem}` | {d.title} | {d.applies} |" for d in DOCUMENTS]
    return "\n".join(rows)
