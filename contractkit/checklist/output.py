"""The checklist as Markdown, JSON, CSV, and as a document tree for the PDF and DOCX renderers."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from contractkit.checklist import LAYERS, STATUSES, Checklist, Item, RunbookEvent
from contractkit.facts import document_metadata
from contractkit.spec import Spec
from contractkit.tree import (
    Article,
    Clause,
    DocumentTree,
    Paragraph,
    Run,
    Table,
    anchor_for,
)

CHECKLIST_TITLE = "Exit-Readiness and SOP-Transferability Checklist"
CSV_COLUMNS = [f.name for f in fields(Item)]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
STATUS_WORDS = {
    "ready": "Ready",
    "drafted": "Drafted",
    "stale": "Stale",
    "gap": "Gap",
    "needs_input": "Needs input",
    "not_applicable": "Not applicable",
}
VERDICT_WORDS = {
    "fits": "Fits: outsourcing makes sense",
    "partly": "Partly: outsource some workloads, keep others in house",
    "does_not_fit": "Does not fit: keep the work in house",
    "undetermined": "Undetermined: answer the open questions",
}
NOTICE = (
    "Draft for review by procurement and counsel. Derived from the engagement spec by contractkit; "
    "verify each item against the signed agreements."
)


def to_json(checklist: Checklist) -> str:
    """Stable JSON (sorted layers, items in checklist order)."""
    return json.dumps(checklist.to_json(), indent=2, ensure_ascii=False) + "\n"


def neutral_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(checklist: Checklist) -> bytes:
    """UTF-8 with a byte-order mark, fixed columns, formula-like cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in checklist.items:
        row = asdict(item)
        writer.writerow([neutral_cell(row[c]) for c in CSV_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


FIT_LISTS = (
    ("For", "for"),
    ("Against", "against"),
    ("No reason either way", "neutral"),
    ("Unanswered", "unanswered"),
)


def _md(text: object) -> str:
    return str(text if text is not None else "-").replace("|", "\\|").replace("\n", " ")


def record_text(item: Item) -> str:
    """What the evidence file shows for an item, in words; empty when it shows nothing."""
    parts: list[str] = []
    if item.evidence_status is not None:
        recorded = f"{item.evidence_status.replace('_', ' ')} {item.evidence_date}"
        details = "; ".join(x for x in (item.evidence_reference, item.evidence_by) if x)
        parts.append(recorded + (f" ({details})" if details else ""))
    if item.stale_since is not None:
        parts.append(f"stale since {item.stale_since}")
    elif item.evidence_due is not None and item.status != "not_applicable":
        parts.append(
            f"good until {item.evidence_due}"
            if item.status == "ready"
            else f"due {item.evidence_due}"
        )
    return "; ".join(parts)


def as_of_line(checklist: Checklist) -> str:
    """Whether the statuses weigh an evidence record, and as of when."""
    if checklist.as_of is None:
        return (
            "Derived from the spec alone: each status says what the drafts provide. "
            "With an evidence file, statuses also say what has happened."
        )
    return (
        f"Judged on the evidence file as of {checklist.as_of}: an agreement not recorded as "
        "signed is drafted, proof older than its freshness rule is stale."
    )


def to_markdown(checklist: Checklist) -> str:
    """A document procurement can read on its own."""
    summary = checklist.summary()
    lines = [
        f"# Exit-readiness checklist: {checklist.title}",
        "",
        f"_{NOTICE}_",
        "",
        f"Engagement `{checklist.engagement}`, spec sha256 `{checklist.spec_sha256[:12]}`. "
        f"Overall score: **{summary['overall']} / 100**.",
        "",
        as_of_line(checklist),
        "",
        "## Summary by layer",
        "",
        "| layer | score | ready | drafted | stale | gap | needs input | not applicable |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for layer in LAYERS:
        c = summary["layers"][layer]
        lines.append(
            f"| {layer} | {c['score']} | {c['ready']} | {c['drafted']} | {c['stale']} "
            f"| {c['gap']} | {c['needs_input']} | {c['not_applicable']} |"
        )
    fit = checklist.fit
    lines += ["", "## Outsourcing fit", "", f"**{VERDICT_WORDS[fit['verdict']]}**", ""]
    if fit["keep_in_house"]:
        lines += [f"Better kept in house: {', '.join(fit['keep_in_house'])}.", ""]
    for label, key in FIT_LISTS:
        if fit[key]:
            lines += [f"{label}:", ""] + [f"- {_md(r)}" for r in fit[key]] + [""]
    lines += ["## Workloads", "", "| workload | rating |", "|---|---|"]
    lines += [f"| {w} | {r['rating']} |" for w, r in checklist.workloads.items()]
    notice = checklist.exit_notice
    lines += [
        "",
        "## Exit runbook",
        "",
        f"Exit notice: {notice}."
        if notice
        else "Relative to the exit notice (pass --exit-notice DATE for dates).",
        "",
        "| event | when | date |",
        "|---|---|---|",
    ]
    for event in checklist.runbook:
        lines.append(f"| {event.event} | {_when(event)} | {event.date or '-'} |")
    lines += ["", "## Items"]
    recorded = checklist.as_of is not None
    for layer in LAYERS:
        lines += [
            "",
            f"### {layer.capitalize()}",
            "",
            "| status | item | workload | what the drafts say | "
            + ("what the record shows | " if recorded else "")
            + "reference | action | owner |",
            "|---|---|---|---|" + ("---|" if recorded else "") + "---|---|---|",
        ]
        for item in checklist.items:
            if item.layer == layer:
                record = f"{_md(record_text(item) or None)} | " if recorded else ""
                lines.append(
                    f"| {STATUS_WORDS[item.status]} | {_md(item.title)} (`{item.id}`) | "
                    f"{_md(item.workload)} | {_md(item.evidence)} | {record}"
                    f"{_md(item.reference)} | {_md(item.action or None)} | {item.owner} |"
                )
    return "\n".join(lines) + "\n"


def _when(event: RunbookEvent) -> str:
    """When an event falls, in plain words: "exit notice + 90 days", "every 12 months after
    the first plan"."""
    names = {
        "effective_date": "effective date",
        "exit_notice": "exit notice",
        "receipt_date": "Receipt Date (receipt confirmed or deemed confirmed)",
        "transition_end": "end of the transition period",
        "exit_plan_due": "the first plan",
        "term_end": "the initial term",
    }
    anchor = names.get(event.anchor, event.anchor)
    if event.every_months is not None:
        return f"every {event.every_months} months after {anchor}"
    months, days = event.offset_months, event.offset_days
    if months is not None:
        offset = f"{months} month{'s' * (months != 1)}"
    else:
        offset = f"{days} day{'s' * (days != 1)}"
    return f"{anchor} + {offset}"


def _status_run(status: str) -> Run:
    return Run(STATUS_WORDS[status], "status", bold=True, tone=status)


# Share of an items table the Action column keeps when any row has an action.
ACTION_SHARE = 0.25


@dataclass
class ItemsTable(Table):
    """A layer's items: Status, Item, Evidence, Action.

    Evidence runs long, so by its text alone the Action column would be squeezed to a word a
    line; it keeps ``ACTION_SHARE`` of the width, taken from the Item and Evidence columns.
    """

    def column_widths(self, total: int, width_em: float = 43.2) -> list[int]:
        widths = super().column_widths(total, width_em)
        acted = any(plain_cell(row[3]) != "-" for row in self.rows[1:])
        floor = int(total * ACTION_SHARE)
        if not acted or widths[3] >= floor:
            return widths
        need = floor - widths[3]
        first = need * widths[1] // (widths[1] + widths[2])
        return [widths[0], widths[1] - first, widths[2] - (need - first), floor]


def plain_cell(cell: list[Run]) -> str:
    return "".join(run.text for run in cell)


def plain(value: object) -> str:
    """Text for a printed cell: Markdown's code and emphasis marks are not printed literally."""
    return "-" if value in (None, "") else str(value).replace("`", "").replace("*", "")


def to_tree(checklist: Checklist, spec: Spec) -> DocumentTree:
    """The checklist as a document tree, so the agreement renderers print it."""
    summary = checklist.summary()

    def text(value: object) -> list[Run]:
        return [Run(plain(value))]

    def clause(number: str, title: str, blocks: list[Paragraph | Table]) -> Clause:
        return Clause(
            id=f"checklist.{number}",
            number=number,
            title=title,
            anchor=anchor_for(f"checklist:{number}"),
            blocks=list(blocks),
            version="",
            source="",
            position="any",
        )

    shown = [s for s in STATUSES if s not in ("drafted", "stale") or checklist.as_of]
    layer_rows = [
        [text("Layer"), text("Score")]
        + [text("N/A" if s == "not_applicable" else STATUS_WORDS[s]) for s in shown]
    ]
    for layer in LAYERS:
        c = summary["layers"][layer]
        layer_rows.append(
            [text(layer.capitalize()), text(c["score"])] + [text(c[s]) for s in shown]
        )
    fit = checklist.fit
    fit_blocks: list[Paragraph | Table] = [
        Paragraph([Run(VERDICT_WORDS[fit["verdict"]], bold=True)])
    ]
    if fit["keep_in_house"]:
        fit_blocks.append(
            Paragraph(text(f"Better kept in house: {', '.join(fit['keep_in_house'])}."))
        )
    for label, key in FIT_LISTS:
        for reason in fit[key]:
            fit_blocks.append(Paragraph([Run(f"{label}: ", bold=True), Run(plain(reason))]))
    workload_rows = [[text("Workload"), text("Rating")]] + [
        [text(w), text(r["rating"].replace("_", " "))] for w, r in checklist.workloads.items()
    ]
    runbook_rows = [[text("Event"), text("When"), text("Date")]] + [
        [text(e.event), text(_when(e)), text(e.date)] for e in checklist.runbook
    ]
    overview = Article("1", "Overview", anchor_for("checklist:overview"))
    overview.clauses = [
        clause(
            "1.1",
            f"Scores (overall {summary['overall']} / 100)",
            [Paragraph(text(as_of_line(checklist))), Table(layer_rows)],
        ),
        clause("1.2", "Outsourcing fit", fit_blocks),
        clause("1.3", "Workloads", [Table(workload_rows)]),
        clause("1.4", "Exit runbook", [Table(runbook_rows)]),
    ]
    items = Article("2", "Items by layer", anchor_for("checklist:items"))
    for n, layer in enumerate(LAYERS, start=1):
        rows = [[text("Status"), text("Item"), text("Evidence"), text("Action")]]
        for item in checklist.items:
            if item.layer == layer:
                title = item.title + (f" [{item.workload}]" if item.workload else "")
                if item.reference:
                    title += f" ({item.reference})"
                evidence = item.evidence
                record = record_text(item)
                if record:
                    evidence += f". Record: {record}"
                action = f"{item.action} ({item.owner})" if item.action else ""
                rows.append([[_status_run(item.status)], text(title), text(evidence), text(action)])
        items.clauses.append(clause(f"2.{n}", layer.capitalize(), [ItemsTable(rows)]))
    return DocumentTree(
        key="checklist",
        stem="checklist",
        title=CHECKLIST_TITLE,
        engagement_title=checklist.title,
        watermark=spec.review.watermark,
        preamble=[
            Paragraph(
                # The spec's hash is in the JSON and the manifest; printing it here would
                # render the document again for every change to the spec.
                text(
                    f"Engagement {checklist.engagement}, effective "
                    f"{spec.engagement.effective_date:%B} {spec.engagement.effective_date.day}, "
                    f"{spec.engagement.effective_date.year}."
                )
            )
        ],
        recitals=[],
        recitals_heading="",
        operative_words="",
        articles=[overview, items],
        signature_intro=Paragraph([]),
        signatories=[],
        schedules=[],
        notes=[],
        draft_notice=NOTICE,
        metadata=document_metadata(spec, CHECKLIST_TITLE),
    )


def render_checklist(
    checklist: Checklist, spec: Spec, fmt: str, templates: Path | None = None
) -> bytes:
    """The checklist in one format, as the bytes to write or print."""
    if fmt == "json":
        return to_json(checklist).encode("utf-8")
    if fmt == "md":
        return to_markdown(checklist).encode("utf-8")
    if fmt == "csv":
        return to_csv(checklist)
    from contractkit import render
    from contractkit.render.house import resolve_templates

    house = resolve_templates(templates)
    tree = to_tree(checklist, spec)
    if fmt not in render.RENDERERS:
        raise ValueError(f"unknown checklist format {fmt!r}")
    return render.renderer(fmt).render(tree, house)


def failing_items(checklist: Checklist, fail_on: str) -> list[Item]:
    """Items that make ``--fail-on`` exit 3: gaps and stale evidence, or with needs_input also
    open questions."""
    statuses = {"gap", "stale"} if fail_on == "gap" else {"gap", "stale", "needs_input"}
    return [i for i in checklist.items if i.status in statuses]
