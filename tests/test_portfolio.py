"""The portfolio report: every engagement's standing, the same numbers in HTML, JSON and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from contractkit.build import spec_files
from contractkit.checklist import LAYERS, checklist_for
from contractkit.portfolio import collect, report
from contractkit.portfolio.data import CSV_COLUMNS
from contractkit.resources import example_names

from helpers import EXAMPLES

RunCli = Callable[..., Result]
AS_OF = "2027-09-15"


@pytest.fixture(scope="module")
def portfolio_json() -> dict[str, object]:
    data = report(collect([EXAMPLES], None, dt.date.fromisoformat(AS_OF)), "json")
    parsed: dict[str, object] = json.loads(data)
    return parsed


def engagements(data: dict[str, object]) -> dict[str, dict[str, object]]:
    rows = data["engagements"]
    assert isinstance(rows, list)
    return {e["id"]: e for e in rows}


def test_evidence_files_beside_the_examples_are_not_specs() -> None:
    assert [p.name for p in spec_files([EXAMPLES])] == [
        "lidar-project.yaml",
        "reference.yaml",
        "speech-flex.yaml",
    ]
    assert example_names() == ["lidar-project", "reference", "speech-flex"]
    assert sorted(p.name for p in EXAMPLES.glob("*.evidence.yaml")) == [
        "lidar-project.evidence.yaml",
        "reference.evidence.yaml",
        "speech-flex.evidence.yaml",
    ]


def test_each_engagement_says_whether_it_could_be_exited_now(
    portfolio_json: dict[str, object],
) -> None:
    found = engagements(portfolio_json)
    assert list(found) == ["acme-nimbus-2027", "orbital-lidar-2027", "vocalis-speech-2027"]
    acme = found["acme-nimbus-2027"]
    assert (acme["vendor"], acme["country"], acme["operating_model"]) == (
        "Nimbus Annotation Services Private Limited",
        "IN",
        "hybrid",
    )
    assert acme["critical_workloads"] == ["ct-segmentation"]
    assert acme["exit_ready"] is False
    assert [b["id"] for b in acme["blocking"]] == [  # type: ignore[attr-defined]
        "strategic.ct-segmentation.diversification",
        "transferability.clinical-notes-ner.ground-truth-owned",
    ]
    assert found["orbital-lidar-2027"]["exit_ready"] is True
    assert found["orbital-lidar-2027"]["blocking"] == []
    vocalis = [b["id"] for b in found["vocalis-speech-2027"]["blocking"]]  # type: ignore[attr-defined]
    assert "contractual.exit-schedule" in vocalis
    assert "transferability.call-transcription.sop-copy-held" in vocalis
    assert found["orbital-lidar-2027"]["next_deadlines"] == [
        {
            "date": "2027-09-28",
            "engagement": "orbital-lidar-2027",
            "event": "Evidence due: Exit plan received from the vendor",
            "kind": "evidence",
        },
        {
            "date": "2027-09-30",
            "engagement": "orbital-lidar-2027",
            "event": "Exit plan review 1",
            "kind": "contract",
        },
        {
            "date": "2027-10-10",
            "engagement": "orbital-lidar-2027",
            "event": "Evidence due: Customer holds a copy of the SOP (lidar-3d-boxes)",
            "kind": "evidence",
        },
    ]


@pytest.mark.parametrize("name", ["reference", "lidar-project", "speech-flex"])
def test_scores_and_counts_are_the_checklists_own(
    portfolio_json: dict[str, object], name: str
) -> None:
    checklist, _ = checklist_for(EXAMPLES / f"{name}.yaml", as_of=dt.date.fromisoformat(AS_OF))
    summary = checklist.summary()
    row = engagements(portfolio_json)[checklist.engagement]
    assert row["overall"] == summary["overall"]
    assert row["scores"] == {layer: summary["layers"][layer]["score"] for layer in LAYERS}
    counts = row["counts"]
    assert isinstance(counts, dict)
    for status in ("gap", "stale", "needs_input", "drafted"):
        assert counts[status] == sum(1 for i in checklist.items if i.status == status)


def test_concentration_and_the_calendar_cover_the_portfolio(
    portfolio_json: dict[str, object],
) -> None:
    concentration = portfolio_json["concentration"]
    assert isinstance(concentration, dict)
    assert concentration["critical_workloads"] == 3
    assert [(s["name"], s["critical"], s["share_pct"]) for s in concentration["by_country"]] == [
        ("IN", 1, 33),
        ("KE", 1, 33),
        ("PH", 1, 33),
    ]
    assert concentration["without_secondary_vendor"] == [
        {"engagement": "acme-nimbus-2027", "workload": "ct-segmentation", "critical": True},
        {"engagement": "acme-nimbus-2027", "workload": "clinical-notes-ner", "critical": False},
        {"engagement": "vocalis-speech-2027", "workload": "intent-labeling", "critical": False},
    ]
    calendar = portfolio_json["calendar"]
    assert isinstance(calendar, list)
    dates = [d["date"] for d in calendar]
    assert dates == sorted(dates)
    assert dates[0] >= AS_OF and dates[-1] <= "2028-03-13"
    assert portfolio_json["calendar_until"] == "2028-03-13"
    assert {
        "date": "2027-12-01",
        "engagement": "orbital-lidar-2027",
        "event": "Term expires",
        "kind": "contract",
    } in calendar
    assert portfolio_json["stale"] == [
        {
            "date": "2027-08-09",
            "engagement": "acme-nimbus-2027",
            "event": "Ground-truth set owned by the customer (clinical-notes-ner)",
            "kind": "stale",
        },
        {
            "date": "2027-08-20",
            "engagement": "vocalis-speech-2027",
            "event": "Customer holds a copy of the SOP (call-transcription)",
            "kind": "stale",
        },
    ]


def test_csv_carries_the_same_numbers_as_json(
    run_cli: RunCli, portfolio_json: dict[str, object]
) -> None:
    result = run_cli("portfolio", EXAMPLES, "--as-of", AS_OF, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert list(rows[0]) == CSV_COLUMNS
    by_id = engagements(portfolio_json)
    for row in rows:
        e = by_id[row["engagement"]]
        scores = e["scores"]
        counts = e["counts"]
        assert isinstance(scores, dict) and isinstance(counts, dict)
        assert int(row["overall"]) == e["overall"]
        assert {layer: int(row[f"score_{layer}"]) for layer in LAYERS} == scores
        assert [int(row[s]) for s in ("gap", "stale", "needs_input", "drafted")] == [
            counts[s] for s in ("gap", "stale", "needs_input", "drafted")
        ]
        assert row["exit_ready"] == ("yes" if e["exit_ready"] else "no")
        assert row["blocking"] == "; ".join(b["id"] for b in e["blocking"])  # type: ignore[attr-defined]
        deadlines = [f"{d['date']}: {d['event']}" for d in e["next_deadlines"]]  # type: ignore[attr-defined]
        assert [row[f"deadline_{n}"] for n in (1, 2, 3)] == deadlines
    json_out = run_cli("portfolio", EXAMPLES, "--as-of", AS_OF, "--format", "json")
    assert json.loads(json_out.stdout) == portfolio_json


def test_csv_cells_cannot_become_formulas(run_cli: RunCli, tmp_path: Path) -> None:
    text = (EXAMPLES / "lidar-project.yaml").read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("  title: "))
    (tmp_path / "x.yaml").write_text(
        text.replace(title, '  title: "=HYPERLINK(1)"'), encoding="utf-8"
    )
    result = run_cli("portfolio", tmp_path, "--as-of", AS_OF, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    row = next(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert row["title"] == "'=HYPERLINK(1)"


def test_the_html_is_one_file_that_fetches_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "portfolio.html"
    result = run_cli("portfolio", EXAMPLES, "--as-of", AS_OF, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [f"wrote {out}: 3 engagements, 2 could not be exited now"]
    html = out.read_text(encoding="utf-8")
    assert not re.search(r"https?:", html)
    for forbidden in ("<script", "<link", "@import", "url(", "<img", "<iframe"):
        assert forbidden not in html.lower()
    assert re.findall(r'href="([^"]*)"', html) == [
        "#acme-nimbus-2027",
        "#orbital-lidar-2027",
        "#vocalis-speech-2027",
    ]
    assert 'id="acme-nimbus-2027"' in html
    assert "@page { size: Letter;" in html
    assert "<strong>2 could not be exited now</strong>" in html
    # Status as words and shapes, not colour alone.
    assert html.count('aria-label="Gap"') >= 6
    assert ">Stale<" in html and ">Drafted<" in html
    assert (
        "Stale since 2027-08-09: Ground-truth set owned by the customer (clinical-notes-ner)"
        in (html)
    )
    assert html.count("<svg") == html.count("</svg>") > 3


def test_an_engagement_without_evidence_is_judged_on_an_empty_record(
    run_cli: RunCli, tmp_path: Path
) -> None:
    shutil.copy(EXAMPLES / "lidar-project.yaml", tmp_path / "lidar.yaml")
    data = json.loads(run_cli("portfolio", tmp_path, "--as-of", AS_OF, "--format", "json").stdout)
    (lidar,) = data["engagements"]
    assert lidar["evidence"] is None
    assert lidar["exit_ready"] is False
    assert lidar["counts"]["drafted"] == 10
    assert "contractual.msa" in [b["id"] for b in lidar["blocking"]]
    evidence = tmp_path / "records"
    evidence.mkdir()
    shutil.copy(EXAMPLES / "lidar-project.evidence.yaml", evidence / "lidar.evidence.yaml")
    found = json.loads(
        run_cli(
            "portfolio", tmp_path, "--evidence-dir", evidence, "--as-of", AS_OF, "--format", "json"
        ).stdout
    )
    assert found["engagements"][0]["evidence"] == str(evidence / "lidar.evidence.yaml")
    assert found["engagements"][0]["exit_ready"] is True


def test_a_bad_file_refuses_the_whole_report_and_writes_nothing(
    run_cli: RunCli, tmp_path: Path
) -> None:
    shutil.copy(EXAMPLES / "lidar-project.yaml", tmp_path / "a.yaml")
    shutil.copy(EXAMPLES / "lidar-project.yaml", tmp_path / "b.yaml")
    (tmp_path / "b.evidence.yaml").write_text(
        "contractkit_evidence: 1\nengagement: orbital-lidar-2027\nitems: [{item: nope}]\n",
        encoding="utf-8",
    )
    out = tmp_path / "p.html"
    result = run_cli("portfolio", tmp_path, "--as-of", AS_OF, "-o", out)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'b.evidence.yaml'}:3:9: items[0].status: required field 'status' is missing",
        f"{tmp_path / 'b.evidence.yaml'}:3:9: items[0].date: required field 'date' is missing",
        f"{tmp_path / 'b.yaml'}:7:7: engagement.id: 'orbital-lidar-2027' is also the id of "
        f"{tmp_path / 'a.yaml'}; each engagement in a portfolio needs its own id",
    ]
    assert not out.exists()


def test_the_charts_place_marks_by_date_and_bars_by_share() -> None:
    from contractkit.portfolio import svg
    from contractkit.portfolio.model import Deadline, Share

    as_of = dt.date(2027, 9, 15)
    marks = [
        (1, Deadline("2027-09-15", "a", "start", "contract")),
        (2, Deadline("2028-03-13", "a", "end", "evidence")),
        (3, Deadline("2027-08-01", "b", "old", "stale")),
    ]
    chart = svg.timeline(["a", "b"], marks, as_of)
    x0, x1 = svg.LABEL_W + svg.STALE_W, svg.WIDTH - 12
    # The as-of day sits on the as-of line, the last day of the window at the right edge.
    assert f'points="{x0:.1f},' in chart
    assert f'<circle cx="{x1:.1f}"' in chart
    assert ">as of 2027-09-15<" in chart and ">Oct 2027<" in chart and ">Mar 2028<" in chart
    for label in (">1<", ">2<", ">3<", ">a<", ">b<"):
        assert label in chart
    bars = svg.bars([Share("IN", 1, 25, ["x"]), Share("PH", 3, 75, ["y"])], 4, "C", "By")
    widths = re.findall(r'<rect x="250" y="[\d.]+" width="([\d.]+)"', bars)
    assert widths == ["75.0", "225.0"]
    assert ">1 of 4 critical (25%)<" in bars and ">3 of 4 critical (75%)<" in bars
    for status in ("ready", "drafted", "stale", "gap", "needs_input", "not_applicable"):
        icon = svg.status_icon(status)
        assert f'aria-label="{svg.STATUS_STYLE[status][0]}"' in icon
    shapes = {svg.STATUS_STYLE[s][2] for s in svg.STATUS_STYLE}
    assert len(shapes) == len(svg.STATUS_STYLE)
