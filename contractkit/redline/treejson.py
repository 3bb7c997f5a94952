"""The stored form of a document tree: versioned JSON a later build can compare against.

A bundle keeps each document's tree so a rebuild, or ``contractkit redline``, can show exactly
what changed without re-reading the spec or library it came from. The form is plain JSON with
sorted keys and no clock readings beyond the tree's own metadata, so the same tree always gives
the same bytes; ``load(dump(tree)) == tree``.
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any, cast

from contractkit.errors import ContractkitError
from contractkit.resources import recorded_source
from contractkit.tree import (
    Article,
    Block,
    Clause,
    Definition,
    DocumentTree,
    DraftingNote,
    ListItem,
    NumberedList,
    Paragraph,
    Run,
    SignatureBlock,
    Table,
)

FORMAT_KEY = "contractkit_tree"
FORMAT = 1
TREES = "internal/trees"
_RUN_DEFAULTS = {f.name: f.default for f in fields(Run) if f.name != "text"}


class TreeFormatError(ContractkitError):
    """A stored tree this contractkit cannot read: another format version, or not a tree."""


def tree_file(tree: DocumentTree) -> str:
    """Where a bundle keeps a document's tree."""
    return f"{TREES}/{tree.stem}.json"


def dump(tree: DocumentTree) -> bytes:
    """The tree as stable, versioned JSON bytes."""
    data = {
        FORMAT_KEY: FORMAT,
        "key": tree.key,
        "stem": tree.stem,
        "title": tree.title,
        "engagement_title": tree.engagement_title,
        "watermark": tree.watermark,
        "preamble": [_block(b) for b in tree.preamble],
        "recitals": [_runs(p.runs) for p in tree.recitals],
        "recitals_heading": tree.recitals_heading,
        "operative_words": tree.operative_words,
        "articles": [_article(a) for a in tree.articles],
        "signature_intro": _runs(tree.signature_intro.runs),
        "signatories": [vars(s) for s in tree.signatories],
        "schedules": [_article(a) for a in tree.schedules],
        "notes": [{**vars(n), "source": recorded_source(n.source)} for n in tree.notes],
        "draft_notice": tree.draft_notice,
        "metadata": tree.metadata,
    }
    return _lines(data).encode("utf-8")


def _compact(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _lines(data: dict[str, Any]) -> str:
    """JSON with one line per field, and one per article, schedule, note or block of a list:
    readable in a diff, and written by the C encoder (an indented dump is several times
    slower, which a watch pays on every rebuild)."""
    fields = []
    for key in sorted(data):
        value = data[key]
        if isinstance(value, list) and value:
            items = ",\n".join(_compact(item) for item in value)
            fields.append(f"{_compact(key)}:[\n{items}\n]")
        else:
            fields.append(f"{_compact(key)}:{_compact(value)}")
    return "{\n" + ",\n".join(fields) + "\n}\n"


def load(data: bytes, source: str = "tree") -> DocumentTree:
    """The tree stored by ``dump``; ``source`` names the file in error messages."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise TreeFormatError.at(source, f"not a stored contractkit tree: {exc}") from None
    if not isinstance(raw, dict) or FORMAT_KEY not in raw:
        raise TreeFormatError.at(
            source, f"not a stored contractkit tree: no '{FORMAT_KEY}' version field"
        )
    version = raw[FORMAT_KEY]
    if version != FORMAT:
        raise TreeFormatError.at(
            source,
            f"stored tree format {version!r} is not the format this contractkit reads "
            f"({FORMAT}); build the bundle again with this version",
        )
    try:
        return _tree(raw)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise TreeFormatError.at(
            source, f"stored tree is damaged: {type(exc).__name__}: {exc}"
        ) from None


def _run(run: Run) -> dict[str, Any]:
    out: dict[str, Any] = {"text": run.text}
    for name, default in _RUN_DEFAULTS.items():
        value = getattr(run, name)
        if value != default:
            out[name] = value
    return out


def _runs(runs: list[Run]) -> list[dict[str, Any]]:
    return [_run(r) for r in runs]


def _item(item: ListItem) -> dict[str, Any]:
    return {
        "label": item.label,
        "level": item.level,
        "paragraphs": [_runs(p.runs) for p in item.paragraphs],
        "children": [_item(c) for c in item.children],
    }


def _block(block: Block) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"paragraph": _runs(block.runs)}
    if isinstance(block, NumberedList):
        return {"list": [_item(i) for i in block.items]}
    return {"table": [[_runs(cell) for cell in row] for row in block.rows]}


def _clause(clause: Clause) -> dict[str, Any]:
    return {
        "id": clause.id,
        "number": clause.number,
        "title": clause.title,
        "anchor": clause.anchor,
        "blocks": [_block(b) for b in clause.blocks],
        "version": clause.version,
        "source": recorded_source(clause.source),
        "position": clause.position,
        "satisfies": clause.satisfies,
    }


def _article(article: Article) -> dict[str, Any]:
    return {
        "number": article.number,
        "title": article.title,
        "anchor": article.anchor,
        "clauses": [_clause(c) for c in article.clauses],
        "definitions": [{"term": d.term, "runs": _runs(d.runs)} for d in article.definitions],
        "schedule": article.schedule,
    }


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, found {type(value).__name__}")
    return value


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"expected a list, found {type(value).__name__}")
    return value


def _load_run(raw: dict[str, Any]) -> Run:
    unknown = set(raw) - {"text", *_RUN_DEFAULTS}
    if unknown:
        raise ValueError(f"unknown run fields {sorted(unknown)}")
    return Run(**{"text": _str(raw["text"]), **{k: raw[k] for k in raw if k != "text"}})


def _load_runs(raw: Any) -> list[Run]:
    return [_load_run(r) for r in _list(raw)]


def _load_item(raw: dict[str, Any]) -> ListItem:
    return ListItem(
        _str(raw["label"]),
        int(raw["level"]),
        [Paragraph(_load_runs(p)) for p in _list(raw["paragraphs"])],
        [_load_item(c) for c in _list(raw["children"])],
    )


def _load_block(raw: dict[str, Any]) -> Block:
    (kind, value), *extra = raw.items()
    if extra:
        raise ValueError(f"a block has one kind, found {sorted(raw)}")
    if kind == "paragraph":
        return Paragraph(_load_runs(value))
    if kind == "list":
        return NumberedList([_load_item(i) for i in _list(value)])
    if kind == "table":
        return Table([[_load_runs(cell) for cell in _list(row)] for row in _list(value)])
    raise ValueError(f"unknown block kind {kind!r}")


def _load_clause(raw: dict[str, Any]) -> Clause:
    return Clause(
        id=_str(raw["id"]),
        number=_str(raw["number"]),
        title=_str(raw["title"]),
        anchor=_str(raw["anchor"]),
        blocks=[_load_block(b) for b in _list(raw["blocks"])],
        version=_str(raw["version"]),
        source=_str(raw["source"]),
        position=_str(raw["position"]),
        satisfies=[_str(s) for s in _list(raw["satisfies"])],
    )


def _load_article(raw: dict[str, Any]) -> Article:
    return Article(
        number=_str(raw["number"]),
        title=_str(raw["title"]),
        anchor=_str(raw["anchor"]),
        clauses=[_load_clause(c) for c in _list(raw["clauses"])],
        definitions=[
            Definition(_str(d["term"]), _load_runs(d["runs"])) for d in _list(raw["definitions"])
        ],
        schedule=bool(raw["schedule"]),
    )


def _tree(raw: dict[str, Any]) -> DocumentTree:
    metadata = cast(dict[str, Any], raw["metadata"])
    return DocumentTree(
        key=_str(raw["key"]),
        stem=_str(raw["stem"]),
        title=_str(raw["title"]),
        engagement_title=_str(raw["engagement_title"]),
        watermark=_str(raw["watermark"]),
        preamble=[_load_block(b) for b in _list(raw["preamble"])],
        recitals=[Paragraph(_load_runs(p)) for p in _list(raw["recitals"])],
        recitals_heading=_str(raw["recitals_heading"]),
        operative_words=_str(raw["operative_words"]),
        articles=[_load_article(a) for a in _list(raw["articles"])],
        signature_intro=Paragraph(_load_runs(raw["signature_intro"])),
        signatories=[SignatureBlock(**s) for s in _list(raw["signatories"])],
        schedules=[_load_article(a) for a in _list(raw["schedules"])],
        notes=[DraftingNote(**n) for n in _list(raw["notes"])],
        draft_notice=_str(raw["draft_notice"]),
        metadata={_str(k): _str(v) for k, v in metadata.items()},
    )
