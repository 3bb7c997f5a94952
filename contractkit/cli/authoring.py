"""Commands for writing and checking what goes into a bundle: a spec (init, validate, schema),
the clause library (clauses, lint) and how the clauses meet the requirements (coverage)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from contractkit.cli.common import (
    CLAUSE_POSITIONS,
    OPERATING_MODELS,
    STEM_KEYS,
    library_option,
    reports_errors,
    shown,
)
from contractkit.documents import KEYS, DocumentKey
from contractkit.suggest import SuggestingChoice


def _example_help() -> str:
    from contractkit.resources import example_names

    return f"Write a shipped example verbatim: {', '.join(example_names())}."


@click.command()
@click.argument("path", type=click.Path(path_type=Path), required=False)
@click.option("--example", metavar="NAME", help=_example_help())
@click.option(
    "--model",
    type=SuggestingChoice(OPERATING_MODELS),
    help="Operating model of the skeleton (default hybrid).",
)
@reports_errors
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
    click.echo(f"wrote {shown(written)}", err=True)
    click.echo(
        f"next: contractkit validate {shown(written)}, then contractkit build {shown(written)}",
        err=True,
    )


@click.command()
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@reports_errors
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


@click.group()
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
@library_option
@reports_errors
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
    table += [{**r, "source": shown(r["source"])} for r in rows]
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
@library_option
@reports_errors
def clauses_show(clause_id: str, position: str | None, libraries: tuple[Path, ...]) -> None:
    """Print the clause file that wins for ID, verbatim."""
    from contractkit.library import ClausePosition, find_clause, load_library

    chosen, shadowed = find_clause(
        load_library(libraries), clause_id, ClausePosition(position) if position else None
    )
    for other in shadowed:
        click.echo(f"{chosen.path} shadows {other.path}", err=True)
    click.echo(chosen.text, nl=False)


@click.command()
@click.option(
    "--spec",
    "specs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Render against this spec (repeatable; default: the shipped examples).",
)
@library_option
@reports_errors
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


@click.command()
@click.argument("spec", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@library_option
@reports_errors
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


@click.command()
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
