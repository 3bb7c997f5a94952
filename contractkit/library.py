"""The clause library: clause files, outlines and definitions, with firm overlays on top.

Overlay folders are searched before the built-in library. A clause with the same id and
position, an outline for the same document, or a definition of the same term replaces the
built-in one; anything new joins. Files may sit anywhere in a folder: their front matter (or
``document:`` key) says what they are.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from contractkit.documents import DOCUMENTS, DocumentKey
from contractkit.errors import ContractkitError, LibraryError, Location, Problem
from contractkit.humane import located_problems
from contractkit.playbook.model import PlaybookPoint
from contractkit.resources import data_dir
from contractkit.spec import Position
from contractkit.suggest import did_you_mean
from contractkit.yamlread import LocatedData, YamlPath, parse_once, read_text

CLAUSE_ID = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"
REQUIREMENT_ID = r"^[a-z0-9]+(\.[a-z0-9-]+)+$"
SEMVER = r"^\d+\.\d+\.\d+$"
MAX_LIBRARY_FILE = 512 * 1024

# What each pattern in the library asks for, in the words of a clause author.
LIBRARY_PATTERNS = {
    CLAUSE_ID: (
        "'{value}' is not a valid clause id: the document key, a dot and a name in lower-case "
        "letters, digits and underscores, e.g. msa.governing_law"
    ),
    REQUIREMENT_ID: (
        "'{value}' is not a valid requirement id: a lower-case prefix, a dot and a name in "
        "lower-case letters, digits and hyphens, e.g. hipaa.permitted-uses"
    ),
    SEMVER: "'{value}' is not a version: three whole numbers separated by dots, e.g. 1.0.0",
}


class ClausePosition(StrEnum):
    any = "any"
    customer_favourable = "customer_favourable"
    balanced = "balanced"


class LibraryModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClauseMeta(LibraryModel):
    """Front matter of a clause file."""

    id: str = Field(pattern=CLAUSE_ID, description="Dotted clause id, e.g. baa.reporting.")
    document: DocumentKey = Field(description="Key of the document the clause belongs to.")
    title: str = Field(min_length=1, description="Heading of the clause.")
    version: str = Field(pattern=SEMVER, description="Semantic version of the clause text.")
    applies_when: str | None = Field(
        default=None, description="Jinja expression over the spec; the clause is left out if false."
    )
    position: ClausePosition = Field(
        default=ClausePosition.any, description="Negotiating position this text serves."
    )
    satisfies: list[str] = Field(default_factory=list, description="Requirement ids met.")
    defines: dict[str, str] = Field(default_factory=dict, description="Terms this clause defines.")
    after: str | None = Field(
        default=None, pattern=CLAUSE_ID, description="Place this clause after another clause."
    )
    note: str | None = Field(default=None, description="Drafting note for counsel; never printed.")
    playbook: list[PlaybookPoint] = Field(
        default_factory=list, description="Negotiable points: preferred, fallbacks, walk-away."
    )

    @model_validator(mode="after")
    def _id_names_its_document(self) -> ClauseMeta:
        if self.id.split(".", 1)[0] != self.document.value:
            raise ValueError(f"clause id '{self.id}' must start with '{self.document.value}.'")
        return self


class ArticleOutline(LibraryModel):
    """One article (or schedule) of an outline."""

    title: str = Field(min_length=1, description="Heading of the article.")
    clauses: list[str] = Field(default_factory=list, description="Clause ids, in order.")
    definitions: bool = Field(
        default=False, description="Whether this article holds the document's definitions."
    )


class Outline(LibraryModel):
    """The shape of one document."""

    document: DocumentKey = Field(description="Key of the document this outline shapes.")
    title: str = Field(min_length=1, description="Title printed on the document.")
    preamble: str = Field(description="Opening paragraph naming the parties (Markdown, Jinja).")
    recitals: list[str] = Field(default_factory=list, description="Background paragraphs.")
    articles: list[ArticleOutline] = Field(min_length=1, description="Articles in order.")
    schedules: list[ArticleOutline] = Field(
        default_factory=list, description="Schedules and annexes after the signature block."
    )
    recitals_heading: str = Field(
        default="Background", description="Heading printed above the recitals."
    )
    operative_words: str = Field(
        default="The parties therefore agree as follows.",
        description="Sentence between the recitals and the first article.",
    )
    signature_intro: str = Field(
        default="IN WITNESS WHEREOF, the parties have executed this Agreement as of the "
        "Effective Date.",
        description="Sentence before the signature block.",
    )


class TermDefinition(LibraryModel):
    """A defined term in definitions.yaml."""

    definition: str = Field(min_length=1, description="The definition text (Markdown, Jinja).")
    applies_when: str | None = Field(default=None, description="Jinja condition.")


class Requirement(LibraryModel):
    """An entry of requirements.yaml: something an agreement must say, and why."""

    id: str = Field(pattern=REQUIREMENT_ID, description="Stable requirement id.")
    citation: str = Field(min_length=1, description="The law, rule or practice that demands it.")
    summary: str = Field(min_length=1, description="What must be said, in one line.")
    document: DocumentKey = Field(description="The agreement it belongs in.")
    applies_when: str | None = Field(default=None, description="Jinja condition over the spec.")


@dataclass
class RequirementEntry:
    """A requirement and where it is written."""

    requirement: Requirement
    path: Path
    line: int


@dataclass
class ClauseFile:
    """A clause file, read and checked."""

    meta: ClauseMeta
    body: str
    path: Path
    body_line: int
    text: str
    layer: int
    meta_lines: dict[str, int] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, ClausePosition]:
        return (self.meta.id, self.meta.position)

    def line_of(self, field_name: str) -> int:
        """Line of a front-matter field (for located errors)."""
        return self.meta_lines.get(field_name, 2)


@dataclass
class DefinitionEntry:
    """A definition and where it came from."""

    term: str
    text: str
    path: Path
    line: int
    applies_when: str | None = None


@dataclass
class OutlineFile:
    """An outline and the positions of its keys, for located errors."""

    outline: Outline
    path: Path
    doc: LocatedData


@dataclass
class Library:
    """Every clause, outline and definition visible through the overlays."""

    layers: list[Path]
    clauses: dict[tuple[str, ClausePosition], ClauseFile]
    shadowed: dict[tuple[str, ClausePosition], list[ClauseFile]]
    outlines: dict[DocumentKey, OutlineFile]
    definitions: dict[str, DefinitionEntry]
    all_clause_files: list[ClauseFile]
    problems: list[Problem] = field(default_factory=list)
    requirements: dict[str, RequirementEntry] = field(default_factory=dict)

    def variants(self, clause_id: str) -> list[ClauseFile]:
        """Every winning file for an id, one per position."""
        return [c for (cid, _), c in self.clauses.items() if cid == clause_id]

    def choose(self, clause_id: str, position: Position) -> ClauseFile | None:
        """The clause text for a negotiating position, falling back to ``any``."""
        return self.clauses.get((clause_id, ClausePosition(position.value))) or self.clauses.get(
            (clause_id, ClausePosition.any)
        )


def split_front_matter(text: str, path: Path) -> tuple[str, str, int]:
    """(front matter, body, line where the body starts)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise LibraryError.at(path, "a clause file starts with '---' and YAML front matter", 1)
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), i + 2
    raise LibraryError.at(path, "front matter is not closed by a '---' line", 1)


def read_clause(path: Path, layer: int) -> ClauseFile:
    """Parse and check one clause file."""
    text = read_text(path, limit=MAX_LIBRARY_FILE)
    head, body, body_line = split_front_matter(text, path)
    if not head.strip():
        raise LibraryError.at(
            path, "the front matter is empty; it needs id, document, title and version", 2
        )
    doc = _parse(head, path, first_line=2)
    try:
        meta = ClauseMeta.model_validate(doc.data)
    except ValidationError as exc:
        raise LibraryError(_problems(exc, doc, ClauseMeta)) from None
    lines = {str(k[0]): v[0] for k, v in doc.key_positions.items() if len(k) == 1}
    return ClauseFile(meta, body, path, body_line, text, layer, lines)


def _is_outline(path: Path) -> bool:
    return path.name.startswith("_outline") and path.suffix in (".yaml", ".yml")


def default_layers(extra: Sequence[Path] = (), *, builtin: bool = True) -> list[Path]:
    """Overlay folders in search order, then the built-in library."""
    return [*extra, data_dir("clauses")] if builtin else list(extra)


def load_library(
    overlays: Sequence[Path] = (), *, collect: bool = False, builtin: bool = True
) -> Library:
    """Read every layer. Errors raise at once unless ``collect`` (for lint) gathers them.

    ``builtin=False`` reads only the given folders: a firm's complete library of its own.
    """
    layers = default_layers(overlays, builtin=builtin)
    problems: list[Problem] = []
    clauses: dict[tuple[str, ClausePosition], ClauseFile] = {}
    shadowed: dict[tuple[str, ClausePosition], list[ClauseFile]] = {}
    outlines: dict[DocumentKey, OutlineFile] = {}
    definitions: dict[str, DefinitionEntry] = {}
    requirements: dict[str, RequirementEntry] = {}
    every: list[ClauseFile] = []
    for index, layer in enumerate(layers):
        if not layer.is_dir():
            problems.append(Problem(Location(str(layer)), "clause library folder not found"))
            continue
        seen_here: dict[tuple[str, ClausePosition], ClauseFile] = {}
        for path in sorted(layer.rglob("*")):
            if not path.is_file() or any(part.startswith(".") for part in path.parts[-1:]):
                continue
            try:
                if path.suffix == ".md":
                    clause = read_clause(path, index)
                    every.append(clause)
                    if clause.key in seen_here:
                        other = seen_here[clause.key]
                        problems.append(
                            Problem(
                                Location(str(path), clause.line_of("id")),
                                f"duplicate clause id '{clause.meta.id}' "
                                f"(position {clause.meta.position.value}); also in {other.path}",
                            )
                        )
                        continue
                    seen_here[clause.key] = clause
                    if clause.key in clauses:
                        shadowed.setdefault(clause.key, []).append(clause)
                    else:
                        clauses[clause.key] = clause
                elif _is_outline(path):
                    outline = _read_outline(path)
                    outlines.setdefault(outline.outline.document, outline)
                elif path.name == "definitions.yaml":
                    for term, entry in _read_definitions(path).items():
                        definitions.setdefault(term, entry)
                elif path.name == "requirements.yaml":
                    for req_id, req in _read_requirements(path).items():
                        requirements.setdefault(req_id, req)
            except ContractkitError as exc:
                problems.extend(exc.problems)
    library = Library(
        layers, clauses, shadowed, outlines, definitions, every, problems, requirements
    )
    if problems and not collect:
        raise LibraryError(problems)
    return library


def _read_outline(path: Path) -> OutlineFile:
    doc = _read_yaml(path)
    try:
        return OutlineFile(Outline.model_validate(doc.data), path, doc)
    except ValidationError as exc:
        raise LibraryError(_problems(exc, doc, Outline)) from None


def _read_definitions(path: Path) -> dict[str, DefinitionEntry]:
    doc = _read_yaml(path)
    entries: dict[str, DefinitionEntry] = {}
    problems: list[Problem] = []
    for term, value in doc.data.items():
        line = doc.key_positions[(term,)][0]
        raw: Any = {"definition": value} if isinstance(value, str) else value
        try:
            item = TermDefinition.model_validate(raw)
        except ValidationError as exc:
            problems += _problems(exc, doc, TermDefinition, (term,))
            continue
        entries[term] = DefinitionEntry(term, item.definition, path, line, item.applies_when)
    if problems:
        raise LibraryError(problems)
    return entries


def _read_requirements(path: Path) -> dict[str, RequirementEntry]:
    doc = _read_yaml(path, top_level=(dict, list))
    if not isinstance(doc.data, list):
        raise LibraryError.at(path, "requirements.yaml holds a list of requirements", 1)
    entries: dict[str, RequirementEntry] = {}
    problems: list[Problem] = []
    for index, raw in enumerate(doc.data):
        try:
            requirement = Requirement.model_validate(raw)
        except ValidationError as exc:
            problems += _problems(exc, doc, Requirement, (index,))
            continue
        line = doc.locate((index,)).line or 1
        if requirement.id in entries:
            problems.append(
                Problem(
                    Location(str(path), line), f"requirement '{requirement.id}' is listed twice"
                )
            )
        entries[requirement.id] = RequirementEntry(requirement, path, line)
    if problems:
        raise LibraryError(problems)
    return entries


def _problems(
    exc: ValidationError, doc: LocatedData, model: type[BaseModel], base: YamlPath = ()
) -> list[Problem]:
    """pydantic's errors in the words and at the positions a spec's errors have."""
    return located_problems(exc, doc, model, base=base, patterns=LIBRARY_PATTERNS)


def _parse(
    text: str, path: Path, *, first_line: int = 1, top_level: tuple[type, ...] = (dict,)
) -> LocatedData:
    try:
        return parse_once(text, str(path), first_line=first_line, top_level=top_level)
    except ContractkitError as exc:
        raise LibraryError(exc.problems) from None


def _read_yaml(path: Path, *, top_level: tuple[type, ...] = (dict,)) -> LocatedData:
    try:
        text = read_text(path, limit=MAX_LIBRARY_FILE)
    except ContractkitError as exc:
        raise LibraryError(exc.problems) from None
    return _parse(text, path, top_level=top_level)


def clause_listing(
    library: Library,
    document: DocumentKey | None = None,
    in_effect: Collection[Path] | None = None,
) -> list[dict[str, Any]]:
    """The winning clauses as plain data, for ``clauses list``.

    ``in_effect`` (clause file paths) keeps only those, e.g. the clauses one engagement uses.
    ``source`` says where each comes from: ``built-in``, or the overlay file.
    """
    builtin_layer = len(library.layers) - 1 if data_dir("clauses") in library.layers else -1
    rows = [
        {
            "id": c.meta.id,
            "document": c.meta.document.value,
            "title": c.meta.title,
            "version": c.meta.version,
            "position": c.meta.position.value,
            "path": str(c.path),
            "source": "built-in" if c.layer == builtin_layer else str(c.path),
            "satisfies": list(c.meta.satisfies),
            "applies_when": c.meta.applies_when,
            "overlay": c.layer < len(library.layers) - 1,
        }
        for c in library.clauses.values()
        if (document is None or c.meta.document is document)
        and (in_effect is None or c.path in in_effect)
    ]
    order = {info.key: i for i, info in enumerate(DOCUMENTS)}
    return sorted(rows, key=lambda r: (order[DocumentKey(r["document"])], r["id"], r["position"]))


def find_clause(
    library: Library, clause_id: str, position: ClausePosition | None
) -> tuple[ClauseFile, list[ClauseFile]]:
    """The winning file for an id (and position) and the files it shadows."""
    variants = library.variants(clause_id)
    if not variants:
        # Ids differ mostly in their name, so only a close spelling in the same document helps.
        prefix = clause_id.split(".", 1)[0] + "."
        ids = sorted({cid for cid, _ in library.clauses if cid.startswith(prefix)})
        hint = did_you_mean(clause_id, ids, cutoff=0.8)
        raise LibraryError(f"no clause with id '{clause_id}'{hint}")
    if position is None:
        if len(variants) > 1:
            names = ", ".join(sorted(v.meta.position.value for v in variants))
            raise LibraryError(
                f"clause '{clause_id}' has texts for positions {names}; pick one with --position"
            )
        chosen = variants[0]
    else:
        match = library.clauses.get((clause_id, position))
        if match is None:
            names = ", ".join(sorted(v.meta.position.value for v in variants))
            raise LibraryError(
                f"clause '{clause_id}' has no text for position {position.value} (it has: {names})"
            )
        chosen = match
    return chosen, library.shadowed.get(chosen.key, [])
