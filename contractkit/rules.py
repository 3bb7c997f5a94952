"""Rules that span several fields of a spec, each reported at the field that breaks it.

pydantic checks each value on its own; these checks need the whole engagement.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from contractkit.documents import BY_KEY, DOCUMENTS, DocumentKey
from contractkit.spec import (
    OVERLAP_METRICS,
    Certification,
    DataCategory,
    OperatingModel,
    Repository,
    Residency,
    Spec,
)

Path = tuple[str | int, ...]
HIPAA_BREACH_NOTICE_MAX_DAYS = 60
# A build costs about half a second and 2 MB of memory per workload, nearly all of it laying out
# the PDFs (the checklist prints a page or more per workload); 500 is about 4 minutes and 1 GB.
MAX_WORKLOADS = 500


@dataclass(frozen=True)
class Finding:
    """A broken rule: the field it concerns, and the field whose line best shows it.

    Without ``anchor``, a field missing from the file is shown at the key of the section that
    should hold it.
    """

    path: Path
    message: str
    severity: str = "error"
    anchor: Path | None = None


def check(spec: Spec) -> list[Finding]:
    """Every rule violation and warning for a structurally valid spec."""
    from contractkit.pricing_rules import pricing_findings  # it builds Findings of this module

    return [
        *_phi_rules(spec),
        *_gdpr_rules(spec),
        *_residency_rules(spec),
        *_staffing_rules(spec),
        *_unique_workload_ids(spec),
        *_workload_count(spec),
        *_quality_rules(spec),
        *pricing_findings(spec),
        *_document_rules(spec),
        *_warnings(spec),
    ]


def _phi_workload(spec: Spec) -> int | None:
    for i, w in enumerate(spec.workloads):
        if DataCategory.phi in w.data_categories:
            return i
    return None


def _phi_rules(spec: Spec) -> Iterator[Finding]:
    index = _phi_workload(spec)
    if index is None:
        return
    why = f"workload '{spec.workloads[index].id}' carries phi"
    if Certification.hipaa_baa not in spec.vendor.certifications:
        yield Finding(
            ("vendor", "certifications"),
            f"{why}, so the vendor must list hipaa_baa (ready to sign a business associate "
            "agreement)",
        )
    if spec.customer.hipaa_role is None:
        yield Finding(
            ("customer", "hipaa_role"),
            f"{why}, so customer.hipaa_role is required (covered_entity or business_associate)",
        )
    if spec.security.breach_notice_days > HIPAA_BREACH_NOTICE_MAX_DAYS:
        yield Finding(
            ("security", "breach_notice_days"),
            f"{why}, so breach notice must be at most {HIPAA_BREACH_NOTICE_MAX_DAYS} days "
            f"(45 CFR 164.410); got {spec.security.breach_notice_days}",
        )


def _gdpr_rules(spec: Spec) -> Iterator[Finding]:
    for w in spec.workloads:
        if DataCategory.eu_personal_data in w.data_categories and spec.customer.gdpr_role is None:
            yield Finding(
                ("customer", "gdpr_role"),
                f"workload '{w.id}' carries eu_personal_data, so customer.gdpr_role is required "
                "(controller or processor)",
            )
            return


def _residency_rules(spec: Spec) -> Iterator[Finding]:
    us_only = [w.id for w in spec.workloads if w.residency is Residency.us_only]
    if not us_only:
        return
    why = f"workload '{us_only[0]}' is us_only"
    for i, code in enumerate(spec.vendor.delivery_locations):
        if code != "US":
            yield Finding(
                ("vendor", "delivery_locations", i),
                f"{why}, so every delivery location must be US; got {code}",
            )
    for i, sub in enumerate(spec.vendor.subprocessors):
        if sub.location != "US":
            yield Finding(
                ("vendor", "subprocessors", i, "location"),
                f"{why}, so every sub-processor must be located in the US; "
                f"'{sub.name}' is in {sub.location}",
            )


def _staffing_rules(spec: Spec) -> Iterator[Finding]:
    model = spec.engagement.operating_model
    if model in (OperatingModel.dedicated_team, OperatingModel.hybrid) and spec.staffing is None:
        yield Finding(
            ("staffing",),
            f"operating_model {model.value} requires a staffing section",
            anchor=("engagement", "operating_model"),
        )
    elif model is OperatingModel.hybrid and spec.staffing and spec.staffing.surge is None:
        yield Finding(
            ("staffing", "surge"),
            "operating_model hybrid requires staffing.surge (surge capacity)",
        )


def _unique_workload_ids(spec: Spec) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for i, w in enumerate(spec.workloads):
        if w.id in seen:
            yield Finding(
                ("workloads", i, "id"),
                f"workload id '{w.id}' is already used by workloads[{seen[w.id]}]",
            )
        else:
            seen[w.id] = i


def _workload_count(spec: Spec) -> Iterator[Finding]:
    count = len(spec.workloads)
    if count > MAX_WORKLOADS:
        yield Finding(
            ("workloads",),
            f"lists {count} workloads; a spec may list at most {MAX_WORKLOADS} (each one adds "
            "to the time and memory every build takes): split the program into several "
            "engagements, one spec each",
        )


def _document_rules(spec: Spec) -> Iterator[Finding]:
    if spec.documents is None:
        return
    chosen = spec.documents
    seen: set[DocumentKey] = set()
    for i, key in enumerate(chosen):
        if key in seen:
            yield Finding(("documents", i), f"'{key.value}' is listed twice")
        seen.add(key)
    for info in DOCUMENTS:
        need = info.required_when
        if need is not None and need.holds(spec) and info.key not in seen:
            yield Finding(("documents",), f"must include {info.key.value}: {need.reason}")
    for i, key in enumerate(chosen):
        only_when = BY_KEY[key].only_when
        if only_when is not None and not only_when.holds(spec):
            yield Finding(("documents", i), f"'{key.value}' applies only when {only_when.reason}")


def _quality_rules(spec: Spec) -> Iterator[Finding]:
    """An overlap threshold only means something for an overlap measure."""
    for i, w in enumerate(spec.workloads):
        metric = w.quality_metric
        if w.quality.match_threshold is not None and metric not in OVERLAP_METRICS:
            yield Finding(
                ("workloads", i, "quality", "match_threshold"),
                f"workload '{w.id}' is measured by {metric.value}"
                f"{'' if w.quality.metric else f' (the default for {w.modality.value})'}; "
                "match_threshold applies only to dice, iou and iou_3d",
            )


def _warnings(spec: Spec) -> Iterator[Finding]:
    for i, w in enumerate(spec.workloads):
        if w.critical and w.secondary_vendor is None:
            yield Finding(
                ("workloads", i, "critical"),
                f"critical workload '{w.id}' has no secondary_vendor: the program depends on "
                "one vendor",
                "warning",
            )
        if w.sop is not None and w.sop.version is None:
            yield Finding(
                ("workloads", i, "sop"),
                f"the SOP of workload '{w.id}' has no version; changes cannot be tracked",
                "warning",
            )
        if w.sop is not None and w.sop.repository is Repository.vendor:
            yield Finding(
                ("workloads", i, "sop", "repository"),
                f"the SOP of workload '{w.id}' is held only by the vendor; keep a copy in "
                "customer or shared systems so it can move to another vendor",
                "warning",
            )
    yield from _small_percentages(spec, ())


def _small_percentages(model: BaseModel, path: Path) -> Iterator[Finding]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        here = (*path, name)
        if isinstance(value, BaseModel):
            yield from _small_percentages(value, here)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _small_percentages(item, (*here, i))
        elif name.endswith("_pct") and isinstance(value, int | float) and 0 < value <= 1:
            yield Finding(
                here,
                f"{name} is a percentage 0-100; did you mean {value * 100:g}%?",
                "warning",
            )
