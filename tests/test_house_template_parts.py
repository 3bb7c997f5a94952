"""``--templates DIR`` may replace any one of the three house files on its own."""

from __future__ import annotations

from pathlib import Path

from contractkit.render.house import resolve_templates
from contractkit.resources import data_dir

from conftest import REFERENCE, RunCli
from helpers import pdf_text

BUILTIN = data_dir("templates")


def test_a_firm_folder_with_only_print_css_is_used_for_the_pdf(
    tmp_path: Path, run_cli: RunCli
) -> None:
    firm = tmp_path / "firm"
    firm.mkdir()
    css = (BUILTIN / "print.css").read_text(encoding="utf-8")
    (firm / "print.css").write_text(
        css + '\nh1.title::after { content: " (firm house style)"; }\n', encoding="utf-8"
    )
    chosen = resolve_templates(firm)
    assert chosen.files == {
        "agreement.docx": BUILTIN / "agreement.docx",
        "agreement.html.j2": BUILTIN / "agreement.html.j2",
        "print.css": firm / "print.css",
    }
    result = run_cli(
        "build", REFERENCE, "-o", tmp_path / "out", "--only", "nda", "--templates", firm
    )
    assert result.exit_code == 0, result.stderr
    text = pdf_text(tmp_path / "out" / "acme-nimbus-2027" / "nda.pdf")
    assert "MUTUAL NON-DISCLOSURE AGREEMENT (FIRM HOUSE STYLE)" in " ".join(text.split())


def test_a_firm_folder_with_only_the_html_template_is_used_for_the_pdf(tmp_path: Path) -> None:
    firm = tmp_path / "firm"
    firm.mkdir()
    (firm / "agreement.html.j2").write_text(
        (BUILTIN / "agreement.html.j2").read_text(encoding="utf-8"), encoding="utf-8"
    )
    chosen = resolve_templates(firm)
    assert chosen.path("agreement.html.j2") == firm / "agreement.html.j2"
    assert chosen.path("print.css") == BUILTIN / "print.css"
    from contractkit import render

    assert chosen.base_folder(render.renderer("pdf")) == firm
    assert resolve_templates(None).base_folder(render.renderer("pdf")) == BUILTIN
