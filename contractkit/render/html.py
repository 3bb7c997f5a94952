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

from jinja2 import Template, TemplateError
from markupsafe import Markup, escape

from contractkit.errors import TemplateError as ContractkitTemplateError
from contractkit.render.builtin import CSS_TEMPLATE, HTML_TEMPLATE
from contractkit.render.fetch import house_fetcher, refusal_message
from contractkit.render.subsetting import note_subsetter, quiet_weasyprint, weasyprint_subsetter
from contractkit.templating import make_environment
from contractkit.tree import DocumentTree, Run, bound_runs, text_em


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
    for run in bound_runs(runs):
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


def header_widths(lines: list[str], right: str, size_pt: float, available_pt: float) -> Markup:
    """Widths for the ``@top-left`` and ``@top-right`` page boxes, when both surely fit.

    Left to themselves, WeasyPrint measures both boxes' text (shortest and longest line) on
    every page to share the width out, which cost a fifth of the layout. Where a generous
    estimate of both texts fits on one line each, any widths that hold them print the same
    page, so the estimate's shares are written out; a header that may wrap keeps the automatic
    sharing.
    """
    left = max(_estimate_em(line) for line in lines) * size_pt
    wide = _estimate_em(right) * size_pt
    if not right or left + wide > available_pt:
        return Markup("")
    share = 100 * left / (left + wide)
    return Markup(f"@top-left {{ width: {share:.3f}% }} @top-right {{ width: {100 - share:.3f}% }}")


def _estimate_em(text: str) -> float:
    """An upper bound of the printed width in ems: Times metrics with a margin for a bold or
    fallback face, a full em for any character it does not know."""
    known = "".join(c for c in text if c.isascii())
    return 1.3 * text_em(known) + sum(not c.isascii() for c in text)


@functools.cache
def _compiled(source: str) -> Template:
    """The house HTML template compiled once per process, not once per document."""
    env = make_environment(markup=True)
    env.globals["runs_html"] = runs_html
    env.globals["header_widths"] = header_widths
    env.filters["css_string"] = css_string
    return env.template(source)


def render_html(tree: DocumentTree, templates: Path, css: Path | None = None) -> str:
    """The document as print-ready HTML: the template in ``templates``, with ``css`` (by default
    the print.css beside it) inlined."""
    source = (templates / HTML_TEMPLATE).read_text(encoding="utf-8")
    style = Markup((css or templates / CSS_TEMPLATE).read_text(encoding="utf-8"))
    try:
        return _compiled(source).render(tree=tree, css=style)
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        raise ContractkitTemplateError.at(
            templates / HTML_TEMPLATE, f"template error: {exc}", line
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
    with quiet_weasyprint():
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration
    note_subsetter(weasyprint_subsetter())

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


def render_pdf(
    tree: DocumentTree, templates: Path, *, css: Path | None = None, base: Path | None = None
) -> bytes:
    """The PDF bytes for one document tree, reproducible for the same tree.

    ``base`` is where relative URLs are found (default: the template's folder).
    """
    html = render_html(tree, templates, css)
    return html_to_pdf(html, base or templates, tree.metadata["epoch"])


def html_to_pdf(html: str, base: Path, epoch: str) -> bytes:
    """Print-ready HTML as PDF bytes, the same for the same HTML and ``epoch`` (may be empty)."""
    engine, fonts = pdf_engine()
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    fetcher, refused = house_fetcher(base)
    document = engine(string=html, base_url=str(base), url_fetcher=fetcher)
    # WeasyPrint's font subsetting dates each embedded font by the clock unless this is set in
    # the process; an undated build dates them 1970 (the PDF itself then carries no date).
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch or "0"
    try:
        result = document.write_pdf(
            pdf_identifier=identifier, custom_metadata=True, font_config=fonts
        )
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    if refused:
        raise ContractkitTemplateError.at(base / HTML_TEMPLATE, refusal_message(refused))
    assert isinstance(result, bytes)
    return result
