"""Volunteers, activities, service records, certificate requests, certificates and disputes.

DOMAIN "Certification" R1–R15: the organization that ran an activity records it (R1) and
certifies it; records keep every version (R6); only approved, current, non-deleted hours
count (R13); a certificate is a signed, numbered, registered snapshot (R8, R10).

``volunteers``: volunteers and claim codes; ``records``: activities, service records and
attendance; ``certificates``: certificate requests and certificates; ``disputes``: disputes and
authenticity reports; ``protection``: activity rosters and accident insurance;
``commendations``: departments' commendations; ``workflow``: the viewflow process proxies.
"""
from .certificates import Certificate, CertificateRequest
from .commendations import Commendation
from .disputes import AuthenticityReport, Dispute
from .protection import ActivityParticipant, InsurancePolicy
from .records import Activity, Attendance, ServiceRecord, ServiceRecordQuerySet
from .students import StudentProfile
from .volunteers import ClaimCode, Volunteer, VolunteerPartyMixin, mask_name
from .workflow import AuthenticityProcess, CertificateProcess, DisputeProcess

__all__ = [
    "Activity", "ActivityParticipant", "Commendation", "InsurancePolicy", "Attendance", "AuthenticityProcess", "AuthenticityReport", "Certificate", "CertificateProcess",
    "CertificateRequest", "ClaimCode", "Dispute", "DisputeProcess", "ServiceRecord", "ServiceRecordQuerySet",
    "StudentProfile", "Volunteer", "VolunteerPartyMixin", "mask_name",
]
