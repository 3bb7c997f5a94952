"""What the ``playbook`` and ``review`` commands do, behind the command line."""

from __future__ import annotations

from pathlib import Path

from contractkit.errors import RefusedError
from contractkit.playbook.review import MarkupReview, review_markup, to_json, to_markdown

PLAYBOOK_FORMATS = ("md", "pdf", "docx")


def playbook_bytes(
    spec_path: Path, fmt: str, libraries: tuple[Path, ...] = (), templates: Path | None = None
) -> bytes:
    """The engagement's playbook in one format."""
    from contractkit.assemble import assemble
    from contractkit.library import load_library
    from contractkit.loader import load_spec
    from contractkit.playbook.report import playbook_entries, to_markdown, to_tree

    loaded = load_spec(spec_path)
    library = load_library(libraries)
    entries = playbook_entries(assemble(loaded.spec, library), library)
    engagement = loaded.spec.engagement
    if fmt == "md":
        return to_markdown(entries, engagement.id, engagement.title).encode("utf-8")
    from contractkit import render
    from contractkit.render.house import resolve_templates

    return render.renderer(fmt).render(to_tree(entries, loaded.spec), resolve_templates(templates))


def run_review(
    markup: Path, bundle: Path, out: Path | None, libraries: tuple[Path, ...] = ()
) -> tuple[MarkupReview, str, str, list[Path]]:
    """The review, its Markdown and JSON, and the files written into ``out``."""
    review = review_markup(markup, bundle, libraries)
    markdown, data = to_markdown(review), to_json(review)
    written: list[Path] = []
    if out is not None:
        from contractkit.playbook.respond import response_docx

        if out.exists() and not out.is_dir():
            raise RefusedError.at(out, "-o names a file; give a folder for the review outputs")
        response = response_docx(review)
        out.mkdir(parents=True, exist_ok=True)
        stem = markup.stem
        for name, content in (
            (f"{stem}.review.md", markdown.encode("utf-8")),
            (f"{stem}.review.json", (data + "\n").encode("utf-8")),
            (f"{stem}.response.docx", response),
        ):
            path = out / name
            path.write_bytes(content)
            written.append(path)
    return review, markdown, data, written
