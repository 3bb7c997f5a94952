"""Checks a house template against the contract the renderers rely on.

A firm's own template that lacks a style or the numbering definition would otherwise produce a
document with silently missing numbering; this check turns that into a located error.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from contractkit.errors import Location, Problem, TemplateError
from contractkit.render.house_template import (
    BODY_ABSTRACT_ID,
    BODY_NUM_ID,
    CHARACTER_STYLES,
    HEADER_TAGS,
    PARAGRAPH_STYLES,
    SCHEDULE_ABSTRACT_ID,
    SCHEDULE_NUM_ID,
    SIGNATURE_TAGS,
    TABLE_STYLES,
    TAGS,
)
from contractkit.resources import data_dir

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCX_NAME = "agreement.docx"
HTML_NAME = "agreement.html.j2"
CSS_NAME = "print.css"
BODY_LEVELS = (
    ("Heading1", "decimal", "%1."),
    ("Heading2", "decimal", "%1.%2"),
    ("ClauseL3", "lowerLetter", "(%3)"),
    ("ClauseL4", "lowerRoman", "(%4)"),
)
SCHEDULE_LEVELS = (("ScheduleHeading", "decimal", None), ("ScheduleClause", "decimal", None))


@dataclass(frozen=True)
class HouseTemplates:
    """The three files a build renders with."""

    docx: Path
    html: Path
    css: Path

    @property
    def html_dir(self) -> Path:
        return self.html.parent


def resolve_templates(folder: Path | None) -> HouseTemplates:
    """The firm's files where given, the built-in ones otherwise; each one is checked."""
    builtin = data_dir("templates")
    if folder is not None and not folder.is_dir():
        raise TemplateError.at(folder, "templates folder not found")
    names = (DOCX_NAME, HTML_NAME, CSS_NAME)
    if folder is not None and not any((folder / n).is_file() for n in names):
        raise TemplateError.at(folder, f"holds none of {', '.join(names)}; nothing to use")

    def pick(name: str) -> Path:
        if folder is not None and (folder / name).is_file():
            return folder / name
        return builtin / name

    chosen = HouseTemplates(pick(DOCX_NAME), pick(HTML_NAME), pick(CSS_NAME))
    if chosen.html.parent != chosen.css.parent:
        raise TemplateError.at(
            folder or builtin, f"{HTML_NAME} and {CSS_NAME} must come from the same folder"
        )
    problems = check_docx_template(chosen.docx) + check_html_template(chosen.html)
    if problems:
        raise TemplateError(problems)
    return chosen


def check_html_template(path: Path) -> list[Problem]:
    """The PDF template must at least compile; its errors point at their line."""
    from jinja2 import TemplateSyntaxError

    from contractkit.templating import make_environment

    try:
        make_environment(markup=True).parse(path.read_text(encoding="utf-8"))
    except TemplateSyntaxError as exc:
        return [Problem(Location(str(path), exc.lineno), f"template error: {exc.message}")]
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(Location(str(path)), f"cannot read the template: {exc}")]
    return []


def _part(
    archive: zipfile.ZipFile, name: str, add: Callable[[str, str], None]
) -> etree._Element | None:
    try:
        return etree.fromstring(archive.read(name))
    except KeyError:
        return None
    except etree.XMLSyntaxError as exc:
        add(name, f"not well-formed XML: {exc}")
        return None


def _text_of(archive: zipfile.ZipFile, names: list[str]) -> str:
    """The text runs of some parts joined, so a tag split across runs is still found."""
    text = []
    for name in names:
        try:
            root = etree.fromstring(archive.read(name))
        except (KeyError, etree.XMLSyntaxError):
            continue
        text.append("".join(t.text or "" for t in root.iter(f"{W}t")))
    return "\n".join(text)


def check_docx_template(path: Path) -> list[Problem]:
    """Every way a DOCX template breaks the contract, each located at the file and part."""
    file = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        return [Problem(Location(file), f"not a readable DOCX file: {exc}")]
    problems: list[Problem] = []

    def add(part: str, message: str) -> None:
        problems.append(Problem(Location(file, path=part), message))

    with archive:
        names = archive.namelist()
        styles = _part(archive, "word/styles.xml", add)
        numbering = _part(archive, "word/numbering.xml", add)
        document = _part(archive, "word/document.xml", add)
        body_text = _text_of(archive, ["word/document.xml"])
        header_text = _text_of(archive, sorted(n for n in names if n.startswith("word/header")))
    if styles is None and "word/styles.xml" not in names:
        add("word/styles.xml", "the template has no styles part")
    elif styles is not None:
        found = {(s.get(f"{W}type"), s.get(f"{W}styleId")) for s in styles.iter(f"{W}style")}
        for kind, wanted in (
            ("paragraph", PARAGRAPH_STYLES),
            ("character", CHARACTER_STYLES),
            ("table", TABLE_STYLES),
        ):
            for name in wanted:
                if (kind, name) not in found:
                    add("word/styles.xml", f"missing {kind} style with id '{name}'")
    if numbering is None and "word/numbering.xml" not in names:
        add("word/numbering.xml", "the template has no numbering part")
    elif numbering is not None:
        _check_numbering(numbering, add)
    if document is None and "word/document.xml" not in names:
        add("word/document.xml", "the template has no main document part")
    elif document is not None:
        for tag in TAGS:
            if f"{{{{p {tag} }}}}" not in body_text:
                add("word/document.xml", f"missing the paragraph tag '{{{{p {tag} }}}}'")
        for tag in ("title", "draft_notice", *SIGNATURE_TAGS):
            if tag != "signatories" and f"{{{{ {tag} }}}}" not in body_text:
                add("word/document.xml", f"missing the tag '{{{{ {tag} }}}}'")
        if "{%tr for s in signatories %}" not in body_text:
            add(
                "word/document.xml", "missing the signature row loop '{%tr for s in signatories %}'"
            )
        for tag in HEADER_TAGS:
            if f"{{{{ {tag} }}}}" not in header_text:
                add("word/header1.xml", f"missing the header tag '{{{{ {tag} }}}}'")
    return problems


def _check_numbering(numbering: etree._Element, add: Callable[[str, str], None]) -> None:
    abstracts = {a.get(f"{W}abstractNumId"): a for a in numbering.iter(f"{W}abstractNum")}
    nums = {
        n.get(f"{W}numId"): n.find(f"{W}abstractNumId").get(f"{W}val")
        for n in numbering.iter(f"{W}num")
        if n.find(f"{W}abstractNumId") is not None
    }
    for num_id, abstract_id, levels, what in (
        (BODY_NUM_ID, BODY_ABSTRACT_ID, BODY_LEVELS, "body"),
        (SCHEDULE_NUM_ID, SCHEDULE_ABSTRACT_ID, SCHEDULE_LEVELS, "schedule"),
    ):
        if nums.get(str(num_id)) != str(abstract_id):
            add(
                "word/numbering.xml",
                f"numId {num_id} must point at abstractNumId {abstract_id} ({what} numbering)",
            )
            continue
        abstract = abstracts.get(str(abstract_id))
        if abstract is None:
            add("word/numbering.xml", f"missing abstractNum {abstract_id} ({what} numbering)")
            continue
        by_level = {lvl.get(f"{W}ilvl"): lvl for lvl in abstract.iter(f"{W}lvl")}
        for ilvl, (style, fmt, text) in enumerate(levels):
            lvl = by_level.get(str(ilvl))
            if lvl is None:
                add("word/numbering.xml", f"abstractNum {abstract_id} has no level {ilvl}")
                continue
            got_style = lvl.find(f"{W}pStyle")
            got_fmt = lvl.find(f"{W}numFmt")
            got_text = lvl.find(f"{W}lvlText")
            if got_style is None or got_style.get(f"{W}val") != style:
                add(
                    "word/numbering.xml",
                    f"abstractNum {abstract_id} level {ilvl} must be linked to style '{style}'",
                )
            if got_fmt is None or got_fmt.get(f"{W}val") != fmt:
                add(
                    "word/numbering.xml",
                    f"abstractNum {abstract_id} level {ilvl} must use numFmt '{fmt}'",
                )
            if text is not None and (got_text is None or got_text.get(f"{W}val") != text):
                add(
                    "word/numbering.xml",
                    f"abstractNum {abstract_id} level {ilvl} must use lvlText '{text}'",
                )
