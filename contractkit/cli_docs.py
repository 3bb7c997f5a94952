"""The README's command table, generated from the command line itself so it lists every option.

``python -m contractkit.cli_docs README.md`` rewrites the table between its markers; a test
checks the committed README equals what this makes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

START, END = "<!-- commands-table -->\n", "\n<!-- /commands-table -->"


def _metavar(option: click.Option) -> str:
    """What follows an option in the table: its metavar, its choices, or what kind of value."""
    kind = option.type
    if option.metavar:
        return option.metavar
    if isinstance(kind, click.Choice):
        return "|".join(str(c) for c in kind.choices)
    if isinstance(kind, click.DateTime):
        return "YYYY-MM-DD"
    if isinstance(kind, click.types.IntParamType):
        return "N"
    if isinstance(kind, click.Path):
        return "DIR" if not kind.file_okay else "FILE" if not kind.dir_okay else "PATH"
    return (option.name or "VALUE").upper()


def _usage(command: click.Command) -> str:
    """The command's arguments, then every option but --help, each once."""
    parts: list[str] = []
    for param in command.params:
        if isinstance(param, click.Argument):
            name = (param.metavar or param.name or "ARG").upper()
            name += "..." if param.nargs == -1 else ""
            parts.append(name if param.required else f"[{name}]")
    for param in command.params:
        if not isinstance(param, click.Option) or param.hidden or "--help" in param.opts:
            continue
        longest = max(param.opts, key=len)
        text = longest if param.is_flag else f"{longest} {_metavar(param)}"
        parts.append(f"[{text}]..." if param.multiple else f"[{text}]")
    return " ".join(parts)


def _summary(command: click.Command) -> str:
    """The first paragraph of the command's help, on one line."""
    paragraph = (command.help or "").strip().split("\n\n")[0]
    return " ".join(paragraph.split())


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def command_table_markdown(group: click.Group | None = None) -> str:
    """One row per command (a group's subcommands each get their own), in --help order."""
    if group is None:
        from contractkit.cli import main

        group = main
    rows = ["| command | what it does |", "|---|---|"]
    for option in group.params:
        if isinstance(option, click.Option) and "--version" in option.opts:
            rows.append(f"| `contractkit --version` | {_cell(option.help or '')} |")

    def walk(command: click.Command, words: list[str]) -> None:
        if isinstance(command, click.Group):
            for name in sorted(command.commands):
                walk(command.commands[name], [*words, name])
            return
        usage = " ".join(["contractkit", *words, _usage(command)]).strip()
        rows.append(f"| `{_cell(usage)}` | {_cell(_summary(command))} |")

    walk(group, [])
    return "\n".join(rows) + "\n\n" + _short_forms(group)


def _short_forms(group: click.Group) -> str:
    """The one-letter forms of options, which the table leaves out."""
    forms: dict[str, set[str]] = {}

    def collect(command: click.Command) -> None:
        for param in command.params:
            if isinstance(param, click.Option):
                short = [o for o in param.opts if len(o) == 2]
                longest = max(param.opts, key=len)
                for form in short:
                    forms.setdefault(form, set()).add(longest)
        if isinstance(command, click.Group):
            for sub in command.commands.values():
                collect(sub)

    collect(group)
    described = [
        f"`{short}` for {' or '.join(f'`{long}`' for long in sorted(longs))}"
        for short, longs in sorted(forms.items())
    ]
    return f"Short forms: {'; '.join(described)}. Every command prints its own `--help`."


def rewrite(readme: Path) -> bool:
    """Put the current table between the README's markers; whether the file changed."""
    text = readme.read_text(encoding="utf-8")
    start, end = START.strip(), END.strip()
    if text.count(start) != 1 or text.count(end) != 1 or text.index(start) > text.index(end):
        raise SystemExit(f"{readme}: needs one '{start}' line and, after it, one '{end}' line")
    head = text[: text.index(start)]
    tail = text[text.index(end) + len(end) :]
    updated = f"{head}{START}{command_table_markdown()}{END}{tail}"
    if updated != text:
        readme.write_text(updated, encoding="utf-8")
    return updated != text


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    print(f"{target}: {'rewritten' if rewrite(target) else 'already current'}", file=sys.stderr)
