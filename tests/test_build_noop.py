"""A no-op build is answered from bytes and hashes, before anything heavy is imported.

Whatever the quick check is unsure of goes to the full build, which must then say the same.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from contractkit import uptodate
from contractkit.evidence import EVIDENCE_SUFFIXES
from contractkit.render import template_names
from contractkit.render.house import resolve_templates

from helpers import EXAMPLES

HEAVY = [
    "weasyprint",
    "docx",
    "docxtpl",
    "lxml",
    "pydantic",
    "jinja2",
    "ruamel",
    "contractkit.spec",
]
RUN = """
import sys
from contractkit.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
print(sorted(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
sys.exit(code)
"""


def contractkit(*args: object, cwd: Path, cache: bool = True) -> subprocess.CompletedProcess[str]:
    """``contractkit ARGS`` in a fresh process; its last stderr line lists the heavy modules it
    imported."""
    env = {**os.environ, "CONTRACTKIT_CACHE_DIR": str(cwd / "cache")}
    if not cache:
        env["CONTRACTKIT_NO_CACHE"] = "1"
    code = RUN.format(heavy=HEAVY)
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=cwd, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference spec built into ``<folder>/out`` by a fresh process, its cache (remembered
    warnings) in ``<folder>/cache``; built once for the module (the NDA only would not do:
    --only is always left to the full build)."""
    folder = tmp_path_factory.mktemp("built")
    spec = folder / "reference.yaml"
    spec.write_bytes((EXAMPLES / "reference.yaml").read_bytes())
    done = contractkit("build", spec.name, "-o", "out", "--format", "docx", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture
def built(built_once: Path, tmp_path: Path) -> Path:
    """A copy of ``built_once`` in ``tmp_path``, this test's own: the spec, the bundle (file
    times kept) and the cache. Every path they record is relative to the folder."""
    shutil.copytree(built_once, tmp_path, symlinks=True, dirs_exist_ok=True)
    return tmp_path


def test_a_no_op_says_what_the_full_build_says_without_heavy_imports(built: Path) -> None:
    quick = contractkit("build", "reference.yaml", "-o", "out", "--format", "docx", cwd=built)
    full = contractkit(
        "build", "reference.yaml", "-o", "out", "--format", "docx", cwd=built, cache=False
    )
    assert quick.returncode == full.returncode == 0
    *said, imported = quick.stderr.splitlines()
    assert imported == "[]"
    assert said == full.stderr.splitlines()[:-1]
    assert said[-1] == "acme-nimbus-2027: up to date (out/acme-nimbus-2027)"
    assert said[0].startswith("reference.yaml:") and ": warning: " in said[0]
    assert full.stderr.splitlines()[-1] != "[]"  # the full build did load the models

    as_json = [
        contractkit(
            "build", "reference.yaml", "-o", "out", "--format", "docx", "--json",
            cwd=built, cache=cache,
        ).stdout
        for cache in (True, False)
    ]  # fmt: skip
    assert as_json[0] == as_json[1]
    assert json.loads(as_json[0])[0]["status"] == "up_to_date"


def quick_check(folder: Path, **changes: object) -> list[object] | None:
    options: dict[str, object] = {
        "out": folder / "out",
        "only": None,
        "formats": ("docx",),
        "libraries": (),
        "templates": None,
        "evidence": None,
        "as_of": "",
        "strict": False,
        **changes,
    }
    return uptodate.up_to_date([folder / "reference.yaml"], **options)  # type: ignore[arg-type]


def test_the_quick_check_answers_only_when_sure(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONTRACTKIT_CACHE_DIR", str(built / "cache"))
    bundle = built / "out" / "acme-nimbus-2027"
    (result,) = quick_check(built) or []
    assert result.status == "up_to_date"  # type: ignore[attr-defined]
    assert quick_check(built, formats=("docx", "pdf")) is None
    assert quick_check(built, only=("nda",)) is None
    assert quick_check(built, as_of="2027-01-01") is None
    assert quick_check(built, strict=True) is None  # its warning refuses it under --strict

    staging = bundle / ".contractkit-staging-x"
    staging.mkdir()
    assert quick_check(built) is None  # an interrupted build is finished by the full one
    staging.rmdir()

    nda = bundle / "nda.docx"
    kept = nda.read_bytes()
    nda.write_bytes(kept + b"counsel")
    assert quick_check(built) is None
    nda.unlink()
    nda.symlink_to(built / "reference.yaml")
    assert quick_check(built) is None
    nda.unlink()
    nda.write_bytes(kept)
    assert quick_check(built) is not None

    spec = built / "reference.yaml"
    spec.write_bytes(spec.read_bytes() + b"\n# a comment changes the bytes\n")
    assert quick_check(built) is None


def test_without_remembered_warnings_the_full_build_decides(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONTRACTKIT_CACHE_DIR", str(built / "cache"))
    assert quick_check(built) is not None
    monkeypatch.setenv("CONTRACTKIT_NO_CACHE", "1")
    assert quick_check(built) is None
    monkeypatch.delenv("CONTRACTKIT_NO_CACHE")
    monkeypatch.setenv("CONTRACTKIT_CACHE_DIR", str(built / "another-cache"))
    assert quick_check(built) is None


def test_the_quick_check_reads_the_files_the_build_reads() -> None:
    assert uptodate.EVIDENCE_SUFFIXES == EVIDENCE_SUFFIXES
    assert uptodate.template_files(None) == resolve_templates(None).files
    assert set(uptodate.template_files(None)) == set(template_names())


def test_the_sources_key_does_not_depend_on_where_a_library_lives(tmp_path: Path) -> None:
    for place in ("here", "there/deeper"):
        (tmp_path / place / "msa").mkdir(parents=True)
        (tmp_path / place / "msa" / "extra.md").write_text("---\nid: msa.extra\n---\nText.\n")
    here, there = (
        uptodate.sources_digest([tmp_path / place], ()) for place in ("here", "there/deeper")
    )
    assert here == there
    (tmp_path / "there/deeper/msa/extra.md").write_text("---\nid: msa.extra\n---\nOther.\n")
    assert uptodate.sources_digest([tmp_path / "there/deeper"], ()) != here
