"""contractkit: draft agreements and an exit-readiness checklist from one engagement spec."""

from __future__ import annotations

from contractkit.loader import load_spec

__version__ = "0.1.0"
__all__ = ["__version__", "load_spec"]
