"""Every operating model, pricing model and position, mixed pricing, a vendor in each country the
library knows the law of, and California law: each bundle assembles and `lint --spec` finds
nothing in it."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from contractkit.library import load_library
from contractkit.lint import spec_problems
from contractkit.spec import Spec

from helpers import EXAMPLES, LIDAR, spec_variant

REFERENCE = EXAMPLES / "reference.yaml"
SPEECH = EXAMPLES / "speech-flex.yaml"
MODELS = ("project", "dedicated_team", "flexible", "hybrid")
POSITIONS = ("customer_favourable", "balanced")
PRICING: dict[str, dict[str, Any]] = {
    "per_task": {"model": "per_task", "rate": 0.85},
    "per_hour": {"model": "per_hour", "rate": 22.5},
    "per_fte_month": {"model": "per_fte_month", "rate": 1450, "fte": 4},
    "fixed": {
        "model": "fixed",
        "rate": 240000,
        "milestones": [
            {"name": "Pilot accepted", "pct": 20, "due": "2027-03-31"},
            {"name": "All batches accepted", "pct": 80, "due": "2028-12-31"},
        ],
    },
}


def combinations() -> list[tuple[str, Spec]]:
    specs: list[tuple[str, Spec]] = []
    for model, pricing, position in itertools.product(MODELS, PRICING, POSITIONS):
        changes: dict[str, Any] = {
            "engagement.operating_model": model,
            "engagement.position": position,
            "workloads.0.pricing": PRICING[pricing],
            "workloads.1.pricing": PRICING[pricing],
        }
        if pricing == "per_hour":
            changes |= {"workloads.0.unit": "labor hour", "workloads.1.unit": "labor hour"}
        specs.append((f"{model}-{pricing}-{position}", spec_variant(REFERENCE, changes)))
    mixed = {
        "workloads.0.pricing": PRICING["fixed"],
        "workloads.1.pricing": PRICING["per_hour"],
        "workloads.1.unit": "labor hour",
    }
    specs.append(("mixed-fixed-per-hour", spec_variant(REFERENCE, mixed)))
    for country in ("IN", "KE", "PH", "VN", "ZA"):
        for position in POSITIONS:
            vendor = {
                "vendor.country": country,
                "vendor.delivery_locations": [country],
                "vendor.subprocessors.0.location": country,
                "engagement.position": position,
            }
            specs.append((f"vendor-{country}-{position}", spec_variant(SPEECH, vendor)))
    for position in POSITIONS:
        california = {
            "engagement.governing_law": "California",
            "engagement.venue": "San Francisco County, California",
            "engagement.position": position,
        }
        specs.append((f"california-{position}", spec_variant(REFERENCE, california)))
        specs.append((f"lidar-{position}", spec_variant(LIDAR, {"engagement.position": position})))
    return specs


@pytest.mark.slow
def test_every_combination_is_clean() -> None:
    library = load_library()
    found = {name: [str(p) for p in spec_problems(spec, library)] for name, spec in combinations()}
    assert {name: problems for name, problems in found.items() if problems} == {}
    assert len(found) == 32 + 1 + 10 + 4
