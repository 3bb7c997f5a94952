"""What every output format offers a build: its name, its house templates, its cost, its bytes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from contractkit.errors import Problem
    from contractkit.render.house import HouseTemplates
    from contractkit.tree import DocumentTree


class Renderer(Protocol):
    """One output format, registered in ``contractkit.render``.

    Heavy libraries are imported inside ``render`` and ``warm_up`` only: every command reads the
    registry, ``contractkit --version`` included.
    """

    @property
    def kind(self) -> str:
        """The ``--format`` name, and the suffix of the files it writes."""
        ...

    @property
    def template_names(self) -> tuple[str, ...]:
        """The house template files it reads; a firm's templates folder may replace each one."""
        ...

    @property
    def cost(self) -> int:
        """Rendering time per printed byte, relative to DOCX's 1: the costliest jobs go first."""
        ...

    def render(self, tree: DocumentTree, templates: HouseTemplates) -> bytes:
        """The file's bytes; the same tree and templates give the same bytes."""
        ...

    def warm_up(self) -> None:
        """Pay one-off start-up costs in a fresh worker, while the first specs are assembled."""
        ...

    def check_templates(self, templates: HouseTemplates) -> list[Problem]:
        """Every way its template files break what ``render`` relies on, each located."""
        ...
