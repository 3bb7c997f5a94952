"""Shared helpers: the shipped reference spec, edits of it written to tmp_path, and the CLI.

Every file a test writes goes under pytest's temporary folders, compiled clause templates
included; the fixtures here never write anywhere else. Bundles are expensive (seconds each), so
every shipped example is built once per run; a test that changes a bundle works on a copy
(``helpers.copy_bundle``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from contractkit.cli import main
from contractkit.resources import example_names

import helpers

try:
    import fcntl
except ImportError:  # Windows: each pytest-xdist worker builds its own bundles
    fcntl = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
REFERENCE = EXAMPLES / "reference.yaml"

Edits = Sequence[tuple[str, str]]
WriteSpec = Callable[..., Path]
RunCli = Callable[..., Result]


def apply_edits(text: str, edits: Edits) -> str:
    """``text`` with each ``(old, new)`` replacement made; each ``old`` must occur exactly once."""
    for old, new in edits:
        count = text.count(old)
        assert count == 1, f"{old!r} occurs {count} times; an edit must match exactly once"
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="session")
def reference_text() -> str:
    """The shipped reference spec, as text."""
    return REFERENCE.read_text(encoding="utf-8")


@pytest.fixture
def edit_reference(reference_text: str) -> Callable[[Edits], str]:
    """A function giving the reference spec's text with some replacements made."""

    def edit(edits: Edits) -> str:
        return apply_edits(reference_text, edits)

    return edit


@pytest.fixture
def write_spec(tmp_path: Path, reference_text: str) -> WriteSpec:
    """A function writing a spec into ``tmp_path`` and returning its path.

    ``write_spec(replacements)`` writes the reference spec with the replacements made;
    ``write_spec(text=...)`` writes the given text (or bytes) instead.
    """

    def write(
        replacements: Edits = (),
        *,
        name: str = "engagement.yaml",
        text: str | bytes | None = None,
    ) -> Path:
        path = tmp_path / name
        content = apply_edits(reference_text, replacements) if text is None else text
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


@pytest.fixture
def run_cli() -> RunCli:
    """A function running ``contractkit ARGS...`` in-process, optionally from another folder.

    The result keeps stdout and stderr apart (``result.stdout``, ``result.stderr``).
    """

    def run(*args: str | Path, cwd: Path | None = None) -> Result:
        runner = CliRunner()
        with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
            return runner.invoke(
                main, [str(a) for a in args], prog_name="contractkit", catch_exceptions=False
            )

    return run


@pytest.fixture(scope="session", autouse=True)
def template_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Compiled clause templates go to a folder of this run, not to the user's cache."""
    folder = _run_folder(tmp_path_factory) / "template-cache"
    saved = os.environ.get("CONTRACTKIT_CACHE_DIR")
    os.environ["CONTRACTKIT_CACHE_DIR"] = str(folder)
    yield folder
    if saved is None:
        os.environ.pop("CONTRACTKIT_CACHE_DIR", None)
    else:
        os.environ["CONTRACTKIT_CACHE_DIR"] = saved


@pytest.fixture(scope="session", autouse=True)
def warm_renderers() -> None:
    """The test process imports and warms up every renderer once, as a build's workers do.

    A build forks its rendering processes from the process that runs it; forked from a test
    process that is already warm, they skip WeasyPrint's import and font loading, which would
    otherwise cost each of them about a second, even in a build that renders no PDF at all.
    """
    from contractkit import render

    for kind in ("docx", "pdf"):
        render.renderer(kind).warm_up()


@pytest.fixture(scope="session", autouse=True)
def pdf_texts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Texts extracted from PDFs (``helpers.pdf_pages``) are kept for every worker of the run."""
    folder = _run_folder(tmp_path_factory) / "pdf-texts"
    helpers.PDF_TEXTS = folder
    yield folder
    helpers.PDF_TEXTS = None


@pytest.fixture(scope="session")
def markup_bundle(tmp_path_factory: pytest.TempPathFactory, template_cache: Path) -> Path:
    """The reference bundle as a vendor receives it for markup: DOCX only, dated by
    ``SOURCE_DATE_EPOCH``, built by the console entry point. Read-only."""
    out = tmp_path_factory.mktemp("markup-bundle")
    subprocess.run(
        [sys.executable, "-m", "contractkit", "build", str(EXAMPLES / "reference.yaml"),
         "-o", str(out), "--format", "docx"],
        check=True, capture_output=True,
        env={"SOURCE_DATE_EPOCH": "1700000000", "PATH": "", "CONTRACTKIT_CACHE_DIR": str(template_cache)},
    )  # fmt: skip
    return out / "acme-nimbus-2027"


@pytest.fixture(scope="session")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every shipped example built once (DOCX, PDF, internal files): name -> bundle folder.

    Read-only: a test that changes a bundle copies it first. Each bundle sits as deep as a
    test's ``tmp_path / "out" / <id>``, so a copy there keeps the spec path its manifest records
    (relative to the bundle).
    """
    folder = _run_folder(tmp_path_factory) / "bundles" / "out"
    names = example_names()

    def build_all() -> list[str]:
        from contractkit.build import BuildOptions, build

        results = build([EXAMPLES / f"{n}.yaml" for n in names], BuildOptions(out=folder, jobs=2))
        problems = [str(p) for r in results for p in r.problems]
        assert not problems, problems
        return [str(r.folder) for r in results]

    return dict(zip(names, map(Path, _once(folder, build_all)), strict=True))


# Spec text that could do harm on a page: markup, quotes, a backslash, template and Markdown
# syntax, and a title long enough to wrap in the page header.
HOSTILE_TITLE = (
    'Medical imaging "A\\B" </style><style>@page{margin:0} & more, clinical text, radiology '
    "report and pathology slide annotation services for the multi-site diagnostic model program "
    "across three regions"
)
HOSTILE_NAME = 'Acme <b>&</b> {{ 7*7 }} *Data* | "Co" Café'
# The one field the breach_rebuild fixture changes.
BREACH = ("breach_notice_days: 10 ", "breach_notice_days: 5 ")


@pytest.fixture(scope="session")
def hostile_bundle(tmp_path_factory: pytest.TempPathFactory, reference_text: str) -> Path:
    """The reference NDA (DOCX and PDF, with the internal reports) built once from a spec whose
    title is ``HOSTILE_TITLE`` and whose customer's short name is ``HOSTILE_NAME``. Read-only."""
    folder = _run_folder(tmp_path_factory) / "hostile"

    def make() -> list[str]:
        spec = folder / "hostile.yaml"
        title = HOSTILE_TITLE.replace("'", "''")
        edits = [
            ("title: Medical imaging and clinical text annotation services", f"title: '{title}'"),
            ("short_name: Acme", f"short_name: '{HOSTILE_NAME}'"),
        ]
        spec.write_text(apply_edits(reference_text, edits), encoding="utf-8")
        args = ["build", str(spec), "-o", str(folder / "out"), "--only", "nda"]
        result = CliRunner().invoke(main, args, catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        return [str(folder / "out" / "acme-nimbus-2027")]

    (bundle,) = _once(folder, make)
    return Path(bundle)


@dataclasses.dataclass(frozen=True)
class Rebuild:
    """A bundle rebuilt after a change, and what the build printed on stderr."""

    bundle: Path
    stderr: str


@pytest.fixture(scope="session")
def breach_rebuild(
    bundles: dict[str, Path], tmp_path_factory: pytest.TempPathFactory, reference_text: str
) -> Rebuild:
    """A copy of the reference bundle rebuilt once after one field changed (``BREACH``), from a
    spec beside the same evidence, so nothing else differs. Read-only; the bundle before the
    change is ``bundles["reference"]``."""
    folder = _run_folder(tmp_path_factory) / "breach"

    def make() -> list[str]:
        bundle = helpers.copy_bundle(bundles["reference"], folder / "out")
        spec = folder / "changed.yaml"
        spec.write_text(apply_edits(reference_text, [BREACH]), encoding="utf-8")
        evidence = REFERENCE.with_name("reference.evidence.yaml").read_bytes()
        spec.with_name("changed.evidence.yaml").write_bytes(evidence)
        args = ["build", str(spec), "-o", str(folder / "out")]
        result = CliRunner().invoke(main, args, catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        return [str(bundle), *result.stderr.splitlines()]

    bundle, *stderr = _once(folder, make)
    return Rebuild(Path(bundle), "".join(f"{line}\n" for line in stderr))


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice's command; a test needing it is skipped without it, except on CI."""
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("soffice is not installed; CI must install libreoffice-writer-nogui")
        pytest.skip("soffice is not installed")
    return found


@pytest.fixture(scope="session")
def office_pdfs(
    soffice: str, bundles: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[Path, Path]:
    """LibreOffice's PDF of every DOCX in ``bundles``: DOCX path -> PDF path (converted once)."""
    target = _run_folder(tmp_path_factory) / "office-pdfs"

    def convert_all() -> list[str]:
        converted = []
        for name, folder in bundles.items():
            documents = sorted(folder.glob("*.docx"))
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{target / 'profile'}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(target / name),
                    *map(str, documents),
                ],
                check=True,
                capture_output=True,
                timeout=300,
            )
            converted += [f"{docx}\t{target / name / docx.stem}.pdf" for docx in documents]
        return converted

    pairs = (line.split("\t") for line in _once(target, convert_all))
    return {Path(docx): Path(pdf) for docx, pdf in pairs}


def _run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary folder of this run, shared by the pytest-xdist workers where locks exist.

    Like pytest's own base folder, it is one level above each test's ``tmp_path``.
    """
    base = tmp_path_factory.getbasetemp()
    shared = os.environ.get("PYTEST_XDIST_WORKER") and fcntl is not None
    return base.parent / "shared" if shared else base


def _once(folder: Path, make: Callable[[], list[str]]) -> list[str]:
    """``make()``'s lines, made once per run in ``folder``: the pytest-xdist workers share them.

    The first worker to ask runs ``make`` while holding a lock; the others wait, then read what it
    recorded. A failed ``make`` records nothing, so the next worker tries again (and fails alike).
    """
    folder.mkdir(parents=True, exist_ok=True)
    with _exclusive(folder / ".lock"):
        done = folder / ".complete"
        if not done.is_file():
            done.write_text("".join(f"{line}\n" for line in make()), encoding="utf-8")
        return done.read_text(encoding="utf-8").splitlines()


@contextlib.contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock`` (nothing to hold where the run folder is not shared)."""
    if fcntl is None:
        yield
        return
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
