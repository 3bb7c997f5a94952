"""What a house DOCX template may contain, checked before any part of it is unpacked or parsed.

A template is a zip of XML parts a firm supplies. Its declared sizes are checked first (a zip
bomb is refused without being inflated), every XML part is parsed without DTDs or entities (a
DOCTYPE is an error in that part, so an external entity can never be read), and a reference to
anything outside the package (a linked picture, an attached template on a file share, a network
address) is refused: the drafts go to the vendor, and Word would fetch those on opening.
"""

from __future__ import annotations

import zipfile
from urllib.parse import urlsplit

from lxml import etree

MAX_PARTS = 1000
MAX_PART_BYTES = 32 * 1024 * 1024
MAX_TOTAL_BYTES = 128 * 1024 * 1024
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
LINK_SCHEMES = ("http", "https", "mailto")

SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)

Finding = tuple[str, str]


class UnsafeXML(ValueError):
    """A template part declares a DOCTYPE (entities that could read local files)."""


def parse_part(data: bytes) -> etree._Element:
    """A template part parsed safely: XMLSyntaxError when it is not well-formed, UnsafeXML
    when it declares a DOCTYPE."""
    root = etree.fromstring(data, SAFE_XML)
    if root.getroottree().docinfo.doctype:
        raise UnsafeXML(
            "a DOCTYPE declaration is not allowed in a template part (entities could read "
            "local files)"
        )
    return root


def size_problems(archive: zipfile.ZipFile) -> list[Finding]:
    """Parts too many or too large, from the sizes the archive declares (nothing inflated)."""
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        return [("", f"has {len(infos)} parts; a template may have at most {MAX_PARTS}")]
    found: list[Finding] = []
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_PART_BYTES:
            found.append(
                (
                    info.filename,
                    f"unpacks to {info.file_size} bytes; a template part may hold at most "
                    f"{MAX_PART_BYTES} (refused without unpacking it)",
                )
            )
    if total > MAX_TOTAL_BYTES and not found:
        found.append(
            ("", f"unpacks to {total} bytes; a template may hold at most {MAX_TOTAL_BYTES}")
        )
    return found


def xml_problems(archive: zipfile.ZipFile) -> list[Finding]:
    """Every XML part that is not well-formed or declares a DOCTYPE."""
    found: list[Finding] = []
    for name in archive.namelist():
        if not name.endswith((".xml", ".rels")):
            continue
        try:
            parse_part(archive.read(name))
        except etree.XMLSyntaxError as exc:
            found.append((name, f"not well-formed XML: {exc.msg}"))
        except UnsafeXML as exc:
            found.append((name, f"XML error: {exc}"))
    return found


def reference_problems(archive: zipfile.ZipFile) -> list[Finding]:
    """Relationships that point outside the package, except web and mail hyperlinks."""
    found: list[Finding] = []
    for name in archive.namelist():
        if not name.endswith(".rels"):
            continue
        try:
            root = parse_part(archive.read(name))
        except (etree.XMLSyntaxError, UnsafeXML):
            continue  # reported by xml_problems
        for rel in root.iter(f"{{{RELS_NS}}}Relationship"):
            if rel.get("TargetMode") != "External":
                continue
            target = rel.get("Target") or ""
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            if kind == "hyperlink" and urlsplit(target).scheme.lower() in LINK_SCHEMES:
                continue
            found.append(
                (
                    name,
                    f"refers to '{target}' outside the template ({kind}); a house template may "
                    "use only what it contains, never other files or network addresses: embed "
                    "it, or remove the reference (for an attached template: detach it in Word)",
                )
            )
    return found


def package_problems(archive: zipfile.ZipFile) -> list[Finding]:
    """Everything that makes a template unsafe to open, sizes first."""
    return size_problems(archive) or xml_problems(archive) + reference_problems(archive)
