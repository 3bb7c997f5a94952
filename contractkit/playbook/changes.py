"""Every change in a marked-up DOCX, placed in its clause: tracked insertions, deletions and
moves, comments, and edits made without tracking."""

from __future__ import annotations

from dataclasses import dataclass, field

from contractkit.playbook.align import Alignment, Label, norm
from contractkit.playbook.docxread import Markup, MarkupParagraph, MarkupPiece


@dataclass
class Change:
    """One change as reported to counsel."""

    kind: str
    label: Label
    old: str
    new: str
    author: str = ""
    date: str = ""
    before: str = ""
    after: str = ""
    paragraphs: list[int] = field(default_factory=list)
    to: Label | None = None
    tracked: bool = True


def _kind(pieces: list[MarkupPiece]) -> str:
    kinds = {p.kind for p in pieces}
    if kinds & {"moveFrom", "moveTo"}:
        return "move"
    if kinds == {"ins"}:
        return "insertion"
    if kinds == {"del"}:
        return "deletion"
    return "replacement"


def _paragraph_changes(p: MarkupParagraph, label: Label) -> list[Change]:
    changes: list[Change] = []
    run: list[MarkupPiece] = []
    for piece in [*p.pieces, MarkupPiece(None, "")]:
        if piece.kind is not None:
            run.append(piece)
            continue
        if run:
            old = "".join(x.text for x in run if x.kind in ("del", "moveFrom"))
            new = "".join(x.text for x in run if x.kind in ("ins", "moveTo"))
            changes.append(
                Change(
                    _kind(run),
                    label,
                    old,
                    new,
                    run[0].author,
                    run[0].date,
                    p.original,
                    p.current,
                    [p.index],
                )
            )
            run = []
    return changes


def _merge_whole(changes: list[Change], wholes: set[int]) -> list[Change]:
    """Consecutive whole-paragraph deletions (or insertions) of one clause become one change."""
    merged: list[Change] = []
    for change in changes:
        last = merged[-1] if merged else None
        if (
            last is not None
            and change.kind == last.kind
            and change.kind in ("deletion", "insertion")
            and change.label == last.label
            and change.author == last.author
            and change.paragraphs[0] in wholes
            and last.paragraphs[-1] in wholes
            and change.paragraphs[0] == last.paragraphs[-1] + 1
        ):
            last.old = "\n".join(t for t in (last.old, change.old) if t)
            last.new = "\n".join(t for t in (last.new, change.new) if t)
            last.before = "\n".join(t for t in (last.before, change.before) if t)
            last.after = "\n".join(t for t in (last.after, change.after) if t)
            last.paragraphs.append(change.paragraphs[0])
            continue
        merged.append(change)
    return merged


def _pair_moves(changes: list[Change]) -> list[Change]:
    """A moved-from and a moved-to stretch with the same text are one move."""
    sources = [c for c in changes if c.kind == "move" and c.old and not c.new]
    targets = [c for c in changes if c.kind == "move" and c.new and not c.old]
    dropped: set[int] = set()
    for source in sources:
        target = next(
            (t for t in targets if id(t) not in dropped and norm(t.new) == norm(source.old)), None
        )
        if target is None:
            source.kind = "deletion"
            continue
        dropped.add(id(target))
        source.new = target.new
        source.to = target.label
        source.after = source.before
    for target in targets:
        if id(target) not in dropped:
            target.kind = "insertion"
    return [c for c in changes if id(c) not in dropped]


def tracked_changes(markup: Markup, alignment: Alignment) -> list[Change]:
    """Tracked changes and comments, each in the clause its paragraph belongs to."""
    changes: list[Change] = []
    wholes = {p.index for p in markup.paragraphs if p.wholly in ("ins", "del")}
    for p in markup.paragraphs:
        changes += _paragraph_changes(p, alignment.labels.get(p.index, Label()))
    changes = _pair_moves(_merge_whole(changes, wholes))
    for p in markup.paragraphs:
        for comment_id in p.comments:
            comment = markup.comments.get(comment_id)
            if comment is None:
                continue
            changes.append(
                Change(
                    "comment",
                    alignment.labels.get(p.index, Label()),
                    norm(p.current),
                    comment.text,
                    comment.author,
                    comment.date,
                    p.original,
                    p.current,
                    [p.index],
                )
            )
    return changes


def _narrow(old: str, new: str) -> tuple[str, str]:
    """The words that differ between two texts, with the unchanged ends trimmed."""
    a, b = old.split(" "), new.split(" ")
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return " ".join(a[start : len(a) - end]), " ".join(b[start : len(b) - end])


def untracked_changes(alignment: Alignment) -> list[Change]:
    """Edits made without tracking, narrowed to the words that differ."""
    found = []
    for item in alignment.untracked:
        old, new = _narrow(item.old, item.new) if item.old and item.new else (item.old, item.new)
        found.append(
            Change(
                "untracked",
                item.label,
                old,
                new,
                before=item.old,
                after=item.new,
                paragraphs=list(item.members),
                tracked=False,
            )
        )
    return found
