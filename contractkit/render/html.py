"""HTML and PDF renderer: the same tree through a Jinja house template, then WeasyPrint.

WeasyPrint is imported only inside ``render_pdf`` because importing it costs most of a second.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from markupsafe import Markup

from contractkit.templating import make_environment
from contractkit.tree import DocumentTree


def render_html(tree: DocumentTree, templates: Path) -> str:
    """The document as print-ready HTML."""
    env = make_environment(markup=True)
    source = (templates / "agreement.html.j2").read_text(encoding="utf-8")
    css = Markup((templates / "print.css").read_text(encoding="utf-8"))
    return env.from_string(source).render(tree=tree, css=css)


def render_pdf(tree: DocumentTree, templates: Path) -> bytes:
    """The PDF bytes for one document tree, reproducible for the same tree."""
    from weasyprint import HTML

    html = render_html(tree, templates)
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    document = HTML(string=html, base_url=str(templates))
    # WeasyPrint's font subsetting reads the clock unless this is set in the process.
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = tree.metadata["epoch"]
    try:
        result = document.write_pdf(pdf_identifier=identifier, custom_metadata=True)
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    assert isinstance(result, bytes)
    return result
