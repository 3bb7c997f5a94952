"""Where in the generated agreements each checklist topic is dealt with."""

from __future__ import annotations

from contractkit.tree import DocumentTree

# Candidate clause ids per topic; the first one placed in an agreement wins.
TOPIC_CLAUSES: dict[str, tuple[str, ...]] = {
    "exit-transition-period": ("exit_schedule.transition",),
    "exit-knowledge-transfer": ("exit_schedule.knowledge_transfer",),
    "knowledge-transfer": ("exit_schedule.knowledge_transfer",),
    "exit-data-return": ("exit_schedule.data_return",),
    "exit-certified-destruction": ("exit_schedule.destruction",),
    "exit-successor-cooperation": ("exit_schedule.successor",),
    "security": ("msa.security", "msa.schedule_security"),
    "quality": ("msa.quality", "msa.schedule_quality"),
    "reporting": ("msa.reporting",),
    "slas": ("msa.service_levels", "msa.service_credits"),
    "surge": ("msa.model_hybrid",),
    "pilot": ("msa.pilot",),
    "sops": ("msa.sops",),
    "multi-sourcing": ("msa.multi_sourcing",),
    "insurance": ("msa.insurance",),
    "exit-plan": ("exit_schedule.exit_plan",),
    "transfer-assessment": ("dpa.transfer_assessment",),
    "scc": ("dpa.scc",),
}


def reference_map(trees: list[DocumentTree]) -> dict[str, str]:
    """Topic (or document key) -> "STEM §NUMBER" (or just the document's stem)."""
    found: dict[str, str] = {tree.key: tree.stem for tree in trees}
    placed = {c.id: f"{tree.stem} §{c.number}" for tree in trees for c in tree.clauses()}
    for topic, candidates in TOPIC_CLAUSES.items():
        label = next((placed[c] for c in candidates if c in placed), None)
        if label is not None:
            found[topic] = label
    return found
