"""The checklist as Markdown, JSON, CSV, and as a document tree for the PDF and DOCX renderers."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, fields
from pathlib import Path

from contractkit.checklist import LAYERS, Checklist, Item
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


def _neutral(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(checklist: Checklist) -> bytes:
    """UTF-8 with a byte-order mark, fixed columns, formula-like cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in checklist.items:
        row = asdict(item)
        writer.writerow([_neutral(row[c]) for c in CSV_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _md(text: object) -> str:
    return str(text if text is not None else "-").replace("|", "\\|").replace("\n", " ")


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
        "## Summary by layer",
        "",
        "| layer | score | ready | gap | needs input | not applicable |",
        "|---|---|---|---|---|---|",
    ]
    for layer in LAYERS:
        c = summary["layers"][layer]
        lines.append(
            f"| {layer} | {c['score']} | {c['ready']} | {c['gap']} | {c['needs_input']} "
            f"| {c['not_applicable']} |"
        )
    fit = checklist.fit
    lines += ["", "## Outsourcing fit", "", f"**{VERDICT_WORDS[fit['verdict']]}**", ""]
    if fit["keep_in_house"]:
        lines += [f"Better kept in house: {', '.join(fit['keep_in_house'])}.", ""]
    for label, key in (("For", "for"), ("Against", "against"), ("Unanswered", "unanswered")):
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
    for layer in LAYERS:
        lines += [
            "",
            f"### {layer.capitalize()}",
            "",
            "| status | item | workload | evidence | reference | action | owner |",
            "|---|---|---|---|---|---|---|",
        ]
        for item in checklist.items:
            if item.layer == layer:
                lines.append(
                    f"| {STATUS_WORDS[item.status]} | {_md(item.title)} (`{item.id}`) | "
                    f"{_md(item.workload)} | {_md(item.evidence)} | {_md(item.reference)} | "
                    f"{_md(item.action or None)} | {item.owner} |"
                )
    return "\n".join(lines) + "\n"


def _when(event: object) -> str:
    anchor = getattr(event, "anchor", "")
    names = {
        "effective_date": "effective date",
        "exit_notice": "exit notice",
        "receipt_confirmed": "customer confirms receipt of returned data",
        "transition_end": "end of the transition period",
    }
    months = getattr(event, "offset_months", None)
    days = getattr(event, "offset_days", None)
    offset = f"{months} months" if months is not None else f"{days} days"
    return f"{names.get(anchor, anchor)} + {offset}"


def _status_run(status: str) -> Run:
    return Run(STATUS_WORDS[status], "status", bold=True, tone=status)


def to_tree(checklist: Checklist, spec: Spec) -> DocumentTree:
    """The checklist as a document tree, so the agreement renderers print it."""
    summary = checklist.summary()

    def text(value: object) -> list[Run]:
        return [Run("-" if value in (None, "") else str(value))]

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

    layer_rows = [
        [text("Layer"), text("Score"), text("Ready"), text("Gap"), text("Needs input"), text("N/A")]
    ]
    for layer in LAYERS:
        c = summary["layers"][layer]
        layer_rows.append(
            [
                text(layer),
                text(c["score"]),
                text(c["ready"]),
                text(c["gap"]),
                text(c["needs_input"]),
                text(c["not_applicable"]),
            ]
        )
    fit = checklist.fit
    fit_blocks: list[Paragraph | Table] = [
        Paragraph([Run(VERDICT_WORDS[fit["verdict"]], bold=True)])
    ]
    if fit["keep_in_house"]:
        fit_blocks.append(
            Paragraph(text(f"Better kept in house: {', '.join(fit['keep_in_house'])}."))
        )
    for label, key in (("For", "for"), ("Against", "against"), ("Unanswered", "unanswered")):
        for reason in fit[key]:
            fit_blocks.append(Paragraph([Run(f"{label}: ", bold=True), Run(reason)]))
    workload_rows = [[text("Workload"), text("Rating")]] + [
        [text(w), text(r["rating"].replace("_", " "))] for w, r in checklist.workloads.items()
    ]
    runbook_rows = [[text("Event"), text("When"), text("Date")]] + [
        [text(e.event), text(_when(e)), text(e.date)] for e in checklist.runbook
    ]
    overview = Article("1", "Overview", anchor_for("checklist:overview"))
    overview.clauses = [
        clause("1.1", f"Scores (overall {summary['overall']} / 100)", [Table(layer_rows)]),
        clause("1.2", "Outsourcing fit", fit_blocks),
        clause("1.3", "Workloads", [Table(workload_rows)]),
        clause("1.4", "Exit runbook", [Table(runbook_rows)]),
    ]
    items = Article("2", "Items by layer", anchor_for("checklist:items"))
    for n, layer in enumerate(LAYERS, start=1):
        rows = [[text("Status"), text("Item"), text("Evidence"), text("Action"), text("Owner")]]
        for item in checklist.items:
            if item.layer == layer:
                title = item.title + (f" [{item.workload}]" if item.workload else "")
                if item.reference:
                    title += f" ({item.reference})"
                rows.append(
                    [
                        [_status_run(item.status)],
                        text(title),
                        text(item.evidence),
                        text(item.action),
                        text(item.owner),
                    ]
                )
        items.clauses.append(clause(f"2.{n}", layer.capitalize(), [Table(rows)]))
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
    from contractkit.templates_check import resolve_templates

    house = resolve_templates(templates)
    tree = to_tree(checklist, spec)
    if fmt == "pdf":
        from contractkit.render.html import render_pdf

        return render_pdf(tree, house.html_dir)
    if fmt == "docx":
        from contractkit.render.docx import render_docx

        return render_docx(tree, house.docx)
    raise ValueError(f"unknown checklist format {fmt!r}")


def failing_items(checklist: Checklist, fail_on: str) -> list[Item]:
    """Items that make ``--fail-on`` exit 3: gaps, or with needs_input also open questions."""
    statuses = {"gap"} if fail_on == "gap" else {"gap", "needs_input"}
    return [i for i in checklist.items if i.status in statuses]
