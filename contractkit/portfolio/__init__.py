"""Exit readiness across every engagement: which could be exited tomorrow, what is stale, what
falls due, and where critical work is concentrated."""

from __future__ import annotations

from contractkit.portfolio.collect import EXIT_BLOCKERS, collect
from contractkit.portfolio.model import Deadline, EngagementStanding, Portfolio

__all__ = [
    "EXIT_BLOCKERS",
    "FORMATS",
    "Deadline",
    "EngagementStanding",
    "Portfolio",
    "collect",
    "report",
]

FORMATS = ("html", "json", "csv")


def report(portfolio: Portfolio, fmt: str) -> bytes:
    """The portfolio in one format, as the bytes to write."""
    if fmt == "json":
        from contractkit.portfolio.data import to_json

        return to_json(portfolio).encode("utf-8")
    if fmt == "csv":
        from contractkit.portfolio.data import to_csv

        return to_csv(portfolio)
    from contractkit.portfolio.html import to_html

    return to_html(portfolio).encode("utf-8")
