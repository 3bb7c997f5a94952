"""What every command shares: error reporting, printable paths, and the options and values
several commands parse alike."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from contractkit import render
from contractkit.documents import DOCUMENTS, KEYS, DocumentKey
from contractkit.errors import ContractkitError, Problem, printable
from contractkit.interrupt import TERMINATED_EXIT, Terminated
from contractkit.suggest import did_you_mean

# Kept here as plain text so that --help and --version need not load the models;
# a test checks they equal the enum.
CLAUSE_POSITIONS = ("any", "customer_favourable", "balanced")
OPERATING_MODELS = ("project", "dedicated_team", "flexible", "hybrid")

F = TypeVar("F", bound=Callable[..., Any])
# A document's file stem, as people type it for its key: ip-assignment for ip_assignment.
STEM_KEYS = {info.stem: info.key.value for info in DOCUMENTS if info.stem != info.key.value}


def reports_errors(func: F) -> F:
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
                click.echo(json_error(exc.exit_code, exc.problems))
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            if as_json:
                click.echo(json_error(exc.exit_code, [], exc.format_message()))
            raise
        except Terminated:
            message = "stopped by SIGTERM; bundles not yet written were left as they were"
            if as_json:
                click.echo(json_error(TERMINATED_EXIT, [], message))
            click.echo(f"contractkit: {message}", err=True)
            sys.exit(TERMINATED_EXIT)

    return wrapper  # type: ignore[return-value]


def json_error(code: int, problems: list[Problem], message: str | None = None) -> str:
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


def shown(path: object) -> str:
    """A path as printed: control characters escaped, so a name cannot fake a line."""
    return printable(str(path))


def library_option(func: F) -> F:
    """``--library``, the same on every command that reads clauses."""
    return click.option(
        "--library",
        "libraries",
        multiple=True,
        type=click.Path(path_type=Path, file_okay=False),
        help="Overlay clause library searched before the built-in one (repeatable).",
    )(func)


def evidence_options(func: F) -> F:
    """``--evidence`` and ``--as-of``, the same for build and checklist."""
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


def document_keys(value: str | None) -> tuple[DocumentKey, ...] | None:
    """``--only``: comma-separated document keys, a typo answered with the nearest key."""
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


def output_formats(value: str) -> tuple[str, ...]:
    """``--format`` of build: comma-separated renderer names, each once, in the order given."""
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
