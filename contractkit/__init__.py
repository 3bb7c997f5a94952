"""contractkit: draft agreements and an exit-readiness checklist from one engagement spec.

The public API for scripts: ``load_spec``, ``build`` and ``checklist_for``; loaded on first use
so that ``contractkit --version`` stays fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "build", "checklist_for", "load_spec"]


def __getattr__(name: str) -> Any:
    if name == "load_spec":
        from contractkit.loader import load_spec

        return load_spec
    if name == "build":
        from contractkit.build import build

        return build
    if name == "checklist_for":
        from contractkit.checklist import checklist_for

        return checklist_for
    raise AttributeError(f"module 'contractkit' has no attribute {name!r}")
