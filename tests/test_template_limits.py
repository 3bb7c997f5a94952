"""Template limits: every operation that can multiply text is refused past 20,000,000 characters
with a message naming it, while the same operations at a sensible size give their usual
result."""

from __future__ import annotations

import pytest
from jinja2.exceptions import SecurityError, UndefinedError

from contractkit import template_limits
from contractkit.templating import make_environment

LIMIT = "; a template may produce at most 20,000,000 characters (or items)"


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("{{ '%30000000s' % 'x' }}", "a formatted field would be 30,000,000 long"),
        ("{{ '%.30000000f' % 1.5 }}", "a formatted field would be 30,000,000 long"),
        ("{{ '%*d' % (30000000, 1) }}", "a formatted field would be 30,000,000 long"),
        ("{{ '%(a)30000000s' % {'a': 'x'} }}", "a formatted field would be 30,000,000 long"),
        (
            "{{ '%(a(b))30000000s' % {'a(b)': 'x'} }}",
            "a formatted field would be 30,000,000 long",
        ),
        ("{{ '%30000000s'|format('x') }}", "a formatted field would be 30,000,000 long"),
        ("{{ '%*d'|format(30000000, 1) }}", "a formatted field would be 30,000,000 long"),
        ("{{ '%(a)30000000s'|format(a='x') }}", "a formatted field would be 30,000,000 long"),
        ("{{ '{:30000000}'.format('x') }}", "a formatted field would be 30,000,000 long"),
        (
            "{{ '{a:>30000000}'.format_map({'a': 'x'}) }}",
            "a formatted field would be 30,000,000 long",
        ),
        ("{{ 'x'|center(30000000) }}", "the centred text would be 30,000,000 long"),
        ("{{ 'a\nb'|indent(10000001) }}", "the indentation would be 20,000,002 long"),
        ("{{ 'a\nb'|indent(' ' * 10000001) }}", "the indentation would be 20,000,002 long"),
        (
            "{{ ('x' * 1000000)|replace('x', 'y' * 30) }}",
            "the replaced text would be 30,000,000 long",
        ),
        (
            "{{ ('1' * 1000000)|replace(1, 'y' * 30) }}",
            "the replaced text would be 30,000,000 long",
        ),
        ("{{ (['x' * 1000000] * 21)|join }}", "the joined text would be 21,000,000 long"),
        ("{{ '-'.join(['x' * 1000000] * 21) }}", "the joined text would be 21,000,021 long"),
        ("{{ ('x' * 15000000) ~ ('y' * 6000000) }}", "the joined text would be 21,000,000 long"),
        ("{{ ('x' * 15000000) + ('y' * 6000000) }}", "the joined text would be 21,000,000 long"),
        ("{{ 'x'.ljust(30000000) }}", "the result of ljust() would be 30,000,000 long"),
        ("{{ 'x'.rjust(30000000) }}", "the result of rjust() would be 30,000,000 long"),
        ("{{ 'x'.center(30000000) }}", "the result of center() would be 30,000,000 long"),
        ("{{ '7'.zfill(30000000) }}", "the result of zfill() would be 30,000,000 long"),
        (
            "{{ ('a\t' * 3).expandtabs(10000000) }}",
            "the expanded text would be 40,000,000 long",
        ),
        (
            "{{ 'x' * 12000000 }}{{ 'y' * 12000000 }}",
            "the rendered text would be 24,000,000 long",
        ),
    ],
)
def test_an_operation_past_the_limit_is_refused_by_name(statement: str, message: str) -> None:
    with pytest.raises(SecurityError) as raised:
        make_environment().template(statement).render()
    assert str(raised.value) == message + LIMIT


def test_a_huge_power_is_refused() -> None:
    with pytest.raises(SecurityError) as raised:
        make_environment().template("{{ 9 ** 100000 }}").render()
    assert str(raised.value) == "9 ** 100000 is too large a number for a template"


def test_a_width_taken_from_another_field_is_refused() -> None:
    with pytest.raises(SecurityError) as raised:
        make_environment().template("{{ '{:{}}'.format('x', 30000000) }}").render()
    assert str(raised.value) == "a format field whose width is another field is not allowed"


@pytest.mark.parametrize(
    ("call", "size"), [("append(11)", 11), ("insert(0, 11)", 11), ("extend([11, 12])", 12)]
)
def test_a_list_cannot_grow_past_the_limit(
    monkeypatch: pytest.MonkeyPatch, call: str, size: int
) -> None:
    monkeypatch.setattr(template_limits, "MAX_TEXT", 10)
    statement = f"{{% set items = range(10)|list %}}{{{{ items.{call} }}}}"
    with pytest.raises(SecurityError) as raised:
        make_environment().template(statement).render()
    assert str(raised.value) == (
        f"the list would be {size:,} long; a template may produce at most 10 characters (or items)"
    )


def test_placeholder_text_cannot_be_generated() -> None:
    """``lipsum`` writes any amount of text unmeasured; no clause or house template needs it."""
    with pytest.raises(UndefinedError) as raised:
        make_environment().template("{{ lipsum(n=100000) }}").render()
    assert str(raised.value) == "'lipsum' is undefined"


@pytest.mark.parametrize(
    ("statement", "result"),
    [
        ("{{ '%(n)05.1f%%' % {'n': 2.5} }}", "002.5%"),
        ("{{ '%*d|' % (4, 7) }}", "   7|"),
        ("{{ '%*s|' % (4, 'x') }}", "   x|"),
        ("{{ '%-6s|'|format('ab') }}", "ab    |"),
        ("{{ '%(a)s' % {'a': '%(b)30000000s'} }}", "%(b)30000000s"),
        ("{{ '{:>4}'.format('ab') }}", "  ab"),
        ("{{ 'ab'|center(6) }}", "  ab  "),
        ("{{ 'a\nb'|indent(2) }}", "a\n  b"),
        ("{{ 'a\nb'|indent('..') }}", "a\n..b"),
        ("{{ 'a-b-c'|replace('-', '+', 1) }}", "a+b-c"),
        ("{{ 'a1a'|replace(1, 2) }}", "a2a"),
        ("{{ ('x' * 1000000)|replace('x', 'y' * 30, 2)|length }}", "1000058"),
        ("{{ [1, 2, 3]|join(', ') }}", "1, 2, 3"),
        ("{{ '-'.join(['a', 'b']) }}", "a-b"),
        ("{{ '7'.zfill(3) }}", "007"),
        ("{{ 'a\tb'.expandtabs(4) }}", "a   b"),
        ("{{ 2 ** 10 }}-{{ 1 ** 1000000 }}", "1024-1"),
        ("{{ 'ab' * 3 }}", "ababab"),
        ("{{ 'x' ~ 1 ~ 'y' }}", "x1y"),
        ("{{ ('x' * 12000000)|length }}", "12000000"),
    ],
)
def test_the_same_operations_at_a_sensible_size_give_their_result(
    statement: str, result: str
) -> None:
    assert make_environment(markup=True).template(statement).render() == result
