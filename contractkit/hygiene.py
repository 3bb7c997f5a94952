"""Drafting hygiene: what a partner marks in red on a first read, checked mechanically.

Library rules read the clause files as written (spelling, lists joined by hand across
``{% if %}`` blocks), so they hold for every spec. Document rules read assembled agreements,
because only a built draft shows what a sentence became: the article before a spec value, a
list with an item left out, a term used in a document that never defines it, a country the
engagement does not involve.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from contractkit.documents import DOCUMENTS
from contractkit.errors import Location, Problem
from contractkit.hygiene_words import (
    COUNTRY_CODES,
    COUNTRY_WORDS,
    PROPER_NAMES,
    SPELLING,
    STATUTE_WORDING,
    needs_an,
)
from contractkit.library import Library
from contractkit.spec import Spec
from contractkit.templating import plural
from contractkit.tree import (
    Block,
    Clause,
    DocumentTree,
    ListItem,
    NumberedList,
    Paragraph,
    Run,
    Table,
)

JINJA_TAG = re.compile(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
JINJA_STRING = re.compile(r"'([^'\\]*)'|\"([^\"\\]*)\"")
IF_SEGMENT = re.compile(
    r"\{%-?\s*if\b[^%]*-?%\}(?P<body>(?:(?!\{%).)*?)\{%-?\s*endif\s*-?%\}", re.DOTALL
)
BROKEN_JOINS = (
    (re.compile(r",\s*[,;.:]"), "a list item is missing: a comma runs into punctuation"),
    (re.compile(r"\b(?:and|or)\s+(?:and|or)\b"), "a list joins with two conjunctions"),
    (re.compile(r"\b(?:and|or)\s*[;.]"), "a list ends in a conjunction with nothing after it"),
    (re.compile(r"\(\s*\)"), "empty parentheses"),
    (re.compile(r"[a-z][.;:][A-Z]"), "two sentences run together with no space"),
    (re.compile(r"\b(the|a|an|of|to|in|and|or)\s+\1\b", re.IGNORECASE), "a word is doubled"),
)
ARTICLE = re.compile(r"(?<![\w(\u2019'-])(a|an|A|An)\s+(?=([\w\u2019'-]+))")
SCC_CLAUSE_9 = re.compile(r"Clause 9(?:\(a\))?,? Option (\d)")
LETTER_LABELS = frozenset(
    ["Schedule", "Exhibit", "Part", "Option", "Appendix", "Annex", "Module", "Tier", "Item"]
)
DOCUMENT_NAME = re.compile(
    r"\b(?:[Tt]his|[Tt]he)\s+((?:(?:[A-Z][\w\u2019'-]*|and|of|for)\s+)*?[A-Z][\w\u2019'-]*\s+"
    r"(?:Agreement|Schedule))\b"
)
INLINE_DEFINITION = re.compile(
    r"\((?:each\s+|together\s+)?(?:an?\s+|the\s+)?“([^”]{2,60})”\)"
    r"|(?:each|together)\s+(?:an?|the)\s+“([^”]{2,60})”"
)
SENTENCE_OPENERS = frozenset(
    {
        *("A", "An", "The", "This", "That", "These", "Those", "Each", "Every", "Any", "All"),
        *("No", "Such", "If", "Where", "When", "Unless", "Its", "Their", "Our", "Under", "For"),
        *("In", "On", "Nothing", "Neither", "Either", "Both"),
    }
)


@dataclass(frozen=True)
class TextStretch:
    """One stretch of printed text and the clause (if any) it came from."""

    text: str
    clause: Clause | None
    header: bool = False


# -- library rules -------------------------------------------------------------------------


def library_problems(library: Library) -> list[Problem]:
    """US spelling everywhere, and no list joined by hand across conditional blocks."""
    problems: list[Problem] = []
    for clause in library.clauses.values():
        path = str(clause.path)
        problems += _spelling(clause.meta.title, path, clause.line_of("title"))
        if clause.meta.note:
            problems += _spelling(clause.meta.note, path, clause.line_of("note"), single=True)
        problems += _spelling(_printable(clause.body), path, clause.body_line)
        problems += _hand_joined(clause.body, path, clause.body_line)
        for text in clause.meta.defines.values():
            problems += _spelling(_printable(text), path, clause.line_of("defines"), single=True)
    for entry in library.definitions.values():
        problems += _spelling(_printable(entry.text), str(entry.path), entry.line, single=True)
        problems += _hand_joined(entry.text, str(entry.path), entry.line)
    for outline_file in library.outlines.values():
        outline = outline_file.outline
        path = str(outline_file.path)
        parts: list[tuple[str, tuple[str | int, ...]]] = [
            (outline.title, ("title",)),
            (outline.preamble, ("preamble",)),
            (outline.signature_intro, ("signature_intro",)),
        ]
        parts += [(r, ("recitals", i)) for i, r in enumerate(outline.recitals)]
        parts += [(a.title, ("articles", i)) for i, a in enumerate(outline.articles)]
        parts += [(s.title, ("schedules", i)) for i, s in enumerate(outline.schedules)]
        for text, where in parts:
            line = outline_file.doc.locate(where).line or 1
            problems += _spelling(_printable(text), path, line, single=True)
            problems += _hand_joined(text, path, line)
    return problems


def _printable(source: str) -> str:
    """Template text with code blanked out but its string literals kept, lines preserved."""

    def keep_strings(match: re.Match[str]) -> str:
        tag = match.group(0)
        strings = [a or b for a, b in JINJA_STRING.findall(tag)] if tag[1] != "#" else []
        kept = " ".join(strings)
        return kept + "\n" * tag.count("\n")

    return JINJA_TAG.sub(keep_strings, source)


def _spelling(text: str, path: str, first_line: int, *, single: bool = False) -> Iterator[Problem]:
    for number, line in enumerate(PROPER_NAMES.sub("", text).splitlines() or [text]):
        for pattern, fix in SPELLING:
            for match in pattern.finditer(line):
                word = match.group(0)
                yield Problem(
                    Location(path, first_line + (0 if single else number)),
                    f"'{word}' is British spelling; the agreements use US English ({fix(word)})",
                )


def _hand_joined(source: str, path: str, first_line: int) -> Iterator[Problem]:
    segments = list(IF_SEGMENT.finditer(source))
    for first, second in itertools.pairwise(segments):
        if first.end() != second.start():
            continue
        head, tail = first.group("body"), second.group("body")
        if head.startswith(",") and re.match(r"\s+(and|or)\s", tail):
            line = first_line + source.count("\n", 0, first.start())
            yield Problem(
                Location(path, line),
                "list joined by hand across {% if %} blocks: when the last item is left out "
                "the list loses its 'and'; collect the items and print them with join_and",
            )


# -- document rules ------------------------------------------------------------------------


def document_problems(spec: Spec, trees: list[DocumentTree], library: Library) -> list[Problem]:
    """Every hygiene finding in one engagement's assembled agreements, per document."""
    context = f" (spec {spec.engagement.id}, position {spec.engagement.position.value})"
    known_terms = _known_terms(trees, library)
    titles = {d.title for d in DOCUMENTS} | {t.title for t in trees}
    allowed = _spec_countries(spec)
    spec_text = _spec_strings(spec)
    problems: list[Problem] = []
    for tree in trees:
        units = list(_units(tree))
        found = [
            *_joins_and_articles(units),
            *_statute_wording(units),
            *_scc_options(units),
            *_countries(tree, units, allowed, spec_text),
            *_names(tree, units, titles | known_terms),
            *_terms(tree, units, known_terms, spec_text),
        ]
        for where, message in found:
            location = _locate(where, tree, library)
            problems.append(Problem(location, f"{tree.title}: {message}{context}"))
    return problems


def _units(tree: DocumentTree) -> Iterator[TextStretch]:
    for block in tree.preamble:
        yield from _block_units(block, None)
    for paragraph in tree.recitals:
        yield TextStretch(_text(paragraph.runs), None)
    for article in (*tree.articles, *tree.schedules):
        for definition in article.definitions:
            yield TextStretch(_text(definition.runs), None)
        for clause in article.clauses:
            for block in clause.blocks:
                yield from _block_units(block, clause)
    yield TextStretch(_text(tree.signature_intro.runs), None)


def _block_units(block: Block, clause: Clause | None) -> Iterator[TextStretch]:
    if isinstance(block, Paragraph):
        yield TextStretch(_text(_without_lead_in(block.runs)), clause)
    elif isinstance(block, NumberedList):
        yield from _item_units(block.items, clause)
    elif isinstance(block, Table):
        for index, row in enumerate(block.rows):
            for cell in row:
                yield TextStretch(_text(cell), clause, header=index == 0)


def _item_units(items: list[ListItem], clause: Clause | None) -> Iterator[TextStretch]:
    for item in items:
        for paragraph in item.paragraphs:
            yield TextStretch(_text(_without_lead_in(paragraph.runs)), clause)
        yield from _item_units(item.children, clause)


def _without_lead_in(runs: list[Run]) -> list[Run]:
    """A paragraph without its bold lead-in ("**Purpose.**"), which is a heading, not prose."""
    if runs and runs[0].bold and runs[0].kind == "text" and runs[0].text.rstrip().endswith("."):
        return runs[1:]
    return runs


def _text(runs: Iterable[Run]) -> str:
    """Printed text, with each open point for counsel reduced to a neutral placeholder."""
    return "".join("[…]" if r.kind == "counsel" else r.text for r in runs)


def _joins_and_articles(units: list[TextStretch]) -> Iterator[tuple[TextStretch, str]]:
    for unit in units:
        for pattern, message in BROKEN_JOINS:
            match = pattern.search(unit.text)
            if match:
                yield unit, f"{message}: “…{_around(unit.text, match)}…”"
        for match in ARTICLE.finditer(unit.text):
            article, word = match.group(1), match.group(2)
            before = unit.text[: match.start()].split()
            if article in ("A", "a") and before and before[-1] in LETTER_LABELS:
                continue
            wanted = needs_an(word)
            if wanted is None or wanted == (article.lower() == "an"):
                continue
            right = ("an" if wanted else "a") if article.islower() else ("An" if wanted else "A")
            yield unit, f"'{article} {word}' should read '{right} {word}'"


def _around(text: str, match: re.Match[str], width: int = 30) -> str:
    return text[max(match.start() - width, 0) : match.end() + width].strip()


def _statute_wording(units: list[TextStretch]) -> Iterator[tuple[TextStretch, str]]:
    for unit in units:
        for trigger, wrong, message in STATUTE_WORDING:
            if trigger.search(unit.text) and wrong.search(unit.text):
                yield unit, message


def _scc_options(units: list[TextStretch]) -> Iterator[tuple[TextStretch, str]]:
    """Every mention of an SCC Clause 9(a) option names the one option chosen."""
    seen: dict[str, TextStretch] = {}
    for unit in units:
        for option in SCC_CLAUSE_9.findall(unit.text):
            seen.setdefault(option, unit)
    if len(seen) > 1:
        options = sorted(seen)
        yield (
            list(seen.values())[-1],
            (
                f"SCC Clause 9(a) is completed with Option {' and Option '.join(options)}; "
                "choose one and refer to it everywhere"
            ),
        )


def _spec_countries(spec: Spec) -> set[str]:
    codes = {"US", spec.vendor.country, *spec.vendor.delivery_locations}
    codes.update(s.location for s in spec.vendor.subprocessors)
    return codes


def _spec_strings(spec: Spec) -> list[str]:
    """Every piece of text the spec supplies, longest first, so it can be set aside."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            if len(value) > 2:
                found.add(" ".join(value.split()))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(spec.model_dump(mode="json"))
    return sorted(found, key=len, reverse=True)


def _without(text: str, spec_text: list[str]) -> str:
    for value in spec_text:
        if value in text:
            text = text.replace(value, " ⁂ ")
    return text


def _countries(
    tree: DocumentTree, units: list[TextStretch], allowed: set[str], spec_text: list[str]
) -> Iterator[tuple[TextStretch | str, str]]:
    texts: list[tuple[TextStretch | str, str]] = [(u, u.text) for u in units]
    for note in tree.notes:
        texts += [(note.clause_id, note.note or "")]
        texts += [(note.clause_id, point) for point in note.counsel_points]
    for where, text in texts:
        for match in COUNTRY_WORDS.finditer(PROPER_NAMES.sub("", _without(text, spec_text))):
            if COUNTRY_CODES[match.group(0)] in allowed:
                continue
            kind = "review note" if isinstance(where, str) else "text"
            yield (
                where,
                (
                    f"the {kind} names '{match.group(0)}', a country this engagement does not "
                    "involve (not the vendor's, a delivery location or a sub-processor's)"
                ),
            )
            break


def _names(
    tree: DocumentTree, units: list[TextStretch], names: set[str]
) -> Iterator[tuple[TextStretch | str, str]]:
    """Every agreement named by title is one of the agreements, under its exact title."""
    titles = {d.title for d in DOCUMENTS} | {tree.title}
    for unit in units:
        for match in DOCUMENT_NAME.finditer(unit.text):
            name = match.group(1)
            if name in names or all(p in names for p in re.split(r"\s+and\s+", name)):
                continue
            yield (
                unit,
                f"'{name}' is not the title of any of the agreements ({', '.join(sorted(titles))})",
            )


def _known_terms(trees: list[DocumentTree], library: Library) -> set[str]:
    terms = set(library.definitions)
    for clause in library.clauses.values():
        terms.update(clause.meta.defines)
    for tree in trees:
        for unit in _units(tree):
            terms.update(_inline_definitions(unit.text))
    return {t for t in terms if t[:1].isupper()}


def _inline_definitions(text: str) -> set[str]:
    return {a or b for a, b in INLINE_DEFINITION.findall(text)}


def _terms(
    tree: DocumentTree, units: list[TextStretch], known: set[str], spec_text: list[str]
) -> Iterator[tuple[TextStretch | str, str]]:
    defined: dict[str, TextStretch | str] = {}
    for article in tree.articles:
        for definition in article.definitions:
            defined[definition.term] = f"definition:{definition.term}"
    for unit in units:
        for term in _inline_definitions(unit.text):
            defined.setdefault(term, unit)
    body = [u for u in units if not u.header]
    texts = [_without(_unquoted(u.text), spec_text) for u in body]
    full = "\n".join(u.text for u in body)
    for term, where in defined.items():
        uses = _uses(term, full)
        own = 1 if isinstance(where, str) else full.count(f"“{term}”")
        if uses <= own and term not in _party_names(tree):
            yield where, f"'{term}' is defined but never used in this document"
    forms = _forms(frozenset(known - set(defined)))
    if not forms:
        return
    reported: set[str] = set()
    for unit, text in zip(body, texts, strict=True):
        for match in _whole_words(forms[0], text):
            term = forms[1][match.group(0)]
            if term not in reported and _is_use(text, match.start(), match.end()):
                reported.add(term)
                yield (
                    unit,
                    f"'{term}' is used as a defined term but this document does not define it",
                )


def _party_names(tree: DocumentTree) -> set[str]:
    return {s.party for s in tree.signatories} | {"party", "parties"}


def _unquoted(text: str) -> str:
    return re.sub(r"“[^”]*”", " ", text)


def _term_forms(term: str) -> list[str]:
    """The term, its plural, and for a plural term its singular ('Service Levels', 'Service
    Level'), as a clause may print either."""
    forms = [term, plural(term)]
    if term.endswith("s"):
        forms.append(term[:-1])
    return forms


@cache
def _forms(terms: frozenset[str]) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """One pattern for every form of every term, and which term each form belongs to."""
    owner = {form: term for term in sorted(terms) for form in _term_forms(term)}
    if not owner:
        return None
    alternatives = "|".join(re.escape(f) for f in sorted(owner, key=len, reverse=True))
    return re.compile(rf"(?:{alternatives})(?![\w-])"), owner


_WORD_OR_HYPHEN = re.compile(r"[\w-]")


def _whole_words(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern``'s matches that do not continue a word or a hyphenated name.

    The same as opening the pattern with a negative look-behind for a word character or hyphen,
    many times faster: a pattern that opens with a literal lets the regex engine skip ahead
    instead of trying every position.
    """
    position = 0
    while match := pattern.search(text, position):
        start = match.start()
        if start and _WORD_OR_HYPHEN.match(text, start - 1):
            position = start + 1
            continue
        yield match
        position = match.end()


def _uses(term: str, text: str) -> int:
    forms = _forms(frozenset([term]))
    return sum(1 for _ in _whole_words(forms[0], text)) if forms else 0


def _is_use(text: str, start: int, end: int) -> bool:
    """Whether a match is the term itself, not part of a longer capitalised name."""
    before = text[:start].rstrip()
    words = before.split()
    previous = words[-1] if words else ""
    rest = text[end:]
    following = rest.split()[0] if rest.split() else ""
    sentence_start = not before or before.endswith((".", ":", ";"))
    inside_name = (
        previous[:1].isupper()
        and not previous.endswith(("\u2019s", "'s", ".", ",", ";", ":"))
        and previous not in SENTENCE_OPENERS
        and not sentence_start
    )
    before_name = following[:1].isupper() and not rest.startswith((".", ",", ";", ":"))
    return not (inside_name or before_name)


def _locate(where: TextStretch | str, tree: DocumentTree, library: Library) -> Location:
    """The clause file behind a finding, at the line that shows it when it can be found."""
    if isinstance(where, TextStretch) and where.clause is not None:
        return Location(where.clause.source, _line_in(where.clause.source, where.text))
    if isinstance(where, str) and where.startswith("definition:"):
        entry = library.definitions.get(where.split(":", 1)[1])
        if entry is not None:
            return Location(str(entry.path), entry.line)
    if isinstance(where, str):
        clause = tree.clause(where)
        if clause is not None:
            return Location(clause.source, _line_in(clause.source, "note:"))
    outline = next((o for k, o in library.outlines.items() if k.value == tree.key), None)
    if outline is not None:
        return Location(str(outline.path), outline.doc.locate(("preamble",)).line)
    return Location(tree.key)


def _line_in(path: str, text: str) -> int | None:
    """The first line of a clause file sharing a distinctive run of words with ``text``."""
    lines = _file_lines(path)
    words = [w for w in re.findall(r"[A-Za-z]{4,}", text)]
    for size in (6, 4, 2):
        for start in range(0, max(len(words) - size + 1, 1)):
            probe = words[start : start + size]
            if not probe:
                continue
            pattern = re.compile(r"\W+(?:\S*\W+)?".join(map(re.escape, probe)))
            for number, line in enumerate(lines, start=1):
                if pattern.search(line):
                    return number
    return None


@cache
def _file_lines(path: str) -> tuple[str, ...]:
    try:
        return tuple(Path(path).read_text(encoding="utf-8").splitlines())
    except OSError:
        return ()
