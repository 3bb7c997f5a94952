"""The outsourcing-fit test: reasons for and against handing each workload to a vendor.

Answers come from the fit section, a workload's own fit answers, or facts of the spec (a written
SOP, export-controlled data, the vendor's certification). Every answer is shown as its question
with the answer ("Annotation is core IP: no"), listed once under what it means: a reason for,
a reason against, no reason either way, or unanswered.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from contractkit.checklist.context import ChecklistContext, IndexedWorkload, certified
from contractkit.checklist.model import Status
from contractkit.checklist.security import security_certificates
from contractkit.spec import DataCategory, FitAnswers, Spec


class Question(NamedTuple):
    """One question of the test. ``against``: a yes weighs against outsourcing. ``no_weighs``:
    a no to a question for outsourcing weighs against it (no written SOP, data that cannot
    be shared); ``decisive``: and that no alone keeps the work in house."""

    key: str
    text: str
    against: bool = False
    no_weighs: bool = False
    decisive: bool = False


QUESTIONS: tuple[Question, ...] = (
    Question("volume_exceeds_in_house_capacity", "Volume beyond in-house capacity"),
    Question("repeatable_under_sop", "Work repeatable under a written SOP", no_weighs=True),
    Question(
        "data_shareable",
        "Data shareable with a vendor under a defensible contract",
        no_weighs=True,
        decisive=True,
    ),
    Question("in_house_cost_materially_higher", "In-house cost materially higher"),
    Question("senior_talent_better_spent_elsewhere", "Senior AI talent better spent elsewhere"),
    Question("speed_is_differentiator", "Speed to deployment is a differentiator"),
    Question("partner_compliance_stronger", "A certified partner's compliance is stronger"),
    Question("annotation_is_core_ip", "Annotation is core IP", against=True),
    Question(
        "volume_too_low_for_vendor_management",
        "Volume too low to justify vendor management",
        against=True,
    ),
    Question(
        "judgment_too_domain_specific",
        "Judgment too domain-specific for an external team",
        against=True,
    ),
    Question("sop_changing_weekly", "SOP changing weekly", against=True),
)
BY_KEY = {q.key: q for q in QUESTIONS}
# Answered from the spec's facts for each workload, not from the fit section.
DERIVED = frozenset({"repeatable_under_sop", "data_shareable"})
# A workload fits with this many reasons for and every reason against answered no.
FITS_MIN_REASONS = 3
REASONS_FOR = sum(not q.against for q in QUESTIONS)
REASONS_AGAINST = sum(q.against for q in QUESTIONS)

# An answer and, for answers the spec derives, the fact it rests on in plain words.
Answer = tuple[bool | None, str]
Answers = dict[str, Answer]


def yes_no(value: bool | None) -> str:
    return "not answered" if value is None else ("yes" if value else "no")


def _answers(spec: Spec, p: IndexedWorkload) -> Answers:
    """Each question's answer for one workload, with the fact a derived answer rests on."""
    w = p.workload
    top = spec.fit or FitAnswers()
    own = w.fit or FitAnswers()
    answers: Answers = {}
    for name in FitAnswers.model_fields:
        value = getattr(own, name)
        answers[name] = (value if value is not None else getattr(top, name), "")
    sop = w.sop
    answers["repeatable_under_sop"] = (
        sop is not None,
        f'SOP "{sop.title}"' + (f" {sop.version}" if sop.version else "")
        if sop
        else "no SOP is named",
    )
    controlled = DataCategory.export_controlled in w.data_categories
    answers["data_shareable"] = (
        not controlled,
        "export-controlled data" if controlled else "no export-controlled data",
    )
    answers["partner_compliance_stronger"] = (
        True if certified(spec) else None,
        f"the vendor holds {security_certificates(spec)}"
        if certified(spec)
        else "the vendor holds no ISO 27001 or SOC 2 certification; compare with in-house controls",
    )
    return answers


def meaning(q: Question, value: bool | None) -> str:
    """Where an answer belongs: for, against, neutral (no reason either way) or unanswered."""
    if value is None:
        return "unanswered"
    if q.against:
        return "against" if value else "for"
    if value:
        return "for"
    return "against" if q.no_weighs else "neutral"


def _verdict(answers: Answers) -> str:
    """One workload's verdict: fits, does_not_fit or undetermined."""
    yes = sum(answers[q.key][0] is True for q in QUESTIONS if not q.against)
    unknown_for = sum(answers[q.key][0] is None for q in QUESTIONS if not q.against)
    decisive = any(answers[q.key][0] is False for q in QUESTIONS if q.decisive)
    against = any(answers[q.key][0] is True for q in QUESTIONS if q.against)
    unknown_against = sum(answers[q.key][0] is None for q in QUESTIONS if q.against)
    if against or decisive:
        return "does_not_fit"
    if yes >= FITS_MIN_REASONS and unknown_against == 0:
        return "fits"
    if yes + unknown_for >= FITS_MIN_REASONS:
        return "undetermined"
    return "does_not_fit"


def _overall(verdicts: dict[str, str]) -> str:
    values = set(verdicts.values())
    if values == {"fits"}:
        return "fits"
    if values == {"does_not_fit"}:
        return "does_not_fit"
    if "does_not_fit" in values:
        return "partly"
    return "undetermined"


def _lines(per_workload: list[tuple[str, Answers]], everyone: int) -> dict[str, list[str]]:
    """Each question once per list: its answer, the workloads it is true of unless it is true
    of all, and the facts it rests on."""
    lists: dict[str, list[str]] = {"for": [], "against": [], "neutral": [], "unanswered": []}
    for q in QUESTIONS:
        grouped: dict[tuple[str, bool | None], list[tuple[str, str]]] = {}
        for wid, answers in per_workload:
            value, basis = answers[q.key]
            grouped.setdefault((meaning(q, value), value), []).append((wid, basis))
        for (where, value), members in grouped.items():
            text = f"{q.text}: {yes_no(value)}"
            notes = _notes(members, len(members) == everyone)
            lists[where].append(text + (f" ({notes})" if notes else ""))
    return lists


def _notes(members: list[tuple[str, str]], everyone: bool) -> str:
    bases = list(dict.fromkeys(basis for _, basis in members if basis))
    if everyone and len(bases) <= 1:
        return bases[0] if bases else ""
    return "; ".join(f"{wid}: {basis}" if basis else wid for wid, basis in members)


def fit(ctx: ChecklistContext) -> dict[str, Any]:
    """Add the fit items; return the verdict with its reasons for the summary."""
    spec = ctx.spec
    per_workload = [(p.workload, _answers(spec, p)) for p in ctx.workloads]
    verdicts = {w.id: _verdict(answers) for w, answers in per_workload}
    lists = _lines([(w.id, a) for w, a in per_workload], len(per_workload))
    # Stable ids: answers from the fit section (and the vendor) are one item for the engagement;
    # answers derived from a workload, or overridden by it, are one item per workload.
    top = spec.fit or FitAnswers()
    for q in QUESTIONS:
        slug = q.key.replace("_", "-")
        if q.key not in DERIVED:
            if q.key == "partner_compliance_stronger":
                value, basis = per_workload[0][1][q.key]
            else:
                value, basis = getattr(top, q.key), _source(q.key, getattr(top, q.key))
            ctx.add(
                f"fit.{slug}",
                f"{q.text}: {yes_no(value)}",
                _fit_status(q, value),
                basis,
                _fit_action(q, value),
                "customer",
            )
        for w, answers in per_workload:
            own = getattr(w.fit, q.key, None) if w.fit is not None else None
            if q.key in DERIVED or own is not None:
                value, basis = answers[q.key]
                ctx.add(
                    f"fit.{w.id}.{slug}",
                    f"{q.text}: {yes_no(value)}",
                    _fit_status(q, value),
                    basis or "answered for this workload",
                    _fit_action(q, value),
                    "customer",
                    workload=w.id,
                )
    return {
        "verdict": _overall(verdicts),
        "for": lists["for"],
        "against": lists["against"],
        "neutral": lists["neutral"],
        "unanswered": lists["unanswered"],
        "keep_in_house": sorted(w for w, v in verdicts.items() if v == "does_not_fit"),
    }


def _source(key: str, value: bool | None) -> str:
    if value is None:
        return "not answered in the fit section"
    return "answered in the fit section"


def _fit_status(q: Question, value: bool | None) -> Status:
    where = meaning(q, value)
    if where == "unanswered":
        return "needs_input"
    if where == "neutral":
        return "not_applicable"
    return "ready" if where == "for" else "gap"


def _fit_action(q: Question, value: bool | None) -> str:
    if value is None:
        return f"Answer in the fit section ({q.key}: true or false)"
    if meaning(q, value) != "against":
        return ""
    if q.key == "repeatable_under_sop":
        return "Write the SOP down before outsourcing the work"
    if q.key == "data_shareable":
        return "Keep export-controlled work in house, or obtain the licences to share it"
    return "Keep this work in house, or change the conditions before outsourcing it"
