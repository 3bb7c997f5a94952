"""Characters that hide what a spec says: refused or warned about at the field that holds them.

Bidirectional overrides and isolates make text display in another order than it is stored, so
a clause can read one way on screen and say another in the contract; they are refused.
Zero-width characters are invisible and break searches and comparisons of names; they draw a
warning, since some scripts use joiners on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from contractkit.errors import Problem
from contractkit.yamlread import LocatedData, YamlPath

BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
ZERO_WIDTH = re.compile("[\u200b-\u200d\ufeff]")
NAMES = {
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
}


def _texts(value: Any, path: YamlPath) -> Iterator[tuple[YamlPath, str, bool]]:
    """Every text in the data with its path; True marks a mapping key."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key), str(key), True
            yield from _texts(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))
    elif isinstance(value, str):
        yield path, value, False


def _named(char: str) -> str:
    return f"U+{ord(char):04X} {NAMES[char]}"


def hidden_text_problems(doc: LocatedData) -> list[Problem]:
    """A located error for each text with a bidirectional control, a warning for each with a
    zero-width character."""
    problems: list[Problem] = []
    for path, text, is_key in _texts(doc.data, ()):
        where = doc.locate(path, key=is_key)
        bidi = BIDI.search(text)
        if bidi:
            problems.append(
                Problem(
                    where,
                    f"contains {_named(bidi.group())}, an invisible control that makes text "
                    "display in a different order than it is written; remove it",
                )
            )
        zero = ZERO_WIDTH.search(text)
        if zero:
            problems.append(
                Problem(
                    where,
                    f"contains {_named(zero.group())}, an invisible character; remove it "
                    "unless the script needs it",
                    "warning",
                )
            )
    return problems
