"""The register of every certificate issued (R8: 编号、登记、存档) as XLSX; cells that a
spreadsheet would run as formulas are neutralized."""
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook

HEADERS = ["证明编号", "出具日期", "志愿者", "身份证号（隐去）", "记录单位", "出具单位", "服务总时长（小时）",
           "盖章", "状态", "替代证明", "申请编号"]


def _safe(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def register_xlsx(certificates) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "证明登记簿"
    ws.append(HEADERS)
    for cert in certificates:
        ws.append([_safe(v) for v in (
            cert.number, timezone.localtime(cert.issued_at).strftime("%Y-%m-%d %H:%M"), cert.volunteer_name,
            cert.volunteer_id_masked, cert.recording_organization, cert.issuer_name, cert.total_hours,
            "是" if cert.sealed else "否", cert.get_status_display(),
            cert.superseded_by.number if cert.superseded_by_id else "", cert.request.reference,
        )])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
