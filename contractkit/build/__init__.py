"""``contractkit build``: assemble, render and write a bundle per spec, never losing work.

A build plans every output first (cheap: assembly only), renders what changed since the last
build (in worker processes when asked), stages the new files beside the bundle and moves them
into place only when every one succeeded. Files contractkit wrote are listed with their hashes in
``internal/manifest.json``; one that changed since (counsel's edits) is never overwritten
silently, and files contractkit did not write are never touched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from contractkit.build.manifest import (
    MANIFEST,
    Verification,
    edited_files,
    prepare,
    read_manifest,
    recorded_files,
    unchanged_since_last_build,
    verify,
)
from contractkit.build.plan import (
    BuildOptions,
    BundlePlan,
    BundleResult,
    Output,
    code_digest,
    inputs_key,
    plan_bundle,
    sources_digest,
)
from contractkit.build.scheduler import Progress, RenderQueue, render_output
from contractkit.documents import selected_documents
from contractkit.errors import ContractkitError, Location, Problem, RefusedError
from contractkit.evidence import is_evidence_file
from contractkit.library import Library, load_library
from contractkit.loader import LoadedSpec, load_spec
from contractkit.render.house import resolve_templates
from contractkit.render.subsetting import note_subsetter
from contractkit.uptodate import remember

__all__ = [
    "MANIFEST",
    "BuildOptions",
    "BundlePlan",
    "BundleResult",
    "Output",
    "Progress",
    "RenderQueue",
    "Verification",
    "build",
    "code_digest",
    "plan_bundle",
    "render_output",
    "spec_files",
    "verify",
    "verify_bundles",
]

SPEC_SUFFIXES = (".yaml", ".yml", ".json")


def spec_files(paths: Sequence[Path]) -> list[Path]:
    """Specs named directly, and every spec file directly inside a named folder (evidence
    files beside them, ``*.evidence.yaml``, are not specs)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            entries = sorted(
                p
                for p in path.iterdir()
                if p.suffix in SPEC_SUFFIXES and p.is_file() and not is_evidence_file(p)
            )
            if not entries:
                raise RefusedError(f"{path}: no spec files (*.yaml, *.yml, *.json) in this folder")
            found.extend(entries)
        else:
            found.append(path)
    return found


def _load_all(
    specs: list[Path],
) -> tuple[list[BundleResult], list[tuple[LoadedSpec, BundleResult]]]:
    """One result per spec, and the specs that loaded; two specs with one id refuse the batch."""
    results: list[BundleResult] = []
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
        result.warnings = one.warnings
        loaded_all.append((path, one, result))
    seen: dict[str, Path] = {}
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
    return results, [(loaded, result) for _, loaded, result in loaded_all]


def build(
    paths: Sequence[Path],
    options: BuildOptions,
    progress: Progress | None = None,
    render_queue: type[RenderQueue] = RenderQueue,
    libraries: Callable[[tuple[Path, ...]], Library] = load_library,
) -> list[BundleResult]:
    """Build every spec; one failing spec does not stop the others.

    ``render_queue`` renders the outputs and ``libraries`` loads the clause library: a watch
    passes a queue whose workers outlive the build, and a library kept while it is unchanged.
    """
    specs = spec_files(paths)
    if options.evidence is not None and len(specs) > 1:
        raise RefusedError(
            f"--evidence {options.evidence} names the evidence of one spec, and {len(specs)} "
            "specs were given; put each spec's evidence beside it as <stem>.evidence.yaml"
        )
    templates = resolve_templates(options.templates)
    results, loaded_all = _load_all(specs)
    sources = sources_digest(options, templates)
    pending: list[tuple[LoadedSpec, BundleResult]] = []
    for loaded, result in loaded_all:
        folder = options.out / loaded.spec.engagement.id
        if options.only is not None:
            result.skipped = [
                d.key.value for d in selected_documents(loaded.spec) if d.key not in options.only
            ]
        if options.strict and result.warnings:
            result.problems = [*result.warnings, _strict_refusal(loaded, len(result.warnings))]
            continue
        try:
            result.backups = prepare(folder, options.force)
            key = inputs_key(loaded, options, sources)
            unchanged = unchanged_since_last_build(folder, key)
        except ContractkitError as exc:
            result.folder, result.problems = folder, exc.problems
            continue
        if unchanged:
            result.folder = folder
            result.unchanged = [folder / name for name in recorded_files(read_manifest(folder))]
            remember(key, loaded.path, loaded.warnings)
        else:
            pending.append((loaded, result))
    if not pending:
        return results
    if "pdf" in options.formats:
        note_subsetter()  # before the workers start, so that they stay quiet
    library: Library | None = None
    with render_queue(templates, options, progress, len(pending)) as queue:
        for loaded, result in pending:
            queue.wait_for_room()
            try:
                library = library or libraries(options.libraries)
                plan = plan_bundle(loaded, options, templates, library, sources)
            except ContractkitError as exc:
                result.problems = exc.problems
                queue.skip()
                continue
            result.folder = plan.folder
            edited = edited_files(plan.folder, [o.name for o in plan.outputs])
            if edited and not options.force:
                result.problems = _in_the_way(plan.folder, edited)
                queue.skip()
                continue
            queue.add(plan, result)
    for loaded, result in pending:
        if not result.problems:
            remember(inputs_key(loaded, options, sources), loaded.path, loaded.warnings)
    return results


def _strict_refusal(loaded: LoadedSpec, count: int) -> Problem:
    return Problem(
        Location(str(loaded.path)),
        f"invalid under --strict ({count} warning{'s' * (count != 1)}); nothing was written "
        "for this spec",
    )


def _in_the_way(folder: Path, names: list[str]) -> list[Problem]:
    """Why files stop a build: edited since contractkit wrote them, or never written by it."""
    recorded = recorded_files(read_manifest(folder))
    edited = [n for n in names if n in recorded]
    foreign = [n for n in names if n not in recorded]
    problems = []
    if edited:
        problems.append(
            Problem(
                Location(", ".join(str(folder / n) for n in edited)),
                "changed since contractkit wrote it; nothing was written for this spec. "
                "Save your edits under another name, or rebuild with --force to back them up "
                "first",
            )
        )
    if foreign:
        problems.append(
            Problem(
                Location(", ".join(str(folder / n) for n in foreign)),
                "a file contractkit did not write is in the way; nothing was written for this "
                "spec. Move it elsewhere, or rebuild with --force to back it up first",
            )
        )
    return problems


def verify_bundles(folder: Path) -> list[Verification]:
    """Verify a bundle, or each bundle directly inside a folder (``OUT`` of a batch build)."""
    if (folder / MANIFEST).is_file() or not folder.is_dir():
        return [verify(folder)]
    inside = sorted(
        p
        for p in folder.iterdir()
        if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")
        if (p / MANIFEST).is_file()
    )
    if not inside:
        raise RefusedError.at(
            folder,
            f"no {MANIFEST} in it or in any folder directly inside it; this is not a bundle "
            "contractkit built, nor a folder of bundles",
        )
    return [verify(bundle) for bundle in inside]
