"""Did-you-mean for every name a user types: document keys, formats, clause ids, choices.

Imports nothing heavier than click: the command line uses it while parsing options.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import click


def suggestion(
    word: str,
    choices: Iterable[str],
    aliases: Mapping[str, str] | None = None,
    cutoff: float = 0.6,
) -> str | None:
    """The choice ``word`` most likely stands for: an alias of it (a file stem for a key), the
    same name spelt with other case or hyphens, the one choice it begins, or a close spelling;
    None when nothing is close."""
    options = list(choices)
    if aliases and word in aliases:
        return aliases[word]
    normal = {c.casefold().replace("-", "_"): c for c in options}
    key = word.strip().casefold().replace("-", "_")
    if key in normal:
        return normal[key]
    starting = [c for c in options if c.casefold().startswith(word.strip().casefold())]
    if word.strip() and len(starting) == 1:
        return starting[0]
    close = difflib.get_close_matches(word, options, n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(
    word: str,
    choices: Iterable[str],
    aliases: Mapping[str, str] | None = None,
    cutoff: float = 0.6,
) -> str:
    """``; did you mean 'x'?`` to end a message with, or nothing."""
    found = suggestion(word, choices, aliases, cutoff)
    return f"; did you mean '{found}'?" if found is not None and found != word else ""


class SuggestingChoice(click.Choice[str]):
    """A choice whose refusal ends with the likely intended value, when one is close."""

    def __init__(self, choices: Sequence[str], aliases: dict[str, str] | None = None) -> None:
        super().__init__(choices)
        self.aliases = aliases or {}

    def get_invalid_choice_message(self, value: Any, ctx: click.Context | None) -> str:
        message = super().get_invalid_choice_message(value, ctx)
        hint = did_you_mean(str(value), [str(c) for c in self.choices], self.aliases)
        return message.removesuffix(".") + hint if hint else message
