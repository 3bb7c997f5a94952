"""Limits on what a template may cost: the sandbox stops escapes, these stop exhaustion.

Overlay clauses and house templates are a firm's files, run for every build. The sandbox keeps
them from reaching Python, but ``{{ 'a' * 3000000000 }}`` or two nested ``range(100000)`` loops
would still take every byte and second a machine has. Here every loop counts its iterations
against a budget for the whole render, every operation that can multiply text or lists is
checked before it runs, and the output is measured as it is produced. Templates cannot include,
import or extend anything: every template is one file of the library or the house folder.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jinja2 import Template, nodes, pass_eval_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.filters import do_center, do_indent, do_join, do_replace
from jinja2.sandbox import SandboxedEnvironment

# Compiled templates carry the limits; a cache of code compiled without them must not be used.
CODE_VERSION = "limited-1"
MAX_TEXT = 20_000_000
MAX_ITERATIONS = 1_000_000
MAX_POWER_BITS = 100_000

_budget: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("budget", default=None)
_SIZED = (str, bytes, list, tuple)
_PERCENT_SPEC = re.compile(r"[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_BRACE_SPEC = re.compile(r"\{[^{}]*:([^{}]*)\}")
_NESTED_SPEC = re.compile(r"\{[^{}]*:[^{}]*\{")


def _too_large(what: str, size: int) -> SecurityError:
    return SecurityError(
        f"{what} would be {size:,} long; a template may produce at most {MAX_TEXT:,} "
        "characters (or items)"
    )


def _check_size(what: str, size: int) -> None:
    if size > MAX_TEXT:
        raise _too_large(what, size)


def _percent_specs(text: str) -> Iterator[tuple[str, str]]:
    """Width and precision of every ``%`` field, past a ``%(key)`` however its brackets nest."""
    at = text.find("%")
    while at >= 0:
        at += 1
        depth = 0
        while at < len(text) and (depth or text[at] == "("):
            depth += {"(": 1, ")": -1}.get(text[at], 0)
            at += 1
        match = _PERCENT_SPEC.match(text, at)
        assert match is not None  # every part of the pattern is optional
        yield match.group(1) or "", match.group(2) or ""
        at = text.find("%", at)


def _check_format(text: str, args: Iterable[Any]) -> None:
    """Refuse a format string whose widths or precisions would make a huge result."""
    star = False
    for width, precision in _percent_specs(text):
        for number in (width, precision):
            if number == "*":
                star = True
            elif number:
                _check_size("a formatted field", int(number))
    if star:
        for value in args:
            if isinstance(value, int):
                _check_size("a formatted field", value)
    if _NESTED_SPEC.search(text):
        raise SecurityError("a format field whose width is another field is not allowed")
    for spec in _BRACE_SPEC.findall(text):
        for number in re.findall(r"\d+", spec):
            _check_size("a formatted field", int(number))


def _count(items: Iterable[Any]) -> Iterator[Any]:
    budget = _budget.get()
    local = [MAX_ITERATIONS] if budget is None else budget
    for item in items:
        local[0] -= 1
        if local[0] < 0:
            raise SecurityError(
                f"the template's loops ran more than {MAX_ITERATIONS:,} times in all; "
                "nested loops over large ranges are not allowed"
            )
        yield item


def _center(value: Any, width: int = 80) -> str:
    if isinstance(width, int):
        _check_size("the centred text", width)
    return do_center(value, width)


def _indent(value: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    if isinstance(width, int):
        _check_size("the indentation", width * (str(value).count("\n") + 1))
    elif isinstance(width, str):
        _check_size("the indentation", len(width) * (str(value).count("\n") + 1))
    return do_indent(value, width, first, blank)


def _format(value: str, *args: Any, **kwargs: Any) -> str:
    _check_format(str(value), [*args, *kwargs.values()])
    return str(value) % (kwargs or args)


def _estimate_replace(text: str, old: Any, new: Any, count: int | None = None) -> int:
    if not isinstance(old, str) or not isinstance(new, str):
        return len(text)
    hits = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        hits = min(hits, count)
    return len(text) + hits * max(0, len(new) - len(old))


@pass_eval_context
def _replace(eval_ctx: Any, value: str, old: str, new: str, count: int | None = None) -> str:
    _check_size("the replaced text", _estimate_replace(str(value), str(old), str(new), count))
    return str(do_replace(eval_ctx, value, old, new, count))


@pass_eval_context
def _join(eval_ctx: Any, value: Iterable[Any], d: str = "", attribute: Any = None) -> str:
    items = list(_count(value))
    size = sum(len(str(i)) for i in items) + len(d) * max(0, len(items) - 1)
    _check_size("the joined text", size)
    return str(do_join(eval_ctx, items, d, attribute))


LIMITED_FILTERS: dict[str, Callable[..., Any]] = {
    "center": _center,
    "indent": _indent,
    "format": _format,
    "replace": _replace,
    "join": _join,
}


class LimitedTemplate(Template):
    """A template whose render has one loop budget and a cap on what it writes."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        ctx = self.new_context(dict(*args, **kwargs))
        token = _budget.set([MAX_ITERATIONS])
        try:
            parts: list[str] = []
            size = 0
            for chunk in self.root_render_func(ctx):
                size += len(chunk)
                if size > MAX_TEXT:
                    raise _too_large("the rendered text", size)
                parts.append(chunk)
            return "".join(parts)
        except Exception:
            self.environment.handle_exception()
        finally:
            _budget.reset(token)


class LimitedCodeGenerator(CodeGenerator):
    """Counts every loop's iterations and measures every ``~`` concatenation."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        node.iter = nodes.Call(
            nodes.EnvironmentAttribute("counted"), [node.iter], [], None, None, lineno=node.lineno
        )
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.measured(")
        super().visit_Concat(node, frame)
        self.write(")")


class LimitedSandbox(SandboxedEnvironment):
    """The sandbox with resource limits and no include, import or extends."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = LimitedCodeGenerator
    template_class = LimitedTemplate

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters.update(LIMITED_FILTERS)
        self.globals.pop("lipsum", None)

    def counted(self, items: Iterable[Any]) -> Iterator[Any]:
        return _count(items)

    def measured(self, value: Any) -> Any:
        if isinstance(value, _SIZED):
            _check_size("the joined text", len(value))
        return value

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, _SIZED) and isinstance(times, int):
                    _check_size("the repeated text", len(seq) * times)
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1 and left.bit_length() * right > MAX_POWER_BITS:
                raise SecurityError(f"{left} ** {right} is too large a number for a template")
        elif operator == "%" and isinstance(left, str):
            _check_format(left, right if isinstance(right, tuple) else [right])
        result = super().call_binop(context, operator, left, right)
        if operator == "+" and isinstance(result, _SIZED):
            _check_size("the joined text", len(result))
        return result

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        target = getattr(__obj, "__wrapped__", __obj)
        owner = getattr(target, "__self__", None)
        name = getattr(target, "__name__", "")
        if isinstance(owner, str | bytes):
            values = [v for v in [*args, *kwargs.values()] if isinstance(v, int)]
            if name in ("format", "format_map") and isinstance(owner, str):
                _check_format(owner, values)
            elif name == "replace" and isinstance(owner, str) and len(args) >= 2:
                _check_size("the replaced text", _estimate_replace(owner, *args[:3]))
            elif name == "join":
                items = list(_count(args[0])) if args else []
                size = sum(len(i) for i in items if isinstance(i, _SIZED))
                _check_size("the joined text", size + len(owner) * len(items))
                args = (items, *args[1:])
            elif name in ("ljust", "rjust", "center", "zfill"):
                for value in values:
                    _check_size(f"the result of {name}()", value)
            elif name == "expandtabs" and isinstance(owner, str):
                for value in values:
                    _check_size("the expanded text", value * (owner.count("\t") + 1))
        elif isinstance(owner, list) and name in ("extend", "append", "insert"):
            added = len(args[0]) if name == "extend" and args and hasattr(args[0], "__len__") else 1
            _check_size("the list", len(owner) + added)
        return super().call(__context, __obj, *args, **kwargs)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            kind = type(node).__name__.lower().replace("fromimport", "import")
            target = getattr(node, "template", None)
            what = f"'{target.value}'" if isinstance(target, nodes.Const) else "another template"
            raise TemplateSyntaxError(
                f"{kind} of {what} refused: includes outside the library are not allowed "
                "(a template cannot include, import or extend another file)",
                node.lineno,
                name,
                filename,
            )
        return tree
