"""``build``: write each spec's bundle (or answer from the last one when nothing changed), and
say what it did."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from contractkit import render
from contractkit.cli.common import (
    document_keys,
    evidence_options,
    library_option,
    output_formats,
    reports_errors,
    shown,
)
from contractkit.interrupt import stop_on_signals
from contractkit.outcome import BundleResult


@click.command()
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("out"),
    show_default=True,
    help="Output folder; each engagement gets OUT/<engagement.id>/.",
)
@click.option("--only", metavar="KEYS", help="Comma-separated document keys (e.g. msa,nda).")
@click.option(
    "--format",
    "formats",
    metavar="FORMATS",
    default=",".join(render.formats()),
    show_default=True,
    help="Comma-separated output formats.",
)
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False),
    help=f"Folder with any of a firm's house templates ({', '.join(render.template_names())}); "
    "the rest are built in.",
)
@click.option("--force", is_flag=True, help="Overwrite hand-edited outputs after backing them up.")
@click.option(
    "--no-redline",
    is_flag=True,
    help="Do not write redlines of the documents that changed since the last build.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=lambda: os.cpu_count() or 1,
    show_default="CPU count",
    help="Render in this many processes.",
)
@click.option("--strict", is_flag=True, help="Treat the spec's warnings as errors.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on stdout.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option(
    "--watch",
    is_flag=True,
    help="Build, then rebuild whenever a spec, --library or --templates file changes (Ctrl-C "
    "stops).",
)
@evidence_options
@library_option
@reports_errors
def build(
    specs: tuple[Path, ...],
    out: Path,
    only: str | None,
    formats: str,
    templates: Path | None,
    force: bool,
    no_redline: bool,
    jobs: int,
    strict: bool,
    as_json: bool,
    quiet: bool,
    watch: bool,
    evidence: Path | None,
    as_of: Any,
    libraries: tuple[Path, ...],
) -> None:
    """Write DOCX and PDF drafts for every document that applies to each SPEC (file or folder)."""
    from contractkit.uptodate import up_to_date

    keys, kinds = document_keys(only), output_formats(formats)
    if quiet:
        import logging

        logging.getLogger("contractkit").setLevel(logging.ERROR)
    if watch and as_json:
        raise click.UsageError("--watch prints each rebuild as it happens; drop --json")
    quick = None
    if not watch:
        quick = up_to_date(
            specs,
            out=out,
            only=[k.value for k in keys] if keys is not None else None,
            formats=kinds,
            libraries=libraries,
            templates=templates,
            evidence=evidence,
            as_of=as_of.date().isoformat() if as_of else "",
            strict=strict,
        )
    if quick is not None:
        _print_results(quick, quiet=quiet, as_json=as_json, strict=strict)
        return
    from contractkit.build import BuildOptions
    from contractkit.build import build as run_build

    options = BuildOptions(
        out,
        keys,
        kinds,
        libraries,
        templates,
        force,
        jobs,
        not no_redline,
        evidence,
        as_of.date() if as_of else None,
        strict,
    )
    if watch:
        from contractkit.build.watch import run_watch

        with stop_on_signals():
            run_watch(
                specs,
                options,
                lambda results: _print_results(
                    results, quiet=quiet, as_json=False, strict=strict, exit_on_failure=False
                ),
                lambda line: click.echo(line, err=True),
            )
        return
    with stop_on_signals():
        if quiet or as_json or not sys.stderr.isatty():
            results = run_build(specs, options)
        else:
            from rich.progress import Progress

            with Progress(transient=True) as bar:
                task = bar.add_task("rendering", total=None)

                def show(name: str, done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total, description=Path(name).name)

                results = run_build(specs, options, show)
    _print_results(results, quiet=quiet, as_json=as_json, strict=strict)


def _print_results(
    results: Sequence[BundleResult],
    *,
    quiet: bool,
    as_json: bool,
    strict: bool,
    exit_on_failure: bool = True,
) -> None:
    """What each spec's build did, and a summary of failures, then exit 1 (a watch goes on:
    ``exit_on_failure`` false)."""
    if as_json:
        click.echo(json.dumps([r.to_json() for r in results], indent=2))
    failures = [r for r in results if r.problems]
    for result in results:
        if not (quiet or strict):
            for warning in result.warnings:
                click.echo(str(warning), err=True)
        for problem in result.problems:
            click.echo(str(problem), err=True)
        if quiet or as_json or result.problems:
            continue
        for backup in result.backups:
            click.echo(f"backed up {shown(backup)}", err=True)
        for path in result.written:
            click.echo(f"wrote {shown(path)}", err=True)
        for key, ids in result.changed_clauses.items():
            click.echo(f"{key}: changed clauses {', '.join(ids)}", err=True)
        for redline in result.redlines:
            click.echo(redline.line(redline.files[0]), err=True)
        if result.skipped:
            click.echo(
                f"{result.engagement}: skipped (not in --only): {', '.join(result.skipped)}; "
                "the internal reports cover every document",
                err=True,
            )
        if result.written:
            click.echo(
                f"{result.engagement}: {len(result.written)} written, "
                f"{len(result.unchanged)} unchanged in {shown(result.folder)}",
                err=True,
            )
        else:
            click.echo(f"{result.engagement}: up to date ({shown(result.folder)})", err=True)
    if failures:
        click.echo(
            f"build: {len(failures)} of {len(results)} spec{'s' * (len(results) != 1)} failed: "
            + ", ".join(shown(r.spec) for r in failures),
            err=True,
        )
        if exit_on_failure:
            sys.exit(1)
