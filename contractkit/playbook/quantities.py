"""Numbers read from contract text: ``thirty (30) days``, ``72 hours``, ``15%``, ``US$2,000,000``.

A number written both in words and in digits counts once; the unit decides which playbook
parameter it can be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from contractkit.playbook.model import ParameterUnit

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORD_VALUES = {w: i for i, w in enumerate(_ONES)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
_WORD = "|".join(sorted([*_WORD_VALUES, *_SCALES], key=len, reverse=True))
_WORDS = rf"(?:(?:{_WORD})(?:[\s-]+(?:and[\s-]+)?(?:{_WORD}))*)"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNITS = {
    "hour": ParameterUnit.hours,
    "day": ParameterUnit.days,
    "business day": ParameterUnit.days,
    "working day": ParameterUnit.days,
    "calendar day": ParameterUnit.days,
    "month": ParameterUnit.months,
    "year": ParameterUnit.years,
    "percent": ParameterUnit.percent,
    "per cent": ParameterUnit.percent,
    "%": ParameterUnit.percent,
}
_UNIT = r"(?:business |working |calendar )?(?:hour|day|month|year)s?|per ?cent|%"
_QUANTITY = re.compile(
    rf"\b(?:(?P<words>{_WORDS})\s*\((?P<paren>{_DIGITS})\)|(?P<digits>{_DIGITS})|(?P<alone>{_WORDS}))"
    rf"\s*(?P<unit>{_UNIT})(?![a-z])",
    re.IGNORECASE,
)
_MONEY = re.compile(
    rf"(?:US\$|\$|USD\s?|EUR\s?|€|GBP\s?|£)\s?(?P<amount>{_DIGITS})(?:\s*(?P<scale>million|billion|thousand))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    """A number with its unit and where it starts in the text."""

    value: float
    unit: ParameterUnit
    start: int


def words_value(text: str) -> int | None:
    """``one hundred and twenty`` -> 120; None when a word is not a number word."""
    total, current = 0, 0
    for word in re.split(r"[\s-]+", text.lower().strip()):
        if word in ("", "and"):
            continue
        if word in _WORD_VALUES:
            current += _WORD_VALUES[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
        else:
            return None
    return total + current


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``, in order."""
    found: list[Quantity] = []
    for m in _QUANTITY.finditer(text):
        unit = _UNITS[re.sub(r"s$", "", m.group("unit").lower()).replace("  ", " ")]
        if m.group("paren"):
            value = _number(m.group("paren"))
        elif m.group("digits"):
            value = _number(m.group("digits"))
        else:
            words = words_value(m.group("alone"))
            if words is None:
                continue
            value = float(words)
        found.append(Quantity(value, unit, m.start()))
    for m in _MONEY.finditer(text):
        scale = {"thousand": 1000, "million": 10**6, "billion": 10**9}.get(
            (m.group("scale") or "").lower(), 1
        )
        found.append(Quantity(_number(m.group("amount")) * scale, ParameterUnit.amount, m.start()))
    return sorted(found, key=lambda q: q.start)


def changed_values(before: str, after: str, unit: ParameterUnit) -> tuple[list[float], bool]:
    """Values of ``unit`` in ``after`` that ``before`` did not have, and whether every value of
    that unit that ``before`` had is gone."""
    old = [q.value for q in quantities(before) if q.unit is unit]
    new = [q.value for q in quantities(after) if q.unit is unit]
    remaining = list(old)
    added = []
    for value in new:
        if value in remaining:
            remaining.remove(value)
        else:
            added.append(value)
    return added, bool(old) and not new
