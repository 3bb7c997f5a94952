"""What a build did for each spec.

Kept apart from the build's planning and rendering modules, and light to import: a no-op build
reports its results from here before anything heavy is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contractkit.errors import Problem

if TYPE_CHECKING:
    from contractkit.redline.bundle import DocumentRedline


@dataclass
class BundleResult:
    """What one spec's build did."""

    spec: str
    engagement: str | None
    folder: Path | None
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)
    changed_clauses: dict[str, list[str]] = field(default_factory=dict)
    redlines: list[DocumentRedline] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.problems:
            return "failed"
        return "built" if self.written else "up_to_date"

    def to_json(self) -> dict[str, Any]:
        return {
            "spec": self.spec,
            "engagement": self.engagement,
            "status": self.status,
            "folder": str(self.folder) if self.folder else None,
            "written": [str(p) for p in self.written],
            "unchanged": [str(p) for p in self.unchanged],
            "backups": [str(p) for p in self.backups],
            "changed_clauses": self.changed_clauses,
            "redlines": [row for r in self.redlines for row in r.to_json()],
            "errors": [str(p) for p in self.problems],
            "warnings": [str(p) for p in self.warnings],
            "skipped": self.skipped,
        }
