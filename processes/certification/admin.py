"""Admin: read-only views of the registry and cases. Every change goes through the services
(rights, audit, versions), so the admin offers no add, change or delete."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from engine.admin_base import ReadOnlyAdmin

from .models import (
    Activity,
    Attendance,
    AuthenticityReport,
    Certificate,
    CertificateRequest,
    Dispute,
    ServiceRecord,
    Volunteer,
)


@admin.register(Volunteer)
class VolunteerAdmin(ReadOnlyAdmin):
    list_display = ["volunteer_number", "real_name", "masked_id", "registered_by", "consent_at"]
    search_fields = ["volunteer_number", "real_name"]
    exclude = ["id_number", "phone"]  # D6: shown masked
    readonly_fields = ["masked_id", "masked_phone"]

    @admin.display(description=_("ID number"))
    def masked_id(self, volunteer):
        return volunteer.masked_id

    @admin.display(description=_("Mobile number"))
    def masked_phone(self, volunteer):
        return volunteer.masked_phone


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["name", "organization", "category", "start_at", "end_at", "person_in_charge"]
    list_filter = ["category"]
    search_fields = ["name"]


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ReadOnlyAdmin):
    list_display = ["id", "volunteer", "activity", "hours", "source", "status", "version", "is_current", "is_deleted",
                    "late"]
    list_filter = ["status", "source", "is_current", "is_deleted", "late"]
    list_select_related = ["volunteer", "activity"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["volunteer", "activity", "signed_in_at", "signed_out_at", "record"]
    list_select_related = ["volunteer", "activity", "record"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "volunteer_name", "issuer_name", "total_hours", "status", "issued_at"]
    list_filter = ["status", "sealed"]
    search_fields = ["number"]
    exclude = ["verification_code"]


@admin.register(CertificateRequest)
class CertificateRequestAdmin(ReadOnlyAdmin):
    list_display = ["reference", "volunteer", "organization", "handling_organization", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["reference"]


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    list_display = ["reference", "volunteer", "organization", "handling_organization", "status", "escalated"]
    list_filter = ["status", "escalated"]
    search_fields = ["reference"]


@admin.register(AuthenticityReport)
class AuthenticityReportAdmin(ReadOnlyAdmin):
    list_display = ["reference", "number", "verification_result_label", "status", "created_at"]
    list_filter = ["status"]
