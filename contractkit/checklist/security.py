"""Security layer: certification, encryption, access control, logs, incident notice, destruction."""

from __future__ import annotations

from contractkit.checklist.context import (
    SECURITY_CERTIFICATIONS,
    Check,
    ChecklistContext,
    always,
    certified,
    counted,
)
from contractkit.spec import AccessControl, Certification, DestructionStandard, Spec

INCIDENT_NOTICE_MAX_HOURS = 72
CERTIFICATION_NAMES = {
    Certification.iso_9001: "ISO 9001",
    Certification.iso_27001: "ISO 27001",
    Certification.soc2_type2: "SOC 2 Type II",
    Certification.hipaa_baa: "a HIPAA BAA attestation",
}
DESTRUCTION_NAMES = {DestructionStandard.nist_800_88: "NIST SP 800-88"}
ACCESS_WORDS = {
    AccessControl.role_based: "role-based",
    AccessControl.attribute_based: "attribute-based",
}


def security_certificates(spec: Spec) -> str:
    """The ISO 27001 and SOC 2 Type II certifications the vendor holds, in words."""
    held = [
        CERTIFICATION_NAMES[c] for c in spec.vendor.certifications if c in SECURITY_CERTIFICATIONS
    ]
    return " and ".join(held) or "neither ISO 27001 nor SOC 2 Type II"


def _certifications(spec: Spec) -> str:
    held = [CERTIFICATION_NAMES[c] for c in spec.vendor.certifications]
    return "the vendor holds " + ", ".join(held) if held else "the vendor holds no certification"


CHECKS: tuple[Check[Spec], ...] = (
    Check(
        "certification",
        "ISO 27001 or SOC 2 Type II certification",
        certified,
        _certifications,
        "Obtain ISO 27001 or SOC 2 Type II evidence, or require certification by a date",
        "vendor",
        "security",
    ),
    Check(
        "encryption",
        "Encryption at rest and in transit",
        always,
        lambda s: (
            f"{s.security.encryption_at_rest} at rest; {s.security.encryption_in_transit} "
            "in transit"
        ),
        owner="vendor",
        reference="security",
    ),
    Check(
        "access-control",
        lambda s: f"Access control ({ACCESS_WORDS[s.security.access_control]}) and MFA",
        lambda s: s.security.mfa,
        lambda s: (
            f"{ACCESS_WORDS[s.security.access_control]} access control; multi-factor "
            + ("authentication required" if s.security.mfa else "authentication not required")
        ),
        "Require multi-factor authentication for all access",
        "vendor",
        "security",
    ),
    Check(
        "audit-logs",
        "Audit logs kept with a retention period",
        lambda s: s.security.audit_log_retention_days > 0,
        lambda s: (
            f"audit logs kept {counted(s.security.audit_log_retention_days, 'day')}"
            if s.security.audit_log_retention_days
            else "no audit-log retention period"
        ),
        "Agree an audit-log retention period",
        "vendor",
        "security",
    ),
    Check(
        "incident-notice",
        "Prompt security-incident notice",
        lambda s: s.security.incident_notice_hours <= INCIDENT_NOTICE_MAX_HOURS,
        lambda s: f"incident notice within {counted(s.security.incident_notice_hours, 'hour')}",
        f"Shorten incident notice to {INCIDENT_NOTICE_MAX_HOURS} hours or less",
        "counsel",
        "security",
    ),
    Check(
        "data-destruction",
        "Documented data destruction standard",
        always,
        lambda s: f"data destroyed to {DESTRUCTION_NAMES[s.security.destruction_standard]}",
        owner="vendor",
        reference="exit-certified-destruction",
    ),
)


def security(ctx: ChecklistContext) -> None:
    ctx.check("security", CHECKS, ctx.spec)
