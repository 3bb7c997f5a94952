"""The engagement spec: strict pydantic models that also document themselves.

The descriptions feed the JSON Schema, the field reference and the ``init`` example, so they
are written for the people who fill in a spec, not for programmers.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from iso3166 import countries, countries_by_alpha2
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    model_validator,
)

from contractkit.documents import DocumentKey as DocumentKey

SPEC_FORMAT = 1
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"


class Strict(BaseModel):
    """Base of every spec model: unknown keys are errors, values are checked on assignment."""

    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, use_enum_values=False, allow_inf_nan=False
    )


def _country(value: Any) -> Any:
    """Checked before the length limit, so 'India' is told what a code is, not its length."""
    if not isinstance(value, str) or value in countries_by_alpha2:
        return value
    message = f"'{value}' is not an ISO 3166-1 alpha-2 country code (e.g. US, IN, PH)"
    try:
        # A lower-case code, an alpha-3 code or a country's name: say which code it is.
        suggestion = "GB" if value.upper() == "UK" else countries.get(value).alpha2
    except KeyError:
        suggestion = None
    if suggestion:
        message += f"; did you mean '{suggestion}'?"
    raise ValueError(message)


def _source_text(value: Any) -> Any:
    """Keep a version written as a bare number (3.10) exactly as typed."""
    text = getattr(value, "source_text", None)
    if text is not None:
        return text
    return value


def _printable(value: str) -> str:
    for char in value:
        if (ord(char) < 32 and char not in "\t\n\r") or 0x7F <= ord(char) < 0xA0:
            raise ValueError(f"contains the control character U+{ord(char):04X}; remove it")
    return value


Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN),
    Field(description="lower-case letters, digits and hyphens, at most 63 characters"),
]
Country = Annotated[
    str,
    StringConstraints(min_length=2, max_length=2),
    BeforeValidator(_country),
]
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_printable)
]
VersionText = Annotated[str, BeforeValidator(_source_text), StringConstraints(min_length=1)]
Fraction = Annotated[float, Field(ge=0, le=1)]
Percent = Annotated[float, Field(ge=0, le=100)]
Count = Annotated[int, Field(ge=0, le=10**12)]
PositiveCount = Annotated[int, Field(gt=0, le=10**12)]
Days = Annotated[int, Field(ge=0, le=3650)]
Hours = Annotated[int, Field(ge=0, le=8760)]
Months = Annotated[int, Field(ge=0, le=600)]


class Renewal(StrEnum):
    none = "none"
    auto_annual = "auto_annual"
    mutual_agreement = "mutual_agreement"


class OperatingModel(StrEnum):
    project = "project"
    dedicated_team = "dedicated_team"
    flexible = "flexible"
    hybrid = "hybrid"


class Position(StrEnum):
    customer_favourable = "customer_favourable"
    balanced = "balanced"


class HipaaRole(StrEnum):
    covered_entity = "covered_entity"
    business_associate = "business_associate"


class GdprRole(StrEnum):
    controller = "controller"
    processor = "processor"


class Certification(StrEnum):
    iso_9001 = "iso_9001"
    iso_27001 = "iso_27001"
    soc2_type2 = "soc2_type2"
    hipaa_baa = "hipaa_baa"


class Modality(StrEnum):
    image = "image"
    video = "video"
    text = "text"
    audio = "audio"
    lidar = "lidar"
    multimodal = "multimodal"


class DataCategory(StrEnum):
    phi = "phi"
    personal_data = "personal_data"
    eu_personal_data = "eu_personal_data"
    california_personal_data = "california_personal_data"
    biometric = "biometric"
    export_controlled = "export_controlled"
    confidential = "confidential"
    public = "public"


PERSONAL_CATEGORIES = frozenset(
    {
        DataCategory.phi,
        DataCategory.personal_data,
        DataCategory.eu_personal_data,
        DataCategory.california_personal_data,
        DataCategory.biometric,
    }
)


class Residency(StrEnum):
    offshore_permitted = "offshore_permitted"
    us_only = "us_only"


class PricingModel(StrEnum):
    per_task = "per_task"
    per_hour = "per_hour"
    per_fte_month = "per_fte_month"
    fixed = "fixed"


class QualityMetric(StrEnum):
    accuracy = "accuracy"
    dice = "dice"
    iou = "iou"
    iou_3d = "iou_3d"
    wer = "wer"
    cer = "cer"
    span_f1 = "span_f1"


# What accuracy means for a modality when the spec does not name a metric.
DEFAULT_METRIC: dict[Modality, QualityMetric] = {
    Modality.image: QualityMetric.iou,
    Modality.video: QualityMetric.iou,
    Modality.lidar: QualityMetric.iou_3d,
    Modality.audio: QualityMetric.wer,
    Modality.text: QualityMetric.accuracy,
    Modality.multimodal: QualityMetric.accuracy,
}
OVERLAP_METRICS = frozenset({QualityMetric.dice, QualityMetric.iou, QualityMetric.iou_3d})


class AgreementMetric(StrEnum):
    cohen_kappa = "cohen_kappa"
    fleiss_kappa = "fleiss_kappa"
    krippendorff_alpha = "krippendorff_alpha"
    f1 = "f1"


class QaLayer(StrEnum):
    peer_review = "peer_review"
    lead_audit = "lead_audit"
    consensus = "consensus"
    automated_checks = "automated_checks"
    customer_review = "customer_review"


class Party(StrEnum):
    customer = "customer"
    vendor = "vendor"


class Repository(StrEnum):
    customer = "customer"
    vendor = "vendor"
    shared = "shared"


class SecondaryVendorStatus(StrEnum):
    contracted = "contracted"
    qualified = "qualified"


class AccessControl(StrEnum):
    role_based = "role_based"
    attribute_based = "attribute_based"


class DestructionStandard(StrEnum):
    nist_800_88 = "nist_800_88"


class Reporting(StrEnum):
    daily = "daily"
    weekly = "weekly"


class ReviewCadence(StrEnum):
    annual = "annual"
    semiannual = "semiannual"


class ExitFees(StrEnum):
    none = "none"
    capped = "capped"
    rate_card = "rate_card"


class DisputeForum(StrEnum):
    arbitration = "arbitration"
    courts = "courts"


class ArbitralInstitution(StrEnum):
    icdr = "icdr"
    aaa = "aaa"
    siac = "siac"
    icc = "icc"
    lcia = "lcia"


class ReviewFrequency(StrEnum):
    monthly = "monthly"
    quarterly = "quarterly"


class RateBasis(StrEnum):
    hour = "hour"
    day = "day"


class DataFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    coco = "coco"
    pascal_voc = "pascal_voc"
    yolo = "yolo"
    kitti = "kitti"
    parquet = "parquet"
    xml = "xml"


class Deliverable(StrEnum):
    sops = "sops"
    quality_framework = "quality_framework"
    audit_trails = "audit_trails"
    ground_truth = "ground_truth"
    guidelines = "guidelines"
    edge_case_log = "edge_case_log"
    training_materials = "training_materials"
    tool_configurations = "tool_configurations"
    quality_metrics_history = "quality_metrics_history"
    label_taxonomy = "label_taxonomy"


# What a deliverable named only by its key is taken to mean: (title, format, owner).
DELIVERABLE_DEFAULTS: dict[Deliverable, tuple[str, str, Party]] = {
    Deliverable.sops: (
        "Standard operating procedures with full version history",
        "DOCX or PDF, with change log",
        Party.vendor,
    ),
    Deliverable.quality_framework: (
        "Quality framework: metrics, thresholds, QA layers and sampling plan",
        "DOCX or PDF",
        Party.vendor,
    ),
    Deliverable.audit_trails: (
        "Audit trails of task assignment, labeling, review and access",
        "CSV or JSON export",
        Party.vendor,
    ),
    Deliverable.ground_truth: (
        "Ground-truth and gold sets with adjudication records",
        "Native annotation format with checksums",
        Party.vendor,
    ),
    Deliverable.guidelines: (
        "Annotation guidelines and worked examples",
        "DOCX or PDF",
        Party.vendor,
    ),
    Deliverable.edge_case_log: (
        "Edge-case and escalation log with resolutions",
        "CSV or JSON export",
        Party.vendor,
    ),
    Deliverable.training_materials: (
        "Annotator training materials and qualification tests",
        "Original editable files",
        Party.vendor,
    ),
    Deliverable.tool_configurations: (
        "Labeling tool configurations, ontologies and automation scripts",
        "Tool export files",
        Party.vendor,
    ),
    Deliverable.quality_metrics_history: (
        "History of quality metrics per workload and period",
        "CSV export",
        Party.vendor,
    ),
    Deliverable.label_taxonomy: (
        "Label taxonomy with definitions and change history",
        "JSON or CSV",
        Party.vendor,
    ),
}


US_STATES = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "District of Columbia", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois",
    "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts",
    "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada",
    "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota",
    "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina",
    "South Dakota", "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington",
    "West Virginia", "Wisconsin", "Wyoming",
)  # fmt: skip

USState = StrEnum("USState", {re.sub(r"\W", "_", s): s for s in US_STATES})  # type: ignore[misc]


class Disputes(Strict):
    """How disputes between the parties are decided."""

    forum: DisputeForum | None = Field(
        default=None,
        description=(
            "arbitration or courts; omitted, arbitration when vendor.country is not US. Courts "
            "stay available for injunctions either way."
        ),
    )
    institution: ArbitralInstitution | None = Field(
        default=None,
        description=(
            "For arbitration: icdr (International Centre for Dispute Resolution), aaa "
            "(American Arbitration Association, for a US vendor), siac (Singapore), icc "
            "(International Chamber of Commerce) or lcia (London); default icdr."
        ),
    )
    seat: Text | None = Field(
        default=None,
        description=(
            "For arbitration: the legal place of the arbitration, a city in a New York "
            "Convention state, e.g. 'New York, New York' or 'Singapore'; a counsel marker "
            "stands in if absent."
        ),
    )
    arbitrators: Literal[1, 3] | None = Field(
        default=None, description="For arbitration: a sole arbitrator (1, the default) or three."
    )
    reason: Text | None = Field(
        default=None,
        description=(
            "For courts with a vendor outside the US: why arbitration was not chosen; quoted in "
            "the review notes."
        ),
    )


class Engagement(Strict):
    """The engagement as a whole: identity, term and the choices that shape every document."""

    id: Slug = Field(description="Identifier of the engagement; names the output folder.")
    title: Text = Field(description="Short title of the services, shown in headers.")
    effective_date: dt.date = Field(description="Date the agreements take effect (YYYY-MM-DD).")
    term_months: Annotated[int, Field(gt=0, le=600)] = Field(description="Initial term in months.")
    renewal: Renewal = Field(description="What happens when the initial term ends.")
    governing_law: USState = Field(
        description="US state (or District of Columbia) whose law governs the agreements."
    )
    venue: Text = Field(description="Courts with exclusive jurisdiction, e.g. a county and state.")
    operating_model: OperatingModel = Field(
        description=(
            "How the work is bought: project (scoped deliverables), dedicated_team (a baseline "
            "team), flexible (per hour, no minimum) or hybrid (baseline team plus surge)."
        )
    )
    position: Position = Field(
        description="Negotiating position; picks between alternative clauses in the library."
    )
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(
        description="ISO 4217 currency code for all fees, e.g. USD."
    )
    disputes: Disputes | None = Field(
        default=None,
        description=(
            "How disputes are decided; omitted, arbitration under the ICDR rules when the vendor "
            "is established outside the US, the courts of venue when it is in the US."
        ),
    )


class Contact(Strict):
    """A named person with an e-mail address."""

    name: Text = Field(description="Full name.")
    email: EmailStr = Field(description="E-mail address.")


class ProcessAgent(Strict):
    """A person in the United States who accepts service of process for the vendor."""

    name: Text = Field(description="Name of the agent (a person or a company).")
    address: Text = Field(description="The agent's address in the United States.")


class Signatory(Strict):
    """A person who signs for a party."""

    name: Text = Field(description="Full name of the signatory.")
    title: Text = Field(description="Job title of the signatory.")


class Representative(Strict):
    """A representative in the European Union under Art. 27 GDPR."""

    name: Text = Field(description="Name of the representative.")
    address: Text = Field(description="Address of the representative in the EU.")
    email: EmailStr | None = Field(
        default=None, description="E-mail address of the representative."
    )


class Customer(Strict):
    """The US AI company buying the labeling services."""

    legal_name: Text = Field(description="Full legal name of the customer.")
    short_name: Text = Field(description="Name used for the customer throughout the documents.")
    entity: Text = Field(
        description="Kind of entity and where formed, e.g. 'a Delaware corporation'."
    )
    hipaa_role: HipaaRole | None = Field(
        default=None,
        description=(
            "The customer's role under HIPAA; required when any workload carries phi. "
            "business_associate makes the vendor agreement a subcontractor BAA."
        ),
    )
    gdpr_role: GdprRole | None = Field(
        default=None,
        description=(
            "The customer's role under the GDPR; required when any workload carries "
            "eu_personal_data. Selects SCC Module 2 (controller) or Module 3 (processor)."
        ),
    )
    eu_representative: Representative | None = Field(
        default=None,
        description=(
            "The customer's representative in the EU under Art. 27 GDPR, named in SCC Annex I "
            "when EU personal data is in scope; a counsel marker stands in if absent."
        ),
    )
    address: Text = Field(description="Registered or principal address for notices.")
    notices_email: EmailStr = Field(description="E-mail address for legal notices.")
    security_contact: Contact | None = Field(
        default=None,
        description="Who receives security-incident notices, in addition to notices_email.",
    )
    signatory: Signatory = Field(description="Who signs for the customer.")


class Subprocessor(Strict):
    """A third party the vendor uses to process the customer's data."""

    name: Text = Field(description="Legal name of the sub-processor.")
    location: Country = Field(description="ISO 3166-1 alpha-2 code of where it processes data.")
    purpose: Text = Field(description="What the sub-processor does with the data.")


class Vendor(Strict):
    """The data-labeling vendor."""

    legal_name: Text = Field(description="Full legal name of the vendor.")
    short_name: Text = Field(description="Name used for the vendor throughout the documents.")
    entity: Text = Field(description="Kind of entity and where formed.")
    country: Country = Field(
        description="ISO 3166-1 alpha-2 code of the country where the vendor is established."
    )
    address: Text = Field(description="Registered or principal address for notices.")
    notices_email: EmailStr = Field(description="E-mail address for legal notices.")
    signatory: Signatory = Field(description="Who signs for the vendor.")
    certifications: list[Certification] = Field(
        default_factory=list,
        description="Certifications the vendor holds (hipaa_baa: ready to sign a BAA).",
    )
    delivery_locations: list[Country] = Field(
        min_length=1,
        description="ISO 3166-1 alpha-2 codes of every country from which work is delivered.",
    )
    subprocessors: list[Subprocessor] = Field(
        default_factory=list, description="Third parties that process the customer's data."
    )
    accountable_manager: Contact = Field(
        description="The single manager accountable to the customer for delivery."
    )
    security_contact: Contact | None = Field(
        default=None,
        description=(
            "The vendor's security officer: sends incident notices and answers security "
            "questions; a counsel marker stands in if absent."
        ),
    )
    process_agent: ProcessAgent | None = Field(
        default=None,
        description=(
            "For a vendor established outside the US: its agent in the US for service of "
            "process; a counsel marker stands in if absent."
        ),
    )


LABOR_UNITS = frozenset({"labor hour", "labour hour", "labor-hour", "person hour", "person-hour"})


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


class Milestone(Strict):
    """A payment milestone of a fixed-fee workload."""

    name: Text = Field(description="What is achieved, e.g. 'first 20,000 frames accepted'.")
    pct: Annotated[float, Field(gt=0, le=100)] | None = Field(
        default=None, description="Share of the fixed fee payable on it, percent 0-100."
    )
    amount: Annotated[float, Field(gt=0, le=10**15)] | None = Field(
        default=None, description="Amount payable on it, in the engagement currency."
    )
    due: Text = Field(
        description="When it is due: a date (YYYY-MM-DD) or an event, e.g. 'end of month 3'."
    )

    @model_validator(mode="after")
    def _one_amount(self) -> Milestone:
        if (self.pct is None) == (self.amount is None):
            raise ValueError("give exactly one of pct or amount")
        return self

    @property
    def due_date(self) -> dt.date | None:
        """``due`` as a date when it is written as one."""
        return _iso_date(self.due)


class Pricing(Strict):
    """How a workload is priced."""

    model: PricingModel = Field(
        description=(
            "Pricing basis: per_task (per unit delivered and accepted), per_hour (per hour named "
            "in unit: 'labor hour' for labeling time, or a media hour such as 'audio hour'), "
            "per_fte_month (per full-time equivalent per month) or fixed (one fee for the scope)."
        )
    )
    rate: Annotated[float, Field(ge=0)] = Field(
        description=(
            "Price in the engagement currency: per unit, per hour or per FTE-month; for fixed, "
            "the whole fee for the workload."
        )
    )
    milestones: list[Milestone] = Field(
        default_factory=list,
        description=(
            "For fixed only: the payment milestones, shares or amounts adding up to the fee; a "
            "counsel marker stands in if absent."
        ),
    )
    total_units: PositiveCount | None = Field(
        default=None,
        description=(
            "For fixed only: the units the fixed fee buys; default volume_per_month for each "
            "month of the initial term."
        ),
    )
    fte: Annotated[float, Field(gt=0, le=10**6)] | None = Field(
        default=None,
        description=(
            "For per_fte_month only: full-time equivalents billed each month (the part of the "
            "baseline team on this workload, when the team serves it); a counsel marker stands "
            "in if absent."
        ),
    )
    monthly_cap: PositiveCount | None = Field(
        default=None,
        description=(
            "For per_task and per_hour: most units chargeable in a calendar month without the "
            "customer's written approval; for a 'labor hour' unit a counsel marker stands in if "
            "absent."
        ),
    )


class AgreementTarget(Strict):
    """Inter-annotator agreement required for a workload."""

    metric: AgreementMetric = Field(description="Agreement statistic.")
    threshold: Fraction = Field(description="Minimum value of the statistic, a fraction 0-1.")


class Quality(Strict):
    """Quality commitments for a workload."""

    accuracy_target: Fraction = Field(description="Minimum accuracy, a fraction 0-1 (0.98 = 98%).")
    metric: QualityMetric | None = Field(
        default=None,
        description=(
            "How accuracy_target is measured against the gold items: accuracy (share of items "
            "labeled correctly), dice, iou or iou_3d (share of labels whose overlap with the gold "
            "label reaches match_threshold), wer or cer (1 minus the word or character error "
            "rate), span_f1 (span-level F1). Default by modality: image and video iou, lidar "
            "iou_3d, audio wer, text and multimodal accuracy."
        ),
    )
    match_threshold: Fraction | None = Field(
        default=None,
        description=(
            "For dice, iou and iou_3d only: the least overlap with the gold label, a fraction "
            "0-1, for a label to count as correct (e.g. 0.90); a counsel marker stands in if "
            "absent."
        ),
    )
    agreement: AgreementTarget = Field(description="Inter-annotator agreement target.")
    qa_layers: list[QaLayer] = Field(min_length=1, description="Quality-assurance layers applied.")
    audit_sample_rate: Fraction = Field(
        description="Share of delivered items audited, a fraction 0-1 (0.10 = 10%)."
    )


class Sop(Strict):
    """The standard operating procedure a workload is labeled under."""

    title: Text = Field(description="Title of the SOP.")
    version: VersionText | None = Field(
        default=None, description='Current version, kept as text ("3.2"); unversioned if absent.'
    )
    owner: Party = Field(description="Who owns the SOP.")
    repository: Repository = Field(
        description="Where the master copy is held: customer, vendor or shared systems."
    )


class GroundTruth(Strict):
    """A gold set used to measure quality."""

    name: Text = Field(description="Name of the ground-truth set.")
    items: Count = Field(description="Number of items in the set.")
    owner: Party = Field(description="Who owns the set.")


class SecondaryVendor(Strict):
    """A second vendor able to take over a workload."""

    legal_name: Text = Field(description="Legal name of the second vendor.")
    status: SecondaryVendorStatus = Field(
        description="contracted (paper signed) or qualified (vetted, not yet contracted)."
    )


class FitAnswers(Strict):
    """Answers to the outsourcing-fit questions the spec cannot otherwise tell; omit if unknown."""

    volume_exceeds_in_house_capacity: bool | None = Field(
        default=None, description="The volume is beyond what an in-house team could label."
    )
    in_house_cost_materially_higher: bool | None = Field(
        default=None, description="Labeling in house would cost materially more."
    )
    senior_talent_better_spent_elsewhere: bool | None = Field(
        default=None, description="Senior AI staff are better used on other work."
    )
    speed_is_differentiator: bool | None = Field(
        default=None, description="Speed to deployment is a competitive differentiator."
    )
    annotation_is_core_ip: bool | None = Field(
        default=None, description="The annotation itself is core intellectual property."
    )
    volume_too_low_for_vendor_management: bool | None = Field(
        default=None, description="Volume is too low to justify managing a vendor."
    )
    judgment_too_domain_specific: bool | None = Field(
        default=None, description="The judgment needed is too domain-specific for an external team."
    )
    sop_changing_weekly: bool | None = Field(
        default=None, description="The SOP still changes every week."
    )


class Workload(Strict):
    """One stream of labeling work."""

    id: Slug = Field(description="Identifier of the workload, unique in the spec.")
    name: Text = Field(description="Human-readable name of the workload.")
    modality: Modality = Field(description="Kind of data labeled.")
    data_categories: list[DataCategory] = Field(
        min_length=1, description="Categories of data the workload carries."
    )
    residency: Residency = Field(description="Whether the data may be processed outside the US.")
    critical: bool = Field(
        default=False, description="Whether the AI program depends on this workload."
    )
    volume_per_month: Count = Field(description="Expected units per month.")
    unit: Text = Field(description="What one unit of work is, e.g. image, document, hour.")
    native_format: Text | None = Field(
        default=None,
        description=(
            "Format in which the customer supplies the source data and gets it back, "
            "unconverted, e.g. DICOM, WAV, PCD; without it the return clause says 'the format "
            "in which it was supplied'."
        ),
    )
    data_subjects: list[Text] = Field(
        default_factory=list,
        description=(
            "Who the individuals in the data are, e.g. patients, callers, drivers; listed in "
            "the DPA's description of processing (GDPR Art. 28(3), SCC Annex I). Left empty "
            "for a workload with personal data, a counsel marker stands in."
        ),
    )
    turnaround_hours: Annotated[int, Field(gt=0, le=8760)] = Field(
        description="Hours from receipt to delivery of a batch."
    )
    pricing: Pricing = Field(description="How the workload is priced.")
    quality: Quality = Field(description="Quality commitments.")
    sop: Sop | None = Field(default=None, description="The SOP the work follows.")
    ground_truth: GroundTruth | None = Field(default=None, description="The gold set for QA.")
    secondary_vendor: SecondaryVendor | None = Field(
        default=None, description="A second vendor for this workload: the diversification plan."
    )
    fit: FitAnswers | None = Field(
        default=None,
        description="Outsourcing-fit answers for this workload; each given key overrides the "
        "top-level fit section.",
    )

    @property
    def labor_time(self) -> bool:
        """Whether the workload is paid for labeling time ('labor hour'), not for output."""
        return self.unit.strip().casefold() in LABOR_UNITS

    @property
    def price_basis(self) -> str:
        """What a fee is paid for: 'unit' (output), 'labor' (time), 'fte' or 'fixed'.

        per_task and per_hour both pay for output counted in ``unit`` (an image, an audio
        hour), unless the unit is labor time; the clauses draft each basis once.
        """
        if self.pricing.model is PricingModel.fixed:
            return "fixed"
        if self.pricing.model is PricingModel.per_fte_month:
            return "fte"
        return "labor" if self.labor_time else "unit"

    @property
    def quality_metric(self) -> QualityMetric:
        """The metric accuracy is measured with: the spec's, or the modality's default."""
        return self.quality.metric or DEFAULT_METRIC[self.modality]


class Surge(Strict):
    """Extra capacity the vendor must supply on short notice."""

    max_increase_pct: Percent = Field(description="Largest increase over baseline, percent 0-100.")
    notice_days: Days = Field(description="Days of notice the customer gives for a surge.")
    tested_in_pilot: bool = Field(description="Whether the pilot exercises a surge.")


class Staffing(Strict):
    """The team the vendor keeps for the customer."""

    baseline_fte: Annotated[float, Field(ge=0)] = Field(
        description="Full-time equivalents kept on the engagement."
    )
    lead: Contact | None = Field(
        default=None,
        description="The named lead of the dedicated team; a counsel marker stands in if absent.",
    )
    surge: Surge | None = Field(default=None, description="Surge capacity; required for hybrid.")
    workloads: Annotated[list[Slug], Field(min_length=1)] | None = Field(
        default=None,
        description=(
            "Ids of the workloads the baseline team works on; omit for all. It is billed per "
            "FTE-month for those priced per_fte_month and only through the unit rates for others."
        ),
    )
    full_strength_days: Days | None = Field(
        default=None,
        description=(
            "Days after the effective date by which the baseline team is at full strength; a "
            "counsel marker stands in if absent."
        ),
    )


class Security(Strict):
    """Security controls the vendor commits to."""

    encryption_at_rest: Text = Field(description="Encryption standard for stored data.")
    encryption_in_transit: Text = Field(description="Encryption standard for data in transit.")
    access_control: AccessControl = Field(description="Access-control model.")
    mfa: bool = Field(description="Whether multi-factor authentication is required.")
    audit_log_retention_days: Days = Field(description="Days audit logs are kept.")
    incident_notice_hours: Hours = Field(
        description="Hours within which a security incident is notified."
    )
    breach_notice_days: Days = Field(
        description="Days within which a breach is notified; with PHI at most 60."
    )
    destruction_standard: DestructionStandard = Field(
        description="Standard for destroying data (NIST SP 800-88)."
    )


class Slas(Strict):
    """Service levels."""

    on_time_delivery_pct: Percent = Field(description="Share of batches on time, percent 0-100.")
    service_credit_pct: Percent = Field(
        description="Credit on monthly fees for a missed service level, percent 0-100."
    )


class Pilot(Strict):
    """A pilot before production."""

    weeks: PositiveCount = Field(description="Length of the pilot in weeks.")
    volume: Count = Field(description="Units labeled during the pilot.")
    charged: bool | None = Field(
        default=None,
        description=(
            "Whether accepted pilot units are paid at the Schedule 1 rates (false: a free "
            "pilot); a counsel marker stands in if absent."
        ),
    )
    report_days: Days | None = Field(
        default=None,
        description=(
            "Days after the pilot ends by which the vendor delivers the pilot report; a counsel "
            "marker stands in if absent."
        ),
    )


class Governance(Strict):
    """Governance timings; each one left out becomes a counsel marker."""

    service_reviews: ReviewFrequency | None = Field(
        default=None, description="How often the parties hold service reviews."
    )
    change_assessment_days: Days | None = Field(
        default=None,
        description="Days the vendor has to assess the effect of a requested change.",
    )
    sop_impact_days: Days | None = Field(
        default=None,
        description=(
            "Days after a new SOP version within which the vendor may say it increases the "
            "effort per unit."
        ),
    )
    root_cause_days: Days | None = Field(
        default=None,
        description=(
            "Days after a missed quality target by which the vendor delivers a root-cause "
            "analysis and corrective action plan."
        ),
    )
    escalation_days: Days | None = Field(
        default=None,
        description=(
            "Days an issue may stay unresolved at operational level before it goes to senior "
            "management."
        ),
    )


class Operations(Strict):
    """How the engagement is run."""

    reporting: Reporting = Field(description="Reporting cadence.")
    slas: Slas = Field(description="Service levels and credits.")
    pilot: Pilot | None = Field(default=None, description="Pilot before production.")
    acceptance_business_days: Days | None = Field(
        default=None,
        description=(
            "Business Days the customer has to review a delivered batch before it is accepted "
            "without notice; a counsel marker stands in if absent."
        ),
    )
    governance: Governance = Field(
        default_factory=Governance,
        description="Service reviews, change assessment, root-cause and escalation timings.",
    )


class DeliverableItem(Strict):
    """A knowledge-transfer deliverable; a bare name takes the documented defaults."""

    item: Deliverable | Text = Field(description="A deliverable name or a free-form item.")
    format: Text = Field(description="Format in which it is handed over.")
    owner: Party = Field(description="Who must hand it over.")

    @model_validator(mode="before")
    @classmethod
    def _expand_name(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                key = Deliverable(value)
            except ValueError:
                names = [d.value for d in Deliverable]
                close = difflib.get_close_matches(value, names, n=1, cutoff=0.6)
                free_form = "an object with item, format and owner"
                if close:
                    hint = f"did you mean '{close[0]}'? (a free-form item is {free_form})"
                else:
                    hint = f"use one of {', '.join(names)}, or {free_form} for a free-form item"
                raise ValueError(f"unknown deliverable '{value}'; {hint}") from None
            _, fmt, owner = DELIVERABLE_DEFAULTS[key]
            return {"item": key, "format": fmt, "owner": owner}
        if isinstance(value, dict) and isinstance(value.get("item"), str):
            try:
                key = Deliverable(value["item"])
            except ValueError:
                if not value["item"].strip():
                    raise ValueError("item must not be empty") from None
                return value
            _, fmt, owner = DELIVERABLE_DEFAULTS[key]
            return {"format": fmt, "owner": owner, **value, "item": key}
        if isinstance(value, dict) and value.get("item") is not None:
            raise ValueError(
                f"item must be a deliverable name or a free-form description; got {value['item']!r}"
            )
        if not isinstance(value, dict | cls):
            raise ValueError(
                "expected a deliverable name or an object with item, format and owner; "
                f"got {value!r}"
            )
        return value

    @property
    def key(self) -> Deliverable | None:
        """The closed-list name, or None for a free-form item."""
        return self.item if isinstance(self.item, Deliverable) else None

    @property
    def title(self) -> str:
        """What the item is, in words."""
        key = self.key
        return DELIVERABLE_DEFAULTS[key][0] if key else str(self.item)


class KnowledgeTransfer(Strict):
    """What the vendor hands over on exit."""

    deliverables: list[DeliverableItem] = Field(
        min_length=1,
        description=(
            "Items handed over: names from the closed list (sops, quality_framework, "
            "audit_trails, ground_truth, guidelines, edge_case_log, training_materials, "
            "tool_configurations, quality_metrics_history, label_taxonomy) or "
            "{item, format, owner} objects."
        ),
    )
    sessions_hours: Hours = Field(description="Hours of knowledge-transfer sessions.")
    key_personnel_retention_days: Days = Field(
        description="Days from the notice of termination that key personnel stay assigned."
    )


class DataReturn(Strict):
    """How data comes back."""

    formats: list[DataFormat] = Field(min_length=1, description="Formats for returned data.")
    within_days: Days = Field(
        description="Days after the transition period ends by which all data is returned."
    )
    deemed_receipt_days: Days = Field(
        default=30,
        description=(
            "Days after the vendor completes a return after which the customer is treated as "
            "having confirmed receipt, unless it has reported the return incomplete; starts "
            "the destruction deadline even if the customer never confirms."
        ),
    )


class KeyPerson(Strict):
    """A member of the vendor's staff the customer relies on."""

    name: Text = Field(description="Full name.")
    role: Text = Field(description="Role on the engagement, e.g. quality lead.")


class Exit(Strict):
    """Exit terms and knowledge transfer."""

    termination_for_convenience_days: Days = Field(
        description="Days of notice to terminate for convenience."
    )
    transition_period_days: Days = Field(
        description="Days of transition assistance, running from the notice of termination "
        "(or from expiry)."
    )
    runoff_support_months: Months = Field(
        description="Months of run-off support after the transition period ends."
    )
    exit_plan_due_days: Days = Field(
        description="Days after the effective date by which the vendor delivers the exit plan."
    )
    exit_plan_review: ReviewCadence = Field(description="How often the exit plan is reviewed.")
    knowledge_transfer: KnowledgeTransfer = Field(description="Knowledge-transfer commitments.")
    data_return: DataReturn = Field(description="Return of data.")
    destruction_certificate_days: Days = Field(
        description="Days after the customer confirms receipt of returned data (or is treated "
        "as having confirmed it, or elects destruction without return) by which the vendor "
        "certifies destruction."
    )
    backup_purge_days: Days = Field(
        default=90,
        description=(
            "Most days after that same point by which every backup copy of customer data is "
            "purged; backups may not outlast it."
        ),
    )
    successor_cooperation: bool = Field(
        description="Whether the vendor must cooperate with a successor."
    )
    key_personnel: list[KeyPerson] = Field(
        default_factory=list,
        description=(
            "The vendor's key personnel, kept on the engagement through exit; the accountable "
            "manager always is one. Empty: a counsel marker asks for the names."
        ),
    )
    exit_fees: ExitFees = Field(description="What the vendor may charge for exit assistance.")


Money = Annotated[float, Field(ge=0, le=10**15)]


class Insurance(Strict):
    """Insurance the vendor must carry, per claim, in the engagement currency."""

    general_liability: Money | None = Field(
        default=None, description="Commercial general liability."
    )
    professional_liability: Money | None = Field(
        default=None, description="Professional (errors and omissions) liability."
    )
    cyber_liability: Money | None = Field(
        default=None, description="Cyber and data-breach liability."
    )


class RateCardItem(Strict):
    """A rate for a role, used for exit assistance beyond the continued services."""

    role: Text = Field(description="Who does the work, e.g. 'Exit manager', 'Trainer'.")
    rate: Money = Field(description="Rate in the engagement currency.")
    per: RateBasis = Field(default=RateBasis.hour, description="Per hour or per day.")


class Commercial(Strict):
    """Commercial terms the drafts need; each one left out becomes a counsel marker."""

    payment_terms_days: Days | None = Field(
        default=None, description="Days after receipt of a valid invoice within which it is paid."
    )
    liability_cap_months: Annotated[int, Field(gt=0, le=600)] | None = Field(
        default=None,
        description="Liability cap as the fees paid or payable in this many months before the "
        "claim.",
    )
    liability_cap_amount: Money | None = Field(
        default=None, description="Liability cap as a fixed amount; the greater of the two applies."
    )
    insurance: Insurance | None = Field(default=None, description="Insurance the vendor carries.")
    exit_fee_cap: Money | None = Field(
        default=None, description="Cap on exit-assistance fees, used when exit.exit_fees is capped."
    )
    rate_card: list[RateCardItem] = Field(
        default_factory=list,
        description=(
            "Rates for transition and exit assistance beyond the continued services, printed in "
            "Schedule 1 when exit.exit_fees is capped or rate_card; empty: a counsel marker."
        ),
    )
    fte_hours_per_month: Hours | None = Field(
        default=None,
        description=(
            "Productive hours that make up one full-time equivalent in a month; a counsel "
            "marker stands in if absent."
        ),
    )


class Review(Strict):
    """Who reviews the drafts and how they are marked."""

    counsel: Contact | None = Field(default=None, description="Counsel reviewing the drafts.")
    watermark: Text = Field(default="DRAFT", description="Text shown on every page.")


class Spec(Strict):
    """An engagement spec, format 1."""

    contractkit: Literal[1] = Field(description="Spec format version; always 1.")
    engagement: Engagement = Field(description="The engagement as a whole.")
    customer: Customer = Field(description="The customer.")
    vendor: Vendor = Field(description="The vendor.")
    workloads: list[Workload] = Field(min_length=1, description="The labeling workloads.")
    staffing: Staffing | None = Field(
        default=None, description="The vendor's team; required for dedicated_team and hybrid."
    )
    security: Security = Field(description="Security controls.")
    operations: Operations = Field(description="Operations and service levels.")
    exit: Exit = Field(description="Exit terms and knowledge transfer.")
    documents: list[DocumentKey] | None = Field(
        default=None,
        description="Exact set of documents to produce; omit for every document that applies.",
    )
    commercial: Commercial = Field(
        default_factory=Commercial,
        description="Commercial terms: payment, liability cap, insurance, exit-fee cap.",
    )
    review: Review = Field(default_factory=Review, description="Review settings.")
    fit: FitAnswers | None = Field(
        default=None, description="Outsourcing-fit answers for the engagement as a whole."
    )

    def carries(self, category: DataCategory) -> bool:
        """Whether any workload carries a data category."""
        return any(category in w.data_categories for w in self.workloads)

    @property
    def has_personal_data(self) -> bool:
        """Whether any workload carries any kind of personal data."""
        return any(PERSONAL_CATEGORIES.intersection(w.data_categories) for w in self.workloads)

    def workloads_priced(self, basis: str) -> list[Workload]:
        """The workloads whose fees are paid on one basis (see ``Workload.price_basis``)."""
        return [w for w in self.workloads if w.price_basis == basis]

    @property
    def fixed_scopes(self) -> dict[str, int]:
        """Units each fixed workload's fee buys, by workload id; default a month's volume per
        month of the initial term."""
        return {
            w.id: w.pricing.total_units or w.volume_per_month * self.engagement.term_months
            for w in self.workloads
            if w.pricing.model is PricingModel.fixed
        }

    @property
    def team_workloads(self) -> list[Workload]:
        """The workloads the baseline team works on (all, unless staffing.workloads names some)."""
        if self.staffing is None:
            return []
        if self.staffing.workloads is None:
            return list(self.workloads)
        wanted = set(self.staffing.workloads)
        return [w for w in self.workloads if w.id in wanted]

    @property
    def dispute_terms(self) -> Disputes:
        """``engagement.disputes`` with its defaults filled in.

        An award under the New York Convention can be enforced where an offshore vendor's
        assets are; a US judgment often cannot, so arbitration is the default for such a vendor.
        """
        given = self.engagement.disputes or Disputes()
        domestic = self.vendor.country == "US"
        forum = given.forum or (DisputeForum.courts if domestic else DisputeForum.arbitration)
        if forum is DisputeForum.courts:
            return given.model_copy(update={"forum": forum})
        institution = given.institution or (
            ArbitralInstitution.aaa if domestic else ArbitralInstitution.icdr
        )
        return given.model_copy(
            update={
                "forum": forum,
                "institution": institution,
                "arbitrators": given.arbitrators or 1,
            }
        )
