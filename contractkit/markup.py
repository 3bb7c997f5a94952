"""Markdown clause bodies to tree blocks, with markdown-it-py rather than regular expressions.

Only what both renderers can show is accepted: paragraphs, bold, italics, ordered lists two
levels deep and tables. Anything else is reported with its line so lint can point at it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from contractkit.templating import (
    COUNSEL_CLOSE,
    COUNSEL_OPEN,
    REF_CLOSE,
    REF_OPEN,
    TERM_CLOSE,
    TERM_OPEN,
    TERM_SPLIT,
)
from contractkit.tree import (
    Block,
    ListItem,
    NumberedList,
    Paragraph,
    Run,
    Table,
    letter_label,
    roman_label,
)

MARKER_PAIRS = {REF_OPEN: (REF_CLOSE, "ref"), TERM_OPEN: (TERM_CLOSE, "term")}
MARKER_PAIRS[COUNSEL_OPEN] = (COUNSEL_CLOSE, "counsel")
_MARKER_OPEN = re.compile("|".join(re.escape(m) for m in MARKER_PAIRS))

RefResolver = Callable[[str], list[Run]]


class MarkupError(Exception):
    """Markdown the renderers cannot show; ``line`` is 1-based within the rendered body."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


@dataclass
class ParseResult:
    blocks: list[Block]
    terms: list[str]
    counsel_points: list[str]


_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_PARSER.enable("table")

UNSUPPORTED = {
    "heading_open": "headings are not allowed in a clause body (the clause title is its heading)",
    "bullet_list_open": "bullet lists are not supported; use a numbered list (1.)",
    "blockquote_open": "block quotes are not supported",
    "code_block": "indented code blocks are not supported (check the indentation)",
    "fence": "code blocks are not supported",
    "hr": "horizontal rules are not supported",
    "html_block": "raw HTML is not supported",
}
INLINE_UNSUPPORTED = {
    "link_open": "links are not supported in clause text",
    "image": "images are not supported in clause text",
    "code_inline": "inline code is not supported in clause text",
}


class _Builder:
    def __init__(self, resolve_ref: RefResolver):
        self.resolve_ref = resolve_ref
        self.terms: list[str] = []
        self.counsel: list[str] = []

    def inline(self, token: Token) -> list[Run]:
        runs: list[Run] = []
        bold = italic = False
        for child in token.children or []:
            kind = child.type
            line = token.map[0] + 1 if token.map else None
            if kind in INLINE_UNSUPPORTED:
                raise MarkupError(INLINE_UNSUPPORTED[kind], line)
            if kind == "strong_open":
                bold = True
            elif kind == "strong_close":
                bold = False
            elif kind == "em_open":
                italic = True
            elif kind == "em_close":
                italic = False
            elif kind in ("softbreak", "hardbreak"):
                runs.append(Run(" ", bold=bold, italic=italic))
            elif kind == "text":
                runs.extend(self.text_runs(child.content, bold, italic, line))
            else:
                raise MarkupError(f"'{kind}' is not supported in clause text", line)
        return _merge(runs)

    def text_runs(self, text: str, bold: bool, italic: bool, line: int | None) -> list[Run]:
        runs: list[Run] = []
        start = 0
        for found in _MARKER_OPEN.finditer(text):
            i = found.start()
            if i < start:  # inside the payload of the marker before
                continue
            close, kind = MARKER_PAIRS[found.group()]
            end = text.find(close, i + 1)
            if end < 0:
                raise MarkupError("a reference or term was split by formatting", line)
            if i > start:
                runs.append(Run(text[start:i], bold=bold, italic=italic))
            payload = text[i + 1 : end]
            if kind == "ref":
                runs.extend(self.resolve_ref(payload))
            elif kind == "term":
                name, _, shown = payload.partition(TERM_SPLIT)
                self.terms.append(name)
                runs.append(Run(shown or name, "term", bold=bold, italic=italic))
            else:
                self.counsel.append(payload)
                runs.append(Run(f"[COUNSEL: {payload}]", "counsel", bold=bold, italic=italic))
            start = end + 1
        if start < len(text):
            runs.append(Run(text[start:], bold=bold, italic=italic))
        return runs

    def blocks(self, tokens: list[Token]) -> list[Block]:
        blocks: list[Block] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            line = token.map[0] + 1 if token.map else None
            if token.type in UNSUPPORTED:
                raise MarkupError(UNSUPPORTED[token.type], line)
            if token.type == "paragraph_open":
                blocks.append(Paragraph(self.inline(tokens[i + 1])))
                i += 3
            elif token.type == "ordered_list_open":
                end = _closing(tokens, i)
                blocks.append(NumberedList(self.list_items(tokens[i + 1 : end], 3)))
                i = end + 1
            elif token.type == "table_open":
                end = _closing(tokens, i)
                blocks.append(self.table(tokens[i + 1 : end]))
                i = end + 1
            else:
                raise MarkupError(f"'{token.type}' is not supported in a clause body", line)
        return blocks

    def list_items(self, tokens: list[Token], level: int) -> list[ListItem]:
        if level > 4:
            line = tokens[0].map[0] + 1 if tokens and tokens[0].map else None
            raise MarkupError("lists may nest only two levels deep: (a), then (i)", line)
        items: list[ListItem] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.type != "list_item_open":
                i += 1
                continue
            end = _closing(tokens, i)
            n = len(items) + 1
            label = f"({letter_label(n)})" if level == 3 else f"({roman_label(n)})"
            item = ListItem(label, level, [])
            inner = tokens[i + 1 : end]
            j = 0
            while j < len(inner):
                sub = inner[j]
                line = sub.map[0] + 1 if sub.map else None
                if sub.type == "paragraph_open":
                    item.paragraphs.append(Paragraph(self.inline(inner[j + 1])))
                    j += 3
                elif sub.type == "ordered_list_open":
                    close = _closing(inner, j)
                    item.children.extend(self.list_items(inner[j + 1 : close], level + 1))
                    j = close + 1
                elif sub.type in UNSUPPORTED:
                    raise MarkupError(UNSUPPORTED[sub.type], line)
                else:
                    raise MarkupError(f"'{sub.type}' is not supported inside a list", line)
            items.append(item)
            i = end + 1
        return items

    def table(self, tokens: list[Token]) -> Table:
        rows: list[list[list[Run]]] = []
        for token in tokens:
            if token.type == "tr_open":
                rows.append([])
            elif token.type == "inline":
                rows[-1].append(self.inline(token))
        return Table(rows)


def _closing(tokens: list[Token], start: int) -> int:
    depth = 0
    for i in range(start, len(tokens)):
        depth += tokens[i].nesting
        if depth == 0:
            return i
    raise MarkupError("unbalanced Markdown structure", None)


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        last = merged[-1] if merged else None
        if (
            last is not None
            and run.kind == "text"
            and last.kind == "text"
            and (last.bold, last.italic) == (run.bold, run.italic)
        ):
            merged[-1] = Run(last.text + run.text, bold=run.bold, italic=run.italic)
        else:
            merged.append(run)
    return merged


@functools.lru_cache(maxsize=4096)
def _tokens(markdown: str) -> tuple[Token, ...]:
    """markdown-it's tokens for a text, kept: a rebuild renders most clauses to the same text
    again, and the tokens are only read."""
    return tuple(_PARSER.parse(markdown))


def parse_blocks(markdown: str, resolve_ref: RefResolver) -> ParseResult:
    """Block-level Markdown to tree blocks, with the terms and counsel points it uses."""
    builder = _Builder(resolve_ref)
    blocks = builder.blocks(list(_tokens(markdown)))
    return ParseResult(blocks, builder.terms, builder.counsel)
