"""The portfolio as JSON and CSV: the same numbers as the HTML report, for other tools."""

from __future__ import annotations

import csv
import io
import json

from contractkit.checklist import LAYERS
from contractkit.checklist.output import neutral_cell
from contractkit.portfolio.model import NEXT_DEADLINES, Portfolio

CSV_COLUMNS = [
    "engagement",
    "title",
    "vendor",
    "country",
    "operating_model",
    "critical_workloads",
    "overall",
    *(f"score_{layer}" for layer in LAYERS),
    "gap",
    "stale",
    "needs_input",
    "drafted",
    "exit_ready",
    "blocking",
    *(f"deadline_{n}" for n in range(1, NEXT_DEADLINES + 1)),
    "spec",
    "evidence",
]


def to_json(portfolio: Portfolio) -> str:
    return json.dumps(portfolio.to_json(), indent=2, ensure_ascii=False) + "\n"


def to_csv(portfolio: Portfolio) -> bytes:
    """One row per engagement; UTF-8 with a byte-order mark, formula-like cells neutralised as
    in the checklist's CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in portfolio.engagements:
        deadlines = [d.text() for d in e.next_deadlines]
        deadlines += [""] * (NEXT_DEADLINES - len(deadlines))
        row: list[object] = [
            e.id,
            e.title,
            e.vendor,
            e.country,
            e.operating_model,
            "; ".join(e.critical_workloads),
            e.overall,
            *(e.scores[layer] for layer in LAYERS),
            e.counts["gap"],
            e.counts["stale"],
            e.counts["needs_input"],
            e.counts["drafted"],
            "yes" if e.exit_ready else "no",
            "; ".join(i.id for i in e.blocking),
            *deadlines,
            e.spec,
            e.evidence or "",
        ]
        writer.writerow([neutral_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
