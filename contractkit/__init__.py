"""contractkit: draft agreements and an exit-readiness checklist from one engagement spec.

The public API for scripts: ``load_spec``, ``build_bundles`` and ``checklist_for``; loaded on
first use so that ``contractkit --version`` stays fast. (``build_bundles`` is
``contractkit.build.build``: the name ``contractkit.build`` is the build subpackage.)
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "build_bundles", "checklist_for", "load_spec"]


def __getattr__(name: str) -> Any:
    if name == "load_spec":
        from contractkit.loader import load_spec

        return load_spec
    if name == "build_bundles":
        from contractkit.build import build

        return build
    if name == "checklist_for":
        from contractkit.checklist import checklist_for

        return checklist_for
    raise AttributeError(f"module 'contractkit' has no attribute {name!r}")
