"""Renderers: each walks a finished document tree and never decides what a contract says.

The registry below is the one list of output formats: the build, the checklist command, the
house template check and the ``--format`` options all read it. A new format is one module with a
``Renderer`` and one ``register`` line here.
"""

from __future__ import annotations

from contractkit.render.base import Renderer
from contractkit.render.builtin import DocxRenderer, PdfRenderer

RENDERERS: dict[str, Renderer] = {}


def register(new: Renderer) -> None:
    """Offer a format to every command; a later renderer of the same kind replaces the earlier."""
    RENDERERS[new.kind] = new


def unregister(kind: str) -> None:
    """Withdraw a format."""
    del RENDERERS[kind]


def renderer(kind: str) -> Renderer:
    """The renderer of one format; KeyError when none is registered."""
    return RENDERERS[kind]


def formats() -> tuple[str, ...]:
    """Every registered format, in registration order (the default of ``--format``)."""
    return tuple(RENDERERS)


def template_names() -> tuple[str, ...]:
    """Every house template file some renderer reads, each once."""
    return tuple(dict.fromkeys(n for r in RENDERERS.values() for n in r.template_names))


register(DocxRenderer())
register(PdfRenderer())
