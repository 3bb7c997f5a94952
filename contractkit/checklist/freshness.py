"""What the evidence shows: freshness rules, signatures and the items only evidence can close.

``FRESHNESS`` is the one table of how long each kind of proof counts; the README's table is
tested against it. With an evidence file a checklist item has both what the drafts say (its
``evidence``) and what the record shows (``evidence_status``, ``evidence_date``, ...), and its
status weighs both: a term in an unsigned draft is ``drafted``, proof older than its rule is
``stale``.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Callable
from dataclasses import dataclass

from contractkit.checklist.context import certified
from contractkit.checklist.model import Item, Owner
from contractkit.checklist.runbook import add_months
from contractkit.checklist.security import security_certificates
from contractkit.documents import BY_KEY
from contractkit.evidence import Entry, Evidence, EvidenceStatus
from contractkit.facts import spec_context
from contractkit.spec import DataCategory, DocumentKey, ReviewCadence, Spec

REVIEW_MONTHS = {ReviewCadence.annual: 12, ReviewCadence.semiannual: 6}


def review_months(spec: Spec) -> int:
    """Months between exit-plan reviews, and so between tests of the plan."""
    return REVIEW_MONTHS[spec.exit.exit_plan_review]


def _plan_due(spec: Spec) -> dt.date:
    return spec.engagement.effective_date + dt.timedelta(days=spec.exit.exit_plan_due_days)


@dataclass(frozen=True)
class Rule:
    """How long one kind of proof counts.

    ``months``/``days`` after the evidence date it stays fresh (both None: no age limit);
    ``expiry``: the proof carries its own end date, which the entry must give; ``first_due``:
    before this date no proof is expected yet; ``after``/``within``: the proof is due within
    some days of the date another item was recorded done (no proof expected before that).
    """

    name: str
    items: str
    proof: str
    rule: str
    months: Callable[[Spec], int] | None = None
    days: int | None = None
    expiry: bool = False
    first_due: Callable[[Spec], dt.date] | None = None
    after: str | None = None
    within: Callable[[Spec], int] | None = None

    def matches(self, item_id: str) -> bool:
        return fnmatch.fnmatchcase(item_id, self.items)

    def fresh_until(self, spec: Spec, entry: Entry) -> dt.date | None:
        """The last day the entry's proof counts, or None when it never ages: its ``expires``
        date when it gives one, else the rule's age after its ``date``."""
        if entry.expires is not None:
            return entry.expires
        if self.months is not None:
            return add_months(entry.date, self.months(spec)) - dt.timedelta(days=1)
        if self.days is not None:
            return entry.date + dt.timedelta(days=self.days)
        return None


FRESHNESS: tuple[Rule, ...] = (
    Rule(
        "Exit plan received",
        "operational.exit-plan-received",
        "the current exit plan from the vendor",
        "first by `exit_plan_due_days` after the effective date, then re-issued within 12 months "
        "(6 when `exit_plan_review: semiannual`)",
        months=review_months,
        first_due=_plan_due,
    ),
    Rule(
        "Exit plan tested",
        "operational.exit-plan-tested",
        "a test of the exit plan (a desktop exercise or more)",
        "within 12 months (6 when `exit_plan_review: semiannual`); the first one review cycle "
        "after the plan is due",
        months=review_months,
        first_due=lambda s: add_months(_plan_due(s), review_months(s)),
    ),
    Rule(
        "Ground-truth export",
        "transferability.*.ground-truth-owned",
        "the latest export of the ground-truth set, in the customer's hands",
        "within 90 days",
        days=90,
    ),
    Rule(
        "SOP copy",
        "transferability.*.sop-copy-held",
        "the customer's copy of the SOP, synced with the one in use",
        "within 30 days",
        days=30,
    ),
    Rule(
        "Security certificate",
        "security.certificates-in-date",
        "the vendor's ISO 27001 certificate or SOC 2 Type II report",
        "until its `expires` date (required)",
        expiry=True,
    ),
    Rule(
        "Insurance certificates",
        "operational.insurance-certificates",
        "the vendor's certificates of insurance",
        "until the earliest policy's `expires` date (required)",
        expiry=True,
    ),
    Rule(
        "Transfer impact assessment",
        "contractual.transfer-impact-assessment",
        "a transfer impact assessment for the EU personal data",
        "within 12 months",
        months=lambda _: 12,
    ),
    Rule(
        "SCC annexes",
        "contractual.scc-annexes",
        "the completed annexes of the Standard Contractual Clauses",
        "no age limit (complete them again when a sub-processor or location changes)",
    ),
    Rule(
        "Destruction certificate",
        "security.data-destruction",
        "the vendor's certificate of destruction",
        "within `destruction_certificate_days` after the data return recorded done for "
        "`contractual.exit-data-return`",
        after="contractual.exit-data-return",
        within=lambda s: s.exit.destruction_certificate_days,
    ),
    Rule(
        "Any other item",
        "*",
        "the proof",
        "until its `expires` date when the entry gives one",
    ),
)


@dataclass(frozen=True)
class Extra:
    """An item only evidence can close; ``applies`` gives the reason it does not apply, or None."""

    id: str
    title: str
    owner: Owner
    topic: str
    drafts: Callable[[Spec], str]
    applies: Callable[[Spec, frozenset[DocumentKey]], str | None]


def _exit_schedule(_: Spec, produced: frozenset[DocumentKey]) -> str | None:
    return None if DocumentKey.exit_schedule in produced else "the exit schedule is not produced"


def _eu_transfer(spec: Spec, _: frozenset[DocumentKey]) -> str | None:
    if spec_context(spec)["eu_transfer"]:
        return None
    return "no EU personal data leaves the EEA"


def _plan_terms(spec: Spec) -> str:
    every = review_months(spec)
    return (
        f"the exit schedule requires the plan by {_plan_due(spec).isoformat()} "
        f"and a review and a test every {every} months"
    )


EXTRAS: tuple[Extra, ...] = (
    Extra(
        "contractual.baa-signed",
        "BAA signed before any PHI is shared",
        "counsel",
        "baa",
        lambda s: "a workload carries PHI",
        lambda s, _: None if s.carries(DataCategory.phi) else "no workload carries PHI",
    ),
    Extra(
        "contractual.transfer-impact-assessment",
        "Transfer impact assessment done for the EU personal data",
        "counsel",
        "transfer-assessment",
        lambda s: "EU personal data is processed outside the EEA",
        _eu_transfer,
    ),
    Extra(
        "contractual.scc-annexes",
        "Standard Contractual Clauses annexes completed",
        "counsel",
        "scc",
        lambda s: "the DPA incorporates the Standard Contractual Clauses",
        _eu_transfer,
    ),
    Extra(
        "security.certificates-in-date",
        "ISO 27001 certificate or SOC 2 Type II report in date",
        "procurement",
        "security",
        lambda s: f"the vendor claims {security_certificates(s)}",
        lambda s, _: None if certified(s) else "the vendor claims neither certification",
    ),
    Extra(
        "operational.insurance-certificates",
        "Certificates of insurance in date",
        "procurement",
        "insurance",
        lambda s: "the MSA requires the vendor to keep insurance in force",
        lambda s, _: None,
    ),
    Extra(
        "operational.exit-plan-received",
        "Exit plan received from the vendor",
        "procurement",
        "exit-plan",
        _plan_terms,
        _exit_schedule,
    ),
    Extra(
        "operational.exit-plan-tested",
        "Exit plan tested",
        "procurement",
        "exit-plan",
        _plan_terms,
        _exit_schedule,
    ),
)
# Rules whose entries must carry an ``expires`` date.
NEEDS_EXPIRY = frozenset(r.items for r in FRESHNESS if r.expiry)


def rule_for(item_id: str) -> Rule:
    """The first rule of the table that judges an item (the last one judges any)."""
    return next(r for r in FRESHNESS if r.matches(item_id))


def extra_items(
    spec: Spec, produced: frozenset[DocumentKey], references: dict[str, str]
) -> list[Item]:
    """The evidence-only items, each not applicable or waiting to be judged."""
    items = []
    for extra in EXTRAS:
        reason = extra.applies(spec, produced)
        items.append(
            Item(
                extra.id,
                extra.id.split(".", 1)[0],
                None,
                extra.title,
                "not_applicable" if reason else "needs_input",
                reason or extra.drafts(spec),
                references.get(extra.topic) if not reason else None,
                "",
                extra.owner,
            )
        )
    return items


def insert_in_layers(items: list[Item], extra: list[Item]) -> list[Item]:
    """``items`` with each extra placed after the last item of its layer."""
    result = list(items)
    for new in extra:
        last = max((i for i, it in enumerate(result) if it.layer == new.layer), default=-1)
        result.insert(last + 1, new)
    return result


def signature_document(item: Item) -> DocumentKey | None:
    """The agreement whose signature turns an item from drafted into ready."""
    if item.id.startswith("contractual.exit-"):
        return DocumentKey.exit_schedule
    for info in BY_KEY.values():
        if item.id == f"contractual.{info.stem}":
            return info.key
    return None


class Judge:
    """Judges every item of one checklist against one evidence record as of a date."""

    def __init__(self, spec: Spec, evidence: Evidence, as_of: dt.date) -> None:
        self.spec = spec
        self.evidence = evidence
        self.as_of = as_of
        self.entries = {e.item: e for e in evidence.items}

    def signed(self, key: DocumentKey) -> dt.date | None:
        date = self.evidence.signed.on(key)
        return date if date is not None and date <= self.as_of else None

    def entry(self, item_id: str) -> Entry | None:
        found = self.entries.get(item_id)
        return found if found is not None and found.date <= self.as_of else None

    def judge(self, item: Item) -> None:
        """Set the item's status and evidence fields from the record."""
        entry = self.entries.get(item.id)
        if entry is not None:
            item.evidence_status = entry.status.value
            item.evidence_date = entry.date.isoformat()
            item.evidence_reference = entry.reference
            item.evidence_by = entry.by
        if item.id == "contractual.baa-signed" and item.status != "not_applicable":
            self._baa(item)
            return
        key = signature_document(item)
        if key is not None and item.status == "ready" and self.signed(key) is None:
            title = BY_KEY[key].title
            item.status = "drafted"
            item.action = f"Sign the {title} and record the date under signed.{key.value}"
            item.evidence += "; not recorded as signed"
            return
        if entry is not None and entry.date > self.as_of:
            item.evidence += f"; the record is dated after {self.as_of.isoformat()}"
        if item.status == "ready" or (item.status == "needs_input" and item.id in EXTRA_IDS):
            self._proof(item, rule_for(item.id))

    def _baa(self, item: Item) -> None:
        date = self.signed(DocumentKey.baa)
        if date is not None:
            item.status, item.action = "ready", ""
            item.evidence = f"signed {date.isoformat()}"
        else:
            item.status = "gap"
            item.evidence = "the BAA is not recorded as signed"
            item.action = (
                "Sign the BAA before any PHI is shared, and record the date under signed.baa"
            )

    def _proof(self, item: Item, rule: Rule) -> None:
        entry = self.entry(item.id)
        generic = rule.items == "*"
        due: dt.date | None = None
        if rule.after is not None:
            trigger = self.entry(rule.after)
            if trigger is None or trigger.status is not EvidenceStatus.done or rule.within is None:
                return
            due = trigger.date + dt.timedelta(days=rule.within(self.spec))
            if entry is not None and entry.status is EvidenceStatus.done:
                item.status, item.action = "ready", ""
                return
            overdue = self.as_of > due
            item.evidence_due = due.isoformat()
            item.status = "gap" if overdue else "needs_input"
            item.action = f"Obtain {rule.proof} (due {due.isoformat()})"
            return
        if entry is None:
            if generic:
                return
            first = rule.first_due(self.spec) if rule.first_due else None
            if first is not None and self.as_of <= first:
                item.status, item.action = "not_applicable", ""
                item.evidence_due = first.isoformat()
                item.evidence += f"; not due until {first.isoformat()}"
                return
            item.status = "needs_input"
            item.action = f"Record {rule.proof} in the evidence file"
            if first is not None:
                item.evidence_due = first.isoformat()
            return
        if entry.status is EvidenceStatus.missing:
            item.status, item.action = "gap", f"Obtain {rule.proof}"
            return
        if entry.status is EvidenceStatus.in_progress:
            item.status, item.action = "gap", f"Finish {rule.proof} and record it done"
            return
        until = rule.fresh_until(self.spec, entry)
        if until is not None and self.as_of > until:
            item.status = "stale"
            item.stale_since = (until + dt.timedelta(days=1)).isoformat()
            item.evidence_due = until.isoformat()
            item.action = f"Refresh {rule.proof} (last {entry.date.isoformat()})"
            return
        item.status, item.action = "ready", ""
        if until is not None:
            item.evidence_due = until.isoformat()


EXTRA_IDS = frozenset(e.id for e in EXTRAS)


def apply_evidence(
    items: list[Item],
    spec: Spec,
    evidence: Evidence,
    as_of: dt.date,
    produced: frozenset[DocumentKey],
    references: dict[str, str],
) -> list[Item]:
    """The items with the evidence-only ones added and every status judged on the record."""
    judged = insert_in_layers(items, extra_items(spec, produced, references))
    judge = Judge(spec, evidence, as_of)
    for item in judged:
        judge.judge(item)
    return judged


def freshness_markdown() -> str:
    """The freshness table as the README shows it (a test keeps the two equal)."""
    rows = ["| proof | items | counts |", "|---|---|---|"]
    rows += [f"| {r.name} | `{r.items}` | {r.rule} |" for r in FRESHNESS]
    return "\n".join(rows) + "\n"
