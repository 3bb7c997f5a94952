"""Commands that read bundles build wrote: ``redline`` compares two, ``verify`` finds files
changed since they were written."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from contractkit.cli.common import document_keys, reports_errors, shown


def _redline_formats(value: str) -> tuple[str, ...]:
    from contractkit.redline.renderers import redline_formats

    formats = tuple(dict.fromkeys(f.strip() for f in value.split(",") if f.strip()))
    known = ", ".join(redline_formats())
    if not formats or any(f not in redline_formats() for f in formats):
        raise click.BadParameter(f"'{value}': name formats that print redlines ({known})")
    return formats


@click.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the redlines [default: NEW/internal/redline-vs-<OLD's id or folder name>].",
)
@click.option("--only", metavar="KEYS", help="Comma-separated document keys (e.g. msa,nda).")
@click.option(
    "--format",
    "formats",
    metavar="FORMATS",
    default="docx,pdf",
    show_default=True,
    help="Comma-separated redline formats.",
)
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder with a firm's house templates.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the changed clauses as JSON.")
@reports_errors
def redline(
    old: Path,
    new: Path,
    out: Path | None,
    only: str | None,
    formats: str,
    templates: Path | None,
    as_json: bool,
) -> None:
    """Redline each document of bundle NEW against bundle OLD (folders written by build).

    Exit 0 when nothing changed, 3 when something did.
    """
    from contractkit.redline.bundle import compare_bundles, summary_json
    from contractkit.render.house import resolve_templates

    keys = document_keys(only)
    result = compare_bundles(
        old,
        new,
        out,
        tuple(k.value for k in keys) if keys else None,
        _redline_formats(formats),
        resolve_templates(templates),
    )
    if as_json:
        click.echo(summary_json(result.documents))
    for path in result.written:
        click.echo(f"wrote {path}", err=True)
    for document in result.documents:
        click.echo(document.line(document.files[0] if document.files else ""), err=True)
    if result.changed:
        count = len(result.documents)
        click.echo(f"redline: {count} document{'s' * (count != 1)} changed", err=True)
        sys.exit(3)
    click.echo(f"redline: no changes between {old} and {new}", err=True)


@click.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@reports_errors
def verify(folder: Path) -> None:
    """List files in a built bundle (OUT/<id>), or in each bundle in OUT, changed since
    contractkit wrote them."""
    from contractkit.build import verify_bundles

    results = verify_bundles(folder)
    differing = 0
    for result in results:
        for name in result.changed:
            click.echo(f"changed: {shown(result.folder / name)}")
        for name in result.missing:
            click.echo(f"missing: {shown(result.folder / name)}")
        count = len(result.changed) + len(result.missing)
        differing += bool(count)
        where = f" in {shown(result.folder)}" if len(results) > 1 else ""
        if count:
            click.echo(
                f"verify: {count} of {result.checked} files differ from generation{where}",
                err=True,
            )
        else:
            click.echo(
                f"verify: {result.checked} files as generated in {shown(result.folder)}", err=True
            )
    if len(results) > 1:
        click.echo(
            f"verify: {len(results)} bundles in {shown(folder)}, {differing} with files that "
            "differ from generation",
            err=True,
        )
    if differing:
        sys.exit(3)
