"""The register of every certificate issued (R8: numbered, registered, archived) as XLSX; cells that a
spreadsheet would run as formulas are neutralized."""
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

HEADERS = [gettext_lazy("Certificate number"), gettext_lazy("Date of issue"), gettext_lazy("Volunteer"),
           gettext_lazy("ID number (masked)"), gettext_lazy("Recording organization"), gettext_lazy("Issuer"),
           gettext_lazy("Total service hours"), gettext_lazy("Seal"), gettext_lazy("Status"),
           gettext_lazy("Replacing certificate"), gettext_lazy("Request number")]


def _safe(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def register_xlsx(certificates) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Certificate register")
    ws.append([str(header) for header in HEADERS])
    for cert in certificates:
        ws.append([_safe(v) for v in (
            cert.number, timezone.localtime(cert.issued_at).strftime("%Y-%m-%d %H:%M"), cert.volunteer_name,
            cert.volunteer_id_masked, cert.recording_organization, cert.issuer_name, cert.total_hours,
            _("Yes") if cert.sealed else _("No"), cert.get_status_display(),
            cert.superseded_by.number if cert.superseded_by_id else "", cert.request.reference,
        )])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
