"""Which clause each paragraph of a marked-up DOCX belongs to, and what was changed untracked.

The DOCX contractkit wrote is the baseline: its clause headings carry the tree's bookmarks, and
the tree says how many paragraphs each clause has, so every baseline paragraph is labelled
with its clause. The markup's text as it stood before its tracked changes is then aligned with
the baseline paragraph by paragraph (a sequence alignment, so added, removed and moved
paragraphs do not shift the rest); where the two differ, the vendor edited without tracking.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from contractkit.playbook.docxread import MarkupParagraph
from contractkit.tree import Block, Clause, DocumentTree, ListItem, NumberedList, Paragraph

_SPACES = re.compile(r"\s+")


def norm(text: str) -> str:
    """Text as compared: any run of whitespace (non-breaking spaces too) is one space."""
    return _SPACES.sub(" ", text.replace("\u00a0", " ")).strip()


@dataclass(frozen=True)
class Label:
    """The clause a paragraph belongs to; ``clause`` is None outside any clause."""

    clause: str | None = None
    section: str = ""
    title: str = ""


@dataclass
class Group:
    """One paragraph of the text before tracked changes: markup paragraphs joined where a
    paragraph mark was inserted."""

    members: list[int]
    original: str


@dataclass
class Untracked:
    """A difference between the baseline and the markup's text before its tracked changes."""

    label: Label
    old: str
    new: str
    members: list[int]


@dataclass
class Alignment:
    """Labels for every markup paragraph, untracked edits, and how much of the baseline matched."""

    labels: dict[int, Label]
    untracked: list[Untracked]
    matched: float


def _item_paragraphs(items: list[ListItem]) -> int:
    return sum(max(len(i.paragraphs), 1) + _item_paragraphs(i.children) for i in items)


def block_paragraphs(blocks: list[Block]) -> int:
    """How many DOCX paragraphs the renderer writes for a clause's blocks."""
    count = 0
    for block in blocks:
        if isinstance(block, Paragraph):
            count += 1
        elif isinstance(block, NumberedList):
            count += _item_paragraphs(block.items)
        else:
            count += sum(len(row) for row in block.rows)
    return count


def label_baseline(paragraphs: list[MarkupParagraph], tree: DocumentTree) -> list[Label]:
    """Each baseline paragraph's clause, found from the heading bookmarks contractkit wrote."""
    by_anchor: dict[str, Clause] = {c.anchor: c for c in tree.clauses()}
    articles = {a.anchor: a for a in (*tree.articles, *tree.schedules)}
    labels: list[Label] = []
    current: Label | None = None
    left = 0
    for p in paragraphs:
        clause = next((by_anchor[b] for b in p.bookmarks if b in by_anchor), None)
        if clause is not None:
            current = Label(clause.id, clause.number, clause.title)
            left = block_paragraphs(clause.blocks)
            labels.append(current)
            continue
        article = next((articles[b] for b in p.bookmarks if b in articles), None)
        if article is not None:
            # The definitions come from the shared glossary, not a clause file: they are
            # placed under ``<document>.definitions``, which no playbook covers.
            current = Label(f"{tree.key}.definitions", article.number, article.title)
            left = len(article.definitions)
            labels.append(Label())
            continue
        if current is not None and left > 0:
            labels.append(current)
            left -= 1
        else:
            labels.append(Label())
    return labels


def original_groups(paragraphs: list[MarkupParagraph]) -> tuple[list[Group], list[int]]:
    """Paragraphs as they stood before tracked changes, and the wholly new ones."""
    groups: list[Group] = []
    new: list[int] = []
    members: list[int] = []
    for p in paragraphs:
        inserted = p.wholly in ("ins", "moveTo") and not p.original.strip()
        if inserted and not members and p.mark == "ins":
            new.append(p.index)
            continue
        members.append(p.index)
        if p.mark == "ins":
            continue
        groups.append(Group(members, "".join(paragraphs[i].original for i in members)))
        members = []
    if members:
        groups.append(Group(members, "".join(paragraphs[i].original for i in members)))
    kept = [g for g in groups if norm(g.original)]
    new += [i for g in groups if not norm(g.original) for i in g.members]
    return kept, sorted(new)


_WORDS = re.compile(r"\w+|[^\w\s]")
BAND = 40
"""How far apart (in paragraphs, relative to the block) a replaced paragraph is looked for in
a large replaced block: an edit moves text a little, not across a whole rewritten document."""


def _similar(
    old: list[int], new: list[int], base: list[str], text: list[str]
) -> list[tuple[float, int, int]]:
    """Word-level similarity of the candidate pairs worth scoring, best first.

    Words rather than characters, and each markup paragraph indexed once, keep a large block
    of untracked rewrites from costing a character comparison of every pair.
    """
    words = {i: _WORDS.findall(base[i]) for i in old}
    scale = len(old) / max(len(new), 1)
    scored: list[tuple[float, int, int]] = []
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    for position, j in enumerate(new):
        matcher.set_seq2(_WORDS.findall(text[j]))
        middle = position * scale
        for offset, i in enumerate(old):
            if len(old) * len(new) > BAND * BAND and abs(offset - middle) > BAND:
                continue
            matcher.set_seq1(words[i])
            if matcher.real_quick_ratio() >= 0.5 and matcher.quick_ratio() >= 0.5:
                ratio = matcher.ratio()
                if ratio >= 0.5:
                    scored.append((-ratio, i, j))
    scored.sort()
    return scored


def _pairs(
    old: list[int], new: list[int], base: list[str], text: list[str]
) -> list[tuple[int | None, int | None]]:
    """Pair replaced baseline paragraphs with markup paragraphs, most similar first."""
    if len(old) == len(new):
        return list(zip(old, new, strict=True))
    pairs: list[tuple[int | None, int | None]] = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    for _, i, j in _similar(old, new, base, text):
        if i not in used_old and j not in used_new:
            pairs.append((i, j))
            used_old.add(i)
            used_new.add(j)
    pairs += [(i, None) for i in old if i not in used_old]
    pairs += [(None, j) for j in new if j not in used_new]
    return pairs


def align(
    markup: list[MarkupParagraph], baseline: list[MarkupParagraph], labels: list[Label]
) -> Alignment:
    """Label every markup paragraph and list the untracked differences from the baseline."""
    groups, _ = original_groups(markup)
    kept = [i for i, p in enumerate(baseline) if norm(p.current)]
    base = [norm(baseline[i].current) for i in kept]
    labels = [labels[i] for i in kept]
    text = [norm(g.original) for g in groups]
    matcher = difflib.SequenceMatcher(None, base, text, autojunk=False)
    group_label: dict[int, Label] = {}
    untracked: list[Untracked] = []
    matched = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            matched += i2 - i1
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                group_label[j] = labels[i]
            continue
        for a, b in _pairs(list(range(i1, i2)), list(range(j1, j2)), base, text):
            if a is not None and b is not None:
                group_label[b] = labels[a]
                untracked.append(Untracked(labels[a], base[a], text[b], groups[b].members))
            elif a is not None:
                untracked.append(Untracked(labels[a], base[a], "", []))
            elif b is not None:
                untracked.append(Untracked(Label(), "", text[b], groups[b].members))
    by_paragraph: dict[int, Label] = {}
    for j, group in enumerate(groups):
        for i in group.members:
            if j in group_label:
                by_paragraph[i] = group_label[j]
    previous = Label()
    for p in markup:
        if p.index in by_paragraph:
            previous = by_paragraph[p.index]
        else:
            by_paragraph[p.index] = previous
    for item in untracked:
        if item.members and item.label.clause is None:
            item.label = by_paragraph[item.members[0]]
    return Alignment(by_paragraph, untracked, matched / max(len(base), 1))
