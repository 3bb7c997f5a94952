"""Measurements bench.py takes inside one process: layout cost by stylesheet, and where a cold
build's CPU time goes. Run as ``python benchmarks/probes.py layout|breakdown [ROUNDS]``; each
prints one JSON object. CPU time (``time.process_time``), so other load on the machine counts
less than it would in wall time; interleaved rounds, the fastest of each kept.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).resolve().parent.parent / "examples" / "reference.yaml"
MINIMAL = (
    "@page { size: letter; margin: 1in } "
    "html { font-family: 'Liberation Serif', serif; font-size: 11pt; line-height: 1.265 } "
    "body { margin: 0 }"
)


def minimal_stylesheet(html: str) -> str:
    """The same markup with the house stylesheet (and the page header) replaced by page size,
    margins and font."""
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return html.replace("</head>", f"<style>{MINIMAL}</style></head>")


def plain_paragraphs(html: str) -> str:
    """The same text, each line of the body's markup one plain paragraph, minimal style."""
    body = html.split("<body", 1)[1]
    lines = [line.strip() for line in re.sub(r"<[^>]+>", " ", body).splitlines()]
    paragraphs = "".join(f"<p>{line}</p>" for line in lines if line)
    return f"<html><head><style>{MINIMAL}</style></head><body>{paragraphs}</body></html>"


def _reference_trees() -> list[Any]:
    from contractkit.assemble import assemble
    from contractkit.library import load_library
    from contractkit.loader import load_spec

    return assemble(load_spec(REFERENCE).spec, load_library(()))


def layout(rounds: int) -> dict[str, Any]:
    """Laying out the reference documents three ways: house stylesheet, minimal stylesheet over
    the same markup, and the text as plain paragraphs; and drawing the house PDFs."""
    from contractkit.render.house import resolve_templates
    from contractkit.render.html import pdf_engine, render_html
    from contractkit.render.subsetting import weasyprint_subsetter

    folder = resolve_templates(None).path("agreement.html.j2").parent
    house = [render_html(tree, folder) for tree in _reference_trees()]
    variants = {
        "house": house,
        "minimal": [minimal_stylesheet(h) for h in house],
        "plain": [plain_paragraphs(h) for h in house],
    }
    engine, fonts = pdf_engine()
    engine(string="<p>warm</p>").write_pdf(font_config=fonts)
    best = dict.fromkeys(variants, float("inf"))
    pages = dict.fromkeys(variants, 0)
    drawing = float("inf")
    for _ in range(rounds):
        for name, documents in variants.items():
            laid_out = []
            start = time.process_time()
            for html in documents:
                laid_out.append(engine(string=html, base_url=str(folder)).render(font_config=fonts))
            best[name] = min(best[name], time.process_time() - start)
            pages[name] = sum(len(d.pages) for d in laid_out)
            if name == "house":
                start = time.process_time()
                for document in laid_out:
                    document.write_pdf()
                drawing = min(drawing, time.process_time() - start)
    return {"layout": best, "pages": pages, "drawing": drawing, "subsetter": weasyprint_subsetter()}


def breakdown() -> dict[str, float]:
    """CPU seconds of each step of building the reference bundle serially in a fresh process."""
    steps: dict[str, float] = {}
    mark = time.process_time()

    def step(name: str) -> None:
        nonlocal mark
        now = time.process_time()
        steps[name] = steps.get(name, 0.0) + now - mark
        mark = now

    import contractkit.build as build  # the models, the library and assembly code

    step("imports: contractkit")
    from contractkit.build.plan import BuildOptions, plan_bundle
    from contractkit.loader import load_spec
    from contractkit.render import renderer
    from contractkit.render.house import resolve_templates

    loaded = load_spec(REFERENCE)
    templates = resolve_templates(None)
    step("spec and templates: read and check")
    options = BuildOptions(out=Path("unused"), jobs=1)
    plan = plan_bundle(loaded, options, templates)
    step("assembly, reports and planning")
    import docx  # noqa: F401
    import docxtpl  # noqa: F401

    step("imports: DOCX writers")
    from contractkit.render.html import pdf_engine

    engine, fonts = pdf_engine()
    engine(string="<p>warm</p>").write_pdf(font_config=fonts)
    step("imports: WeasyPrint, and fonts loaded")
    from contractkit.render.html import render_html

    folder = templates.path("agreement.html.j2").parent
    for output in plan.outputs:
        if output.tree is None:
            continue
        if output.kind == "pdf":
            html = render_html(output.tree, folder)
            step("PDF: HTML from the template")
            document = engine(string=html, base_url=str(folder)).render(font_config=fonts)
            step("PDF: layout")
            document.write_pdf(font_config=fonts)
            step("PDF: drawing and font subsetting")
        else:
            renderer(output.kind).render(output.tree, templates)
            step(f"{output.kind.upper()}: writing")
    del build
    return steps


if __name__ == "__main__":
    if sys.argv[1] == "layout":
        print(json.dumps(layout(int(sys.argv[2]) if len(sys.argv) > 2 else 3)))
    else:
        print(json.dumps(breakdown()))
