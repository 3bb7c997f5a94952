"""Benchmarks: medians of several runs on this machine, with ratios against a baseline.

Run from the repository root after installing contractkit as a user would (``pip install .``,
which compiles the modules; an editable install under PYTHONDONTWRITEBYTECODE recompiles
every module on every run and times that instead):

    python benchmarks/bench.py [--runs 5]

It times, each in a fresh process as a user would meet it: the full bundle for
examples/reference.yaml into an empty folder; a no-op rebuild; a rebuild after
security.breach_notice_days changes, with its redlines and without (``--no-redline``);
``contractkit redline`` between the bundle before and after that change; a batch of 50
generated specs with --jobs 2 (with peak memory summed over all processes); one spec with 10,
100 and 500 workloads (``--workloads``; the time per workload should stay flat as the count
grows); and, as the baseline, one warm LibreOffice call converting the bundle's six DOCX files
to PDF.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

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
    """One full build per workload count: time and peak memory, and the time per workload
    against the smallest count's (near 1.0x when the build grows linearly)."""
    rows = []
    first: float | None = None
    for count in counts:
        spec = work / f"workloads-{count}.json"
        workload_spec(spec, count)
        out = work / f"workloads-{count}-out"
        seconds, rss, pss = run_with_peak_memory(
            [*CONTRACTKIT, "build", str(spec), "-o", str(out), "-q", "--jobs", "2"]
        )
        per = seconds / count
        first = first or per
        rows.append(
            (
                f"spec with {count} workloads, full bundle, --jobs 2",
                f"{seconds:.2f} s",
                f"{1000 * per:.0f} ms per workload ({per / first:.1f}x the smallest); peak "
                f"memory {pss / 1024:.0f} MB PSS ({rss / 1024:.0f} MB RSS)",
            )
        )
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

    full = median_of(args.runs, lambda: shutil.rmtree(out, ignore_errors=True), lambda: run(build))
    noop = median_of(args.runs, lambda: None, lambda: run(build))

    state = {"days": 10}

    def change_field() -> None:
        state["days"] = 11 if state["days"] == 10 else 10
        text = spec.read_text(encoding="utf-8")
        lines = [
            f"  breach_notice_days: {state['days']}"
            if line.startswith("  breach_notice_days:")
            else line
            for line in text.splitlines()
        ]
        spec.write_text("\n".join(lines) + "\n", encoding="utf-8")

    one_field = median_of(args.runs, change_field, lambda: run(build))
    no_redline = median_of(args.runs, change_field, lambda: run([*build, "--no-redline"]))

    # A redline of the same one-field change between two bundles: the bundle as sent, and today's.
    bundle = out / "acme-nimbus-2027"
    sent = work / "sent" / bundle.name
    shutil.copytree(bundle, sent)
    change_field()
    run(build)
    compare = [*CONTRACTKIT, "redline", str(sent), str(bundle), "-o", str(work / "redline")]
    redline = median_of(args.runs, lambda: None, lambda: run(compare, codes=(3,)))

    batch_dir = work / "batch"
    batch_dir.mkdir()
    batch_specs(batch_dir, args.batch)
    batch_out = work / "batch-out"
    batch_time, batch_rss, batch_pss = run_with_peak_memory(
        [*CONTRACTKIT, "build", str(batch_dir), "-o", str(batch_out), "-q", "--jobs", "2"]
    )

    counts = [int(n) for n in args.workloads.split(",") if n.strip()]
    scaling = workload_scaling(work, counts)

    office = shutil.which("soffice")
    baseline = None
    if office:
        profile = work / "lo-profile"
        docx = sorted(str(p) for p in (out / "acme-nimbus-2027").glob("*.docx"))
        convert = [
            office, f"-env:UserInstallation=file://{profile}", "--headless",
            "--convert-to", "pdf", "--outdir", str(work / "lo"), *docx,
        ]  # fmt: skip
        run(convert)  # warm: the profile is created on the first call
        baseline = median_of(args.runs, lambda: None, lambda: run(convert))

    rows = [
        ("full bundle, reference (6 documents, DOCX+PDF, checklist)", f"{full:.2f} s",
         f"{full / baseline:.2f} x LibreOffice" if baseline else "-"),
        ("no-op rebuild", f"{noop:.2f} s", "target <= 0.5 s"),
        ("rebuild after breach_notice_days changes", f"{one_field:.2f} s",
         f"{100 * one_field / full:.0f}% of full build"),
        ("the same rebuild with --no-redline", f"{no_redline:.2f} s",
         f"its three redlines add {100 * (one_field - no_redline) / full:.0f}% of a full build"),
        ("redline OLD NEW of that change (3 documents, DOCX+PDF)", f"{redline:.2f} s",
         f"{100 * redline / full:.0f}% of full build"),
        (f"batch of {args.batch} specs, --jobs 2", f"{batch_time:.2f} s",
         f"peak memory, all processes: {batch_pss / 1024:.0f} MB PSS "
         f"({batch_rss / 1024:.0f} MB RSS, shared pages counted once per process)"),
        *scaling,
        ("LibreOffice: warm convert of the six DOCX", f"{baseline:.2f} s" if baseline else "n/a",
         "baseline"),
    ]  # fmt: skip
    print(f"median of {args.runs} runs on {os.cpu_count()} CPUs")
    if bytecode_missing():
        print("note: contractkit's modules have no compiled bytecode; imports are timed too")
    print("| measurement | time | ratio / note |")
    print("|---|---|---|")
    for name, value, note in rows:
        print(f"| {name} | {value} | {note} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
