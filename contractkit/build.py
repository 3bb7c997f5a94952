"""``contractkit build``: assemble, render and write a bundle per spec, never losing work.

A build plans every output first (cheap: assembly only), renders what changed since the last
build (in worker processes when asked), stages the new files beside the bundle and moves them
into place only when every one succeeded. Files contractkit wrote are listed with their hashes in
``internal/manifest.json``; one that changed since (counsel's edits) is never overwritten
silently, and files contractkit did not write are never touched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contractkit import __version__
from contractkit.assemble import assemble
from contractkit.checklist import make_checklist
from contractkit.checklist_output import to_json, to_markdown, to_tree
from contractkit.coverage import coverage, coverage_markdown
from contractkit.documents import BY_KEY, selected_documents
from contractkit.errors import ContractkitError, Location, Problem, RefusedError
from contractkit.library import Library, load_library
from contractkit.loader import LoadedSpec, load_spec
from contractkit.resources import data_dir
from contractkit.spec import DocumentKey
from contractkit.templates_check import HouseTemplates, resolve_templates
from contractkit.tree import DocumentTree

FORMATS = ("docx", "pdf")
# A page costs about this many times more to lay out as PDF than to write as DOCX.
PDF_COST = 20
INTERNAL = "internal"
MANIFEST = f"{INTERNAL}/manifest.json"
SPEC_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class BuildOptions:
    """What the user asked for on the command line."""

    out: Path = Path("out")
    only: tuple[DocumentKey, ...] | None = None
    formats: tuple[str, ...] = FORMATS
    libraries: tuple[Path, ...] = ()
    templates: Path | None = None
    force: bool = False
    jobs: int = 1


@dataclass
class Output:
    """One file of a bundle: its name, what decides its content, and how to make it."""

    name: str
    key: str
    kind: str
    tree: DocumentTree | None = None
    data: bytes | None = None
    cost: int = 0


@dataclass
class BundlePlan:
    """Everything one spec's bundle will contain, before any rendering."""

    loaded: LoadedSpec
    folder: Path
    trees: list[DocumentTree]
    outputs: list[Output]
    clause_hashes: dict[str, dict[str, str]]
    inputs: str = ""


@dataclass
class BundleResult:
    """What one spec's build did."""

    spec: str
    engagement: str | None
    folder: Path | None
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)
    changed_clauses: dict[str, list[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.problems:
            return "failed"
        return "built" if self.written else "up_to_date"

    def to_json(self) -> dict[str, Any]:
        return {
            "spec": self.spec,
            "engagement": self.engagement,
            "status": self.status,
            "folder": str(self.folder) if self.folder else None,
            "written": [str(p) for p in self.written],
            "unchanged": [str(p) for p in self.unchanged],
            "backups": [str(p) for p in self.backups],
            "changed_clauses": self.changed_clauses,
            "errors": [str(p) for p in self.problems],
        }


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha(path: Path) -> str:
    return _sha(path.read_bytes())


UNPRINTED = {
    "Clause": frozenset({"version", "source", "position", "satisfies"}),
    "DocumentTree": frozenset({"notes"}),
}


def _printed_fields(obj: Any) -> dict[str, Any]:
    hidden = UNPRINTED.get(type(obj).__name__, frozenset())
    return {k: v for k, v in vars(obj).items() if k not in hidden}


def _printed(obj: Any) -> bytes:
    """Everything a tree (or clause) prints, serialised: equal bytes render to equal files.

    Drafting notes and clause metadata (version, source, requirements met) are left out, so a
    change that prints nothing differently renders nothing again.
    """
    return json.dumps(obj, default=_printed_fields, separators=(",", ":")).encode("utf-8")


def _digest(obj: Any) -> str:
    return _sha(_printed(obj))


def _clause_digests(tree: DocumentTree) -> dict[str, str]:
    return {c.id: _digest(c)[:16] for c in tree.clauses()}


def review_notes(trees: list[DocumentTree], loaded: LoadedSpec) -> str:
    """The customer-side notes: drafting notes, versions, alternatives and open points."""
    spec = loaded.spec
    lines = [
        "# Privileged & Confidential",
        "",
        "Attorney work product, prepared for review by counsel. For the customer's side only; "
        "do not send to the vendor.",
        "",
        f"Review notes for **{spec.engagement.title}** (`{spec.engagement.id}`), "
        f"position `{spec.engagement.position.value}`, generated by contractkit {__version__}.",
    ]
    for tree in trees:
        lines += ["", f"## {tree.title} ({tree.stem})", ""]
        points = [(n.clause_id, p) for n in tree.notes for p in n.counsel_points]
        if points:
            lines += ["Open points for counsel:", ""]
            lines += [f"- `{clause}`: [COUNSEL: {point}]" for clause, point in points]
            lines.append("")
        lines += [
            "| clause | version | section | drafting note | alternatives not chosen |",
            "|---|---|---|---|---|",
        ]
        numbers = {c.id: c.number for c in tree.clauses()}
        for note in tree.notes:
            text = (note.note or "").replace("|", "\\|").replace("\n", " ").strip() or "-"
            alternatives = "; ".join(note.alternatives) or "-"
            lines.append(
                f"| `{note.clause_id}` | {note.version} | {numbers.get(note.clause_id, '')} "
                f"| {text} | {alternatives} |"
            )
    return "\n".join(lines) + "\n"


@functools.cache
def code_digest() -> str:
    """A hash of contractkit's own code and renderer resources.

    Part of every output's key, so a changed renderer renders again even when the version
    number stayed the same.
    """
    package = Path(__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if path.suffix in (".py", ".css") and relative.parts[0] not in ("_data", "__pycache__"):
            digest.update(str(relative).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _template_key(templates: HouseTemplates, kind: str) -> str:
    files = [templates.docx] if kind == "docx" else [templates.html, templates.css]
    return "".join(_file_sha(f) for f in files)


def plan_bundle(
    loaded: LoadedSpec,
    options: BuildOptions,
    templates: HouseTemplates,
    library: Library | None = None,
    sources: str = "",
) -> BundlePlan:
    """Assemble one spec and list its outputs with the hashes that decide their content."""
    library = library or load_library(options.libraries)
    sources = sources or sources_digest(options, templates)
    spec = loaded.spec
    if options.only is not None:
        produced = {d.key for d in selected_documents(spec)}
        for key in options.only:
            if key not in produced:
                raise RefusedError(
                    f"{loaded.path}: --only {key.value}: the {BY_KEY[key].title} is not produced "
                    "for this engagement"
                )
    trees = assemble(spec, library, list(options.only) if options.only else None)
    keys = {kind: _template_key(templates, kind) for kind in FORMATS}
    outputs: list[Output] = []

    def add_tree(tree: DocumentTree, name: str, formats: Iterable[str]) -> None:
        printed = _printed(tree)
        digest = _sha(printed)
        for kind in formats:
            key = _sha(f"{code_digest()}|{kind}|{digest}|{keys[kind]}".encode())
            cost = len(printed) * PDF_COST if kind == "pdf" else len(printed)
            outputs.append(Output(f"{name}.{kind}", key, kind, tree=tree, cost=cost))

    def add_text(name: str, text: str) -> None:
        data = text.encode("utf-8")
        outputs.append(Output(name, _sha(data), "data", data=data))

    for tree in trees:
        add_tree(tree, tree.stem, options.formats)
    if options.only is None:
        add_text(f"{INTERNAL}/review-notes.md", review_notes(trees, loaded))
        rows = coverage(spec, library, trees)
        add_text(f"{INTERNAL}/coverage.md", coverage_markdown(rows, spec.engagement.id))
        checklist = make_checklist(loaded, trees, coverage=rows)
        add_text(f"{INTERNAL}/checklist.md", to_markdown(checklist))
        add_text(f"{INTERNAL}/checklist.json", to_json(checklist))
        if "pdf" in options.formats:
            add_tree(to_tree(checklist, spec), f"{INTERNAL}/checklist", ["pdf"])
    folder = options.out / spec.engagement.id
    clause_hashes = {t.key: _clause_digests(t) for t in trees}
    inputs = inputs_key(loaded, options, sources)
    return BundlePlan(loaded, folder, trees, outputs, clause_hashes, inputs)


def sources_digest(options: BuildOptions, templates: HouseTemplates) -> str:
    """A hash of the clause library and house templates a build reads (once per batch)."""
    digest = hashlib.sha256()
    for layer in [*options.libraries, data_dir("clauses")]:
        for path in sorted(layer.rglob("*")) if layer.is_dir() else []:
            if path.is_file():
                digest.update(str(path).encode() + b"\0" + path.read_bytes())
    for path in (templates.docx, templates.html, templates.css):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def inputs_key(loaded: LoadedSpec, options: BuildOptions, sources: str) -> str:
    """A hash of everything a bundle is made from: spec, library, templates, options, code.

    When it matches the last build's and no output changed on disk, there is nothing to do, and
    a no-op rebuild costs only reading the spec and hashing files.
    """
    parts = [
        code_digest(),
        loaded.sha256,
        sources,
        repr(options.only),
        repr(options.formats),
        os.environ.get("SOURCE_DATE_EPOCH", ""),
    ]
    return _sha("|".join(parts).encode())


def _unchanged_since_last_build(folder: Path, key: str) -> bool:
    manifest = _read_manifest(folder)
    if manifest.get("inputs") != key:
        return False
    for name, entry in _recorded_files(manifest).items():
        path = folder / name
        if not path.is_file() or _file_sha(path) != entry.get("sha256"):
            return False
    return True


def _read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _recorded_files(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    files = manifest.get("files", [])
    return {f["path"]: f for f in files if isinstance(f, dict) and "path" in f}


def edited_files(folder: Path, names: Iterable[str]) -> list[str]:
    """Files contractkit would write that changed since it wrote them, or that it never wrote."""
    recorded = _recorded_files(_read_manifest(folder))
    edited = []
    for name in names:
        path = folder / name
        if name == MANIFEST or not path.is_file():
            continue
        entry = recorded.get(name)
        if entry is None or _file_sha(path) != entry.get("sha256"):
            edited.append(name)
    return edited


def reusable(plan: BundlePlan) -> set[str]:
    """Outputs whose file on disk is exactly what this build would render again."""
    recorded = _recorded_files(_read_manifest(plan.folder))
    keep = set()
    for output in plan.outputs:
        entry = recorded.get(output.name)
        path = plan.folder / output.name
        if (
            entry
            and entry.get("input") == output.key
            and path.is_file()
            and _file_sha(path) == entry.get("sha256")
        ):
            keep.add(output.name)
    return keep


def render_output(output: Output, templates: HouseTemplates) -> bytes:
    """The bytes of one output (runs in a worker process when --jobs > 1)."""
    if output.data is not None:
        return output.data
    assert output.tree is not None
    if output.kind == "docx":
        from contractkit.render.docx import render_docx

        return render_docx(output.tree, templates.docx)
    from contractkit.render.html import render_pdf

    return render_pdf(output.tree, templates.html_dir)


def _changed_clauses(plan: BundlePlan, previous: dict[str, Any]) -> dict[str, list[str]]:
    before = {d.get("key"): d.get("clause_hashes", {}) for d in previous.get("documents", [])}
    changes: dict[str, list[str]] = {}
    for key, now in plan.clause_hashes.items():
        if key not in before:
            continue
        old = before[key]
        ids = sorted(
            {cid for cid in now if old.get(cid) != now[cid]}
            | {cid for cid in old if cid not in now}
        )
        if ids:
            changes[key] = ids
    return changes


def _manifest(plan: BundlePlan, files: dict[str, bytes], keys: dict[str, str]) -> dict[str, Any]:
    loaded = plan.loaded
    try:
        spec_path = os.path.relpath(loaded.path.resolve(), plan.folder.resolve())
    except ValueError:
        spec_path = str(loaded.path.resolve())
    return {
        "contractkit": __version__,
        "engagement": loaded.spec.engagement.id,
        "inputs": plan.inputs,
        "spec": {"path": spec_path, "sha256": loaded.sha256},
        "documents": [
            {
                "key": t.key,
                "clauses": [
                    {"id": c.id, "version": c.version, "position": c.position, "source": c.source}
                    for c in t.clauses()
                ],
                "clause_hashes": plan.clause_hashes[t.key],
            }
            for t in plan.trees
        ],
        "files": [
            {"path": name, "sha256": _sha(data), "size": len(data), "input": keys[name]}
            for name, data in sorted(files.items())
        ],
    }


def write_bundle(
    plan: BundlePlan, rendered: dict[str, bytes], options: BuildOptions, result: BundleResult
) -> None:
    """Stage every new file beside the bundle, then move them into place together."""
    folder = plan.folder
    previous = _read_manifest(folder)
    files: dict[str, bytes] = {}
    for output in plan.outputs:
        if output.name in rendered:
            files[output.name] = rendered[output.name]
        else:
            files[output.name] = (folder / output.name).read_bytes()
            result.unchanged.append(folder / output.name)
    keys = {o.name: o.key for o in plan.outputs}
    kept = {
        name: entry
        for name, entry in _recorded_files(previous).items()
        if name not in files
        and (folder / name).is_file()
        and _file_sha(folder / name) == entry.get("sha256")
    }
    record = _manifest(plan, files, keys)
    record["files"] = sorted([*record["files"], *kept.values()], key=lambda f: f["path"])
    manifest = json.dumps(record, indent=2).encode("utf-8") + b"\n"
    if (
        not rendered
        and (folder / MANIFEST).is_file()
        and (folder / MANIFEST).read_bytes() == manifest
    ):
        return
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".contractkit-staging-", dir=folder))
    try:
        for name, data in rendered.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (staging / MANIFEST).parent.mkdir(parents=True, exist_ok=True)
        (staging / MANIFEST).write_bytes(manifest)
        edited = edited_files(folder, rendered)
        if edited:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            backup_dir = folder / INTERNAL / "backups" / stamp
            serial = 1
            while backup_dir.exists():
                serial += 1
                backup_dir = folder / INTERNAL / "backups" / f"{stamp}-{serial}"
            for name in edited:
                target = backup_dir / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(folder / name, target)
                result.backups.append(target)
        for name in [*sorted(rendered), MANIFEST]:
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            (staging / name).replace(target)
            if name in rendered:
                result.written.append(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result.changed_clauses = _changed_clauses(plan, previous)


def spec_files(paths: Sequence[Path]) -> list[Path]:
    """Specs named directly, and every spec file directly inside a named folder."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            entries = sorted(p for p in path.iterdir() if p.suffix in SPEC_SUFFIXES and p.is_file())
            if not entries:
                raise RefusedError(f"{path}: no spec files (*.yaml, *.yml, *.json) in this folder")
            found.extend(entries)
        else:
            found.append(path)
    return found


Progress = Callable[[str, int, int], None]
"""Told (file rendered, how many so far, how many in all) after each rendering."""


def build(
    paths: Sequence[Path], options: BuildOptions, progress: Progress | None = None
) -> list[BundleResult]:
    """Build every spec; one failing spec does not stop the others."""
    specs = spec_files(paths)
    templates = resolve_templates(options.templates)
    results: list[BundleResult] = []
    seen: dict[str, Path] = {}
    loaded_all: list[tuple[Path, LoadedSpec, BundleResult]] = []
    for path in specs:
        result = BundleResult(str(path), None, None)
        results.append(result)
        try:
            one = load_spec(path)
        except ContractkitError as exc:
            result.problems = exc.problems
            continue
        result.engagement = one.spec.engagement.id
        loaded_all.append((path, one, result))
    for path, loaded, _ in loaded_all:
        engagement = loaded.spec.engagement.id
        if engagement in seen:
            raise RefusedError(
                [
                    Problem(
                        loaded.document.locate(("engagement", "id")),
                        f"'{engagement}' is also the id of {seen[engagement]}; each spec in one "
                        "build needs its own id (nothing was written)",
                    )
                ]
            )
        seen[engagement] = path
    sources = sources_digest(options, templates)
    pending: list[tuple[LoadedSpec, BundleResult]] = []
    for _, loaded, result in loaded_all:
        folder = options.out / loaded.spec.engagement.id
        if _unchanged_since_last_build(folder, inputs_key(loaded, options, sources)):
            result.folder = folder
            result.unchanged = [folder / name for name in _recorded_files(_read_manifest(folder))]
        else:
            pending.append((loaded, result))
    if not pending:
        return results
    library: Library | None = None
    with Renderer(templates, options, progress, len(pending)) as renderer:
        for loaded, result in pending:
            renderer.wait_for_room()
            try:
                library = library or load_library(options.libraries)
                plan = plan_bundle(loaded, options, templates, library, sources)
            except ContractkitError as exc:
                result.problems = exc.problems
                renderer.skip()
                continue
            result.folder = plan.folder
            edited = edited_files(plan.folder, [o.name for o in plan.outputs])
            if edited and not options.force:
                names = ", ".join(str(plan.folder / n) for n in edited)
                result.problems = [
                    Problem(
                        Location(names),
                        "changed since contractkit wrote it; nothing was written for this spec. "
                        "Save your edits under another name, or rebuild with --force to back "
                        "them up first",
                    )
                ]
                renderer.skip()
                continue
            renderer.add(plan, result)
    return results


def _render_in_worker(output: Output, templates: HouseTemplates) -> bytes:
    """render_output for a worker process: every failure comes back as a ContractkitError."""
    try:
        return render_output(output, templates)
    except ContractkitError:
        raise
    except Exception as exc:
        raise ContractkitError(
            f"could not render {output.name}: {type(exc).__name__}: {exc}"
        ) from None


def _start_worker(pdf: bool) -> None:
    """Warm a worker up; a failure here is left for the first real render to report."""
    if pdf:
        from contractkit.render.html import warm_up

        with contextlib.suppress(Exception):
            warm_up()


def _ready() -> None:
    """A no-op task: submitting one per worker starts the workers before any plan exists."""


@dataclass
class _Bundle:
    plan: BundlePlan
    result: BundleResult
    rendered: dict[str, bytes] = field(default_factory=dict)
    remaining: int = 0
    failed: bool = False


class Renderer:
    """Renders outputs and writes each bundle as soon as its last output is done.

    With ``--jobs`` above one, worker processes are forked and warmed up (WeasyPrint imported,
    fonts loaded) before the first spec is assembled, so assembly and the import overlap. The
    largest outputs go first, so the slowest document does not start last. At most two bundles
    per worker are in flight, so a long batch holds only a few assembled specs in memory.
    """

    def __init__(
        self,
        templates: HouseTemplates,
        options: BuildOptions,
        progress: Progress | None,
        specs: int,
    ) -> None:
        self.templates = templates
        self.options = options
        self.progress = progress
        self.jobs = max(options.jobs, 1)
        self.pool: ProcessPoolExecutor | None = None
        self.running: dict[Future[bytes], tuple[_Bundle, Output]] = {}
        self.bundles: list[_Bundle] = []
        self.done = 0
        self.total = 0
        self.unplanned = specs
        self.planned = 0

    def __enter__(self) -> Renderer:
        if self.jobs > 1:
            self._start_pool()
        return self

    def _start_pool(self) -> None:
        self.pool = ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=("pdf" in self.options.formats,),
        )
        with contextlib.suppress(BrokenProcessPool):  # reported by the first real render
            for _ in range(self.jobs):
                self.pool.submit(_ready)

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                self._wait(until=0)
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)

    def add(self, plan: BundlePlan, result: BundleResult) -> None:
        """Queue a bundle's outputs that need rendering; write it now if none does."""
        bundle = _Bundle(plan, result)
        keep = reusable(plan)
        work = []
        for output in plan.outputs:
            if output.name in keep:
                continue
            if output.data is not None:
                bundle.rendered[output.name] = output.data
            else:
                work.append(output)
        bundle.remaining = len(work)
        self.total += len(work)
        self.skip()
        self.planned += 1
        if not work:
            self._finish(bundle)
            return
        self.bundles.append(bundle)
        for output in sorted(work, key=lambda o: -o.cost):
            if self.pool is None:
                self._record(
                    bundle, output, functools.partial(render_output, output, self.templates)
                )
            else:
                self.running[self._submit(output)] = (bundle, output)

    def skip(self) -> None:
        """Count off a spec as assembled or given up on; the progress total is estimated from
        the specs still to come."""
        self.unplanned -= 1

    def _submit(self, output: Output) -> Future[bytes]:
        """Send an output to a worker; a pool broken by a crashed worker is replaced first.

        The crash fails the outputs that were in flight with it; specs after it still build.
        """
        for _ in range(2):
            assert self.pool is not None
            try:
                return self.pool.submit(_render_in_worker, output, self.templates)
            except BrokenProcessPool:
                self.pool.shutdown(wait=True, cancel_futures=True)
                self._start_pool()
        failed: Future[bytes] = Future()
        failed.set_exception(BrokenProcessPool("the new rendering processes stopped at once"))
        return failed

    def wait_for_room(self) -> None:
        """Block until fewer than two bundles per worker are in flight."""
        self._wait(until=2 * self.jobs - 1)

    def _wait(self, until: int) -> None:
        while self.running and len(self.bundles) > until:
            finished, _ = wait(self.running, return_when=FIRST_COMPLETED)
            for future in finished:
                bundle, output = self.running.pop(future)
                self._record(bundle, output, future.result)

    def _record(self, bundle: _Bundle, output: Output, get: Callable[[], bytes]) -> None:
        result = bundle.result
        try:
            bundle.rendered[output.name] = get()
        except ContractkitError as exc:
            result.problems += exc.problems
            bundle.failed = True
        except BrokenProcessPool:
            message = (
                f"could not render {output.name}: a rendering process stopped unexpectedly "
                "(killed, or out of memory) while this spec was being rendered"
            )
            result.problems.append(Problem(Location(str(bundle.plan.loaded.path)), message))
            bundle.failed = True
        except Exception as exc:  # a renderer's own failure: report it, keep the batch going
            message = f"could not render {output.name}: {type(exc).__name__}: {exc}"
            result.problems.append(Problem(Location(str(bundle.plan.loaded.path)), message))
            bundle.failed = True
        self.done += 1
        if self.progress:
            expected = self.total + self.unplanned * self.total // max(self.planned, 1)
            self.progress(str(bundle.plan.folder / output.name), self.done, expected)
        bundle.remaining -= 1
        if bundle.remaining == 0:
            self.bundles.remove(bundle)
            self._finish(bundle)

    def _finish(self, bundle: _Bundle) -> None:
        """Write a bundle whose outputs are all rendered, then let its bytes go."""
        if not bundle.failed:
            try:
                write_bundle(bundle.plan, bundle.rendered, self.options, bundle.result)
            except OSError as exc:
                message = f"cannot write: {exc}"
                bundle.result.problems.append(Problem(Location(str(bundle.plan.folder)), message))
        bundle.rendered = {}
        bundle.plan.trees, bundle.plan.outputs = [], []


@dataclass
class Verification:
    """Files of a bundle that no longer match the manifest."""

    folder: Path
    changed: list[str]
    missing: list[str]
    checked: int


def verify(folder: Path) -> Verification:
    """Re-hash every file the manifest lists; raises when there is no manifest."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise RefusedError(f"{folder}: no {MANIFEST}; this is not a folder contractkit built")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        entries = [(f["path"], f["sha256"]) for f in manifest["files"]]
    except (ValueError, KeyError, TypeError):
        raise RefusedError(f"{manifest_path}: not a contractkit manifest") from None
    changed, missing = [], []
    for name, digest in entries:
        path = folder / name
        if not path.is_file():
            missing.append(name)
        elif _file_sha(path) != digest:
            changed.append(name)
    return Verification(folder, changed, missing, len(entries))
