"""The formats contractkit ships: DOCX through the house Word template, PDF through the HTML
template and WeasyPrint.

Each imports its writer only when it is used, so reading the registry costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contractkit.errors import Problem
    from contractkit.redline.model import Comparison, Redline
    from contractkit.render.house import HouseTemplates
    from contractkit.tree import DocumentTree

DOCX_TEMPLATE = "agreement.docx"
HTML_TEMPLATE = "agreement.html.j2"
CSS_TEMPLATE = "print.css"


class DocxRenderer:
    """Word documents counsel edit: the tree as WordprocessingML inside the house template."""

    kind = "docx"
    template_names = (DOCX_TEMPLATE,)
    cost = 1

    def render(self, tree: DocumentTree, templates: HouseTemplates) -> bytes:
        from contractkit.render.docx import render_docx

        return render_docx(tree, templates.path(DOCX_TEMPLATE))

    def render_redline(
        self, redline: Redline, comparison: Comparison, templates: HouseTemplates
    ) -> bytes:
        """The new document with every change a Word tracked change."""
        from contractkit.redline.docx import render_redline_docx

        return render_redline_docx(redline, templates.path(DOCX_TEMPLATE))

    def warm_up(self) -> None:
        """Nothing to pay up front: writing a DOCX starts fast."""

    def check_templates(self, templates: HouseTemplates) -> list[Problem]:
        from contractkit.render.house import check_docx_template

        return check_docx_template(templates.path(DOCX_TEMPLATE))


class PdfRenderer:
    """PDF drafts to read: the tree through the HTML template, laid out by WeasyPrint."""

    kind = "pdf"
    template_names = (HTML_TEMPLATE, CSS_TEMPLATE)
    # A page costs about this many times more to lay out as PDF than to write as DOCX.
    cost = 20

    def render(self, tree: DocumentTree, templates: HouseTemplates) -> bytes:
        from contractkit.render.html import render_pdf

        return render_pdf(
            tree,
            templates.path(HTML_TEMPLATE).parent,
            css=templates.path(CSS_TEMPLATE),
            base=templates.base_folder(self),
        )

    def render_redline(
        self, redline: Redline, comparison: Comparison, templates: HouseTemplates
    ) -> bytes:
        """Each changed clause marked up, after a page saying what was compared."""
        from contractkit.redline.pdf import render_redline_pdf

        return render_redline_pdf(redline, comparison, templates.path(CSS_TEMPLATE))

    def warm_up(self) -> None:
        from contractkit.render.html import warm_up

        warm_up()

    def check_templates(self, templates: HouseTemplates) -> list[Problem]:
        from contractkit.render.house import check_html_template

        return check_html_template(templates.path(HTML_TEMPLATE))
