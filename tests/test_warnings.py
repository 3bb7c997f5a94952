"""Warnings: reported with their location, exit 0, and exit 1 under ``validate --strict``.

The reference spec draws one warning of its own (its critical workload has no secondary vendor).
The other tests start from a clean copy, the reference with a secondary vendor added, so each
shows exactly the warning it is about.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from click.testing import Result

RunCli = Callable[..., Result]
WriteSpec = Callable[..., Path]

GOLD_SET = "    ground_truth: {name: CT gold set, items: 2000, owner: customer}\n"
CLEAN = [
    (
        GOLD_SET,
        GOLD_SET
        + "    secondary_vendor: {legal_name: Second Look Labeling LLC, status: qualified}\n",
    )
]
CT_SOP = 'sop: {title: CT Segmentation SOP, version: "3.2", owner: customer, repository: customer}'
SLAS = "slas: {on_time_delivery_pct: 98, service_credit_pct: 5}"
SURGE = "surge: {max_increase_pct: 50,"


def check(
    run_cli: RunCli, spec: Path, expected: Sequence[str], *, count: int | None = None
) -> None:
    """``validate`` passes with exactly these warnings, and ``--strict`` fails on them."""
    name = spec.name
    count = len(expected) if count is None else count
    note = f" ({count} warning{'s' * (count != 1)})" if count else ""

    result = run_cli("validate", name, cwd=spec.parent)
    assert result.stderr.splitlines() == [f"{name}:{line}" for line in expected] + [
        f"{name}: valid{note}"
    ]
    assert result.exit_code == 0

    strict = run_cli("validate", "--strict", name, cwd=spec.parent)
    assert strict.stderr.splitlines()[:-1] == [f"{name}:{line}" for line in expected]
    assert strict.exit_code == (1 if expected else 0)


def test_clean_copy_has_no_warnings(run_cli: RunCli, write_spec: WriteSpec) -> None:
    check(run_cli, write_spec(CLEAN), [])


def test_critical_workload_without_secondary_vendor(run_cli: RunCli, write_spec: WriteSpec) -> None:
    check(
        run_cli,
        write_spec(),
        [
            "50:15: workloads[0].critical: warning: critical workload 'ct-segmentation' has no "
            "secondary_vendor: the program depends on one vendor"
        ],
    )


def test_sop_without_version(run_cli: RunCli, write_spec: WriteSpec) -> None:
    unversioned = CT_SOP.replace(', version: "3.2"', "")
    check(
        run_cli,
        write_spec([*CLEAN, (CT_SOP, unversioned)]),
        [
            "64:10: workloads[0].sop: warning: the SOP of workload 'ct-segmentation' has no "
            "version; changes cannot be tracked"
        ],
    )


def test_sop_held_by_vendor_only(run_cli: RunCli, write_spec: WriteSpec) -> None:
    vendor_held = CT_SOP.replace("repository: customer", "repository: vendor")
    check(
        run_cli,
        write_spec([*CLEAN, (CT_SOP, vendor_held)]),
        [
            "64:84: workloads[0].sop.repository: warning: the SOP of workload 'ct-segmentation' "
            "is held only by the vendor; keep a copy in customer or shared systems so it can "
            "move to another vendor"
        ],
    )


@pytest.mark.parametrize(
    ("value", "meant"),
    [("0.5", "50%"), ("1", "100%"), ("0.05", "5%"), ("1.0", "100%")],
)
def test_small_percentage_asks_what_was_meant(
    value: str, meant: str, run_cli: RunCli, write_spec: WriteSpec
) -> None:
    edit = (SLAS, SLAS.replace("service_credit_pct: 5", f"service_credit_pct: {value}"))
    check(
        run_cli,
        write_spec([*CLEAN, edit]),
        [
            "106:56: operations.slas.service_credit_pct: warning: service_credit_pct is a "
            f"percentage 0-100; did you mean {meant}?"
        ],
    )


@pytest.mark.parametrize("value", ["0", "1.5", "100"])
def test_percentages_outside_zero_to_one_draw_no_warning(
    value: str, run_cli: RunCli, write_spec: WriteSpec
) -> None:
    edit = (SLAS, SLAS.replace("service_credit_pct: 5", f"service_credit_pct: {value}"))
    check(run_cli, write_spec([*CLEAN, edit]), [])


def test_small_percentage_in_a_nested_section(run_cli: RunCli, write_spec: WriteSpec) -> None:
    check(
        run_cli,
        write_spec([*CLEAN, (SURGE, "surge: {max_increase_pct: 0.5,")]),
        [
            "92:29: staffing.surge.max_increase_pct: warning: max_increase_pct is a percentage "
            "0-100; did you mean 50%?"
        ],
    )


def test_every_warning_at_once_in_line_order(run_cli: RunCli, write_spec: WriteSpec) -> None:
    spec = write_spec(
        [
            (CT_SOP, CT_SOP.replace(', version: "3.2"', "").replace("customer}", "vendor}")),
            (SLAS, SLAS.replace("service_credit_pct: 5", "service_credit_pct: 0.5")),
        ]
    )
    check(
        run_cli,
        spec,
        [
            "50:15: workloads[0].critical: warning: critical workload 'ct-segmentation' has no "
            "secondary_vendor: the program depends on one vendor",
            "64:10: workloads[0].sop: warning: the SOP of workload 'ct-segmentation' has no "
            "version; changes cannot be tracked",
            "64:68: workloads[0].sop.repository: warning: the SOP of workload 'ct-segmentation' "
            "is held only by the vendor; keep a copy in customer or shared systems so it can "
            "move to another vendor",
            "105:56: operations.slas.service_credit_pct: warning: service_credit_pct is a "
            "percentage 0-100; did you mean 50%?",
        ],
    )


def test_warnings_are_printed_alongside_errors(run_cli: RunCli, write_spec: WriteSpec) -> None:
    spec = write_spec([("breach_notice_days: 10 ", "breach_notice_days: 90 ")])

    result = run_cli("validate", spec.name, cwd=spec.parent)

    assert result.stderr.splitlines() == [
        "engagement.yaml:50:15: workloads[0].critical: warning: critical workload "
        "'ct-segmentation' has no secondary_vendor: the program depends on one vendor",
        "engagement.yaml:100:23: security.breach_notice_days: workload 'ct-segmentation' carries "
        "phi, so breach notice must be at most 60 days (45 CFR 164.410); got 90",
        "engagement.yaml: invalid (1 error)",
    ]
    assert result.exit_code == 1


def test_breach_notice_of_exactly_60_days_is_allowed_with_phi(
    run_cli: RunCli, write_spec: WriteSpec
) -> None:
    check(run_cli, write_spec([*CLEAN, ("breach_notice_days: 10 ", "breach_notice_days: 60 ")]), [])
