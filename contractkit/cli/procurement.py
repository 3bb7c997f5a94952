"""Commands for the customer's side of an engagement's life: the exit-readiness checklist of
one spec and the portfolio view across many."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from contractkit import render
from contractkit.cli.common import evidence_options, library_option, reports_errors, shown
from contractkit.errors import RefusedError
from contractkit.suggest import SuggestingChoice


@click.command()
@click.argument("spec", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=SuggestingChoice(["md", "json", "csv", *render.formats()]),
    default="md",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to FILE instead of standard output.",
)
@click.option(
    "--exit-notice",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Date of an exit notice (YYYY-MM-DD): dates the exit runbook.",
)
@click.option(
    "--fail-on",
    type=SuggestingChoice(["gap", "needs_input"]),
    help="Exit 3 when an item is a gap or stale (needs_input: or needs input).",
)
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False),
    help=f"Folder with a firm's house templates, for {' and '.join(render.formats())}.",
)
@evidence_options
@library_option
@reports_errors
def checklist(
    spec: Path,
    fmt: str,
    output: Path | None,
    exit_notice: Any,
    fail_on: str | None,
    templates: Path | None,
    evidence: Path | None,
    as_of: Any,
    libraries: tuple[Path, ...],
) -> None:
    """Exit-readiness and SOP-transferability checklist for SPEC.

    With an evidence file (--evidence, or SPEC's <stem>.evidence.yaml beside it) each item is
    also judged on what has happened, as of --as-of (else the file's as_of, else today).
    """
    from contractkit.checklist import checklist_for
    from contractkit.checklist.output import failing_items, render_checklist

    notice = exit_notice.date() if exit_notice else None
    result, loaded = checklist_for(
        spec, libraries, notice, evidence, as_of.date() if as_of else None
    )
    data = render_checklist(result, loaded.spec, fmt, templates)
    if output is not None:
        from contractkit.fsutil import write_atomic

        try:
            write_atomic(output, data)
        except OSError as exc:
            raise RefusedError.at(output, f"cannot write: {exc.strerror or exc}") from None
        click.echo(f"wrote {output}", err=True)
    elif fmt in render.RENDERERS and sys.stdout.isatty():
        raise click.UsageError(f"{fmt} is binary: write it to a file with -o FILE")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    if fail_on:
        failing = failing_items(result, fail_on)
        for item in failing:
            click.echo(f"{item.status}: {item.id}: {item.title}", err=True)
        if failing:
            click.echo(
                f"checklist: {len(failing)} item{'s' * (len(failing) != 1)} not ready", err=True
            )
            sys.exit(3)


@click.command()
@click.argument(
    "folders", nargs=-1, required=True, type=click.Path(path_type=Path, file_okay=False)
)
@click.option(
    "--evidence-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder of <spec stem>.evidence.yaml files (default: beside each spec).",
)
@click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Judge every engagement as of this date (YYYY-MM-DD; default today).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to FILE instead of standard output.",
)
@click.option(
    "--format",
    "fmt",
    type=SuggestingChoice(["html", "json", "csv"]),
    default="html",
    show_default=True,
    help="One self-contained HTML page, or the same numbers as JSON or CSV.",
)
@library_option
@reports_errors
def portfolio(
    folders: tuple[Path, ...],
    evidence_dir: Path | None,
    as_of: Any,
    output: Path | None,
    fmt: str,
    libraries: tuple[Path, ...],
) -> None:
    """Exit readiness of every engagement whose spec is in FOLDERS: which could be exited now,
    scores by layer, stale evidence, deadlines and concentration."""
    import datetime as dt

    from contractkit.portfolio import collect, report

    result = collect(folders, evidence_dir, as_of.date() if as_of else dt.date.today(), libraries)
    data = report(result, fmt)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from contractkit.fsutil import write_atomic

    try:
        write_atomic(output, data)
    except OSError as exc:
        raise RefusedError.at(output, f"cannot write: {exc.strerror or exc}") from None
    blocked = len(result.not_exitable)
    click.echo(
        f"wrote {shown(output)}: {len(result.engagements)} engagements, {blocked} could not be "
        "exited now",
        err=True,
    )
