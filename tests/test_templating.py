"""Filters write numbers, money, dates and countries the same way in every document."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from jinja2.exceptions import SecurityError, UndefinedError

from contractkit.templating import (
    Marked,
    clause_environment,
    counted,
    country,
    days,
    decimal,
    escape_markdown,
    join_and,
    longdate,
    make_environment,
    money,
    number_words,
    pct,
    percent,
)


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zero"),
        (7, "seven"),
        (24, "twenty-four"),
        (90, "ninety"),
        (365, "three hundred and sixty-five"),
        (2000, "two thousand"),
        (40000, "forty thousand"),
        (1_000_001, "one million and one"),
    ],
)
def test_number_words(n: int, words: str) -> None:
    assert number_words(n) == words


def test_counts_and_days() -> None:
    assert days(90) == "ninety \\(90\\) days"
    assert days(1) == "one \\(1\\) day"
    assert counted(40000, "image") == "forty thousand \\(40,000\\) images"
    assert counted(3, "batch") == "three \\(3\\) batches"
    assert counted(2, "query") == "two \\(2\\) queries"
    with pytest.raises(ValueError, match="whole number"):
        days(1.5)


def test_money_percent_decimal() -> None:
    assert money(1450) == "US$1,450"
    assert money(0.85) == "US$0\\.85"
    assert money(22.5, "EUR") == "EUR 22\\.50"
    assert percent(0.98) == "98%"
    assert percent(0.075) == "7\\.5%"
    assert pct(50) == "50%"
    assert decimal(0.8) == "0\\.80"
    with pytest.raises(ValueError, match="fraction between 0 and 1"):
        percent(98)


def test_lists_countries_dates() -> None:
    assert join_and(["A", "B", "C"]) == "A, B and C"
    assert join_and(["A"]) == "A"
    assert country("IN") == "India"
    assert country("PH") == "the Philippines"
    assert country("US") == "the United States"
    assert join_and([country("KE"), country("PH")]) == "Kenya and the Philippines"
    assert longdate(dt.date(2027, 1, 4)) == "January 4, 2027"


def test_escaping_keeps_spec_text_literal_and_spaces() -> None:
    assert escape_markdown(" *Acme*\n| Co ") == " \\*Acme\\* \\| Co "
    assert escape_markdown("x\ue000y") == "xy"
    env = make_environment()
    template = env.template("{{ name }} and {{ ' and ' }}{{ marked }}")
    assert (
        template.render(name="1. Labs", marked=Marked("**kept**")) == "1\\. Labs and  and **kept**"
    )


def test_the_environment_is_sandboxed_and_strict() -> None:
    env = make_environment()
    with pytest.raises(
        SecurityError, match=r"access to attribute '__class__' of 'str' object is unsafe"
    ):
        env.template("{{ ''.__class__.__mro__ }}").render()
    with pytest.raises(UndefinedError, match=r"'missing' is undefined"):
        env.template("{{ missing }}").render()


def test_clause_templates_compile_once_per_process_and_follow_the_cache_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CONTRACTKIT_CACHE_DIR", str(tmp_path / "one"))
    first = clause_environment()
    assert clause_environment() is first
    assert first.template("Notice within {{ n }} days.") is first.template(
        "Notice within {{ n }} days."
    )
    monkeypatch.setenv("CONTRACTKIT_NO_CACHE", "1")
    uncached = clause_environment()
    assert uncached is not first and uncached.bytecode_cache is None
    assert uncached.template("{{ n }}").render({"n": 3}) == "3"
