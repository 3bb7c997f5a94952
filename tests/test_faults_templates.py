"""Hostile house templates and overlay clauses: no local file or network address reaches a
draft, no template exhausts the machine, and each refusal names the template and line."""

from __future__ import annotations

import shutil
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from faults import REFERENCE
from pypdf import PdfReader

from contractkit.render.house import check_docx_template
from contractkit.resources import data_dir

RunCli = Callable[..., Result]
BUILTIN = data_dir("templates")
ONLY_NDA = ("--only", "nda", "--no-redline")
LINE = 7  # where a statement sits in an overlay clause, after six lines of front matter


def _firm_html(tmp_path: Path, head: str = "", body: str = "") -> Path:
    """A firm's PDF templates: the built-in ones with markup added to the head or body."""
    firm = tmp_path / "firm"
    firm.mkdir(exist_ok=True)
    html = (BUILTIN / "agreement.html.j2").read_text(encoding="utf-8")
    html = html.replace("</head>", head + "</head>", 1).replace("</body>", body + "</body>", 1)
    (firm / "agreement.html.j2").write_text(html, encoding="utf-8")
    shutil.copy(BUILTIN / "print.css", firm / "print.css")
    return firm


def _firm_docx(
    tmp_path: Path, change: Callable[[str, bytes], bytes], extra: dict[str, bytes] | None = None
) -> Path:
    """A firm's Word template: the built-in one with each part passed through ``change``, and
    ``extra`` parts added."""
    firm = tmp_path / "firm"
    firm.mkdir(exist_ok=True)
    with (
        zipfile.ZipFile(BUILTIN / "agreement.docx") as source,
        zipfile.ZipFile(firm / "agreement.docx", "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info.filename)))
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return firm / "agreement.docx"


def test_a_pdf_template_cannot_read_local_files_or_the_network(
    tmp_path: Path, run_cli: RunCli
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET local file\n", encoding="utf-8")
    firm = _firm_html(
        tmp_path,
        head=f'<link rel="attachment" href="file://{secret}">',
        body=f'<img src="file://{secret}"><img src="http://127.0.0.1:9/logo.png">',
    )
    result = run_cli(
        "build",
        REFERENCE,
        "-o",
        tmp_path / "out",
        "--templates",
        firm,
        *ONLY_NDA,
        "--format",
        "pdf",
    )
    assert result.exit_code == 1
    assert (
        f"{firm / 'agreement.html.j2'}: refers to file://{secret}, http://127.0.0.1:9/logo.png; "
        "a house template may use only files in its own folder (and contractkit's), never "
        "other local files or network addresses"
    ) in result.stderr.splitlines()
    assert not (tmp_path / "out" / "acme-nimbus-2027" / "nda.pdf").exists()


def test_a_picture_in_the_template_folder_is_used_and_a_link_out_of_it_is_not(
    tmp_path: Path, run_cli: RunCli
) -> None:
    firm = _firm_html(tmp_path, body='<img src="seal.svg" alt="seal">')
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    (firm / "seal.svg").write_text(svg, encoding="utf-8")
    args = ("build", REFERENCE, "--templates", firm, *ONLY_NDA, "--format", "pdf")
    used = run_cli(*args, "-o", tmp_path / "out")
    assert used.exit_code == 0, used.stderr
    pdf = PdfReader(tmp_path / "out" / "acme-nimbus-2027" / "nda.pdf")
    assert any("/XObject" in (page.get("/Resources") or {}) for page in pdf.pages)

    outside = tmp_path / "outside.svg"
    outside.write_text(svg, encoding="utf-8")
    (firm / "seal.svg").unlink()
    (firm / "seal.svg").symlink_to(outside)
    linked = run_cli(*args, "-o", tmp_path / "out2")
    assert linked.exit_code == 1
    assert f"refers to file://{firm / 'seal.svg'};" in linked.stderr


@pytest.mark.parametrize(
    ("part", "relationship", "shown"),
    [
        (
            "word/_rels/document.xml.rels",
            '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/image" Target="file:///etc/passwd" TargetMode="External"/>',
            "refers to 'file:///etc/passwd' outside the template (image)",
        ),
        (
            "word/_rels/settings.xml.rels",
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/attachedTemplate" Target="http://203.0.113.5/t.dotm" '
            'TargetMode="External"/>',
            "refers to 'http://203.0.113.5/t.dotm' outside the template (attachedTemplate)",
        ),
    ],
)
def test_a_docx_template_referring_outside_itself_is_refused(
    tmp_path: Path, run_cli: RunCli, part: str, relationship: str, shown: str
) -> None:
    with zipfile.ZipFile(BUILTIN / "agreement.docx") as builtin:
        names = builtin.namelist()
    extra = {}
    if part not in names:
        extra[part] = (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/relationships"></Relationships>'
        )

    def change(name: str, data: bytes) -> bytes:
        return data.replace(b"</Relationships>", relationship.encode() + b"</Relationships>")

    template = _firm_docx(
        tmp_path,
        lambda n, d: change(n, d) if n == part else d,
        {name: change(name, data) for name, data in extra.items()},
    )
    problems = [str(p) for p in check_docx_template(template)]
    assert problems == [
        f"{template}: {part}: {shown}; a house template may use only what it contains, never "
        "other files or network addresses: embed it, or remove the reference (for an attached "
        "template: detach it in Word)"
    ]
    result = run_cli(
        "build", REFERENCE, "-o", tmp_path / "out", "--templates", template.parent, *ONLY_NDA
    )
    assert result.exit_code == 1
    assert problems[0] in result.stderr.splitlines()


def test_a_zip_bomb_template_is_refused_without_being_unpacked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    padding = b"<!-- -->" * (5 * 1024 * 1024)  # 40 MiB of XML comment, a few KiB packed

    template = _firm_docx(
        tmp_path, lambda name, data: data.replace(b"<w:body>", b"<w:body>" + padding, 1)
    )
    assert template.stat().st_size < 1024 * 1024

    size = len(padding) + len(
        zipfile.Path(BUILTIN / "agreement.docx", "word/document.xml").read_bytes()
    )

    def no_unpacking(*args: object, **kwargs: object) -> object:
        raise AssertionError("a part was unpacked")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_unpacking)
    problems = [str(p) for p in check_docx_template(template)]
    assert problems == [
        f"{template}: word/document.xml: unpacks to {size} bytes; a template part may hold at "
        f"most {32 * 1024 * 1024} (refused without unpacking it)"
    ]


@pytest.mark.parametrize("part", ["word/document.xml", "word/header1.xml", "word/styles.xml"])
def test_an_external_entity_in_a_template_part_is_an_xml_error_in_that_part(
    tmp_path: Path, part: str
) -> None:
    doctype = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'

    def change(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        head, rest = data.split(b"?>", 1)
        return head + b"?>" + doctype + rest.replace(b"</w:", b"&xxe;</w:", 1)

    template = _firm_docx(tmp_path, change)
    assert [str(p) for p in check_docx_template(template)] == [
        f"{template}: {part}: XML error: a DOCTYPE declaration is not allowed in a template "
        "part (entities could read local files)"
    ]


def _overlay(tmp_path: Path, body: str) -> Path:
    """An overlay replacing nda.term's text with ``body`` (the body starts on line 7)."""
    overlay = tmp_path / "overlay"
    (overlay / "nda").mkdir(parents=True)
    front = (data_dir("clauses") / "nda" / "term.md").read_text(encoding="utf-8").split("---")[1]
    lines = [
        line
        for line in front.strip().splitlines()
        if line.split(":")[0] in ("id", "document", "title", "version")
    ]
    assert len(lines) == 4
    text = "---\n" + "\n".join(lines) + "\n---\n" + body
    (overlay / "nda" / "term.md").write_text(text, encoding="utf-8")
    return overlay


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        (
            "{{ 'a' * 3000000000 }}",
            "template error: the repeated text would be 3,000,000,000 long; a template may "
            "produce at most 20,000,000 characters (or items)",
        ),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            "template error: the template's loops ran more than 1,000,000 times in all; nested "
            "loops over large ranges are not allowed",
        ),
        (
            "{{ ('x' * 1000000).replace('x', 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy') }}",
            "template error: the replaced text would be 39,000,000 long; a template may produce "
            "at most 20,000,000 characters (or items)",
        ),
        (
            "{% include '/etc/passwd' %}",
            "template error: include of '/etc/passwd' refused: includes outside the library are "
            "not allowed (a template cannot include, import or extend another file)",
        ),
    ],
)
def test_an_overlay_clause_is_stopped_at_its_line(
    tmp_path: Path, run_cli: RunCli, statement: str, message: str
) -> None:
    overlay = _overlay(tmp_path, f"{statement}\n")
    started = time.monotonic()
    result = run_cli(
        "build", REFERENCE, "-o", tmp_path / "out", "--library", overlay, *ONLY_NDA,
        "--format", "docx",
    )  # fmt: skip
    assert time.monotonic() - started < 60
    assert result.exit_code == 1
    assert f"{overlay / 'nda' / 'term.md'}:{LINE}: {message}" in result.stderr.splitlines()
    assert not (tmp_path / "out" / "acme-nimbus-2027" / "nda.docx").exists()


def test_an_include_in_a_house_template_names_the_template_and_line(
    tmp_path: Path, run_cli: RunCli
) -> None:
    firm = _firm_html(tmp_path, body="{% include '/etc/passwd' %}")
    html = firm / "agreement.html.j2"
    line = next(n for n, text in enumerate(html.read_text().splitlines(), 1) if "include" in text)
    result = run_cli("build", REFERENCE, "-o", tmp_path / "out", "--templates", firm, *ONLY_NDA)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{html}:{line}: template error: include of '/etc/passwd' refused: includes outside the "
        "library are not allowed (a template cannot include, import or extend another file)"
    ]
