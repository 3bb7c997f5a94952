"""Facts derived from a valid spec that assembly, coverage and the checklist all use.

Kept apart from assembly so that coverage and the checklist read the same facts without
reaching into the assembler.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from jinja2 import TemplateError as JinjaTemplateError

from contractkit.errors import LibraryError, Location, Problem, RefusedError
from contractkit.spec import DataCategory, DocumentKey, Spec
from contractkit.templating import ClauseEnvironment

EEA = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
        "IS",
        "LI",
        "NO",
    ]
)
MAX_EPOCH = 253402300799


def spec_context(spec: Spec, documents: list[DocumentKey] | None = None) -> dict[str, Any]:
    """What clause templates and ``applies_when`` expressions can see."""
    locations = {*spec.vendor.delivery_locations, *(s.location for s in spec.vendor.subprocessors)}
    work = {spec.vendor.country, *spec.vendor.delivery_locations}
    has_eu = spec.carries(DataCategory.eu_personal_data)
    return {
        "spec": spec,
        "engagement": spec.engagement,
        "customer": spec.customer,
        "vendor": spec.vendor,
        "workloads": spec.workloads,
        "staffing": spec.staffing,
        "security": spec.security,
        "operations": spec.operations,
        "exit": spec.exit,
        "commercial": spec.commercial,
        "review": spec.review,
        "documents": [d.value for d in (documents or [])],
        "carries": lambda category: spec.carries(DataCategory(category)),
        "has_phi": spec.carries(DataCategory.phi),
        "has_personal_data": spec.has_personal_data,
        "has_eu_data": has_eu,
        "has_california_data": spec.carries(DataCategory.california_personal_data),
        "has_biometric_data": spec.carries(DataCategory.biometric),
        "eu_transfer": has_eu and any(code not in EEA for code in locations),
        "non_eea_locations": sorted(code for code in locations if code not in EEA),
        "vendor_in_india": "IN" in work,
        # Where the vendor is established or works: whose law governs the making of Work Product.
        "work_countries": sorted(work),
        # Where Customer Data is processed at all: the vendor's countries and its sub-processors'.
        "processing_countries": sorted(work | locations),
        "eea": sorted(EEA),
        "model": spec.engagement.operating_model.value,
        "position": spec.engagement.position.value,
    }


def evaluate_condition(
    env: ClauseEnvironment, expression: str | None, context: dict[str, Any], where: Location
) -> bool:
    """An ``applies_when`` expression's truth; errors are located at the field."""
    if expression is None:
        return True
    try:
        return bool(env.condition(expression)(**context))
    except Exception as exc:
        detail = exc.message if isinstance(exc, JinjaTemplateError) else str(exc)
        raise LibraryError([Problem(where, f"applies_when: {detail}")]) from None


def output_epoch() -> int | None:
    """The one time every output carries: SOURCE_DATE_EPOCH, or None when it is not set.

    contractkit never reads the clock, so two builds of the same inputs are byte-identical;
    nor does it take a date from the spec (the effective date is usually still to come), so
    without SOURCE_DATE_EPOCH an output carries no creation or modification date at all.
    """
    configured = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not configured:
        return None
    if not configured.isdigit() or int(configured) > MAX_EPOCH:
        raise RefusedError(
            f"SOURCE_DATE_EPOCH={configured!r} is not a number of seconds since 1970 "
            "before the year 10000"
        )
    return int(configured)


def document_metadata(spec: Spec, title: str) -> dict[str, str]:
    """Title, subject, author and the timestamp (if any) every output of an engagement carries."""
    epoch = output_epoch()
    stamp = ""
    if epoch is not None:
        stamp = dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "title": title,
        "subject": spec.engagement.title,
        "author": spec.customer.legal_name,
        "date": spec.engagement.effective_date.isoformat(),
        # Empty when SOURCE_DATE_EPOCH is not set: then no output is dated.
        "epoch": "" if epoch is None else str(epoch),
        "timestamp": stamp,
        "engagement": spec.engagement.id,
    }
