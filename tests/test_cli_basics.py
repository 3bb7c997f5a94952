"""The command line itself: version, help and usage errors (exit 2)."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import contractkit

RunCli = Callable[..., Result]

ROOT = Path(__file__).resolve().parent.parent


def test_version(run_cli: RunCli) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    result = run_cli("--version")

    assert result.stdout == f"contractkit, version {contractkit.__version__}\n"
    assert contractkit.__version__ == project["version"]
    assert result.exit_code == 0


def test_help_lists_the_commands(run_cli: RunCli) -> None:
    result = run_cli("--help")

    assert result.exit_code == 0
    commands = result.stdout.split("Commands:", 1)[1].split()
    assert {"init", "validate", "schema"} <= set(commands)


VALIDATE_USAGE = [
    "Usage: contractkit validate [OPTIONS] SPECS...",
    "Try 'contractkit validate --help' for help.",
    "",
]
MAIN_USAGE = [
    "Usage: contractkit [OPTIONS] COMMAND [ARGS]...",
    "Try 'contractkit --help' for help.",
    "",
]


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ["validate", "--bogus", "spec.yaml"],
            [*VALIDATE_USAGE, "Error: No such option '--bogus'."],
        ),
        (["--bogus"], [*MAIN_USAGE, "Error: No such option '--bogus'."]),
        (["validate"], [*VALIDATE_USAGE, "Error: Missing argument 'SPECS...'."]),
        (["frobnicate"], [*MAIN_USAGE, "Error: No such command 'frobnicate'."]),
        (["init", "--example"], ["Error: Option '--example' requires an argument."]),
    ],
)
def test_usage_errors_exit_2(args: list[str], stderr: list[str], run_cli: RunCli) -> None:
    result = run_cli(*args, cwd=ROOT)

    assert result.stderr.splitlines() == stderr
    assert result.stdout == ""
    assert result.exit_code == 2
