"""The house templates a build renders with, and the check that each fits its renderer.

A firm's folder may replace any of the files the registered renderers read; the rest come from
the built-in templates. A firm's template that lacks a style or the numbering definition would
otherwise produce a document with silently missing numbering; the check turns that into a
located error.
"""

from __future__ import annotations

import functools
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from contractkit import render
from contractkit.errors import Location, Problem, TemplateError
from contractkit.render.base import Renderer
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
    W_NS,
)
from contractkit.render.package_check import UnsafeXML, package_problems, parse_part
from contractkit.resources import data_dir

W = f"{{{W_NS}}}"
BODY_LEVELS = (
    ("Heading1", "decimal", "%1."),
    ("Heading2", "decimal", "%1.%2"),
    ("ClauseL3", "lowerLetter", "(%3)"),
    ("ClauseL4", "lowerRoman", "(%4)"),
)
SCHEDULE_LEVELS = (("ScheduleHeading", "decimal", None), ("ScheduleClause", "decimal", None))


@dataclass(frozen=True)
class HouseTemplates:
    """The files a build renders with, by file name, and the firm's folder they came from."""

    files: dict[str, Path]
    firm: Path | None = None

    def path(self, name: str) -> Path:
        return self.files[name]

    def base_folder(self, renderer: Renderer) -> Path:
        """Where relative URLs in a renderer's files (a logo, a font) are found: the firm's
        folder when it supplied any of them, else the built-in folder.

        The built-in files name no other file, so a firm may replace any one of them alone.
        """
        used = self.used_by(renderer)
        if self.firm is not None and any(p.parent == self.firm for p in used):
            return self.firm
        return used[0].parent if used else data_dir("templates")

    def used_by(self, renderer: Renderer) -> list[Path]:
        """The files one renderer reads, in the order it names them."""
        return [self.files[name] for name in renderer.template_names]


def resolve_templates(folder: Path | None) -> HouseTemplates:
    """The firm's files where given, the built-in ones otherwise; each one is checked."""
    builtin = data_dir("templates")
    if folder is not None and not folder.is_dir():
        raise TemplateError.at(folder, "templates folder not found")
    names = render.template_names()
    if folder is not None and not any((folder / n).is_file() for n in names):
        raise TemplateError.at(folder, f"holds none of {', '.join(names)}; nothing to use")

    def pick(name: str) -> Path:
        if folder is not None and (folder / name).is_file():
            return folder / name
        return builtin / name

    chosen = HouseTemplates({name: pick(name) for name in names}, folder)
    renderers = list(render.RENDERERS.values())
    problems = [problem for each in renderers for problem in each.check_templates(chosen)]
    if problems:
        raise TemplateError(problems)
    return chosen


def check_html_template(path: Path) -> list[Problem]:
    """The PDF template must at least compile; its errors point at their line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(Location(str(path)), f"cannot read the template: {exc}")]
    return [Problem(Location(str(path), line), message) for line, message in _syntax(text)]


@functools.lru_cache(maxsize=16)
def _syntax(text: str) -> tuple[tuple[int, str], ...]:
    """A template text's syntax errors (line, message), once per text: a watch checks the
    same template before every rebuild."""
    from jinja2 import TemplateSyntaxError

    from contractkit.templating import make_environment

    try:
        make_environment(markup=True).parse(text)
    except TemplateSyntaxError as exc:
        return ((exc.lineno, f"template error: {exc.message}"),)
    return ()


def _part(
    archive: zipfile.ZipFile, name: str, add: Callable[[str, str], None]
) -> etree._Element | None:
    try:
        return parse_part(archive.read(name))
    except KeyError:
        return None
    except etree.XMLSyntaxError as exc:
        add(name, f"not well-formed XML: {exc.msg}")
        return None
    except UnsafeXML as exc:
        add(name, f"XML error: {exc}")
        return None


def _text_of(archive: zipfile.ZipFile, names: list[str]) -> str:
    """The text runs of some parts joined, so a tag split across runs is still found."""
    text = []
    for name in names:
        try:
            root = parse_part(archive.read(name))
        except (KeyError, etree.XMLSyntaxError, UnsafeXML):
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
        for part, message in package_problems(archive):
            add(part, message)
        if problems:
            return problems
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
            if what == "schedule" and ilvl == 0:
                _check_schedule_label(lvl, add)


def _check_schedule_label(lvl: etree._Element, add: Callable[[str, str], None]) -> None:
    """A reference to a schedule prints its heading's number label ("paragraph 1 of Schedule
    1"), so the label ends at the number and the heading text supplies what follows it."""
    text = lvl.find(f"{W}lvlText")
    label = "" if text is None else text.get(f"{W}val", "")
    suffix = lvl.find(f"{W}suff")
    if not label.endswith("%1"):
        add(
            "word/numbering.xml",
            f"the schedule heading's lvlText must end with its number (e.g. 'Schedule %1'), "
            f"since references to a schedule print it; got '{label}'",
        )
    if suffix is None or suffix.get(f"{W}val") != "nothing":
        add(
            "word/numbering.xml",
            "the schedule heading's level must have w:suff 'nothing': the heading text "
            "that follows the number starts with ': '",
        )
