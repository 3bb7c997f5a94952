"""The document registry is the one place that knows the agreements; everything else follows it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from contractkit.assemble import assemble
from contractkit.documents import DOCUMENTS, KEYS, DocumentKey
from contractkit.library import load_library
from contractkit.loader import load_spec
from contractkit.spec import Spec

from conftest import RunCli, apply_edits
from helpers import LIDAR, ROOT, write_tree


def test_every_key_has_one_entry_with_its_own_stem_and_a_defined_term() -> None:
    definitions = load_library().definitions

    assert [d.key for d in DOCUMENTS] == list(DocumentKey)
    assert len({d.stem for d in DOCUMENTS}) == len(DOCUMENTS)
    assert [d.term for d in DOCUMENTS if d.term not in definitions] == []


def test_the_command_line_offers_the_registry_keys(tmp_path: Path, run_cli: RunCli) -> None:
    listed = run_cli("clauses", "list", "--document", "sow")
    built = run_cli("build", LIDAR, "-o", tmp_path, "--only", "msa,sow")

    assert listed.exit_code == 2
    assert listed.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--document': 'sow' is not one of "
        + ", ".join(f"'{k}'" for k in KEYS)
        + "."
    )
    assert built.exit_code == 2
    assert built.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--only': 'sow' is not a document key "
        "(msa, nda, baa, dpa, ip_assignment, exit_schedule)"
    )


def _recital(documents: list[DocumentKey]) -> str:
    spec = load_spec(LIDAR).spec
    spec = Spec.model_validate({**spec.model_dump(), "documents": documents})
    msa = assemble(spec, load_library(), only=[DocumentKey.msa])[0]
    return msa.recitals[-1].text


def test_the_msa_names_the_other_agreements_produced_in_registry_order() -> None:
    key = DocumentKey

    assert _recital([key.msa]) == (
        "The parties wish to set out the terms on which Luzon Data will perform those services."
    )
    assert _recital([key.exit_schedule, key.msa, key.dpa]) == (
        "The parties wish to set out the terms on which Luzon Data will perform those services, "
        "together with the DPA and Exit Schedule, which the parties are entering into on the "
        "same date."
    )


SEVENTH_KEY = (
    '    exit_schedule = "exit_schedule"\n',
    '    exit_schedule = "exit_schedule"\n    sow = "sow"\n',
)
SEVENTH_ENTRY = (
    "\n)\n\nBY_KEY",
    "\n    DocumentInfo(DocumentKey.sow, stem='statement-of-work', title='Statement of Work',"
    " term='Statement of Work', applies='by default'),\n)\n\nBY_KEY",
)
SOW_FOLDER = {
    "sow/_outline.yaml": """
        document: sow
        title: Statement of Work
        preamble: "This Statement of Work is made under the {{ term('Agreement') }}."
        articles:
          - title: Definitions
            definitions: true
          - title: Scope
            clauses: [sow.scope]
        """,
    "sow/scope.md": """
        ---
        id: sow.scope
        document: sow
        title: Scope of Work
        version: 1.0.0
        ---
        {{ vendor.short_name }} shall perform the work this Statement of Work describes under {{ ref('msa.services') }}.
        """,
}
PROBE = """
import json, sys
from pathlib import Path

import contractkit
from click.testing import CliRunner
from contractkit.assemble import assemble
from contractkit.cli import main
from contractkit.documents import document_table_markdown
from contractkit.library import load_library
from contractkit.loader import load_spec

spec_path, firm = Path(sys.argv[1]), Path(sys.argv[2])
trees = assemble(load_spec(spec_path).spec, load_library([firm]))
listed = CliRunner().invoke(main, ["clauses", "list", "--document", "sow", "--library", str(firm)])
print(json.dumps({
    "package": contractkit.__file__,
    "documents": [(t.key, t.stem, t.title) for t in trees],
    "sow": [(c.number, c.title, "".join(b.text for b in c.blocks)) for c in trees[1].clauses()],
    "recital": trees[0].recitals[-1].text,
    "listed": [listed.exit_code, listed.output],
    "table": document_table_markdown().splitlines()[-1],
}))
"""


def test_a_seventh_document_is_a_registry_entry_and_a_clause_folder(tmp_path: Path) -> None:
    """A copy of the package gets only the key and the entry in documents.py; nothing else."""
    source = tmp_path / "source"
    shutil.copytree(
        ROOT / "contractkit", source / "contractkit", ignore=shutil.ignore_patterns("__pycache__")
    )
    for folder in ("clauses", "templates", "examples"):
        shutil.copytree(ROOT / folder, source / folder)
    registry = source / "contractkit" / "documents.py"
    registry.write_text(
        apply_edits(registry.read_text(encoding="utf-8"), [SEVENTH_KEY, SEVENTH_ENTRY]),
        encoding="utf-8",
    )
    firm = write_tree(tmp_path / "firm", SOW_FOLDER)
    spec = tmp_path / "spec.yaml"
    spec.write_text(LIDAR.read_text(encoding="utf-8") + "documents: [msa, sow]\n", encoding="utf-8")

    env = {**os.environ, "PYTHONPATH": str(source)}
    run = subprocess.run(
        [sys.executable, "-c", PROBE, str(spec), str(firm)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )

    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["package"] == str(source / "contractkit" / "__init__.py")
    assert result["documents"] == [
        ["msa", "msa", "Master Services Agreement"],
        ["sow", "statement-of-work", "Statement of Work"],
    ]
    assert result["sow"] == [
        [
            "2.1",
            "Scope of Work",
            "Luzon Data shall perform the work this Statement of Work describes under "
            "Section 2.1 of the Master Services Agreement.",
        ]
    ]
    assert result["recital"].endswith(
        "services, together with the Statement of Work, which the parties are entering into on "
        "the same date."
    )
    source_file = firm / "sow" / "scope.md"
    assert result["listed"] == [
        0,
        f"clause     position  version  source{' ' * (len(str(source_file)) - 6)}  title\n"
        f"sow.scope  any       1.0.0    {source_file}  Scope of Work\n",
    ]
    assert result["table"] == "| `sow` | `statement-of-work` | Statement of Work | by default |"
