"""``contractkit review`` of markups whose tracked changes and comments LibreOffice recorded
itself (change recording on, edits, saved as DOCX): no rsids, a replacement as a ``w:del``
followed by a ``w:ins``, the comment anchor recorded as an empty insertion, and an undated
comment written as ``0-00-00T00:00:00Z``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from helpers import review_json

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
SYSTEM_PYTHON = "/usr/bin/python3"
LO_MARKUP = Path(__file__).with_name("lo_markup.py")
CAP = "[COUNSEL: general liability cap amount or formula]"
ISO_SECOND = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


@pytest.fixture(scope="module")
def office(soffice: str) -> str:
    """LibreOffice's command, when a Python with its ``uno`` module can drive it."""
    uno = Path(SYSTEM_PYTHON).exists() and (
        subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0
    )
    if not uno:
        missing = f"{SYSTEM_PYTHON} with the uno module is missing"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing}; CI must install python3-uno")
        pytest.skip(missing)
    return soffice


def lo_markup(office: str, source: Path, target: Path, edits: list[dict[str, Any]]) -> Path:
    """``source`` edited in LibreOffice with change recording on, saved as ``target``."""
    done = subprocess.run(
        [SYSTEM_PYTHON, str(LO_MARKUP), office, str(target.parent / "profile"), str(source),
         str(target), json.dumps(edits)],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert done.returncode == 0 and done.stdout.strip() == "saved", done.stderr
    with zipfile.ZipFile(target) as archive:
        assert "LibreOffice" in archive.read("docProps/app.xml").decode()
    return target


def test_libreoffice_recorded_msa_markup(office: str, markup_bundle: Path, tmp_path: Path) -> None:
    markup = lo_markup(
        office,
        markup_bundle / "msa.docx",
        tmp_path / "msa-vendor.docx",
        [
            {"op": "comment", "find": "Within ten (10) days after discovering",
             "text": "We need thirty (30) days."},
            {"op": "replace", "find": "Within ten (10) days after discovering",
             "old": "ten (10) days", "new": "fifteen (15) days"},
            {"op": "replace", "find": f"is limited to {CAP}", "old": CAP,
             "new": "the Fees paid in the three (3) months"},
        ],
    )  # fmt: skip
    with zipfile.ZipFile(markup) as archive:
        body = archive.read("word/document.xml").decode()
    assert "w:rsid" not in body
    assert re.search(r"<w:delText>ten \(10\) days</w:delText></w:r></w:del><w:ins ", body)
    # The comment's anchor, recorded as an insertion without text: no change of its own.
    assert re.search(r"<w:ins [^>]*><w:r>(<w:rPr/>|<w:rPr></w:rPr>)?</w:r></w:ins><w:commentRangeEnd ", body)  # fmt: skip

    code, data = review_json(markup_bundle, markup, "-o", str(tmp_path / "r"))
    assert code == 3
    assert data["document"] == "msa"
    got = [
        (c["kind"], c["clause"], c["section"], c["classification"], c["point"], c["response"])
        for c in data["changes"]
    ]
    assert got == [
        ("replacement", "msa.security_incidents", "5.3", "fallback", "breach-report-days", "accept"),
        ("comment", "msa.security_incidents", "5.3", "not_in_playbook", "breach-report-days", "counter"),
        ("replacement", "msa.liability_cap", "10.1", "beyond_walk_away", "liability-cap-amount", "reject"),
    ]  # fmt: skip
    olds_news = [(c["old"], c["new"]) for c in data["changes"]]
    assert olds_news[0] == ("ten (10) days", "fifteen (15) days")
    assert olds_news[1][1] == "We need thirty (30) days."
    assert olds_news[2] == (CAP, "the Fees paid in the three (3) months")
    assert {c["author"] for c in data["changes"]} == {"Vendor Counsel"}
    assert all(ISO_SECOND.fullmatch(c["date"]) for c in data["changes"])
    assert data["changes"][0]["fallback"] == "up-to-fifteen-days"
    assert data["summary"] == {
        "changes": 3, "fallback": 1, "beyond_walk_away": 1, "not_in_playbook": 1,
        "cosmetic": 0, "untracked": 0,
    }  # fmt: skip
    with zipfile.ZipFile(tmp_path / "r" / "msa-vendor.response.docx") as archive:
        comments = archive.read("word/comments.xml").decode()
        body = archive.read("word/document.xml").decode()
    assert comments.count("Customer counsel (contractkit)") == 3
    assert comments.count("We need thirty (30) days.") == 1
    assert "Beyond the walk-away (replacement)." in comments
    assert "three (3) months" not in body


def test_libreoffice_recorded_dpa_markup(office: str, markup_bundle: Path, tmp_path: Path) -> None:
    markup = lo_markup(
        office,
        markup_bundle / "dpa.docx",
        tmp_path / "dpa-vendor.docx",
        [
            {"op": "replace", "find": "shall deliver a full written report within ten (10) days",
             "old": "ten (10) days", "new": "fifteen (15) days"},
            {"op": "replace", "find": "Nimbus shall complete the deletion within thirty (30) days",
             "old": "thirty (30) days", "new": "two hundred (200) days"},
            {"op": "comment", "find": "shall allow for and contribute to audits",
             "text": "Audits at most once a year, please.", "undated": True},
            {"op": "delete", "find": "train, fine-tune, evaluate, benchmark"},
        ],
    )  # fmt: skip
    with zipfile.ZipFile(markup) as archive:
        assert 'w:date="0-00-00T00:00:00Z"' in archive.read("word/comments.xml").decode()
    code, data = review_json(markup_bundle, markup)
    assert code == 3
    assert data["document"] == "dpa"
    got = [
        (c["kind"], c["clause"], c["section"], c["classification"], c["point"], c["response"])
        for c in data["changes"]
    ]
    assert got == [
        ("deletion", "dpa.no_training", "3.3", "not_in_playbook", None, "counter"),
        ("replacement", "dpa.incidents", "3.7", "fallback", "breach-report-days", "accept"),
        ("comment", "dpa.audit", "3.9", "not_in_playbook", "audit-rights", "counter"),
        ("replacement", "dpa.return_deletion", "6.1", "beyond_walk_away", "data-deletion-days", "reject"),
    ]  # fmt: skip
    assert (data["changes"][0]["old"], data["changes"][0]["new"]) == (
        "train, fine-tune, evaluate, benchmark", ""
    )  # fmt: skip
    assert data["changes"][2]["new"] == "Audits at most once a year, please."
    assert data["changes"][2]["date"] is None
    assert (data["changes"][3]["old"], data["changes"][3]["new"]) == (
        "thirty (30) days", "two hundred (200) days"
    )  # fmt: skip
    assert data["summary"] == {
        "changes": 4, "fallback": 1, "beyond_walk_away": 1, "not_in_playbook": 2,
        "cosmetic": 0, "untracked": 0,
    }  # fmt: skip
