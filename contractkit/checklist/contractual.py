"""Contractual layer: each agreement in place and covering its requirements, and the exit terms."""

from __future__ import annotations

from contractkit.checklist.context import Check, ChecklistContext, counted, words
from contractkit.checklist.security import DESTRUCTION_NAMES
from contractkit.documents import BY_KEY, selected_documents
from contractkit.spec import DocumentKey, Spec


def _formats(spec: Spec) -> str:
    return ", ".join(words(f.value).upper() for f in spec.exit.data_return.formats)


# Exit terms the Exit Schedule must carry; each refers to the clause that deals with it.
EXIT_TERMS: tuple[Check[Spec], ...] = (
    Check(
        "exit-transition-period",
        "Exit terms include a transition period",
        lambda s: s.exit.transition_period_days > 0,
        lambda s: (
            f"{s.exit.transition_period_days}-day transition period with continued service"
            if s.exit.transition_period_days
            else "no transition period"
        ),
        "Agree a transition period with continued service",
        "counsel",
        "exit-transition-period",
    ),
    Check(
        "exit-knowledge-transfer",
        "Exit terms include knowledge transfer",
        lambda s: (
            bool(s.exit.knowledge_transfer.deliverables)
            and s.exit.knowledge_transfer.sessions_hours > 0
        ),
        lambda s: (
            f"{len(s.exit.knowledge_transfer.deliverables)} deliverables and "
            f"{counted(s.exit.knowledge_transfer.sessions_hours, 'hour')} of knowledge-transfer "
            "sessions"
        ),
        "Agree knowledge-transfer deliverables and session hours",
        "counsel",
        "exit-knowledge-transfer",
    ),
    Check(
        "exit-data-return",
        "Exit terms include data return",
        lambda s: bool(s.exit.data_return.formats),
        lambda s: (
            f"data returned as {_formats(s)} within "
            f"{counted(s.exit.data_return.within_days, 'day')} after the transition period"
        ),
        "Agree return formats and a deadline",
        "counsel",
        "exit-data-return",
    ),
    Check(
        "exit-certified-destruction",
        "Exit terms include certified destruction",
        lambda s: s.exit.destruction_certificate_days > 0,
        lambda s: (
            f"destroyed to {DESTRUCTION_NAMES[s.security.destruction_standard]}, "
            + (
                f"certified within {counted(s.exit.destruction_certificate_days, 'day')} after "
                "receipt is confirmed"
                if s.exit.destruction_certificate_days
                else "with no deadline for the certificate"
            )
        ),
        "Require a destruction certificate with a deadline",
        "counsel",
        "exit-certified-destruction",
    ),
    Check(
        "exit-successor-cooperation",
        "Exit terms include successor cooperation",
        lambda s: s.exit.successor_cooperation,
        lambda s: (
            "the vendor must cooperate with a successor vendor"
            if s.exit.successor_cooperation
            else "no duty to cooperate with a successor vendor"
        ),
        "Require the vendor to cooperate with a successor vendor",
        "counsel",
        "exit-successor-cooperation",
    ),
)


def contractual(ctx: ChecklistContext) -> None:
    spec = ctx.spec
    produced = {d.key for d in selected_documents(spec)}
    for info in BY_KEY.values():
        key = info.key
        item_id = f"contractual.{info.stem}"
        if not info.allowed(spec):
            ctx.add(
                item_id,
                f"{info.title} in place",
                "not_applicable",
                f"{info.applies.replace('`', '')}; no workload needs it",
                owner="counsel",
            )
        elif key in produced:
            evidence = "produced for this engagement"
            rows = [r for r in ctx.coverage if r.document == key.value and r.applies]
            missing = [r.requirement for r in rows if not r.covered]
            if rows:
                evidence += f"; {len(rows) - len(missing)} of {len(rows)} requirements covered"
            ctx.add(
                item_id,
                f"{info.title} in place and covering its requirements",
                "gap" if missing else "ready",
                evidence + (f" (not: {', '.join(missing)})" if missing else ""),
                "Add clauses that meet the uncovered requirements (contractkit coverage)",
                owner="counsel",
                reference=key.value,
            )
        elif key is DocumentKey.dpa and not spec.has_personal_data:
            ctx.add(
                item_id,
                f"{info.title} in place",
                "not_applicable",
                "the spec's document list leaves it out and no workload carries personal data",
                owner="counsel",
            )
        else:
            ctx.add(
                item_id,
                f"{info.title} in place",
                "gap",
                "the spec's document list leaves it out",
                f"Add {key.value} to documents, or record why the engagement goes without it",
                "counsel",
            )
    if DocumentKey.exit_schedule in produced:
        ctx.check("contractual", EXIT_TERMS, spec)
        return
    for term in EXIT_TERMS:
        ctx.add(
            f"contractual.{term.slug}",
            term.title if isinstance(term.title, str) else term.title(spec),
            "gap",
            "the exit schedule is not produced",
            "Produce the exit schedule",
            "counsel",
        )
