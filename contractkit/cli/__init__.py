"""The command line: parse arguments, call one core function, print the outcome.

Exit codes: 0 success, 1 invalid input or refused action, 2 usage error, 3 a requested check
found problems (or, for ``redline``, changes).

Each command lives in the module for its part of the work and is registered on ``main`` here,
so this file lists them all. Heavy modules are imported inside the commands: ``--help`` and a
no-op ``build`` must stay fast.
"""

from __future__ import annotations

import click

from contractkit import __version__
from contractkit.cli.authoring import clauses, coverage, init, lint, schema, validate
from contractkit.cli.building import build
from contractkit.cli.bundles import redline, verify
from contractkit.cli.common import CLAUSE_POSITIONS, OPERATING_MODELS
from contractkit.cli.negotiation import playbook, review
from contractkit.cli.procurement import checklist, portfolio

__all__ = ["CLAUSE_POSITIONS", "OPERATING_MODELS", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="contractkit")
def main() -> None:
    """Draft outsourcing agreements and an exit-readiness checklist from an engagement spec."""


main.add_command(init)
main.add_command(validate)
main.add_command(clauses)
main.add_command(lint)
main.add_command(build)
main.add_command(redline)
main.add_command(verify)
main.add_command(coverage)
main.add_command(checklist)
main.add_command(schema)
main.add_command(portfolio)
main.add_command(playbook)
main.add_command(review)
