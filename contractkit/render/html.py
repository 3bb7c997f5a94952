"""HTML and PDF renderer: the same tree through a Jinja house template, then WeasyPrint.

WeasyPrint is imported only inside ``pdf_engine`` because importing it costs most of a second;
worker processes call it once, up front, so the import overlaps with assembly.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from pathlib import Path
from typing import Any

from jinja2 import TemplateError
from markupsafe import Markup, escape

from contractkit.errors import TemplateError as ContractkitTemplateError
from contractkit.templating import make_environment
from contractkit.tree import DocumentTree, Run


def _wrap(run: Run, text: str) -> str:
    inner = str(escape(text))
    if run.italic:
        inner = f"<em>{inner}</em>"
    if run.bold:
        inner = f"<strong>{inner}</strong>"
    if run.kind == "ref" and run.anchor:
        return f'<a class="ref" href="#{escape(run.anchor)}">{inner}</a>'
    if run.kind == "term" and run.defining:
        return f'<span class="term defining">{inner}</span>'
    if run.kind == "counsel":
        return f'<mark class="counsel">{inner}</mark>'
    if run.kind == "status":
        return f'<span class="status tone-{escape(run.tone or "")}">{inner}</span>'
    return inner


def runs_html(runs: list[Run]) -> Markup:
    """Runs as inline HTML.

    A space before an inline element is moved inside it: WeasyPrint otherwise breaks a line
    that must wrap just before the element after the paragraph's first word.
    """
    parts: list[str] = []
    for run in runs:
        plain = run.kind in ("text", "term") and not (run.bold or run.italic or run.defining)
        if plain:
            parts.append(str(escape(run.text)))
            continue
        text = run.text
        if parts and parts[-1].endswith(" ") and not parts[-1].endswith("> "):
            parts[-1] = parts[-1][:-1]
            text = " " + text
        parts.append(_wrap(run, text))
    return Markup("".join(parts))


def css_string(text: str) -> Markup:
    """Text as a quoted CSS string that is safe inside an HTML ``<style>`` element.

    Anything that could end the string, the rule or the element is written as a CSS escape;
    the space after each escape ends it, so a space that follows in the text survives.
    """
    escaped = re.sub(r"[^\w .,:;()/\-\u00a0-\uffff]", lambda m: f"\\{ord(m.group()):06x} ", text)
    return Markup(f'"{escaped}"')


def render_html(tree: DocumentTree, templates: Path) -> str:
    """The document as print-ready HTML."""
    env = make_environment(markup=True)
    env.globals["runs_html"] = runs_html
    env.filters["css_string"] = css_string
    source = (templates / "agreement.html.j2").read_text(encoding="utf-8")
    css = Markup((templates / "print.css").read_text(encoding="utf-8"))
    try:
        return env.template(source).render(tree=tree, css=css)
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        raise ContractkitTemplateError.at(
            templates / "agreement.html.j2", f"template error: {exc}", line
        ) from None


BASE_CSS = Path(__file__).with_name("base.css")


@functools.cache
def pdf_engine() -> tuple[Any, Any]:
    """WeasyPrint's HTML class with contractkit's base stylesheet, and one font configuration.

    The base stylesheet replaces WeasyPrint's full browser stylesheet (forms, right-to-left
    variants, dozens of counter styles): matching those rules against every element cost a
    sixth of each render. One font configuration per process spares each document the font
    setup and keeps a long batch's memory flat.
    """
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    base = [CSS(filename=str(BASE_CSS))]

    class DraftHTML(HTML):  # type: ignore[misc]
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return base

    return DraftHTML, FontConfiguration()


def warm_up() -> None:
    """Import WeasyPrint and write a one-line PDF, so the first real document starts warm.

    The first PDF of a process also pays for loading fonts and for cffi parsing the C types
    that drawing and font subsetting use; a worker does this while the specs are assembled.
    """
    engine, fonts = pdf_engine()
    engine(string="<p>contractkit <b>draft</b></p>").write_pdf(font_config=fonts)


def render_pdf(tree: DocumentTree, templates: Path) -> bytes:
    """The PDF bytes for one document tree, reproducible for the same tree."""
    engine, fonts = pdf_engine()
    html = render_html(tree, templates)
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    document = engine(string=html, base_url=str(templates))
    # WeasyPrint's font subsetting reads the clock unless this is set in the process.
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = tree.metadata["epoch"]
    try:
        result = document.write_pdf(
            pdf_identifier=identifier, custom_metadata=True, font_config=fonts
        )
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    assert isinstance(result, bytes)
    return result
