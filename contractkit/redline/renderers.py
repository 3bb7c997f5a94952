"""Which registered formats can print a redline, and printing one.

A format offers redlines by giving its renderer a ``render_redline`` method; the built-in DOCX
and PDF renderers do, so ``--format`` names the same formats for drafts and for redlines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from contractkit import render

if TYPE_CHECKING:
    from contractkit.redline.model import Comparison, Redline
    from contractkit.render.house import HouseTemplates


@runtime_checkable
class RedlineRenderer(Protocol):
    """A renderer that can also print a redline of its format."""

    kind: str

    def render_redline(
        self, redline: Redline, comparison: Comparison, templates: HouseTemplates
    ) -> bytes:
        """The redline's bytes; the same redline and templates give the same bytes."""
        ...


def redline_formats() -> tuple[str, ...]:
    """Every registered format that prints redlines, in registration order."""
    return tuple(k for k, r in render.RENDERERS.items() if isinstance(r, RedlineRenderer))


def render_redline(
    kind: str, redline: Redline, comparison: Comparison, templates: HouseTemplates
) -> bytes:
    """One redline file of format ``kind``."""
    renderer = render.renderer(kind)
    if not isinstance(renderer, RedlineRenderer):
        raise KeyError(kind)
    return renderer.render_redline(redline, comparison, templates)
