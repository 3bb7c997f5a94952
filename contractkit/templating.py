"""The one Jinja environment factory: sandboxed, strict, and treating spec text as data.

Every value a clause inserts passes through ``finalize``, which escapes it for Markdown, so a
company called ``Acme *Data* | Co`` prints literally instead of turning into formatting. Only
the markers made by ``ref()`` and ``term()`` pass through unescaped.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import re
import sys
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import jinja2
from iso3166 import countries_by_alpha2
from jinja2 import (
    BaseLoader,
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    StrictUndefined,
    Template,
)

from contractkit.template_limits import CODE_VERSION, LimitedSandbox

# Private-use characters delimit markers; spec text can never contain them (finalize strips them).
REF_OPEN, REF_CLOSE = "\ue000", "\ue001"
TERM_OPEN, TERM_CLOSE = "\ue002", "\ue003"
COUNSEL_OPEN, COUNSEL_CLOSE = "\ue004", "\ue005"
TERM_SPLIT = "\ue006"
MARKERS = re.compile("[\ue000-\ue00f]")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&])")

ONES = [
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
TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


_SPACES = re.compile(r"\s+")


class Marked(str):
    """Text produced by a helper (a reference, a defined term): already safe Markdown."""

    __slots__ = ()


def escape_markdown(value: Any) -> str:
    """Spec text as literal Markdown: punctuation escaped, newlines folded, markers removed."""
    return _escaped(str(value))


@functools.lru_cache(maxsize=8192)
def _escaped(text: str) -> str:
    text = _SPACES.sub(" ", MARKERS.sub("", text))
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _finalize(value: Any) -> Any:
    if isinstance(value, Marked):
        return value
    if value is None:
        raise ValueError("a value is missing (None) and cannot be printed in a contract")
    if isinstance(value, bool):
        return "yes" if value else "no"
    return escape_markdown(value)


def number_words(n: int) -> str:
    """An integer in words, as contracts spell numbers out: 90 -> 'ninety'."""
    if n < 0:
        return "minus " + number_words(-n)
    if n < 20:
        return ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return TENS[tens] + (f"-{ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{ONES[hundreds]} hundred" + (f" and {number_words(rest)}" if rest else "")
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= size:
            big, rest = divmod(n, size)
            tail = ""
            if rest:
                tail = (" and " if rest < 100 else " ") + number_words(rest)
            return f"{number_words(big)} {name}{tail}"
    raise AssertionError(n)


def _whole(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise ValueError(f"{what} needs a whole number, got {value!r}")
    return int(value)


def plural(noun: str) -> str:
    """batch -> batches, box -> boxes, query -> queries, day -> days."""
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    return noun + "s"


def counted(value: Any, unit: str = "") -> Marked:
    """'ninety (90) days' style: words, then digits, then the unit (pluralised)."""
    n = _whole(value, "the count")
    words = f"{number_words(n)} ({n:,})"
    if unit:
        words += " " + (unit if n == 1 else plural(unit))
    return Marked(escape_markdown(words))


def decimal(value: Any, places: int = 2) -> Marked:
    """A coefficient as a decimal: 0.8 -> '0.80'."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"decimal needs a number, got {value!r}")
    return Marked(escape_markdown(f"{value:.{places}f}"))


def days(value: Any) -> Marked:
    """90 -> 'ninety (90) days'."""
    return counted(value, "day")


def money(value: Any, currency: str = "USD") -> Marked:
    """1450 -> 'US$1,450', 0.85 -> 'US$0.85', 1450 EUR -> 'EUR 1,450' (cents only when any)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"money needs a number, got {value!r}")
    amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    symbol = "US$" if currency == "USD" else f"{currency} "
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return Marked(escape_markdown(f"{symbol}{text}"))


def _trim(number: Decimal) -> str:
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent(value: Any) -> Marked:
    """A fraction as a percentage: 0.98 -> '98%'."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(f"percent needs a fraction between 0 and 1, got {value!r}")
    return Marked(escape_markdown(_trim(Decimal(str(value)) * 100) + "%"))


def pct(value: Any) -> Marked:
    """A ``_pct`` field (already 0-100) as a percentage: 98 -> '98%'."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"pct needs a number, got {value!r}")
    return Marked(escape_markdown(_trim(Decimal(str(value))) + "%"))


def join_and(items: Iterable[Any], word: str = "and") -> Marked:
    """['A', 'B', 'C'] -> 'A, B and C'; each item escaped unless already marked."""
    parts = [i if isinstance(i, Marked) else escape_markdown(i) for i in items]
    if not parts:
        raise ValueError("join_and needs at least one item")
    if len(parts) == 1:
        return Marked(parts[0])
    return Marked(", ".join(parts[:-1]) + f" {word} " + parts[-1])


# Names as a contract writes them in running text, with the article some countries take.
COUNTRY_NAMES = {
    "US": "the United States",
    "GB": "the United Kingdom",
    "PH": "the Philippines",
    "NL": "the Netherlands",
    "AE": "the United Arab Emirates",
    "BS": "the Bahamas",
    "GM": "the Gambia",
    "DO": "the Dominican Republic",
    "CF": "the Central African Republic",
    "CZ": "the Czech Republic",
    "KM": "the Comoros",
    "MV": "the Maldives",
    "MH": "the Marshall Islands",
    "SB": "the Solomon Islands",
    "KY": "the Cayman Islands",
    "KR": "the Republic of Korea",
    "VN": "Vietnam",
    "RU": "Russia",
    "TW": "Taiwan",
    "BO": "Bolivia",
    "VE": "Venezuela",
    "TZ": "Tanzania",
    "MD": "Moldova",
    "IR": "Iran",
    "LA": "Laos",
    "SY": "Syria",
}


def country(code: Any) -> Marked:
    """'IN' -> 'India', 'PH' -> 'the Philippines'."""
    entry = countries_by_alpha2.get(str(code))
    if entry is None:
        raise ValueError(f"unknown country code {code!r}")
    return Marked(escape_markdown(COUNTRY_NAMES.get(entry.alpha2, entry.apolitical_name)))


def counsel(text: str) -> Marked:
    """An open point for counsel, shown highlighted: ``[COUNSEL: what to decide]``."""
    return Marked(f"{COUNSEL_OPEN}{escape_markdown(text)}{COUNSEL_CLOSE}")


def longdate(value: Any) -> Marked:
    """2027-01-04 -> 'January 4, 2027'."""
    if not isinstance(value, dt.date):
        raise ValueError(f"longdate needs a date, got {value!r}")
    return Marked(escape_markdown(f"{value:%B} {value.day}, {value.year}"))


FILTERS: dict[str, Callable[..., Any]] = {
    "longdate": longdate,
    "days": days,
    "counted": counted,
    "decimal": decimal,
    "money": money,
    "percent": percent,
    "pct": pct,
    "join_and": join_and,
    "country": country,
    "words": lambda n: Marked(escape_markdown(number_words(_whole(n, "words")))),
}


class _SourceLoader(BaseLoader):
    """Templates by the hash of their text, so compiled code can be cached across runs."""

    def __init__(self) -> None:
        self.sources: dict[str, str] = {}

    def get_source(
        self, environment: Environment, name: str
    ) -> tuple[str, str, Callable[[], bool]]:
        return self.sources[name], "<template>", lambda: True


class ClauseEnvironment(LimitedSandbox):
    """Sandboxed, limited and strict, with compiled templates kept in memory and on disk."""

    def template(self, source: str) -> Template:
        """The compiled template for a text (from_string, but cached)."""
        loader = self.loader
        assert isinstance(loader, _SourceLoader)
        name = hashlib.sha256(source.encode("utf-8")).hexdigest()
        loader.sources[name] = source
        return self.get_template(name)

    def condition(self, expression: str) -> Any:
        """A compiled ``applies_when`` expression, compiled once per environment."""
        compiled = self._conditions.get(expression)
        if compiled is None:
            compiled = self.compile_expression(expression, undefined_to_none=False)
            self._conditions[expression] = compiled
        return compiled

    @property
    def _conditions(self) -> dict[str, Any]:
        cache: dict[str, Any] | None = self.__dict__.get("_condition_cache")
        if cache is None:
            cache = {}
            self.__dict__["_condition_cache"] = cache
        return cache


def _bytecode_cache() -> BytecodeCache | None:
    """Compiled clause templates on disk, keyed by their text; off with CONTRACTKIT_NO_CACHE."""
    if os.environ.get("CONTRACTKIT_NO_CACHE"):
        return None
    configured = os.environ.get("CONTRACTKIT_CACHE_DIR")
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(configured) if configured else (Path(xdg) if xdg else Path.home() / ".cache")
    if not configured:
        base = base / "contractkit"
    version = (
        f"jinja-{jinja2.__version__}-py{sys.version_info[0]}{sys.version_info[1]}-{CODE_VERSION}"
    )
    folder = base / version
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


def clause_environment() -> ClauseEnvironment:
    """This process's environment for clause bodies, so that a template compiled once (by a
    build, a lint or a watch's earlier rebuild) is not loaded and compiled again."""
    settings = ("CONTRACTKIT_NO_CACHE", "CONTRACTKIT_CACHE_DIR", "XDG_CACHE_HOME", "HOME")
    return _shared_environment(tuple(os.environ.get(name) for name in settings))


@functools.lru_cache(maxsize=4)
def _shared_environment(settings: tuple[str | None, ...]) -> ClauseEnvironment:
    return make_environment()


def make_environment(*, markup: bool = False) -> ClauseEnvironment:
    """The only place a Jinja environment is created.

    Clause bodies (the default) produce Markdown, so inserted values are Markdown-escaped.
    House templates (``markup=True``: DOCX XML, HTML) autoescape every value instead.
    """
    if markup:
        env = ClauseEnvironment(
            undefined=StrictUndefined, autoescape=True, loader=_SourceLoader(), cache_size=-1
        )
        env.filters.update(FILTERS)
        return env
    env = ClauseEnvironment(
        loader=_SourceLoader(),
        bytecode_cache=_bytecode_cache(),
        cache_size=-1,
        undefined=StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    env.globals["counsel"] = counsel
    return env
