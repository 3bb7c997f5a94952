"""The command line: parse arguments, call one core function, print the outcome.

Exit codes: 0 success, 1 invalid input or refused action, 2 usage error, 3 a requested check
found problems.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from contractkit import __version__
from contractkit.errors import ContractkitError

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
    click.echo(f"next: contractkit validate {written}", err=True)


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
        else:
            note = f" ({warnings} warning{'s' * (warnings != 1)})" if warnings else ""
            click.echo(f"{name}: valid{note}", err=True)
    if result.failed(strict):
        sys.exit(1)


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
