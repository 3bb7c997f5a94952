"""``contractkit lint``: check the clause library as a whole, every defect with its line.

Static checks read the files; dynamic checks assemble every document of every given spec under
both negotiating positions, which is what finds undefined values, impossible references,
Markdown the renderers cannot show and the drafting defects of :mod:`contractkit.hygiene`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from jinja2 import nodes
from jinja2.exceptions import TemplateSyntaxError

from contractkit.assemble import Assembler
from contractkit.coverage import coverage, uncovered
from contractkit.documents import DOCUMENTS
from contractkit.errors import ContractkitError, Location, Problem
from contractkit.hygiene import document_problems, library_problems
from contractkit.library import ClauseFile, Library, load_library
from contractkit.loader import LoadedSpec, load_spec
from contractkit.playbook.checks import playbook_problems
from contractkit.resources import example_names, example_path
from contractkit.spec import Position, Spec
from contractkit.templating import clause_environment
from contractkit.tree import DocumentTree


def lint(
    overlays: Sequence[Path] = (), specs: Sequence[Path] = (), *, builtin: bool = True
) -> list[Problem]:
    """Every problem in the library, sorted by file and line; empty when it is clean."""
    library = load_library(overlays, collect=True, builtin=builtin)
    problems = list(library.problems)
    problems += _outline_problems(library)
    problems += _static_template_problems(library)
    problems += _definition_conflicts(library)
    problems += _satisfies_problems(library)
    problems += library_problems(library)
    problems += playbook_problems(library)
    loaded: list[LoadedSpec] = []
    for path in specs or [example_path(n) for n in example_names()]:
        try:
            loaded.append(load_spec(path))
        except ContractkitError as exc:
            problems += exc.problems
    for item in loaded:
        for position in Position:
            spec = item.spec.model_copy(
                update={
                    "engagement": item.spec.engagement.model_copy(update={"position": position})
                }
            )
            problems += spec_problems(spec, library)
    return sorted(
        _once(problems),
        key=lambda p: (p.location.file, p.location.line or 0, p.message),
    )


def _once(problems: list[Problem]) -> list[Problem]:
    """Each problem once, with the engagements and positions it was found under.

    The same defect found while assembling several specs under both positions is one problem
    of one file; a defect the static checks found needs no engagement named at all.
    """
    found: dict[tuple[str, str, str], tuple[Problem, list[tuple[str, str]]]] = {}
    static: set[tuple[str, str, str]] = set()
    for problem in problems:
        match = _CONTEXT.search(problem.message)
        base = problem.message[: match.start()] if match else problem.message
        key = (str(problem.location), problem.location.path, base)
        _, under = found.setdefault(key, (problem, []))
        if match:
            under.append((match["spec"], match["position"]))
        else:
            static.add(key)
    return [
        Problem(
            first.location,
            key[2] if key in static else key[2] + _where_found(under),
            first.severity,
        )
        for key, (first, under) in found.items()
    ]


_CONTEXT = re.compile(r" \(spec (?P<spec>[^,()]+), position (?P<position>\w+)\)$")


def _where_found(under: list[tuple[str, str]]) -> str:
    positions: dict[str, list[str]] = {}
    for spec, position in under:
        if position not in positions.setdefault(spec, []):
            positions[spec].append(position)
    parts = [
        f"spec {spec}, " + ("both positions" if len(p) == len(Position) else f"position {p[0]}")
        if len(p) in (1, len(Position))
        else f"spec {spec}, positions {', '.join(p)}"
        for spec, p in positions.items()
    ]
    return f" ({'; '.join(parts)})"


def _outline_problems(library: Library) -> Iterator[Problem]:
    placed: set[str] = set()
    for info in DOCUMENTS:
        key = info.key
        outline = library.outlines.get(key)
        if outline is None:
            continue
        sections = (
            ("articles", outline.outline.articles),
            ("schedules", outline.outline.schedules),
        )
        definition_articles = sum(a.definitions for a in outline.outline.articles)
        if definition_articles > 1:
            yield Problem(
                outline.doc.locate(("articles",)), "more than one article has definitions: true"
            )
        for section, articles in sections:
            for a_index, article in enumerate(articles):
                for c_index, clause_id in enumerate(article.clauses):
                    where = outline.doc.locate((section, a_index, "clauses", c_index))
                    variants = library.variants(clause_id)
                    if not variants:
                        yield Problem(
                            where, f"outline names clause '{clause_id}', which does not exist"
                        )
                    elif variants[0].meta.document is not key:
                        yield Problem(
                            where,
                            f"clause '{clause_id}' belongs to document "
                            f"'{variants[0].meta.document.value}', not '{key.value}'",
                        )
                    if clause_id in placed:
                        yield Problem(where, f"clause '{clause_id}' is placed twice")
                    placed.add(clause_id)
    for clause in library.clauses.values():
        meta = clause.meta
        if meta.after is not None:
            target = library.variants(meta.after)
            if not target:
                yield Problem(
                    Location(str(clause.path), clause.line_of("after")),
                    f"after: '{meta.after}' does not exist",
                )
            elif target[0].meta.document is not meta.document:
                yield Problem(
                    Location(str(clause.path), clause.line_of("after")),
                    f"after: '{meta.after}' is in another document",
                )
        elif meta.id not in placed:
            yield Problem(
                Location(str(clause.path), clause.line_of("id")),
                f"clause '{meta.id}' is in no outline and has no 'after:'; "
                "it would never be printed",
            )


@lru_cache(maxsize=4096)
def _literal_calls(source: str) -> tuple[tuple[str, str, int], ...]:
    """Each ``name('literal')`` call in a template as (name, literal, line).

    Parsed once per text: a lint reads the same clauses for every engagement it checks.
    """
    found = []
    for call in clause_environment().parse(source).find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.args:
            first = call.args[0]
            if isinstance(first, nodes.Const) and isinstance(first.value, str):
                found.append((call.node.name, first.value, call.lineno))
    return tuple(found)


def _static_template_problems(library: Library) -> Iterator[Problem]:
    known_terms = set(library.definitions)
    for clause in library.clauses.values():
        known_terms.update(clause.meta.defines)
    sources: list[tuple[str, Path, int]] = [
        (c.body, c.path, c.body_line) for c in _all_winners_and_shadowed(library)
    ]
    sources += [(d.text, d.path, d.line) for d in library.definitions.values()]
    for c in library.clauses.values():
        sources += [(text, c.path, c.line_of("defines")) for text in c.meta.defines.values()]
    for outline in library.outlines.values():
        o = outline.outline
        sources.append((o.preamble, outline.path, outline.doc.locate(("preamble",)).line or 1))
        sources += [
            (r, outline.path, outline.doc.locate(("recitals", i)).line or 1)
            for i, r in enumerate(o.recitals)
        ]
    for source, path, first in sources:
        try:
            calls = _literal_calls(source)
        except TemplateSyntaxError as exc:
            yield Problem(
                Location(str(path), first + (exc.lineno or 1) - 1), f"template error: {exc.message}"
            )
            continue
        for name, target, line in calls:
            if name == "ref" and not library.variants(target):
                yield Problem(
                    Location(str(path), first + line - 1),
                    f"ref('{target}') points at a clause that does not exist",
                )
            elif name == "term" and target not in known_terms:
                yield Problem(
                    Location(str(path), first + line - 1),
                    f"term '{target}' is used but never defined",
                )


def _all_winners_and_shadowed(library: Library) -> list[ClauseFile]:
    files = list(library.clauses.values())
    for shadowed in library.shadowed.values():
        files.extend(shadowed)
    return files


def _definition_conflicts(library: Library) -> Iterator[Problem]:
    seen: dict[str, tuple[str, str]] = {
        term: (" ".join(d.text.split()), f"{d.path}:{d.line}")
        for term, d in library.definitions.items()
    }
    for clause in library.clauses.values():
        for term, text in clause.meta.defines.items():
            normal = " ".join(text.split())
            here = f"{clause.path}:{clause.line_of('defines')}"
            if term in seen and seen[term][0] != normal:
                yield Problem(
                    Location(str(clause.path), clause.line_of("defines")),
                    f"term '{term}' is defined differently in {seen[term][1]}",
                )
            seen.setdefault(term, (normal, here))


def spec_problems(spec: Spec, library: Library) -> list[Problem]:
    """What assembling one engagement under its own position finds: template and reference
    errors, requirements no clause meets, and drafting hygiene, per document."""
    problems: list[Problem] = []
    try:
        assembler = Assembler(spec, library)
        plans = [assembler.plan(info) for info in assembler.infos]
    except ContractkitError as exc:
        return exc.problems
    context = f" (spec {spec.engagement.id}, position {spec.engagement.position.value})"
    trees = []
    for plan in plans:
        try:
            trees.append(assembler.build(plan))
        except ContractkitError as exc:
            problems += [Problem(p.location, p.message + context) for p in exc.problems]
    if problems:
        return problems
    try:
        rows = coverage(spec, library, trees)
    except ContractkitError as exc:
        return exc.problems
    for row in uncovered(rows):
        dropped = _dropped_by(library, trees, row.requirement, row.document)
        if dropped is not None:
            problems.append(dropped)
            continue
        entry = library.requirements[row.requirement]
        problems.append(
            Problem(
                Location(str(entry.path), entry.line),
                f"requirement '{row.requirement}' applies but no clause in the "
                f"{row.document} satisfies it{context}",
            )
        )
    return problems + document_problems(spec, trees, library)


def _dropped_by(
    library: Library, trees: list[DocumentTree], requirement: str, document: str
) -> Problem | None:
    """An unmet requirement blamed on the file that caused it: an overlay clause whose text
    replaced one that listed the requirement in ``satisfies`` and does not list it itself."""
    by_path = {str(c.path): c for c in library.all_clause_files}
    for tree in trees:
        if tree.key != document:
            continue
        for clause in tree.clauses():
            used = by_path.get(clause.source)
            former = next(
                (
                    c
                    for c in library.all_clause_files
                    if c.meta.id == clause.id and c is not used and requirement in c.meta.satisfies
                ),
                None,
            )
            if used is None or former is None or requirement in clause.satisfies:
                continue
            field = "satisfies" if "satisfies" in used.meta_lines else "id"
            return Problem(
                Location(str(used.path), used.line_of(field)),
                f"satisfies: does not list requirement '{requirement}', which the text it "
                f"replaces ({former.path}) meets, so no clause in the {document} meets it; "
                "list it if this text still does",
            )
    return None


def _satisfies_problems(library: Library) -> Iterator[Problem]:
    for clause in library.clauses.values():
        for req_id in clause.meta.satisfies:
            entry = library.requirements.get(req_id)
            where = Location(str(clause.path), clause.line_of("satisfies"))
            if entry is None:
                yield Problem(where, f"satisfies: unknown requirement '{req_id}'")
            elif entry.requirement.document is not clause.meta.document:
                yield Problem(
                    where,
                    f"satisfies: requirement '{req_id}' belongs in the "
                    f"{entry.requirement.document.value}, not the {clause.meta.document.value}",
                )
