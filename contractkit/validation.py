"""``contractkit validate``: check several specs and report every problem of each."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from contractkit.errors import ContractkitError, Problem
from contractkit.loader import load_spec


@dataclass
class ValidationResult:
    """What was found in each file, in the order given."""

    files: dict[str, list[Problem]] = field(default_factory=dict)

    def failed(self, strict: bool) -> list[str]:
        """Files with errors (or, when strict, with warnings)."""
        return [
            name
            for name, problems in self.files.items()
            if any(p.severity == "error" or strict for p in problems)
        ]


def validate_specs(paths: Iterable[Path]) -> ValidationResult:
    """Load every spec, gathering errors instead of stopping at the first bad file."""
    result = ValidationResult()
    for path in paths:
        try:
            result.files[str(path)] = load_spec(path).warnings
        except ContractkitError as exc:
            result.files[str(path)] = exc.problems
    return result
