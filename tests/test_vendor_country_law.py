"""The vendor's own law, and only the countries of the engagement, in the agreements and notes."""

from __future__ import annotations

import pytest

from contractkit.assemble import assemble
from contractkit.coverage import coverage
from contractkit.hygiene import document_problems
from contractkit.library import load_library
from contractkit.spec import Spec

from helpers import EXAMPLES, LIDAR, bundle_texts, spec_variant

SPEECH = EXAMPLES / "speech-flex.yaml"
REFERENCE = EXAMPLES / "reference.yaml"
LAWS = {
    "IN": ("local.in-dpdp", "India (where Savanna is established and performs the Services, and "
           "where Manila Transcription Partners Inc. and Nairobi Secure Hosting Ltd. process "
           "Customer Data): the Digital Personal Data Protection Act, 2023"),
    "KE": ("local.ke-dpa", "registration with the Office of the Data Protection Commissioner "
           "as a data processor under section 18 of the Act"),
    "PH": ("local.ph-dpa", "the Data Privacy Act of 2012 (Republic Act No. 10173)"),
    "VN": ("local.vn-pdp", "[COUNSEL: confirm whether Decree 13/2023/ND-CP or the 2025 Law on "
           "Personal Data Protection governs when the DPA is signed, and update these "
           "references]"),
    "ZA": ("local.za-popia", "only as section 72 of the Act allows"),
}  # fmt: skip
LAW_NAMES = {
    "IN": "Digital Personal Data Protection Act",
    "KE": "Data Protection Act, 2019",
    "PH": "Data Privacy Act of 2012",
    "VN": "Decree No. 13/2023/ND-CP",
    "ZA": "Protection of Personal Information Act",
}


def vendor_in(country: str) -> Spec:
    """The speech engagement with the vendor, its delivery and its sub-processors in one country."""
    return spec_variant(
        SPEECH,
        {
            "vendor.country": country,
            "vendor.delivery_locations": [country],
            "vendor.subprocessors.0.location": country,
            "vendor.subprocessors.1.location": country,
        },
    )


@pytest.mark.parametrize("country", sorted(LAWS))
def test_the_dpa_names_the_law_of_the_vendor_country_and_coverage_lists_it(country: str) -> None:
    spec = vendor_in(country)
    library = load_library()
    trees = assemble(spec, library)
    dpa = bundle_texts(spec)["dpa"]
    requirement, words = LAWS[country]
    assert words in dpa
    for other, name in LAW_NAMES.items():
        assert (name in dpa) == (other == country), other
    rows = {r.requirement: r for r in coverage(spec, library, trees)}
    assert rows[requirement].applies and rows[requirement].covered
    assert rows[requirement].clauses == ["dpa.local_laws"]
    assert not any(rows[r].applies for r, _ in (LAWS[c] for c in LAWS if c != country) if r in rows)
    assert not [p for p in document_problems(spec, trees, library) if "country" in p.message]


def test_the_shipped_speech_engagement_covers_kenya_and_the_philippines() -> None:
    dpa = bundle_texts(spec_variant(SPEECH, {}))["dpa"]
    assert (
        "Kenya (where Savanna is established and performs the Services, and where Nairobi "
        "Secure Hosting Ltd. processes Customer Data): the Data Protection Act, 2019"
    ) in dpa
    assert (
        "The Philippines (where Savanna performs the Services, and where Manila Transcription "
        "Partners Inc. processes Customer Data): the Data Privacy Act of 2012"
    ) in dpa


def test_a_country_without_an_entry_gets_a_counsel_marker() -> None:
    dpa = bundle_texts(vendor_in("BR"))["dpa"]
    assert (
        "[COUNSEL: data protection law of Brazil that applies to this processing, its "
        "conditions for transfers out of the country, and any registration that Savanna or "
        "Manila Transcription Partners Inc. or Nairobi Secure Hosting Ltd. must hold there]"
    ) in dpa
    rows = {r.requirement: r for r in coverage(vendor_in("BR"), load_library(), [])}
    assert rows["local.other"].applies


def test_without_personal_data_there_is_no_local_law_clause() -> None:
    assert (
        "Laws of the Countries Where Data Is Processed"
        not in bundle_texts(spec_variant(LIDAR, {}))["dpa"]
    )


@pytest.mark.parametrize(
    ("country", "present", "absent"),
    [
        ("IN", "Terms Required by the Indian Copyright Act", "Formalities Where"),
        ("PH", "copyright in a commissioned work remains with its creator unless there is a "
         "written stipulation to the contrary (section 178.4)", "Indian Copyright Act"),
        ("KE", "Under section 33 of the Copyright Act, 2001, an assignment of copyright has "
         "effect only if it is in writing signed by or on behalf of the assignor.",
         "Indian Copyright Act"),
        ("BR", "[COUNSEL: formalities for an assignment of copyright and other rights in works "
         "created in Brazil: writing, registration, stamp duty, future works and moral rights]",
         "Indian Copyright Act"),
    ],
)  # fmt: skip
def test_the_ip_assignment_follows_the_countries_where_work_is_made(
    country: str, present: str, absent: str
) -> None:
    ip = bundle_texts(vendor_in(country))["ip_assignment"]
    assert present in ip
    assert absent not in ip


def test_review_notes_name_the_vendor_country_only() -> None:
    library = load_library()
    for country, name in (("KE", "Kenya"), ("PH", "the Philippines"), ("IN", "India")):
        spec = vendor_in(country)
        notes = {n.clause_id: n.note or "" for t in assemble(spec, library) for n in t.notes}
        assert f"or in {name}, where the vendor is established" in notes["msa.taxes"]
        assert ("Indian GST" in notes["msa.taxes"]) == (country == "IN")
        assert ("section 57" in notes["ip_assignment.moral_rights"]) == (country == "IN")


def test_annex_i_lists_the_actual_data_the_data_subjects_and_each_onward_transfer() -> None:
    dpa = bundle_texts(spec_variant(SPEECH, {}))["dpa"]
    assert (
        "Call-centre audio transcription: the personal data are the voices of the speakers and "
        "everything they say, including names, contact and account details and any other "
        "information they disclose. The data subjects are callers to the support lines of "
        "Vocalis's clients and support agents."
    ) in dpa
    assert (
        "Vocalis’s representative in the Union under Article 27 of the GDPR is Vocalis Labs "
        "Europe B.V., Herengracht 100, 1015 BS Amsterdam, Netherlands, contact "
        "eu-rep@vocalis.example."
    ) in dpa
    assert (
        "Manila Transcription Partners Inc. | the Philippines | second-pass transcription review "
        "| The term of the Agreement, until deletion thirty (30) days after the Receipt Date "
        "(backups ninety (90) days)"
    ) in dpa
    assert "Annex I (list of parties, description of transfer and competent supervisory " in dpa
    assert "representative under Article 27(1) of the GDPR, Vocalis Labs Europe B.V., is " in dpa


def test_a_workload_without_data_subjects_gets_a_counsel_marker() -> None:
    dpa = bundle_texts(spec_variant(SPEECH, {"workloads.1.data_subjects": None}))["dpa"]
    assert (
        "The data subjects are [COUNSEL: who the individuals in the Intent and sentiment "
        "labeling of chat transcripts Workload are]."
    ) in dpa


def test_the_msa_caps_do_not_limit_liability_to_data_subjects_under_the_sccs() -> None:
    dpa = bundle_texts(spec_variant(SPEECH, {}))["dpa"]
    assert (
        "limits or excludes either party’s liability to data subjects under Clause 12 of the "
        "Standard Contractual Clauses"
    ) in dpa
    assert "for Clause 9(a), Option 2 (general written authorization) applies" in dpa
