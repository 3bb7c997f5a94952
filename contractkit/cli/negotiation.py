"""Commands for negotiating a draft: the playbook to negotiate from, and a review of the
vendor's markup against it."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from contractkit.cli.common import library_option, reports_errors, shown


@click.command()
@click.argument("spec", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "pdf", "docx"]),
    default="md",
    show_default=True,
    help="Output format.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write here.")
@library_option
@reports_errors
def playbook(spec: Path, fmt: str, output: Path | None, libraries: tuple[Path, ...]) -> None:
    """Print the negotiation playbook for SPEC: clauses in effect, fallbacks and walk-aways."""
    from contractkit.playbook.run import playbook_bytes

    data = playbook_bytes(spec, fmt, libraries)
    if output is None and fmt != "md":
        raise click.UsageError(f"--format {fmt} writes a binary file; name it with -o FILE")
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    output.write_bytes(data)
    click.echo(f"wrote {shown(output)}", err=True)


@click.command()
@click.argument("markup", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--bundle",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="The bundle the document came from (OUT/<engagement id>).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of Markdown.")
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Also write the review and a response DOCX with comments into this folder.",
)
@library_option
@reports_errors
def review(
    markup: Path, bundle: Path, as_json: bool, out: Path | None, libraries: tuple[Path, ...]
) -> None:
    """Read the vendor's markup of a bundle's DOCX and judge every change against the playbook.

    Exit 0 when every change is within a fallback or cosmetic, 3 when counsel must look.
    """
    from contractkit.playbook.run import run_review

    result, markdown, data, written = run_review(markup, bundle, out, libraries)
    click.echo(data if as_json else markdown, nl=as_json)
    for path in written:
        click.echo(f"wrote {shown(path)}", err=True)
    summary = result.summary()
    click.echo(
        f"review: {summary['changes']} changes in {result.document}: {summary['fallback']} "
        f"fallback, {summary['beyond_walk_away']} beyond walk-away, {summary['not_in_playbook']} "
        f"not in playbook, {summary['cosmetic']} cosmetic, {summary['untracked']} untracked",
        err=True,
    )
    sys.exit(result.exit_code)
