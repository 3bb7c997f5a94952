"""Benchmarks: medians of several runs on this machine, with ratios against a baseline.

Run from the repository root after installing contractkit as a user would (``pip install .``,
which compiles the modules; an editable install under PYTHONDONTWRITEBYTECODE recompiles
every module on every run and times that instead):

    python benchmarks/bench.py [--runs 5]

It times, each in a fresh process as a user would meet it, in interleaved rounds (one of each
per round, so that the machine's slow spells weigh on all alike): ``contractkit --version``, a
no-op rebuild, the full bundle for examples/reference.yaml into an empty folder, and one warm
LibreOffice call converting the bundle's six DOCX files to PDF (the baseline). Then, in one
process each (probes.py, CPU time): laying out the six documents' PDFs with the house
stylesheet, with a minimal one over the same markup and as plain paragraphs; drawing them,
with the font subsetter WeasyPrint used; and where a serial cold build's CPU time goes. Then
``build --watch`` after a one-field save, split into rendering and the rest; a rebuild after
security.breach_notice_days changes, with its redlines and without (``--no-redline``);
``contractkit redline`` between the bundle before and after that change; a batch of 50
generated specs with --jobs 2 (with peak memory summed over all processes); and one spec with
10, 100 and 500 workloads (``--workloads``; the time per workload should stay flat as the
count grows). Each target is printed beside its ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "examples" / "reference.yaml"
CONTRACTKIT = [sys.executable, "-m", "contractkit"]


def run(args: list[str], cwd: Path | None = None, codes: tuple[int, ...] = (0,)) -> None:
    done = subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode not in codes:
        raise SystemExit(done.stderr.decode())


def timed(action: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_of(runs: int, setup: Callable[[], None], action: Callable[[], None]) -> float:
    samples = []
    for _ in range(runs):
        setup()
        samples.append(timed(action))
    return statistics.median(samples)


def interleaved(
    runs: int, actions: dict[str, tuple[Callable[[], None], Callable[[], None]]]
) -> dict[str, float]:
    """Medians of runs taken in turn (one of each per round), so that a slow spell of the
    machine weighs on every measurement alike and their ratios hold."""
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, (setup, action) in actions.items():
            setup()
            samples[name].append(timed(action))
    return {name: statistics.median(values) for name, values in samples.items()}


def probe(*args: str) -> dict[str, Any]:
    """One of probes.py's in-process measurements, in a fresh process."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("probes.py")), *args],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def toggle_breach_notice(spec: Path) -> None:
    """Flip security.breach_notice_days between 10 and 11, saved as an editor saves."""
    lines = spec.read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines):
        if line.startswith("  breach_notice_days:"):
            days = 11 if line.split(":")[1].split()[0] == "10" else 10
            lines[n] = f"  breach_notice_days: {days}"
    temporary = spec.with_name(f".{spec.name}.tmp")
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    temporary.replace(spec)


PAUSE_BETWEEN_SAVES = 0.5


def watch_latency(work: Path, runs: int) -> tuple[float, float]:
    """``build --watch --jobs 1`` on the reference spec, after each one-field change: the
    median time from the save to the rebuilt bundle, and the median time spent rendering.

    Each save comes a moment after the last rebuild, as a person's would: the watch tidies up
    between rebuilds, and a save made in the same millisecond would time that too."""
    folder = work / "watch"
    folder.mkdir()
    spec = folder / "reference.yaml"
    shutil.copy(REFERENCE, spec)
    args = [*CONTRACTKIT, "build", str(spec), "-o", str(folder / "out"), "--watch", "--jobs", "1"]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None

    def until(prefix: str) -> str:
        for line in process.stderr:  # type: ignore[union-attr]
            if line.startswith(prefix):
                return line
        raise SystemExit(f"build --watch ended before printing {prefix!r}")

    until("watch: waiting for changes")
    latency, rendering = [], []
    for _ in range(runs):
        time.sleep(PAUSE_BETWEEN_SAVES)
        start = time.perf_counter()
        toggle_breach_notice(spec)
        line = until("watch: rebuilt in ")
        latency.append(time.perf_counter() - start)
        rendering.append(float(line.split("rendering ")[1].split()[0]))
    process.send_signal(signal.SIGINT)
    process.wait(timeout=60)
    return statistics.median(latency), statistics.median(rendering)


def tree_memory_kib(root_pid: int) -> tuple[int, int]:
    """Resident memory (RSS, and PSS, which splits shared pages among their sharers) of a
    process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        pid = int(entry.name)
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        children.setdefault(int(fields.get("PPid", "0").strip()), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total_rss = total_pss = 0
    stack = [root_pid]
    while stack:
        pid = stack.pop()
        total_rss += rss.get(pid, 0)
        total_pss += pss_kib(pid)
        stack.extend(children.get(pid, []))
    return total_rss, total_pss


def pss_kib(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in rollup.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def run_with_peak_memory(args: list[str]) -> tuple[float, int, int]:
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_rss = peak_pss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_rss, peak_pss
        while not done.is_set():
            rss, pss = tree_memory_kib(process.pid)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = process.communicate()
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(err.decode())
    return time.perf_counter() - start, peak_rss, peak_pss


def batch_specs(folder: Path, count: int) -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    for n in range(count):
        spec = text.replace("id: acme-nimbus-2027", f"id: acme-batch-{n:03d}").replace(
            "volume_per_month: 40000", f"volume_per_month: {40000 + n}"
        )
        (folder / f"spec-{n:03d}.yaml").write_text(spec, encoding="utf-8")


def workload_spec(path: Path, count: int) -> None:
    """The reference spec with ``count`` workloads (copies of its two, each named apart), and a
    baseline team large enough for the FTE-priced ones."""
    import json

    from contractkit.yamlread import parse

    data = json.loads(json.dumps(parse(REFERENCE.read_text("utf-8"), str(REFERENCE)).data))
    base = data["workloads"]
    workloads = []
    for n in range(count):
        workload = json.loads(json.dumps(base[n % len(base)]))
        workload["id"] = f"{workload['id']}-{n}"
        workload["name"] = f"{workload['name']} {n}"
        workloads.append(workload)
    data["workloads"] = workloads
    fte = sum(w["pricing"].get("fte", 0) for w in workloads)
    data["staffing"]["baseline_fte"] = max(data["staffing"]["baseline_fte"], fte)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def workload_scaling(work: Path, counts: list[int]) -> list[tuple[str, str, str]]:
    """One full build per workload count, with time and peak memory, and what each workload
    added since the previous count (the same for every row when the build grows linearly)."""
    rows = []
    previous: tuple[int, float, int] | None = None
    for count in counts:
        spec = work / f"workloads-{count}.json"
        workload_spec(spec, count)
        out = work / f"workloads-{count}-out"
        seconds, rss, pss = run_with_peak_memory(
            [*CONTRACTKIT, "build", str(spec), "-o", str(out), "-q", "--jobs", "2"]
        )
        note = f"peak memory {pss / 1024:.0f} MB PSS ({rss / 1024:.0f} MB RSS)"
        if previous is not None and count > previous[0]:
            added = count - previous[0]
            note += (
                f"; each workload added {1000 * (seconds - previous[1]) / added:.0f} ms and "
                f"{(pss - previous[2]) / 1024 / added:.1f} MB"
            )
        rows.append(
            (f"spec with {count} workloads, full bundle, --jobs 2", f"{seconds:.2f} s", note)
        )
        previous = (count, seconds, pss)
    return rows


def bytecode_missing() -> bool:
    """Whether the installed contractkit would be compiled from source on every run."""
    import importlib.util

    import contractkit.build

    source = contractkit.build.__file__
    return not Path(importlib.util.cache_from_source(source)).is_file()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument(
        "--workloads",
        default="10,100,500",
        help="Comma-separated workload counts for the scaling rows (empty: none).",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="contractkit-bench-"))
    # Away from the checkout, so ``python -m contractkit`` runs the installed package.
    os.chdir(work)
    out = work / "out"
    spec = work / "reference.yaml"
    shutil.copy(REFERENCE, spec)
    build = [*CONTRACTKIT, "build", str(spec), "-o", str(out), "-q"]
    os.environ["CONTRACTKIT_CACHE_DIR"] = str(work / "cache")  # warmed by the first build
    run(build)

    office = shutil.which("soffice")
    profile = work / "lo-profile"
    docx = sorted(str(p) for p in (out / "acme-nimbus-2027").glob("*.docx"))
    convert = [
        str(office), f"-env:UserInstallation=file://{profile}", "--headless",
        "--convert-to", "pdf", "--outdir", str(work / "lo"), *docx,
    ]  # fmt: skip
    if office:
        run(convert)  # warm: the profile is created on the first call
    nothing: Callable[[], None] = lambda: None  # noqa: E731

    # A redline of a one-field change between two bundles (the bundle as sent, and today's),
    # timed in the same rounds as the full build it is compared with.
    changed = work / "changed" / spec.name
    changed.parent.mkdir()
    shutil.copy(spec, changed)
    toggle_breach_notice(changed)
    run([*CONTRACTKIT, "build", str(changed), "-o", str(work / "changed-out"), "-q"])
    sent, today = out / "acme-nimbus-2027", work / "changed-out" / "acme-nimbus-2027"
    compare = [*CONTRACTKIT, "redline", str(sent), str(today), "-o", str(work / "redline")]
    kept = work / "sent-kept"
    shutil.copytree(sent, kept)

    def restore_sent() -> None:
        if not sent.is_dir():
            shutil.copytree(kept, sent)

    core = interleaved(
        args.runs,
        {
            "version": (nothing, lambda: run([*CONTRACTKIT, "--version"])),
            "noop": (nothing, lambda: run(build)),
            "full": (lambda: shutil.rmtree(out, ignore_errors=True), lambda: run(build)),
            **({"office": (nothing, lambda: run(convert))} if office else {}),
            "redline": (restore_sent, lambda: run(compare, codes=(3,))),
            "redline_docx": (restore_sent, lambda: run([*compare, "--format", "docx"], codes=(3,))),
        },
    )
    full, noop, version = core["full"], core["noop"], core["version"]
    baseline = core.get("office")
    layout = probe("layout", str(args.runs))
    cpu = probe("breakdown")
    watch_total, watch_rendering = watch_latency(work, args.runs)

    def change_field() -> None:
        toggle_breach_notice(spec)

    one_field = median_of(args.runs, change_field, lambda: run(build))
    no_redline = median_of(args.runs, change_field, lambda: run([*build, "--no-redline"]))

    redline, redline_docx = core["redline"], core["redline_docx"]

    batch_dir = work / "batch"
    batch_dir.mkdir()
    batch_specs(batch_dir, args.batch)
    batch_out = work / "batch-out"
    batch_time, batch_rss, batch_pss = run_with_peak_memory(
        [*CONTRACTKIT, "build", str(batch_dir), "-o", str(batch_out), "-q", "--jobs", "2"]
    )

    counts = [int(n) for n in args.workloads.split(",") if n.strip()]
    scaling = workload_scaling(work, counts)

    def met(ratio: float, target: float) -> str:
        return f"<= {target} x: {'met' if ratio <= target else 'not met'}"

    laid = layout["layout"]
    house_vs_minimal = laid["house"] / laid["minimal"]
    watch_overhead = watch_total - watch_rendering
    rows: list[tuple[str, str, str, str]] = [
        ("full bundle, reference (6 documents, DOCX+PDF, checklist)", f"{full:.2f} s",
         f"{full / baseline:.2f} x LibreOffice" if baseline else "-",
         met(full / baseline, 1.3) if baseline else ""),
        ("no-op rebuild", f"{noop:.2f} s", f"{noop / version:.2f} x contractkit --version",
         met(noop / version, 2)),
        ("contractkit --version", f"{version:.2f} s", "", ""),
        ("PDF layout of the six documents, house stylesheet (CPU)", f"{laid['house']:.2f} s",
         f"{house_vs_minimal:.2f} x the same markup under a minimal stylesheet "
         f"({laid['minimal']:.2f} s); {laid['house'] / laid['plain']:.2f} x the same text as "
         f"plain paragraphs ({laid['plain']:.2f} s)",
         met(house_vs_minimal, 1.3)),
        ("PDF drawing of the six documents (CPU)", f"{layout['drawing']:.2f} s",
         f"fonts subset by {layout['subsetter']}", "harfbuzz"),
        ("build --watch: one field saved until the bundle is rebuilt", f"{watch_total:.2f} s",
         f"{watch_rendering:.2f} s of it rendering the changed outputs, "
         f"{watch_overhead:.2f} s the rest",
         f"rest <= 0.3 s: {'met' if watch_overhead <= 0.3 else 'not met'}"),
        ("rebuild after breach_notice_days changes", f"{one_field:.2f} s",
         f"{100 * one_field / full:.0f}% of full build", ""),
        ("the same rebuild with --no-redline", f"{no_redline:.2f} s",
         f"its three redlines add {100 * (one_field - no_redline) / full:.0f}% of a full "
         "build", ""),
        ("redline OLD NEW of that change, DOCX only (3 documents)", f"{redline_docx:.2f} s",
         f"{redline_docx / full:.2f} x full build", met(redline_docx / full, 0.2)),
        ("redline OLD NEW of that change, DOCX+PDF (3 documents)", f"{redline:.2f} s",
         f"{redline / full:.2f} x full build", met(redline / full, 0.2)),
        (f"batch of {args.batch} specs, --jobs 2", f"{batch_time:.2f} s",
         f"peak memory, all processes: {batch_pss / 1024:.0f} MB PSS "
         f"({batch_rss / 1024:.0f} MB RSS, shared pages counted once per process)", ""),
        *[(*row, "") for row in scaling],
        ("LibreOffice: warm convert of the six DOCX", f"{baseline:.2f} s" if baseline else "n/a",
         "baseline", ""),
    ]  # fmt: skip
    print(f"median of {args.runs} runs on {os.cpu_count()} CPUs")
    if bytecode_missing():
        print("note: contractkit's modules have no compiled bytecode; imports are timed too")
    print("| measurement | time | ratio / note | target |")
    print("|---|---|---|---|")
    for name, value, note, target in rows:
        print(f"| {name} | {value} | {note} | {target} |")
    total = sum(cpu.values())
    print(f"\nwhere a cold build's CPU time goes (serial, one process, {total:.2f} CPU-s in all):")
    print("| step | CPU | share |")
    print("|---|---|---|")
    for step, seconds in cpu.items():
        print(f"| {step} | {seconds:.2f} s | {100 * seconds / total:.0f}% |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
