"""Spec + clause library -> one document tree per agreement, numbers and references resolved.

Assembly happens in two passes over every document of the bundle: first the outline of each is
settled (which clauses apply, in which order, with which numbers), then the clause bodies are
rendered, so a reference to a clause in another agreement knows that agreement's numbering.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import TemplateError as JinjaTemplateError
from jinja2 import UndefinedError
from pydantic import BaseModel

from contractkit import spec as spec_module
from contractkit.documents import BY_KEY, DocumentInfo, DocumentKey, selected_documents
from contractkit.errors import LibraryError, Location, Problem
from contractkit.facts import document_metadata, evaluate_condition, spec_context
from contractkit.humane import undefined_message
from contractkit.library import ClauseFile, Library, OutlineFile
from contractkit.markup import MarkupError, ParseResult, parse_blocks
from contractkit.spec import Spec
from contractkit.templating import (
    MARKERS,
    REF_CLOSE,
    REF_OPEN,
    TERM_CLOSE,
    TERM_OPEN,
    TERM_SPLIT,
    Marked,
    clause_environment,
    escape_markdown,
)
from contractkit.tree import (
    Article,
    Clause,
    Definition,
    DocumentTree,
    DraftingNote,
    Paragraph,
    Run,
    SignatureBlock,
    anchor_for,
)

# The spec's models by class name, for naming a field a clause template asks for in vain.
SPEC_MODELS = {
    name: value
    for name, value in vars(spec_module).items()
    if isinstance(value, type) and issubclass(value, BaseModel)
}
DRAFT_NOTICE = (
    "Draft for review by counsel. Prepared by contractkit from the engagement spec; "
    "not for signature until reviewed."
)


@dataclass
class PlacedClause:
    """A clause settled into a document: its file, number and anchor."""

    file: ClauseFile
    document: DocumentKey
    number: str
    anchor: str
    schedule: int | None = None


@dataclass
class Plan:
    """The settled outline of one document."""

    info: DocumentInfo
    outline: OutlineFile
    articles: list[tuple[str, list[PlacedClause], bool]] = field(default_factory=list)
    schedules: list[tuple[str, list[PlacedClause]]] = field(default_factory=list)


class _RenderFailure(Exception):
    """A helper refused a call; carries the message up through Jinja to be located."""


def _template_line(exc: BaseException, first_line: int) -> int | None:
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == "<template>" and frame.lineno:
            return first_line + frame.lineno - 1
    return getattr(exc, "lineno", None) and first_line + exc.lineno - 1  # type: ignore[attr-defined]


def located_render_error(exc: BaseException, path: Path, first_line: int) -> LibraryError:
    """A Jinja failure as ``FILE:LINE: message``."""
    line = _template_line(exc, first_line)
    if isinstance(exc, UndefinedError):
        message = f"undefined value: {undefined_message(exc.message or '', SPEC_MODELS)}"
    elif isinstance(exc, _RenderFailure):
        message = str(exc)
    elif isinstance(exc, JinjaTemplateError):
        message = f"template error: {exc.message}"
    else:
        message = str(exc) or type(exc).__name__
    return LibraryError([Problem(Location(str(path), line), message)])


class Assembler:
    """Builds every document tree of one engagement from one library."""

    def __init__(self, spec: Spec, library: Library):
        self.spec = spec
        self.library = library
        self.env = clause_environment()
        self.infos = selected_documents(spec)
        self.context = spec_context(spec, [i.key for i in self.infos])
        self.placed: dict[str, PlacedClause] = {}
        self.excluded: dict[str, str] = {}
        self.others = {
            doc.key: [_term(info.term) for info in self.infos if info.key is not doc.key]
            for doc in self.infos
        }

    # -- pass 1: outlines -------------------------------------------------------------
    def plan(self, info: DocumentInfo) -> Plan:
        outline_file = self.library.outlines.get(info.key)
        if outline_file is None:
            raise LibraryError(
                [
                    Problem(
                        Location(
                            str(self.library.layers[-1]) if self.library.layers else "clauses"
                        ),
                        f"no outline for document '{info.key.value}'",
                    )
                ]
            )
        plan = Plan(info, outline_file)
        outline = outline_file.outline
        groups = [(a, False) for a in outline.articles] + [(s, True) for s in outline.schedules]
        article_no = schedule_no = 0
        for index, (article, is_schedule) in enumerate(groups):
            ids = self._with_insertions(info.key, article.clauses)
            chosen: list[PlacedClause] = []
            number = schedule_no + 1 if is_schedule else article_no + 1
            for position, clause_id in enumerate(ids):
                file = self._choose(clause_id, outline_file, index, position)
                if file is None:
                    continue
                label = f"{len(chosen) + 1}" if is_schedule else f"{number}.{len(chosen) + 1}"
                placed = PlacedClause(
                    file,
                    info.key,
                    label,
                    anchor_for(f"{info.key}:{clause_id}"),
                    number if is_schedule else None,
                )
                chosen.append(placed)
                self.placed[clause_id] = placed
            if not chosen and not article.definitions:
                continue  # every clause left out: the article is not printed or numbered
            if is_schedule:
                schedule_no += 1
                plan.schedules.append((article.title, chosen))
            else:
                article_no += 1
                plan.articles.append((article.title, chosen, article.definitions))
        return plan

    def _with_insertions(self, key: DocumentKey, ids: list[str]) -> list[str]:
        result = list(ids)
        extra = [
            c
            for c in self.library.clauses.values()
            if c.meta.document is key and c.meta.after and c.meta.id not in result
        ]
        changed = True
        while changed:
            changed = False
            for clause in extra:
                if clause.meta.id not in result and clause.meta.after in result:
                    result.insert(result.index(clause.meta.after) + 1, clause.meta.id)
                    changed = True
        return result

    def _choose(
        self, clause_id: str, outline: OutlineFile, article: int, position: int
    ) -> ClauseFile | None:
        file = self.library.choose(clause_id, self.spec.engagement.position)
        if file is None:
            outline_path: tuple[str | int, ...]
            section = "articles"
            n_articles = len(outline.outline.articles)
            if article >= n_articles:
                section, article = "schedules", article - n_articles
            outline_path = (section, article, "clauses", position)
            where = outline.doc.locate(outline_path)
            if self.library.variants(clause_id):
                self.excluded[clause_id] = (
                    f"it has no text for position {self.spec.engagement.position.value} or any"
                )
                return None
            raise LibraryError(
                [Problem(where, f"outline names clause '{clause_id}', which does not exist")]
            )
        where = Location(str(file.path), file.line_of("applies_when"))
        if not evaluate_condition(self.env, file.meta.applies_when, self.context, where):
            self.excluded[clause_id] = f"its applies_when ({file.meta.applies_when}) is false"
            return None
        return file

    # -- pass 2: text -----------------------------------------------------------------
    def render(self, source: str, path: Path, first_line: int, document: DocumentKey) -> str:
        context = dict(self.context)
        context["document"] = document.value
        context["ref"] = lambda target: self._ref(target, document)
        context["term"] = _term
        context["other_agreements"] = list(self.others[document])
        try:
            return self.env.template(source).render(context)
        except Exception as exc:
            raise located_render_error(exc, path, first_line) from None

    def _ref(self, target: str, document: DocumentKey) -> Marked:
        placed = self.placed.get(target)
        if placed is None:
            if target in self.excluded:
                raise _RenderFailure(
                    f"ref('{target}') points at a clause left out of this engagement: "
                    f"{self.excluded[target]}"
                )
            if self.library.variants(target):
                raise _RenderFailure(
                    f"ref('{target}') points at a clause that is in no outline of the documents "
                    "produced"
                )
            raise _RenderFailure(f"ref('{target}') points at a clause that does not exist")
        if placed.document is document:
            return Marked(f"{REF_OPEN}{target}{REF_CLOSE}")
        title = BY_KEY[placed.document].title
        return Marked(escape_markdown(f"{_ref_words(placed)} of the {title}"))

    def resolve_ref(self, target: str) -> list[Run]:
        placed = self.placed[target]
        if placed.schedule is None:
            return [Run("Section "), Run(placed.number, "ref", anchor=placed.anchor)]
        # The schedule is a reference too, to its heading: its number is the heading's.
        schedule = anchor_for(f"{placed.document}:schedule:{placed.schedule}")
        return [
            Run("paragraph "),
            Run(placed.number, "ref", anchor=placed.anchor, in_schedule=True),
            Run(" of "),
            Run(f"Schedule {placed.schedule}", "ref", anchor=schedule, in_schedule=True),
        ]

    def parse(self, text: str, path: Path, first_line: int) -> ParseResult:
        try:
            return parse_blocks(text, self.resolve_ref)
        except MarkupError as exc:
            line = first_line + exc.line - 1 if exc.line else None
            raise LibraryError([Problem(Location(str(path), line), str(exc))]) from None

    def build(self, plan: Plan) -> DocumentTree:
        key = plan.info.key
        outline = plan.outline.outline
        opath = plan.outline.path
        terms: dict[str, Location] = {}
        notes: list[DraftingNote] = []

        def text_blocks(source: str, line: int) -> ParseResult:
            result = self.parse(self.render(source, opath, line, key), opath, line)
            for term in result.terms:
                terms.setdefault(term, Location(str(opath), line))
            return result

        preamble = text_blocks(outline.preamble, self._outline_line(plan, ("preamble",)))
        recitals: list[Paragraph] = []
        for i, recital in enumerate(outline.recitals):
            result = text_blocks(recital, self._outline_line(plan, ("recitals", i)))
            recitals.extend(b for b in result.blocks if isinstance(b, Paragraph))

        articles: list[Article] = []
        definitions_article: Article | None = None
        local_defs: dict[str, tuple[str, ClauseFile]] = {}
        for number, (title, placed_list, is_definitions) in enumerate(plan.articles, start=1):
            article = Article(str(number), title, anchor_for(f"{key}:article:{number}"))
            article.clauses = [self._clause(p, terms, notes, local_defs) for p in placed_list]
            if is_definitions:
                definitions_article = article
            articles.append(article)
        schedules: list[Article] = []
        for number, (title, placed_list) in enumerate(plan.schedules, start=1):
            schedule = Article(
                str(number), title, anchor_for(f"{key}:schedule:{number}"), schedule=True
            )
            schedule.clauses = [self._clause(p, terms, notes, local_defs) for p in placed_list]
            schedules.append(schedule)

        if definitions_article is not None:
            definitions_article.definitions = self._definitions(
                key, terms, local_defs, definitions_article
            )
        elif terms:
            term, where = next(iter(terms.items()))
            raise LibraryError(
                [
                    Problem(
                        where,
                        f"uses defined term '{term}' but the outline has no definitions article",
                    )
                ]
            )

        spec = self.spec
        sig_line = self._outline_line(plan, ("signature_intro",))
        signature_intro = text_blocks(outline.signature_intro, sig_line).blocks
        return DocumentTree(
            key=key.value,
            stem=plan.info.stem,
            title=outline.title,
            engagement_title=spec.engagement.title,
            watermark=spec.review.watermark,
            preamble=preamble.blocks,
            recitals=recitals,
            recitals_heading=outline.recitals_heading,
            operative_words=outline.operative_words,
            articles=articles,
            signature_intro=next(
                (b for b in signature_intro if isinstance(b, Paragraph)), Paragraph([])
            ),
            signatories=[
                SignatureBlock(
                    spec.customer.short_name,
                    spec.customer.legal_name,
                    spec.customer.signatory.name,
                    spec.customer.signatory.title,
                ),
                SignatureBlock(
                    spec.vendor.short_name,
                    spec.vendor.legal_name,
                    spec.vendor.signatory.name,
                    spec.vendor.signatory.title,
                ),
            ],
            schedules=schedules,
            notes=notes,
            draft_notice=DRAFT_NOTICE,
            metadata=document_metadata(spec, outline.title),
        )

    def _outline_line(self, plan: Plan, path: tuple[str | int, ...]) -> int:
        return plan.outline.doc.locate(path).line or 1

    def _clause(
        self,
        placed: PlacedClause,
        terms: dict[str, Location],
        notes: list[DraftingNote],
        local_defs: dict[str, tuple[str, ClauseFile]],
    ) -> Clause:
        file = placed.file
        rendered = self.render(file.body, file.path, file.body_line, placed.document)
        result = self.parse(rendered, file.path, file.body_line)
        for term in result.terms:
            terms.setdefault(term, Location(str(file.path), file.body_line))
        for term, text in file.meta.defines.items():
            local_defs[term] = (text, file)
        alternatives = [
            f"{c.meta.position.value} ({c.path.name}, v{c.meta.version})"
            for c in self.library.variants(file.meta.id)
            if c is not file
        ]
        notes.append(
            DraftingNote(
                file.meta.id,
                file.meta.version,
                str(file.path),
                self._note(file, placed.document),
                alternatives,
                result.counsel_points,
            )
        )
        return Clause(
            id=file.meta.id,
            number=placed.number,
            title=file.meta.title,
            anchor=placed.anchor,
            blocks=result.blocks,
            version=file.meta.version,
            source=str(file.path),
            position=file.meta.position.value,
            satisfies=list(file.meta.satisfies),
        )

    def _note(self, file: ClauseFile, document: DocumentKey) -> str | None:
        """The drafting note with the spec's values in it, so it speaks of this engagement only."""
        if file.meta.note is None:
            return None
        text = self.render(file.meta.note, file.path, file.line_of("note"), document)
        return " ".join(MARKERS.sub("", text).split())

    def _definitions(
        self,
        key: DocumentKey,
        used: dict[str, Location],
        local_defs: dict[str, tuple[str, ClauseFile]],
        article: Article,
    ) -> list[Definition]:
        entries: dict[str, list[Run]] = {}
        pending = list(used)
        while pending:
            term = pending.pop(0)
            if term in entries:
                continue
            if term in local_defs:
                text, file = local_defs[term]
                source_path, line = file.path, file.line_of("defines")
            elif term in self.library.definitions:
                entry = self.library.definitions[term]
                text, source_path, line = entry.text, entry.path, entry.line
                where = Location(str(source_path), line)
                if not evaluate_condition(self.env, entry.applies_when, self.context, where):
                    raise LibraryError(
                        [
                            Problem(
                                used[term],
                                f"term '{term}' is used but its definition does not apply "
                                f"({entry.applies_when})",
                            )
                        ]
                    )
            else:
                raise LibraryError(
                    [Problem(used[term], f"term '{term}' is used but never defined")]
                )
            result = self.parse(self.render(text, source_path, line, key), source_path, line)
            runs: list[Run] = [Run(f"\u201c{term}\u201d", "term", bold=True, defining=True)]
            runs.append(Run(" means "))
            for block in result.blocks:
                if isinstance(block, Paragraph):
                    runs.extend(block.runs)
            entries[term] = runs
            for inner in result.terms:
                if inner not in entries:
                    used.setdefault(inner, Location(str(source_path), line))
                    pending.append(inner)
        return [Definition(term, entries[term]) for term in sorted(entries, key=str.casefold)]


def _term(name: str, text: str | None = None) -> Marked:
    """``term('Services')``: a defined term, printed as ``text`` when given."""
    return Marked(
        f"{TERM_OPEN}{escape_markdown(name)}{TERM_SPLIT}"
        f"{escape_markdown(name if text is None else text)}{TERM_CLOSE}"
    )


def _ref_words(placed: PlacedClause) -> str:
    if placed.schedule is None:
        return f"Section {placed.number}"
    return f"paragraph {placed.number} of Schedule {placed.schedule}"


def assemble(
    spec: Spec, library: Library, only: list[DocumentKey] | None = None
) -> list[DocumentTree]:
    """Every document tree of the engagement (or just ``only``), in the documents' order."""
    assembler = Assembler(spec, library)
    plans = [assembler.plan(info) for info in assembler.infos]
    return [assembler.build(p) for p in plans if only is None or p.info.key in only]


def clauses_in_effect(spec: Spec, library: Library) -> list[ClauseFile]:
    """The clause files an engagement's documents are made of: outlines settled for its
    position and conditions, nothing rendered."""
    assembler = Assembler(spec, library)
    for info in assembler.infos:
        assembler.plan(info)
    return [placed.file for placed in assembler.placed.values()]
