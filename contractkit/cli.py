"""The command line: parse arguments, call one core function, print the outcome.

Exit codes: 0 success, 1 invalid input or refused action, 2 usage error, 3 a requested check
found problems (or, for ``redline``, changes).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from contractkit import __version__, render
from contractkit.documents import DOCUMENTS, KEYS, DocumentKey
from contractkit.errors import ContractkitError, Problem, RefusedError, printable
from contractkit.interrupt import TERMINATED_EXIT, Terminated, stop_on_signals
from contractkit.outcome import BundleResult
from contractkit.suggest import SuggestingChoice, did_you_mean

# Kept here as plain text so that --help and --version need not load the models;
# a test checks they equal the enum.
CLAUSE_POSITIONS = ("any", "customer_favourable", "balanced")
OPERATING_MODELS = ("project", "dedicated_team", "flexible", "hybrid")

F = TypeVar("F", bound=Callable[..., Any])
# A document's file stem, as people type it for its key: ip-assignment for ip_assignment.
STEM_KEYS = {info.stem: info.key.value for info in DOCUMENTS if info.stem != info.key.value}


def _reports_errors(func: F) -> F:
    """Turn a ContractkitError into one line per problem on stderr and its exit code.

    With ``--json`` every failure is also a JSON object on stdout, and SIGTERM ends a command
    with one line and exit 143.
    """

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        as_json = bool(kwargs.get("as_json"))
        try:
            return func(*args, **kwargs)
        except ContractkitError as exc:
            if as_json:
                click.echo(_json_error(exc.exit_code, exc.problems))
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            if as_json:
                click.echo(_json_error(exc.exit_code, [], exc.format_message()))
            raise
        except Terminated:
            message = "stopped by SIGTERM; bundles not yet written were left as they were"
            if as_json:
                click.echo(_json_error(TERMINATED_EXIT, [], message))
            click.echo(f"contractkit: {message}", err=True)
            sys.exit(TERMINATED_EXIT)

    return wrapper  # type: ignore[return-value]


def _json_error(code: int, problems: list[Problem], message: str | None = None) -> str:
    """A failure as the JSON object ``--json`` prints on stdout."""
    errors = [
        {
            "file": p.location.file,
            "line": p.location.line,
            "column": p.location.column,
            "field": p.location.path or None,
            "severity": p.severity,
            "message": p.message,
            "text": str(p),
        }
        for p in problems
    ]
    if message is not None:
        errors.append(
            {"file": None, "line": None, "column": None, "field": None, "severity": "error",
             "message": message, "text": message}
        )  # fmt: skip
    return json.dumps({"status": "error", "exit_code": code, "errors": errors}, indent=2)


def _shown(path: object) -> str:
    """A path as printed: control characters escaped, so a name cannot fake a line."""
    return printable(str(path))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="contractkit")
def main() -> None:
    """Draft outsourcing agreements and an exit-readiness checklist from an engagement spec."""


def _example_help() -> str:
    from contractkit.resources import example_names

    return f"Write a shipped example verbatim: {', '.join(example_names())}."


@main.command()
@click.argument("path", type=click.Path(path_type=Path), required=False)
@click.option("--example", metavar="NAME", help=_example_help())
@click.option(
    "--model",
    type=SuggestingChoice(OPERATING_MODELS),
    help="Operating model of the skeleton (default hybrid).",
)
@_reports_errors
def init(path: Path | None, example: str | None, model: str | None) -> None:
    """Write a commented engagement spec to PATH (default ./engagement.yaml, or NAME.yaml with
    --example NAME).

    Every value that names a party, a person, an amount or a sub-processor is a placeholder
    that validate refuses until it is replaced.
    """
    from contractkit.starter import default_path, init_spec

    if example and model:
        raise click.UsageError("--example writes a shipped example as it is; drop --model")
    written = init_spec(path or default_path(example), example, model)
    click.echo(f"wrote {_shown(written)}", err=True)
    click.echo(
        f"next: contractkit validate {_shown(written)}, then contractkit build {_shown(written)}",
        err=True,
    )


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


def _evidence_options(func: F) -> F:
    func = click.option(
        "--as-of",
        type=click.DateTime(["%Y-%m-%d"]),
        help="Judge evidence as of this date (YYYY-MM-DD; default: the evidence file's as_of, "
        "else today for a checklist, else its last recorded date for a build).",
    )(func)
    return click.option(
        "--evidence",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Evidence file (default: <spec stem>.evidence.yaml beside the spec, if any).",
    )(func)


@main.group()
def clauses() -> None:
    """Inspect the clause library."""


@clauses.command("list")
@click.option("--document", type=SuggestingChoice(KEYS, STEM_KEYS), help="Only this document.")
@click.option(
    "--spec",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Only the clauses in effect for this engagement (its position and conditions).",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@_library_option
@_reports_errors
def clauses_list(
    document: str | None, spec: Path | None, as_json: bool, libraries: tuple[Path, ...]
) -> None:
    """List the clauses in effect, overlays applied, and where each comes from."""
    from contractkit.library import clause_listing, load_library

    library = load_library(libraries)
    in_effect = None
    if spec is not None:
        from contractkit.assemble import clauses_in_effect
        from contractkit.loader import load_spec

        in_effect = {c.path for c in clauses_in_effect(load_spec(spec).spec, library)}
    rows = clause_listing(library, DocumentKey(document) if document else None, in_effect)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    columns = ("id", "position", "version", "source")
    heading = {"id": "clause", "position": "position", "version": "version"}
    table = [{**heading, "source": "source", "title": "title"}]
    table += [{**r, "source": _shown(r["source"])} for r in rows]
    width = {k: max(len(str(r[k])) for r in table) for k in columns}
    for r in table:
        click.echo("  ".join(f"{r[k]:<{width[k]}}" for k in columns) + f"  {r['title']}")


@clauses.command("show")
@click.argument("clause_id", metavar="ID")
@click.option(
    "--position",
    type=SuggestingChoice(CLAUSE_POSITIONS),
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
    if not value:
        return None
    keys = []
    for part in value.split(","):
        try:
            keys.append(DocumentKey(part.strip()))
        except ValueError:
            allowed = ", ".join(KEYS)
            hint = did_you_mean(part.strip(), KEYS, STEM_KEYS)
            raise click.BadParameter(
                f"'{part}' is not a document key ({allowed}){hint}", param_hint="'--only'"
            ) from None
    return tuple(keys)


def _formats(value: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip() for f in value.split(",") if f.strip()))
    known = ", ".join(render.formats())
    if not formats:
        raise click.BadParameter(f"name at least one format ({known})", param_hint="'--format'")
    for fmt in formats:
        if fmt not in render.RENDERERS:
            hint = did_you_mean(fmt, render.formats())
            raise click.BadParameter(
                f"'{fmt}' is not a format ({known}){hint}", param_hint="'--format'"
            )
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
@_evidence_options
@_library_option
@_reports_errors
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

    keys, kinds = _keys(only), _formats(formats)
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
            click.echo(f"backed up {_shown(backup)}", err=True)
        for path in result.written:
            click.echo(f"wrote {_shown(path)}", err=True)
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
                f"{len(result.unchanged)} unchanged in {_shown(result.folder)}",
                err=True,
            )
        else:
            click.echo(f"{result.engagement}: up to date ({_shown(result.folder)})", err=True)
    if failures:
        click.echo(
            f"build: {len(failures)} of {len(results)} spec{'s' * (len(results) != 1)} failed: "
            + ", ".join(_shown(r.spec) for r in failures),
            err=True,
        )
        if exit_on_failure:
            sys.exit(1)


def _redline_formats(value: str) -> tuple[str, ...]:
    from contractkit.redline.renderers import redline_formats

    formats = tuple(dict.fromkeys(f.strip() for f in value.split(",") if f.strip()))
    known = ", ".join(redline_formats())
    if not formats or any(f not in redline_formats() for f in formats):
        raise click.BadParameter(f"'{value}': name formats that print redlines ({known})")
    return formats


@main.command()
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
@_reports_errors
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

    keys = _keys(only)
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


@main.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@_reports_errors
def verify(folder: Path) -> None:
    """List files in a built bundle (OUT/<id>), or in each bundle in OUT, changed since
    contractkit wrote them."""
    from contractkit.build import verify_bundles

    results = verify_bundles(folder)
    differing = 0
    for result in results:
        for name in result.changed:
            click.echo(f"changed: {_shown(result.folder / name)}")
        for name in result.missing:
            click.echo(f"missing: {_shown(result.folder / name)}")
        count = len(result.changed) + len(result.missing)
        differing += bool(count)
        where = f" in {_shown(result.folder)}" if len(results) > 1 else ""
        if count:
            click.echo(
                f"verify: {count} of {result.checked} files differ from generation{where}",
                err=True,
            )
        else:
            click.echo(
                f"verify: {result.checked} files as generated in {_shown(result.folder)}", err=True
            )
    if len(results) > 1:
        click.echo(
            f"verify: {len(results)} bundles in {_shown(folder)}, {differing} with files that "
            "differ from generation",
            err=True,
        )
    if differing:
        sys.exit(3)


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
@_evidence_options
@_library_option
@_reports_errors
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


@main.command()
@click.option(
    "--format",
    "fmt",
    type=SuggestingChoice(["json", "markdown"]),
    default="json",
    show_default=True,
    help="JSON Schema (draft 2020-12), or the field reference as a Markdown table.",
)
@click.option(
    "--evidence", "of_evidence", is_flag=True, help="The JSON Schema of an evidence file instead."
)
def schema(fmt: str, of_evidence: bool) -> None:
    """Print the JSON Schema of the engagement spec (or its field reference)."""
    from contractkit.schema_docs import field_reference_markdown, json_schema

    if of_evidence:
        if fmt != "json":
            raise click.UsageError("--evidence prints the JSON Schema only (--format json)")
        from contractkit.evidence import evidence_schema

        click.echo(json.dumps(evidence_schema(), indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        click.echo(field_reference_markdown(), nl=False)
    else:
        click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


@main.command()
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
@_library_option
@_reports_errors
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
        f"wrote {_shown(output)}: {len(result.engagements)} engagements, {blocked} could not be "
        "exited now",
        err=True,
    )


@main.command()
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
@_library_option
@_reports_errors
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
    click.echo(f"wrote {_shown(output)}", err=True)


@main.command()
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
@_library_option
@_reports_errors
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
        click.echo(f"wrote {_shown(path)}", err=True)
    summary = result.summary()
    click.echo(
        f"review: {summary['changes']} changes in {result.document}: {summary['fallback']} "
        f"fallback, {summary['beyond_walk_away']} beyond walk-away, {summary['not_in_playbook']} "
        f"not in playbook, {summary['cosmetic']} cosmetic, {summary['untracked']} untracked",
        err=True,
    )
    sys.exit(result.exit_code)
