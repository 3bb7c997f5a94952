"""Exits that end: native-form return, destruction without return, and a destruction deadline that
runs even when the customer never confirms receipt, the same in every document and the runbook."""

from __future__ import annotations

import datetime as dt

from contractkit.assemble import assemble
from contractkit.checklist.runbook import runbook
from contractkit.library import load_library

from helpers import EXAMPLES, LIDAR, bundle_texts, spec_variant

REFERENCE = EXAMPLES / "reference.yaml"
SPEECH = EXAMPLES / "speech-flex.yaml"


def test_source_data_comes_back_in_its_native_form_and_labels_in_the_agreed_formats() -> None:
    texts = bundle_texts(spec_variant(REFERENCE, {}))
    exit_text = texts["exit_schedule"]
    assert (
        "the source data in its native form: each file exactly as Acme or anyone acting for it "
        "supplied it, in its original format (DICOM for the CT scan organ segmentation Workload "
        "and plain text (UTF-8) for the Clinical note entity tagging Workload), with its original "
        "file name, metadata and folder structure, and without conversion, re-encoding, "
        "compression, resampling or de-identification except as Acme instructs in writing;"
    ) in exit_text
    assert "all labels, annotations and other Work Product, in the JSON and COCO formats" in (
        exit_text
    )


def test_without_a_native_format_the_original_format_is_still_required() -> None:
    spec = spec_variant(
        REFERENCE,
        {"workloads.0.native_format": None, "workloads.1.native_format": None},
    )
    exit_text = bundle_texts(spec)["exit_schedule"]
    assert "supplied it, in its original format, with its original file name" in exit_text


def test_the_customer_may_elect_destruction_without_return_for_any_data() -> None:
    texts = bundle_texts(spec_variant(LIDAR, {}))
    assert (
        "Orbital may, by written notice given at any time before the return is complete, elect "
        "that Luzon Data destroy all or any part of the Customer Data without returning it."
    ) in texts["exit_schedule"]
    assert (
        "return all Customer Data to Orbital and then delete it or, if Orbital so elects in "
        "writing, delete it without returning it"
    ) in texts["dpa"]


def test_destruction_runs_from_a_receipt_date_that_comes_without_confirmation() -> None:
    texts = bundle_texts(spec_variant(REFERENCE, {}))
    receipt = (
        "“Receipt Date” means the earliest of: the date on which Acme confirms in writing that it "
        "has received and verified the Customer Data returned to it; the day that falls fifteen "
        "(15) days after Nimbus notifies Acme in writing that the return is complete"
    )
    for key in ("exit_schedule", "dpa", "baa"):
        assert receipt in texts[key], key
    exit_text = texts["exit_schedule"]
    assert "Within thirty (30) days after the Receipt Date, Nimbus shall destroy all Customer" in (
        exit_text
    )
    assert "shall be purged no later than sixty (60) days after the Receipt Date" in exit_text
    assert (
        "The Receipt Date occurs even if Acme never confirms receipt, so no Customer Data, "
        "including Personal Data and Protected Health Information, remains with Nimbus or any "
        "Sub-processor after those periods"
    ) in exit_text
    assert (
        "within thirty (30) days after the Receipt Date, except that copies in backups shall be "
        "purged no later than sixty (60) days after the Receipt Date"
    ) in texts["baa"]
    assert "After Acme confirms in writing" not in exit_text


def test_the_dpa_states_the_deadlines_itself_when_no_exit_schedule_is_produced() -> None:
    spec = spec_variant(SPEECH, {"documents": ["msa", "dpa"]})
    dpa = bundle_texts(spec)["dpa"]
    assert (
        "Savanna shall complete the deletion within thirty (30) days after the Receipt Date, "
        "except that Customer Data held in backups that cannot be deleted by then shall be kept "
        "encrypted and isolated, shall not be restored or used, and shall be purged no later "
        "than ninety (90) days after the Receipt Date."
    ) in dpa
    assert "thirty (30) days after Savanna notifies Vocalis in writing that the return" in dpa


def test_backups_kept_longer_than_the_certificate_are_listed_in_it() -> None:
    short = bundle_texts(spec_variant(LIDAR, {"exit.backup_purge_days": 10}))["exit_schedule"]
    assert "listing each backup not yet purged" not in short
    long = bundle_texts(spec_variant(LIDAR, {"exit.backup_purge_days": 60}))["exit_schedule"]
    assert (
        "and listing each backup not yet purged with the date, no later than sixty (60) days "
        "after the Receipt Date, on which it will be purged."
    ) in long


def test_the_runbook_shows_the_same_latest_dates() -> None:
    spec = spec_variant(REFERENCE, {})
    events = {e.event: e for e in runbook(spec, dt.date(2028, 1, 10))}
    # 90 days of transition, 30 to return, 15 to deemed receipt, 30 to certify, 60 for backups.
    assert events["All data returned"].date == "2028-05-09"
    assert events["Receipt Date at the latest (receipt deemed confirmed)"].date == "2028-05-24"
    assert events["Destruction certificate due at the latest"].date == "2028-06-23"
    assert events["Backups purged at the latest"].date == "2028-07-23"
    relative = {e.event: e for e in runbook(spec, None)}
    latest = relative["Destruction certificate due at the latest"]
    assert (latest.anchor, latest.offset_days, latest.date) == ("exit_notice", 165, None)


def test_every_document_uses_the_same_periods() -> None:
    spec = spec_variant(
        SPEECH, {"exit.data_return.deemed_receipt_days": 7, "exit.backup_purge_days": 45}
    )
    for tree in assemble(spec, load_library()):
        text = " ".join(
            "".join(r.text for r in d.runs) for a in tree.articles for d in a.definitions
        )
        if "Receipt Date" in text:
            assert "seven (7) days after Savanna notifies Vocalis" in text, tree.key
    texts = bundle_texts(spec)
    assert "purged no later than forty-five (45) days after the Receipt Date" in texts["dpa"]
    assert (
        "purged no later than forty-five (45) days after the Receipt Date" in texts["exit_schedule"]
    )
