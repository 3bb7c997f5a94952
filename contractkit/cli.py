"""The command line: parse arguments, call one core function, print the outcome.

Exit codes: 0 success, 1 invalid input or refused action, 2 usage error, 3 a requested check
found problems.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from contractkit import __version__
from contractkit.errors import ContractkitError, RefusedError

if TYPE_CHECKING:
    from contractkit.spec import DocumentKey

# Kept here as plain text so that --help and --version need not load the models;
# a test checks they equal the enums.
DOCUMENT_KEYS = ("msa", "nda", "baa", "dpa", "ip_assignment", "exit_schedule")
CLAUSE_POSITIONS = ("any", "customer_favourable", "balanced")

F = TypeVar("F", bound=Callable[..., Any])


def _reports_errors(func: F) -> F:
    """Turn a ContractkitError into one line per problem on stderr and its exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ContractkitError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="contractkit")
def main() -> None:
    """Draft outsourcing agreements and an exit-readiness checklist from an engagement spec."""


@main.command()
@click.argument("path", type=click.Path(path_type=Path), default=Path("engagement.yaml"))
@click.option("--example", metavar="NAME", help="Write a shipped example (e.g. reference).")
@_reports_errors
def init(path: Path, example: str | None) -> None:
    """Write a fully commented engagement spec to PATH (default ./engagement.yaml)."""
    from contractkit.starter import init_spec

    written = init_spec(path, example)
    click.echo(f"wrote {written}", err=True)
    click.echo(f"next: contractkit validate {written}, then contractkit build {written}", err=True)


@main.command()
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@_reports_errors
def validate(specs: tuple[Path, ...], strict: bool) -> None:
    """Check each SPEC and report every problem with its file, line and field."""
    from contractkit.validation import validate_specs

    result = validate_specs(specs)
    for name, problems in result.files.items():
        for problem in problems:
            click.echo(str(problem), err=True)
        errors = sum(p.severity == "error" for p in problems)
        warnings = len(problems) - errors
        if errors:
            click.echo(f"{name}: invalid ({errors} error{'s' * (errors != 1)})", err=True)
        elif strict and warnings:
            click.echo(
                f"{name}: invalid under --strict ({warnings} warning{'s' * (warnings != 1)})",
                err=True,
            )
        else:
            note = f" ({warnings} warning{'s' * (warnings != 1)})" if warnings else ""
            click.echo(f"{name}: valid{note}", err=True)
    if result.failed(strict):
        sys.exit(1)


def _library_option(func: F) -> F:
    return click.option(
        "--library",
        "libraries",
        multiple=True,
        type=click.Path(path_type=Path, file_okay=False),
        help="Overlay clause library searched before the built-in one (repeatable).",
    )(func)


@main.group()
def clauses() -> None:
    """Inspect the clause library."""


@clauses.command("list")
@click.option("--document", type=click.Choice(DOCUMENT_KEYS), help="Only this document.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@_library_option
@_reports_errors
def clauses_list(document: str | None, as_json: bool, libraries: tuple[Path, ...]) -> None:
    """List the clauses in effect, overlays applied."""
    from contractkit.library import clause_listing, load_library
    from contractkit.spec import DocumentKey

    rows = clause_listing(load_library(libraries), DocumentKey(document) if document else None)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    width = max((len(r["id"]) for r in rows), default=2)
    for r in rows:
        click.echo(f"{r['id']:<{width}}  {r['position']:<19}  {r['version']:<7}  {r['title']}")


@clauses.command("show")
@click.argument("clause_id", metavar="ID")
@click.option(
    "--position",
    type=click.Choice(CLAUSE_POSITIONS),
    help="Which alternative to show when a clause has several.",
)
@_library_option
@_reports_errors
def clauses_show(clause_id: str, position: str | None, libraries: tuple[Path, ...]) -> None:
    """Print the clause file that wins for ID, verbatim."""
    from contractkit.library import ClausePosition, find_clause, load_library

    chosen, shadowed = find_clause(
        load_library(libraries), clause_id, ClausePosition(position) if position else None
    )
    for other in shadowed:
        click.echo(f"{chosen.path} shadows {other.path}", err=True)
    click.echo(chosen.text, nl=False)


@main.command()
@click.option(
    "--spec",
    "specs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Render against this spec (repeatable; default: the shipped examples).",
)
@_library_option
@_reports_errors
def lint(specs: tuple[Path, ...], libraries: tuple[Path, ...]) -> None:
    """Check the clause library: front matter, outlines, references, terms, values, Markdown."""
    from contractkit.lint import lint as run_lint

    problems = run_lint(libraries, specs)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"lint: {len(problems)} problem{'s' * (len(problems) != 1)}", err=True)
        sys.exit(1)
    click.echo("lint: clean", err=True)


def _keys(value: str | None) -> tuple[DocumentKey, ...] | None:
    from contractkit.spec import DocumentKey

    if not value:
        return None
    keys = []
    for part in value.split(","):
        try:
            keys.append(DocumentKey(part.strip()))
        except ValueError:
            allowed = ", ".join(k.value for k in DocumentKey)
            raise click.BadParameter(f"'{part}' is not a document key ({allowed})") from None
    return tuple(keys)


def _formats(value: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip() for f in value.split(",") if f.strip()))
    if not formats:
        raise click.BadParameter("name at least one format (docx, pdf)")
    for fmt in formats:
        if fmt not in ("docx", "pdf"):
            raise click.BadParameter(f"'{fmt}' is not a format (docx, pdf)")
    return formats


@main.command()
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
    default="docx,pdf",
    show_default=True,
    help="Comma-separated output formats.",
)
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder with a firm's house templates (agreement.docx, agreement.html.j2, print.css).",
)
@click.option("--force", is_flag=True, help="Overwrite hand-edited outputs after backing them up.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=lambda: os.cpu_count() or 1,
    show_default="CPU count",
    help="Render in this many processes.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on stdout.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@_library_option
@_reports_errors
def build(
    specs: tuple[Path, ...],
    out: Path,
    only: str | None,
    formats: str,
    templates: Path | None,
    force: bool,
    jobs: int,
    as_json: bool,
    quiet: bool,
    libraries: tuple[Path, ...],
) -> None:
    """Write DOCX and PDF drafts for every document that applies to each SPEC (file or folder)."""
    from contractkit.build import BuildOptions
    from contractkit.build import build as run_build

    options = BuildOptions(out, _keys(only), _formats(formats), libraries, templates, force, jobs)
    if quiet or as_json or not sys.stderr.isatty():
        results = run_build(specs, options)
    else:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("rendering", total=None)

            def show(name: str, done: int, total: int) -> None:
                bar.update(task, completed=done, total=total, description=Path(name).name)

            results = run_build(specs, options, show)
    if as_json:
        click.echo(json.dumps([r.to_json() for r in results], indent=2))
    failures = [r for r in results if r.problems]
    for result in results:
        for problem in result.problems:
            click.echo(str(problem), err=True)
        if quiet or as_json or result.problems:
            continue
        for backup in result.backups:
            click.echo(f"backed up {backup}", err=True)
        for path in result.written:
            click.echo(f"wrote {path}", err=True)
        for key, ids in result.changed_clauses.items():
            click.echo(f"{key}: changed clauses {', '.join(ids)}", err=True)
        if result.written:
            click.echo(
                f"{result.engagement}: {len(result.written)} written, "
                f"{len(result.unchanged)} unchanged in {result.folder}",
                err=True,
            )
        else:
            click.echo(f"{result.engagement}: up to date ({result.folder})", err=True)
    if failures:
        click.echo(
            f"build: {len(failures)} of {len(results)} spec{'s' * (len(results) != 1)} failed: "
            + ", ".join(r.spec for r in failures),
            err=True,
        )
        sys.exit(1)


@main.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@_reports_errors
def verify(folder: Path) -> None:
    """List files in a built bundle (OUT/<id>) changed since contractkit wrote them."""
    from contractkit.build import verify as run_verify

    result = run_verify(folder)
    for name in result.changed:
        click.echo(f"changed: {folder / name}")
    for name in result.missing:
        click.echo(f"missing: {folder / name}")
    if result.changed or result.missing:
        count = len(result.changed) + len(result.missing)
        click.echo(f"verify: {count} of {result.checked} files differ from generation", err=True)
        sys.exit(3)
    click.echo(f"verify: {result.checked} files as generated in {folder}", err=True)


@main.command()
@click.argument("spec", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_library_option
@_reports_errors
def coverage(spec: Path, as_json: bool, libraries: tuple[Path, ...]) -> None:
    """Show the clause and section meeting each requirement that applies to SPEC."""
    from contractkit.coverage import coverage_for, coverage_json, uncovered

    rows, _ = coverage_for(spec, libraries)
    if as_json:
        click.echo(json.dumps(coverage_json(rows), indent=2))
    else:
        width = max((len(r.requirement) for r in rows), default=10)
        for row in rows:
            if not row.applies:
                continue
            status = "covered" if row.covered else "NOT COVERED"
            where = ", ".join(f"{c} ({s})" for c, s in zip(row.clauses, row.sections, strict=True))
            click.echo(f"{row.requirement:<{width}}  {status:<11}  {where or '-'}")
    missing = uncovered(rows)
    if missing:
        names = ", ".join(r.requirement for r in missing)
        click.echo(
            f"coverage: {len(missing)} applicable requirement(s) not covered: {names}", err=True
        )
        sys.exit(3)
    click.echo(
        f"coverage: all {sum(r.applies for r in rows)} applicable requirements covered", err=True
    )


@main.command()
@click.argument("spec", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "json", "csv", "pdf", "docx"]),
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
    type=click.Choice(["gap", "needs_input"]),
    help="Exit 3 when an item is a gap (needs_input: or needs input).",
)
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder with a firm's house templates, for pdf and docx.",
)
@_library_option
@_reports_errors
def checklist(
    spec: Path,
    fmt: str,
    output: Path | None,
    exit_notice: Any,
    fail_on: str | None,
    templates: Path | None,
    libraries: tuple[Path, ...],
) -> None:
    """Exit-readiness and SOP-transferability checklist for SPEC."""
    from contractkit.checklist import checklist_for
    from contractkit.checklist_output import failing_items, render_checklist

    notice = exit_notice.date() if exit_notice else None
    result, loaded = checklist_for(spec, libraries, notice)
    data = render_checklist(result, loaded.spec, fmt, templates)
    if output is not None:
        from contractkit.fsutil import write_atomic

        try:
            write_atomic(output, data)
        except OSError as exc:
            raise RefusedError.at(output, f"cannot write: {exc.strerror or exc}") from None
        click.echo(f"wrote {output}", err=True)
    elif fmt in ("pdf", "docx") and sys.stdout.isatty():
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


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "markdown"]),
    default="json",
    show_default=True,
    help="JSON Schema (draft 2020-12), or the field reference as a Markdown table.",
)
def schema(fmt: str) -> None:
    """Print the JSON Schema of the engagement spec (or its field reference)."""
    from contractkit.schema_docs import field_reference_markdown, json_schema

    if fmt == "markdown":
        click.echo(field_reference_markdown(), nl=False)
    else:
        click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))
