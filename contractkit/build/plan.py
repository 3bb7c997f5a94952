"""Planning a bundle: every output with the hash that decides its content, before any rendering.

An output's key hashes contractkit's code, its format, the printed tree and the house template
files its renderer reads; an output whose key and file are unchanged is not rendered again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contractkit import render, uptodate
from contractkit.assemble import assemble
from contractkit.build.reports import (
    CHECKLIST_KIND,
    CHECKLIST_STEM,
    PLAYBOOK_KIND,
    PLAYBOOK_STEM,
    playbook_tree,
    report_texts,
)
from contractkit.checklist.output import to_tree
from contractkit.documents import BY_KEY, selected_documents
from contractkit.errors import RefusedError
from contractkit.evidence import evidence_digest
from contractkit.library import Library, load_library
from contractkit.loader import LoadedSpec
from contractkit.outcome import BundleResult as BundleResult
from contractkit.redline import treejson
from contractkit.redline.treejson import tree_file
from contractkit.render.house import HouseTemplates
from contractkit.spec import DocumentKey
from contractkit.tree import DocumentTree
from contractkit.uptodate import code_digest as code_digest

if TYPE_CHECKING:
    from contractkit.redline.bundle import DocumentRedline
    from contractkit.redline.model import Comparison, Redline


@dataclass(frozen=True)
class BuildOptions:
    """What the user asked for on the command line."""

    out: Path = Path("out")
    only: tuple[DocumentKey, ...] | None = None
    formats: tuple[str, ...] = field(default_factory=render.formats)
    libraries: tuple[Path, ...] = ()
    templates: Path | None = None
    force: bool = False
    jobs: int = 1
    redline: bool = True
    evidence: Path | None = None
    as_of: dt.date | None = None
    strict: bool = False


@dataclass
class Output:
    """One file of a bundle: its name, what decides its content, and how to make it."""

    name: str
    key: str
    kind: str
    tree: DocumentTree | None = None
    data: bytes | None = None
    cost: int = 0
    redline: Redline | None = None
    comparison: Comparison | None = None


@dataclass
class BundlePlan:
    """Everything one spec's bundle will contain, before any rendering."""

    loaded: LoadedSpec
    folder: Path
    trees: list[DocumentTree]
    outputs: list[Output]
    clause_hashes: dict[str, dict[str, str]]
    inputs: str = ""
    redlines: list[DocumentRedline] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha(path: Path) -> str:
    return sha(path.read_bytes())


UNPRINTED = {
    "Clause": frozenset({"version", "source", "position", "satisfies"}),
    "DocumentTree": frozenset({"notes"}),
}


def _printed_fields(obj: Any) -> dict[str, Any]:
    hidden = UNPRINTED.get(type(obj).__name__, frozenset())
    return {k: v for k, v in vars(obj).items() if k not in hidden}


def _printed(obj: Any) -> bytes:
    """Everything a tree (or clause) prints, serialised: equal bytes render to equal files.

    Drafting notes and clause metadata (version, source, requirements met) are left out, so a
    change that prints nothing differently renders nothing again.
    """
    return json.dumps(obj, default=_printed_fields, separators=(",", ":")).encode("utf-8")


@dataclass
class PrintedTree:
    """A tree's printed content hashed once: its digest, each clause's, and its size."""

    digest: str
    clauses: dict[str, str]
    size: int


def _printed_tree(tree: DocumentTree) -> PrintedTree:
    """Each clause is serialised once; the tree's own serialisation names its clauses by
    their digests, so it covers them without writing them out again."""
    by_object: dict[int, str] = {}
    clauses: dict[str, str] = {}
    size = 0
    for clause in tree.clauses():
        printed = _printed(clause)
        digest = sha(printed)
        by_object[id(clause)] = digest
        clauses[clause.id] = digest[:16]
        size += len(printed)

    def fields(obj: Any) -> Any:
        return by_object.get(id(obj)) or _printed_fields(obj)

    printed = json.dumps(tree, default=fields, separators=(",", ":")).encode("utf-8")
    return PrintedTree(sha(printed), clauses, size + len(printed))


def _template_key(templates: HouseTemplates, kind: str) -> str:
    return "".join(file_sha(f) for f in templates.used_by(render.renderer(kind)))


def plan_bundle(
    loaded: LoadedSpec,
    options: BuildOptions,
    templates: HouseTemplates,
    library: Library | None = None,
    sources: str = "",
) -> BundlePlan:
    """Assemble one spec and list its outputs with the hashes that decide their content."""
    library = library or load_library(options.libraries)
    sources = sources or sources_digest(options, templates)
    spec = loaded.spec
    if options.only is not None:
        produced = {d.key for d in selected_documents(spec)}
        for key in options.only:
            if key not in produced:
                raise RefusedError(
                    f"{loaded.path}: --only {key.value}: the {BY_KEY[key].title} is not produced "
                    "for this engagement"
                )
    # Every document is assembled (cheap) so that the internal reports always describe the
    # whole engagement; --only limits what is rendered.
    every = assemble(spec, library)
    named = {k.value for k in options.only or ()}
    trees = [t for t in every if options.only is None or t.key in named]
    keys = {kind: _template_key(templates, kind) for kind in options.formats}
    outputs: list[Output] = []

    def add_tree(tree: DocumentTree, name: str, formats: Iterable[str]) -> PrintedTree:
        printed = _printed_tree(tree)
        for kind in formats:
            key = sha(f"{code_digest()}|{kind}|{printed.digest}|{keys[kind]}".encode())
            cost = printed.size * render.renderer(kind).cost
            outputs.append(Output(f"{name}.{kind}", key, kind, tree=tree, cost=cost))
        return printed

    clause_hashes: dict[str, dict[str, str]] = {}
    for tree in trees:
        clause_hashes[tree.key] = add_tree(tree, tree.stem, options.formats).clauses
        stored = treejson.dump(tree)
        outputs.append(Output(tree_file(tree), sha(stored), "data", data=stored))
    texts, checklist = report_texts(loaded, library, every, options.evidence, options.as_of)
    for name, text in texts.items():
        data = text.encode("utf-8")
        outputs.append(Output(name, sha(data), "data", data=data))
    if CHECKLIST_KIND in options.formats:
        add_tree(to_tree(checklist, spec), CHECKLIST_STEM, [CHECKLIST_KIND])
    if PLAYBOOK_KIND in options.formats:
        add_tree(playbook_tree(loaded, library, every), PLAYBOOK_STEM, [PLAYBOOK_KIND])
    folder = options.out / spec.engagement.id
    inputs = inputs_key(loaded, options, sources)
    plan = BundlePlan(loaded, folder, trees, outputs, clause_hashes, inputs)
    from contractkit.redline.rebuild import plan_redlines

    plan_redlines(plan, options.formats if options.redline else (), keys, code_digest())
    return plan


def sources_digest(options: BuildOptions, templates: HouseTemplates) -> str:
    """A hash of the clause library and house templates a build reads (once per batch)."""
    return uptodate.sources_digest(options.libraries, templates.files.values())


def inputs_key(loaded: LoadedSpec, options: BuildOptions, sources: str) -> str:
    """A hash of everything a bundle is made from: spec, library, templates, options, code.

    When it matches the last build's and no output changed on disk, there is nothing to do;
    ``contractkit.uptodate`` computes the same key from bytes alone, before any heavy import.
    """
    return uptodate.inputs_key(
        code=code_digest(),
        spec_sha=loaded.sha256,
        sources=sources,
        only=[k.value for k in options.only] if options.only is not None else None,
        formats=options.formats,
        evidence=evidence_digest(loaded.path, options.evidence),
        as_of=options.as_of.isoformat() if options.as_of else "",
    )
