"""The rows of the authorization matrix (issue #16): each endpoint or page, how to call it on the
world of ``matrix_world``, the status each role must get, which roles may see organization A's
object in the answer (``sees``; everyone else must not find its marker in the body) and, for
writes, which roles may change it (``changes``; for everyone else its state must be unchanged).

Statuses: an int, or a tuple of the acceptable ones (a write's "granted" family: a validation
400, a state 409 or a success all prove the right was granted)."""
from dataclasses import dataclass, field
from typing import Callable

from django.core.files.uploadedfile import SimpleUploadedFile

from engine.documents.models import Document
from engine.documents.samples import pdf_bytes
from processes.certification.models import Activity, Attendance, Certificate, CertificateRequest, Dispute, ServiceRecord
from processes.incubation.models import IncubationApplication
from processes.procurement.models import Bid, Complaint, Payment, Tender
from processes.recruitment.models import Recruitment, SignUp
from processes.timebank.models import Redemption

ROLES = ("anonymous", "volunteer", "org_a", "org_b", "mca_staff", "mca_reviewer", "mca_head", "js_staff",
         "js_reviewer", "fin", "fin_js", "edu", "school", "expert", "leader", "admin")
PORTAL = ("volunteer", "org_a", "org_b")
MCA = ("mca_staff", "mca_reviewer", "mca_head")
JINSHUI = ("js_staff", "js_reviewer")
DEPARTMENTS = (*MCA, *JINSHUI, "fin", "fin_js")
SIGNED_IN = tuple(r for r in ROLES if r != "anonymous")
GRANTED = (200, 201, 400, 409)
REFUSED = (403, 404)
API = "/api/v1"


def row(default, *, anonymous=401, **groups):
    """Expected status per role: ``default``, then group overrides (``portal``, ``mca``,
    ``jinshui``, ``departments``, ``signed_in``) and role overrides, in that order."""
    expected = dict.fromkeys(ROLES, default)
    expected["anonymous"] = anonymous
    named = {"signed_in": SIGNED_IN, "portal": PORTAL, "mca": MCA, "jinshui": JINSHUI, "departments": DEPARTMENTS}
    for group in ("signed_in", "portal", "departments", "mca", "jinshui"):
        if group in groups:
            status = groups.pop(group)
            for role in named[group]:
                expected[role] = status
    for role, status in groups.items():
        assert role in expected, role
        expected[role] = status
    return expected


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    url: Callable
    expect: dict
    body: Callable = lambda w: {}
    form: bool = False  # multipart (imports, portal forms) rather than JSON
    marker: Callable | None = None  # a string of A's object that only ``sees`` may find in the body
    sees: tuple = ()
    state: Callable | None = None  # the written object's state: only ``changes`` may change it
    changes: tuple = ()
    holes: dict = field(default_factory=dict)  # role -> why the current answer breaks the rules


def _catalogue_csv(w):
    header = "目录编码,服务名称,服务类别,服务标准,计量单位,年度,已发布\n"
    line = f"MX98,助学服务,教育服务,每月4次,项,{w.catalogue_item.year},否\n"
    return SimpleUploadedFile("catalogue.csv", (header + line).encode("utf-8"), content_type="text/csv")


def _budget_csv(w, department):
    header = "部门代码,年度,目录编码,预算金额\n"
    line = f"{department},{w.catalogue_item.year},{w.catalogue_item.code},1000.00\n"
    return SimpleUploadedFile("budget.csv", (header + line).encode("utf-8"), content_type="text/csv")


def _status(model, pk):
    return model.objects.filter(pk=pk).values_list("status", flat=True).first()


E = Endpoint
PAGE = dict(anonymous=302)
# to the login page; the staff site answers portal users and a school's coordinator (who sees only
# the school's students, seed 五(一)) with 403
WORKBENCH = dict(anonymous=302, portal=403, school=403)

ENDPOINTS = [
    # --- tasks and cases (engine) ---------------------------------------------------------------
    # A's open request is handed to A's manager (R9): in their inbox, in nobody's queue
    E("api-tasks-inbox", "GET", lambda w: f"{API}/tasks/?view=inbox", row(200),
      marker=lambda w: w.a.request.reference, sees=("org_a",)),
    E("api-tasks-queue", "GET", lambda w: f"{API}/tasks/?view=queue", row(200),
      marker=lambda w: w.a.request.reference, sees=()),
    # A's first request, issued by A's manager: in that manager's archive only
    E("api-tasks-archive", "GET", lambda w: f"{API}/tasks/?view=archive", row(200),
      marker=lambda w: w.a.certificate.request.reference, sees=("org_a",)),
    E("api-task-a", "GET", lambda w: f"{API}/tasks/{w.a.task.pk}/", row(404, org_a=200, js_staff=200, admin=200)),
    E("api-task-a-claim", "POST", lambda w: f"{API}/tasks/{w.a.task.pk}/claim/",
      row(REFUSED, js_staff=409), state=lambda w: w.a.task.__class__.objects.filter(pk=w.a.task.pk)
      .values_list("owner_id", "state").first()),
    E("api-task-a-complete", "POST", lambda w: f"{API}/tasks/{w.a.task.pk}/complete/",
      row(REFUSED, org_a=GRANTED, admin=REFUSED), body=lambda w: {"decision": "issue"},
      state=lambda w: _status(CertificateRequest, w.a.request.pk), changes=("org_a",)),
    E("api-case-a", "GET", lambda w: f"{API}/cases/{w.a.request.reference}/",
      row(404, volunteer=200, org_a=200, jinshui=200, admin=200)),
    E("api-case-missing", "GET", lambda w: f"{API}/cases/ZM-1999-999999/", row(404)),
    E("api-case-tender", "GET", lambda w: f"{API}/cases/{w.tender.reference}/",
      row(404, mca=200, fin=200, admin=200)),
    E("api-case-application-a", "GET", lambda w: f"{API}/cases/{w.a.application.reference}/",
      row(404, org_a=200, admin=200)),
    # --- directory ------------------------------------------------------------------------------
    E("api-me", "GET", lambda w: f"{API}/me/", row(200)),
    E("api-departments", "GET", lambda w: f"{API}/departments/", row(200)),
    E("api-organizations", "GET", lambda w: f"{API}/organizations/", row(200)),
    E("api-organization-a", "GET", lambda w: f"{API}/organizations/{w.a.org.pk}/", row(200)),
    # D1: only the supervising department (金水区民政局) or its parent (市民政局) ends A
    E("api-organization-a-end", "POST", lambda w: f"{API}/organizations/{w.a.org.pk}/end/",
      row(REFUSED, mca_reviewer=GRANTED, mca_head=GRANTED, js_reviewer=GRANTED, admin=GRANTED),
      body=lambda w: {"status": "dissolved", "reason": "自行解散"},
      state=lambda w: w.a.org.__class__.objects.filter(pk=w.a.org.pk).values_list("status", flat=True).first(),
      changes=("mca_reviewer", "mca_head", "js_reviewer", "admin")),
    # --- notifications and imports -----------------------------------------------------------------
    E("api-notifications", "GET", lambda w: f"{API}/notifications/", row(200),
      marker=lambda w: w.a.request.reference, sees=("org_a",)),
    E("api-notifications-read", "POST", lambda w: f"{API}/notifications/read/", row(GRANTED)),
    E("api-import-volunteers", "POST", lambda w: f"{API}/imports/volunteers/",
      row(REFUSED, admin=400), form=True),
    E("api-import-catalogue", "POST", lambda w: f"{API}/imports/procurement_catalogue/",
      # a district 财政局 passes the upload's gate (any 财政局 user) and is refused row by row below
      row(REFUSED, fin=400, fin_js=400, admin=400), form=True),
    # the same with a real one-row file: the catalogue is the city's (only city finance writes it)
    E("api-import-catalogue-file", "POST", lambda w: f"{API}/imports/procurement_catalogue/",
      row((*REFUSED, 202), fin=202, admin=202), form=True, body=lambda w: {"file": _catalogue_csv(w)},
      state=lambda w: w.catalogue_item.__class__.objects.filter(code="MX98").count(), changes=("fin", "admin")),
    E("api-import-budget-lines", "POST", lambda w: f"{API}/imports/procurement_budget_lines/",
      row(REFUSED, fin=400, fin_js=400, admin=400), form=True),
    E("api-import-job-missing", "GET", lambda w: f"{API}/imports/jobs/999999/", row(404)),
    # --- incubation ---------------------------------------------------------------------------------
    E("api-applications", "GET", lambda w: f"{API}/incubation/applications/", row(200),
      marker=lambda w: w.a.application.reference, sees=("org_a", *MCA, "admin")),  # 民政局 admits (I3)
    E("api-application-a", "GET", lambda w: f"{API}/incubation/applications/{w.a.application.reference}/",
      row(404, org_a=200, mca=200, admin=200)),
    E("api-nominations", "GET", lambda w: f"{API}/incubation/nominations/", row(200)),
    E("api-roster-export", "GET", lambda w: f"{API}/incubation/exports/roster.xlsx",
      row(200, portal=403, school=403, expert=403, leader=403)),
    # --- procurement --------------------------------------------------------------------------------
    E("api-catalogue", "GET", lambda w: f"{API}/procurement/catalogue/", row(200)),
    E("api-catalogue-create", "POST", lambda w: f"{API}/procurement/catalogue/",
      row(403, fin=201, admin=201),
      body=lambda w: {"code": "MX99", "name": "助残服务", "category": "社区服务", "service_standard": "每月10次",
                      "unit": "项", "year": w.catalogue_item.year},
      state=lambda w: w.catalogue_item.__class__.objects.filter(code="MX99").count(), changes=("fin", "admin")),
    E("api-budget-lines", "GET", lambda w: f"{API}/procurement/budget-lines/", row(200),
      marker=lambda w: "500000.00", sees=(*MCA, "fin", "admin")),
    E("api-budget-line-jinshui", "POST", lambda w: f"{API}/procurement/budget-lines/",
      row(403, fin=201, fin_js=201, admin=201),
      body=lambda w: {"department": "mca-jinshui", "year": w.catalogue_item.year, "item": w.catalogue_item.pk,
                      "amount": "1000.00"},
      state=lambda w: w.budget_line.__class__.objects.count(), changes=("fin", "fin_js", "admin")),
    E("api-budget-line-erqi", "POST", lambda w: f"{API}/procurement/budget-lines/",
      row(403, fin=201, admin=201),
      body=lambda w: {"department": "mca-erqi", "year": w.catalogue_item.year, "item": w.catalogue_item.pk,
                      "amount": "1000.00"},
      state=lambda w: w.budget_line.__class__.objects.count(), changes=("fin", "admin")),
    E("api-tenders", "GET", lambda w: f"{API}/procurement/tenders/", row(200)),
    E("api-tender", "GET", lambda w: f"{API}/procurement/tenders/{w.tender.reference}/", row(200)),
    E("api-tender-bids", "GET", lambda w: f"{API}/procurement/tenders/{w.tender.reference}/bids/", row(200),
      marker=lambda w: str(w.a.bid.price), sees=("org_a", *MCA, "fin", "admin")),
    E("api-tender-ranking", "GET", lambda w: f"{API}/procurement/tenders/{w.tender.reference}/ranking/",
      row(403, mca=200, fin=200, admin=200)),
    E("api-tender-complaints", "GET",
      lambda w: f"{API}/procurement/tenders/{w.complaint_tender.reference}/complaints/", row(200),
      marker=lambda w: w.a.complaint.text, sees=("org_a", *MCA, "fin", "admin")),
    E("api-tender-cancel", "POST", lambda w: f"{API}/procurement/tenders/{w.complaint_tender.reference}/cancel/",
      row(REFUSED, mca_staff=GRANTED, mca_head=GRANTED), body=lambda w: {"reason": "需求变更"},
      state=lambda w: _status(Tender, w.complaint_tender.pk), changes=("mca_staff", "mca_head")),
    E("api-bids", "GET", lambda w: f"{API}/procurement/bids/", row(200),
      marker=lambda w: str(w.a.bid.price), sees=("org_a",)),
    # another organization's bid answers 404 like a missing one
    E("api-bid-a-withdraw", "POST", lambda w: f"{API}/procurement/bids/{w.a.bid.pk}/withdraw/",
      row(404, org_a=409), state=lambda w: Bid.objects.filter(pk=w.a.bid.pk).values_list("withdrawn_at").first()),
    E("api-bid-missing-withdraw", "POST", lambda w: f"{API}/procurement/bids/999999/withdraw/", row(404)),
    E("api-complaint-a-answer", "POST", lambda w: f"{API}/procurement/complaints/{w.a.complaint.pk}/answer/",
      row(REFUSED, mca=GRANTED), body=lambda w: {"text": "已复核评分"},
      state=lambda w: _status(Complaint, w.a.complaint.pk), changes=MCA),
    E("api-contracts", "GET", lambda w: f"{API}/procurement/contracts/", row(200)),
    E("api-payment-request", "POST", lambda w: f"{API}/procurement/payments/",
      row(REFUSED, org_a=GRANTED),
      body=lambda w: {"milestone": w.a.milestone.pk, "amount": "1.00"},
      state=lambda w: Payment.objects.count(), changes=("org_a",)),
    E("api-payment-a-approve", "POST", lambda w: f"{API}/procurement/payments/{w.a.payment.pk}/approve/",
      row(REFUSED, fin=200),  # P8: finance approves each payment
      state=lambda w: _status(Payment, w.a.payment.pk), changes=("fin",)),
    E("api-ocds-releases", "GET", lambda w: f"{API}/procurement/ocds/releases/", row(200, anonymous=200)),
    # --- certification ------------------------------------------------------------------------------
    E("api-volunteers", "GET", lambda w: f"{API}/certification/volunteers/", row(200),
      marker=lambda w: w.a.volunteer.id_number, sees=("volunteer",)),
    E("api-records", "GET", lambda w: f"{API}/certification/records/", row(200),
      marker=lambda w: w.a.activity.name, sees=("volunteer", "org_a", *MCA, *JINSHUI, "admin")),
    E("api-record-a-approve", "POST", lambda w: f"{API}/certification/records/{w.a.record.pk}/approve/",
      row(REFUSED, org_a=409),
      state=lambda w: _status(ServiceRecord, w.a.record.pk)),
    E("api-cert-me", "GET", lambda w: f"{API}/certification/me/", row(404, volunteer=200)),
    E("api-requests", "GET", lambda w: f"{API}/certification/requests/", row(200),
      marker=lambda w: w.a.request.reference, sees=("volunteer", "org_a", *JINSHUI, "admin")),
    E("api-request-a", "GET", lambda w: f"{API}/certification/requests/{w.a.request.reference}/",
      row(404, volunteer=200, org_a=200, jinshui=200, admin=200)),
    E("api-request-a-withdraw", "POST",
      lambda w: f"{API}/certification/requests/{w.a.request.reference}/withdraw/",
      row(REFUSED, volunteer=200), state=lambda w: _status(CertificateRequest, w.a.request.pk),
      changes=("volunteer",)),
    E("api-certificates", "GET", lambda w: f"{API}/certification/certificates/", row(200),
      marker=lambda w: w.a.certificate.number, sees=("volunteer", "org_a", *MCA, *JINSHUI, "admin")),
    E("api-certificate-a", "GET", lambda w: f"{API}/certification/certificates/{w.a.certificate.number}/",
      row(404, volunteer=200, org_a=200, mca=200, jinshui=200, admin=200)),
    E("api-certificate-a-revoke", "POST",
      lambda w: f"{API}/certification/certificates/{w.a.certificate.number}/revoke/",
      row(REFUSED, org_a=GRANTED, mca_reviewer=GRANTED, mca_head=GRANTED, js_reviewer=GRANTED, admin=GRANTED),
      body=lambda w: {"reason": "记录有误"},
      state=lambda w: _status(Certificate, w.a.certificate.pk),
      changes=("org_a", "mca_reviewer", "mca_head", "js_reviewer", "admin")),
    E("api-disputes", "GET", lambda w: f"{API}/certification/disputes/", row(200),
      marker=lambda w: w.a.dispute.reference, sees=("volunteer", "org_a", *JINSHUI, "admin")),
    # the dispute is still with the organization: its volunteer may not appeal yet (409)
    E("api-dispute-a-appeal", "POST", lambda w: f"{API}/certification/disputes/{w.a.dispute.reference}/appeal/",
      row(REFUSED, volunteer=409), body=lambda w: {"reason": "不同意"},
      state=lambda w: _status(Dispute, w.a.dispute.pk)),
    E("api-verify", "GET", lambda w: f"{API}/certification/verify/?number={w.a.certificate.number}"
                                     f"&code={w.a.certificate.verification_code}", row(200, anonymous=200),
      marker=lambda w: w.a.volunteer.real_name, sees=()),
    E("api-public-key", "GET", lambda w: f"{API}/certification/public-key/", row(200, anonymous=200)),
    E("api-schema", "GET", lambda w: f"{API}/schema/", row(200, anonymous=200)),
    E("api-docs", "GET", lambda w: f"{API}/docs/", row(200, anonymous=200)),
    # --- organization B's objects: A's people and the other district (D1) must not reach them ---
    E("api-case-b", "GET", lambda w: f"{API}/cases/{w.b.request.reference}/", row(404, org_b=200, admin=200)),
    E("api-request-b", "GET", lambda w: f"{API}/certification/requests/{w.b.request.reference}/",
      row(404, org_b=200, admin=200)),
    E("api-certificate-b", "GET", lambda w: f"{API}/certification/certificates/{w.b.certificate.number}/",
      row(404, org_b=200, mca=200, admin=200)),
    E("api-task-b-complete", "POST", lambda w: f"{API}/tasks/{w.b.task.pk}/complete/",
      row(REFUSED, org_b=GRANTED), body=lambda w: {"decision": "issue"},
      state=lambda w: _status(CertificateRequest, w.b.request.pk), changes=("org_b",)),
    # D1: 金水区民政局 may not end an organization 二七区民政局 supervises; the city 民政局 may
    E("api-organization-b-end", "POST", lambda w: f"{API}/organizations/{w.b.org.pk}/end/",
      row(REFUSED, mca_reviewer=GRANTED, mca_head=GRANTED, admin=GRANTED),
      body=lambda w: {"status": "dissolved", "reason": "自行解散"},
      state=lambda w: w.b.org.__class__.objects.filter(pk=w.b.org.pk).values_list("status", flat=True).first(),
      changes=("mca_reviewer", "mca_head", "admin")),
    E("api-bid-b-replace", "POST", lambda w: f"{API}/procurement/bids/{w.b.bid.pk}/replace/",
      row(404, org_b=GRANTED), body=lambda w: {"price": "1.00", "content": "新方案"},
      state=lambda w: Bid.objects.filter(pk=w.b.bid.pk).values_list("price", "content", "withdrawn_at").first()),
    # --- P4: a bid before the deadline is sealed to everyone but its bidder ---------------------------
    E("api-sealed-tender-bids", "GET", lambda w: f"{API}/procurement/tenders/{w.sealed_tender.reference}/bids/",
      row(200), marker=lambda w: "88888", sees=("org_a",)),
    E("api-sealed-tender", "GET", lambda w: f"{API}/procurement/tenders/{w.sealed_tender.reference}/",
      row(200), marker=lambda w: "88888", sees=()),
    E("api-sealed-tender-case", "GET", lambda w: f"{API}/cases/{w.sealed_tender.reference}/",
      row(404, mca=200, fin=200, admin=200), marker=lambda w: "88888", sees=()),
    E("api-sealed-tender-ocds", "GET", lambda w: f"{API}/procurement/tenders/{w.sealed_tender.reference}/ocds/",
      row(200, anonymous=200), marker=lambda w: "88888", sees=()),
    E("api-sealed-bids", "GET", lambda w: f"{API}/procurement/bids/", row(200),
      marker=lambda w: "88888", sees=("org_a",)),
    E("api-sealed-tender-ranking", "GET",
      lambda w: f"{API}/procurement/tenders/{w.sealed_tender.reference}/ranking/",
      row(403, mca=200, fin=200, admin=200), marker=lambda w: "88888", sees=()),  # nothing to rank yet
    E("page-sealed-tender", "GET", lambda w: f"/workbench/procurement/{w.sealed_tender.reference}/",
      row(404, **WORKBENCH, mca=200, fin=200, admin=200), marker=lambda w: "88,888", sees=()),
    E("page-sealed-tender-plain", "GET", lambda w: f"/workbench/procurement/{w.sealed_tender.reference}/",
      row(404, **WORKBENCH, mca=200, fin=200, admin=200), marker=lambda w: "88888", sees=()),
    E("api-sealed-bid-b-withdraw", "POST", lambda w: f"{API}/procurement/bids/{w.sealed_bid.pk}/withdraw/",
      row(404, org_a=200), state=lambda w: Bid.objects.filter(pk=w.sealed_bid.pk).values_list("withdrawn_at").first(),
      changes=("org_a",)),
    # --- D6: a volunteer's phone and ID number only to the person and the staff who need them -------
    E("api-volunteers-phone", "GET", lambda w: f"{API}/certification/volunteers/", row(200),
      marker=lambda w: w.a.volunteer.phone, sees=("volunteer",)),
    E("api-cert-me-b", "GET", lambda w: f"{API}/certification/me/", row(404, volunteer=200),
      marker=lambda w: w.b.volunteer.id_number, sees=()),
    # --- more writes on A's objects -----------------------------------------------------------------
    E("api-record-a-deny", "POST", lambda w: f"{API}/certification/records/{w.a.record.pk}/deny/",
      row(REFUSED, org_a=409), body=lambda w: {"reason": "核实有误"},
      state=lambda w: _status(ServiceRecord, w.a.record.pk)),
    E("api-request-a-decide", "POST", lambda w: f"{API}/certification/requests/{w.a.request.reference}/decide/",
      row(REFUSED, org_a=GRANTED), body=lambda w: {"decision": "issue"},
      state=lambda w: _status(CertificateRequest, w.a.request.pk), changes=("org_a",)),
    E("api-dispute-a-decide", "POST", lambda w: f"{API}/certification/disputes/{w.a.dispute.reference}/decide/",
      row(REFUSED, org_a=GRANTED), body=lambda w: {"decision": "refuse", "reason": "记录无误"},
      state=lambda w: _status(Dispute, w.a.dispute.pk), changes=("org_a",)),
    E("api-volunteer-a-claim-code", "POST",
      lambda w: f"{API}/certification/volunteers/{w.a.volunteer.pk}/claim-code/", row(REFUSED)),
    E("api-activity-a-sign-in", "POST", lambda w: f"{API}/certification/activities/{w.a.activity.pk}/sign-in/",
      row(REFUSED), body=lambda w: {"volunteer": w.b.volunteer.pk},
      state=lambda w: Attendance.objects.filter(activity=w.a.activity).count()),
    E("api-complaint-a-escalate", "POST", lambda w: f"{API}/procurement/complaints/{w.a.complaint.pk}/escalate/",
      row(REFUSED, org_a=GRANTED), body=lambda w: {"text": "答复不满意"},
      state=lambda w: _status(Complaint, w.a.complaint.pk), changes=("org_a",)),
    E("api-complaint-a-decide", "POST", lambda w: f"{API}/procurement/complaints/{w.a.complaint.pk}/decide/",
      row(REFUSED, fin=GRANTED), body=lambda w: {"upheld": False, "decision": "维持原结果"},
      state=lambda w: _status(Complaint, w.a.complaint.pk), changes=("fin",)),
    E("api-payment-a-reject", "POST", lambda w: f"{API}/procurement/payments/{w.a.payment.pk}/reject/",
      row(REFUSED, fin=200), body=lambda w: {"reason": "材料不全"},
      state=lambda w: _status(Payment, w.a.payment.pk), changes=("fin",)),
    E("api-tender-milestone-add", "POST", lambda w: f"{API}/procurement/tenders/{w.tender.reference}/milestones/",
      row(REFUSED, mca_staff=GRANTED, mca_head=GRANTED),
      body=lambda w: {"name": "第二期", "due_date": "2099-01-01", "amount": "1.00"},
      state=lambda w: w.a.milestone.__class__.objects.count(), changes=("mca_staff", "mca_head")),
    E("api-tender-performance", "POST", lambda w: f"{API}/procurement/tenders/{w.tender.reference}/performance/",
      row(REFUSED, mca_reviewer=GRANTED, mca_head=GRANTED), body=lambda w: {"score": 90, "comment": "良好"},
      state=lambda w: _status(Tender, w.tender.pk), changes=("mca_reviewer", "mca_head")),
    E("api-tender-scores", "POST", lambda w: f"{API}/procurement/tenders/{w.tender.reference}/scores/",
      row(REFUSED)),
    E("api-tender-ocds", "GET", lambda w: f"{API}/procurement/tenders/{w.tender.reference}/ocds/",
      row(200, anonymous=200), marker=lambda w: w.a.bid.content, sees=()),
    E("api-catalogue-publish", "POST", lambda w: f"{API}/procurement/catalogue/{w.catalogue_item.pk}/publish/",
      row(403, fin=GRANTED, admin=GRANTED)),
    # a district 财政局 keeps to its own district's budget lines, in an import too (D1)
    E("api-import-budget-erqi-file", "POST", lambda w: f"{API}/imports/procurement_budget_lines/",
      row((*REFUSED, 202), fin=202, admin=202), form=True, body=lambda w: {"file": _budget_csv(w, "mca-erqi")},
      state=lambda w: w.budget_line.__class__.objects.count(), changes=("fin", "admin")),
    E("api-activities", "GET", lambda w: f"{API}/certification/activities/", row(200)),
    # seed 五(一): students' hours only for the education bureau and schools (none in this world but
    # the administrator); a student states their own school (the volunteer has none yet: 404)
    E("api-students", "GET", lambda w: f"{API}/certification/students/", row(403, edu=200, school=200, admin=200)),
    # A's volunteer is nobody's student: not found for those who may look students up at all
    E("api-student-a", "GET", lambda w: f"{API}/certification/students/{w.a.volunteer.pk}/",
      row(403, edu=404, school=404, admin=404)),
    E("api-schools", "GET", lambda w: f"{API}/certification/schools/", row(200)),
    E("api-me-student", "GET", lambda w: f"{API}/certification/me/student/", row(404)),
    E("api-me-student-withdraw", "POST", lambda w: f"{API}/certification/me/student/withdraw-consent/",
      row(403, volunteer=404)),
    # seed 二(五): the national files carry full ID numbers: A's managers, the city 民政局 and A's
    # supervising 金水区民政局 (D1) only
    E("api-national-volunteers", "GET", lambda w: f"{API}/certification/national/volunteers/",
      row(403, org_a=200, org_b=200, mca=200, jinshui=200, admin=200),
      marker=lambda w: w.a.volunteer.id_number, sees=("org_a", *MCA, *JINSHUI, "admin")),
    E("api-national-records", "GET", lambda w: f"{API}/certification/national/records/",
      row(403, org_a=200, org_b=200, mca=200, jinshui=200, admin=200),
      marker=lambda w: w.a.volunteer.id_number, sees=("org_a", *MCA, *JINSHUI, "admin")),
    E("page-students", "GET", lambda w: "/certification/students/", row(403, **PAGE, edu=200, school=200, admin=200)),
    E("page-national", "GET", lambda w: "/certification/national/",
      row(403, **PAGE, org_a=200, org_b=200, mca=200, jinshui=200, admin=200)),
    E("page-national-volunteers", "GET", lambda w: "/certification/national/volunteers.csv",
      row(403, **PAGE, org_a=200, org_b=200, mca=200, jinshui=200, admin=200),
      marker=lambda w: w.a.volunteer.id_number, sees=("org_a", *MCA, *JINSHUI, "admin")),
    # protection and commendation (seed 二(三), 二(四)): an activity's roster, cover and start are its
    # organization's only; A's activity has ended, so even org_a's start is a 400 and changes nothing
    E("api-activity-a-start", "POST", lambda w: f"{API}/certification/activities/{w.a.activity.pk}/start/",
      row(REFUSED, org_a=GRANTED), state=lambda w: w.a.activity.__class__.objects.get(pk=w.a.activity.pk).started_at),
    E("api-activity-a-participants", "GET",
      lambda w: f"{API}/certification/activities/{w.a.activity.pk}/participants/", row(404, org_a=200)),
    E("api-activity-a-cover", "GET", lambda w: f"{API}/certification/activities/{w.a.activity.pk}/cover/",
      row(404, org_a=200)),
    # A's activity has ended: even its own manager is told so (400) before any volunteer is looked
    # up, so the answer says nothing of B's volunteer; everyone else does not find the activity
    E("api-activity-a-participant-add-b", "POST",
      lambda w: f"{API}/certification/activities/{w.a.activity.pk}/participants/", row(REFUSED, org_a=400),
      body=lambda w: {"volunteer": w.b.volunteer.pk},
      state=lambda w: w.a.activity.participants.count()),
    E("api-insurance", "GET", lambda w: f"{API}/certification/insurance/", row(200)),
    E("api-commendations", "GET", lambda w: f"{API}/certification/commendations/", row(200)),
    # --- recruitment: open recruitments are public; sign-ups (names) only to the organization ---------
    E("api-recruitments", "GET", lambda w: f"{API}/recruitment/recruitments/", row(200)),
    E("api-recruitment-a", "GET", lambda w: f"{API}/recruitment/recruitments/{w.a.recruitment.pk}/", row(200)),
    E("api-recruitment-a-signups", "GET", lambda w: f"{API}/recruitment/recruitments/{w.a.recruitment.pk}/signups/",
      row(200), marker=lambda w: w.a.volunteer.real_name, sees=("org_a",)),
    E("api-recruitment-a-answers", "GET", lambda w: f"{API}/recruitment/recruitments/{w.a.recruitment.pk}/answers/",
      row(404, org_a=200)),
    E("api-recruitment-a-cancel", "POST", lambda w: f"{API}/recruitment/recruitments/{w.a.recruitment.pk}/cancel/",
      row(REFUSED, org_a=GRANTED), body=lambda w: {"reason": "天气原因"},
      state=lambda w: _status(Recruitment, w.a.recruitment.pk), changes=("org_a",)),
    E("api-signup-a-select", "POST", lambda w: f"{API}/recruitment/signups/{w.a.signup.pk}/select/",
      row(REFUSED, org_a=GRANTED), state=lambda w: _status(SignUp, w.a.signup.pk), changes=("org_a",)),
    E("api-signup-a-withdraw", "POST", lambda w: f"{API}/recruitment/signups/{w.a.signup.pk}/withdraw/",
      row(REFUSED, volunteer=GRANTED), state=lambda w: _status(SignUp, w.a.signup.pk), changes=("volunteer",)),
    E("api-slot-a-sign-up", "POST", lambda w: f"{API}/recruitment/slots/{w.a.recruitment.slots.get().pk}/sign-up/",
      row(403, volunteer=409), state=lambda w: SignUp.objects.count()),
    E("api-slot-a-on-spot", "POST", lambda w: f"{API}/recruitment/slots/{w.a.recruitment.slots.get().pk}/on-spot/",
      row(REFUSED, org_a=400), body=lambda w: {"consent_note": "同意", "real_name": "王大伯", "id_number": "x"},
      state=lambda w: SignUp.objects.count()),
    E("api-recruitment-signups-mine", "GET", lambda w: f"{API}/recruitment/signups/", row(200),
      marker=lambda w: w.a.volunteer.real_name, sees=("volunteer",)),
    E("api-recruitment-profile", "GET", lambda w: f"{API}/recruitment/profile/", row(404, volunteer=200)),
    E("api-projects-export", "GET", lambda w: f"{API}/incubation/exports/projects.xlsx",
      row(200, portal=403, school=403, expert=403, leader=403)),
    E("api-token-empty", "POST", lambda w: f"{API}/auth/token/", row(400, anonymous=400)),
    E("api-unknown", "GET", lambda w: f"{API}/no-such-thing/", row(404, anonymous=404)),
    # --- pages ----------------------------------------------------------------------------------------
    E("page-home", "GET", lambda w: "/", row(302, anonymous=302)),
    E("page-admin", "GET", lambda w: "/admin/", row(302, anonymous=302, admin=200)),
    E("page-portal", "GET", lambda w: "/portal/", row(200, **PAGE),
      marker=lambda w: w.a.request.reference, sees=()),
    E("page-portal-certification", "GET", lambda w: "/portal/certification/", row(200, **PAGE),
      marker=lambda w: w.a.request.reference, sees=("volunteer", "org_a")),
    E("page-inbox", "GET", lambda w: "/workbench/tasks/inbox/", row(200, **WORKBENCH),
      marker=lambda w: w.a.request.reference, sees=()),
    E("page-queue", "GET", lambda w: "/workbench/tasks/queue/", row(200, **WORKBENCH),
      marker=lambda w: w.a.request.reference, sees=()),
    E("page-archive", "GET", lambda w: "/workbench/tasks/archive/", row(200, **WORKBENCH),
      marker=lambda w: w.a.certificate.request.reference, sees=()),
    E("page-task-a", "GET", lambda w: f"/workbench/tasks/task/{w.a.task.pk}/",
      row(404, **WORKBENCH, js_staff=200, admin=200)),
    E("page-case-a", "GET", lambda w: f"/workbench/tasks/case/{w.a.request.reference}/",
      row(404, **WORKBENCH, jinshui=200, admin=200)),
    E("page-dashboard", "GET", lambda w: "/workbench/dashboard/", row(200, **WORKBENCH, expert=403)),
    E("page-dashboard-public", "GET", lambda w: "/dashboard/", row(200, anonymous=200)),
    E("page-dashboard-organization", "GET", lambda w: "/dashboard/organization/",
      row(403, anonymous=302, org_a=200, org_b=200)),
    E("page-incubation", "GET", lambda w: "/workbench/incubation/", row(200, **WORKBENCH),
      marker=lambda w: w.a.application.reference, sees=(*MCA, "admin")),
    E("page-application-a", "GET", lambda w: f"/workbench/incubation/{w.a.application.reference}/",
      row(404, **WORKBENCH, mca=200, admin=200)),
    E("page-procurement", "GET", lambda w: "/workbench/procurement/", row(200, **WORKBENCH)),
    E("page-tender", "GET", lambda w: f"/workbench/procurement/{w.tender.reference}/",
      row(404, **WORKBENCH, mca=200, fin=200, admin=200)),
    E("page-tender-new", "GET", lambda w: "/workbench/procurement/new/",
      row(404, **WORKBENCH, mca_staff=200, mca_head=200, js_staff=200, edu=200)),  # any department buys services
    E("page-budget", "GET", lambda w: "/workbench/procurement/budget/lines/", row(200, **WORKBENCH),
      marker=lambda w: "¥500,000.00", sees=(*MCA, "fin", "admin")),  # pages show money formatted
    E("page-certificates", "GET", lambda w: "/workbench/certificates/", row(200, **WORKBENCH),
      marker=lambda w: w.a.certificate.number, sees=(*MCA, *JINSHUI, "admin")),
    E("page-disputes", "GET", lambda w: "/workbench/certificates/disputes/", row(200, **WORKBENCH),
      marker=lambda w: w.a.dispute.reference, sees=(*JINSHUI, "admin")),
    E("page-certificate-a-pdf", "GET", lambda w: f"/certification/certificates/{w.a.certificate.number}/pdf/",
      row(404, **PAGE, volunteer=200, org_a=200, admin=200)),
    E("page-register-export", "GET", lambda w: "/certification/register.xlsx",
      row(200, **PAGE, volunteer=403, school=403, expert=403, leader=403),
      marker=lambda w: w.a.certificate.number, sees=("org_a", *MCA, *JINSHUI, "admin")),
    E("page-verify", "GET", lambda w: f"/certification/verify/?number={w.a.certificate.number}"
                                      f"&code={w.a.certificate.verification_code}", row(200, anonymous=200),
      marker=lambda w: w.a.volunteer.real_name, sees=()),
    E("page-login", "GET", lambda w: "/accounts/login/", row(200, anonymous=200)),
    E("page-case-b", "GET", lambda w: f"/workbench/tasks/case/{w.b.request.reference}/",
      row(404, **WORKBENCH, admin=200)),
    E("page-certificate-b-pdf", "GET", lambda w: f"/certification/certificates/{w.b.certificate.number}/pdf/",
      row(404, **PAGE, org_b=200, admin=200)),
    E("page-tender-edit", "GET", lambda w: f"/workbench/procurement/{w.complaint_tender.reference}/edit/",
      row(404, **WORKBENCH)),
    E("page-tender-score", "GET", lambda w: f"/workbench/procurement/{w.tender.reference}/score/",
      row(404, **WORKBENCH)),
    E("page-lookup", "GET", lambda w: f"/workbench/tasks/lookup/?reference={w.a.request.reference}",
      row(302, **WORKBENCH)),
    E("page-notifications", "GET", lambda w: "/workbench/tasks/notifications/", row(200, **WORKBENCH)),
    E("page-notification-preferences", "GET", lambda w: "/workbench/tasks/notifications/preferences/",
      row(200, **WORKBENCH)),
    # the portal's notification centre: every signed-in user reads their own notifications there
    E("page-portal-notifications", "GET", lambda w: "/portal/notifications/", row(200, **PAGE)),
    E("page-portal-notification-preferences", "GET", lambda w: "/portal/notifications/preferences/",
      row(200, **PAGE)),
    E("page-backfills", "GET", lambda w: "/workbench/certificates/backfills/", row(200, **WORKBENCH)),
    E("page-recruitments", "GET", lambda w: "/recruitment/", row(200, anonymous=200)),
    E("page-recruitment-a", "GET", lambda w: f"/recruitment/{w.a.recruitment.pk}/", row(200, anonymous=200),
      marker=lambda w: w.a.volunteer.real_name, sees=("org_a",)),
    E("page-recruitment-publish", "GET", lambda w: "/recruitment/new/", row(404, **PAGE, org_a=200, org_b=200)),
    E("page-portal-recruitment", "GET", lambda w: "/portal/recruitment/", row(200, **PAGE)),
    E("page-workbench-recruitments", "GET", lambda w: "/workbench/recruitments/", row(200, **WORKBENCH)),
    E("page-signup-a-select", "POST", lambda w: f"/recruitment/{w.a.recruitment.pk}/signups/{w.a.signup.pk}/select/",
      row(302, **PAGE), form=True, state=lambda w: _status(SignUp, w.a.signup.pk), changes=("org_a",)),
    E("page-application-a-update", "POST", lambda w: f"/incubation/{w.a.application.reference}/update/",
      row(302, **PAGE), form=True, body=lambda w: {"plan": "改写的计划"},
      # a submitted application is no longer A's to edit either (only a draft or a returned one)
      state=lambda w: IncubationApplication.objects.filter(pk=w.a.application.pk).values_list("plan").first()),
    # a back-fill's evidence (R12, issue #9): its organization, its volunteer, the supervising
    # department that approves it and the administrator; nobody else (404); A's managers upload
    E("page-backfill-a-evidence", "GET", lambda w: f"/certification/portal/records/{w.a.backfill.pk}/evidence/",
      row(404, **PAGE, volunteer=200, org_a=200, jinshui=200, admin=200),
      marker=lambda w: "甲签到表.pdf", sees=("volunteer", "org_a", *JINSHUI, "admin")),
    E("api-backfill-a-documents", "GET", lambda w: f"{API}/documents/cases/{w.a.backfill.reference}/",
      row(404, volunteer=200, org_a=200, jinshui=200, admin=200),
      marker=lambda w: "甲签到表.pdf", sees=("volunteer", "org_a", *JINSHUI, "admin")),
    E("api-backfill-a-evidence-download", "GET", lambda w: f"{API}/documents/{w.a.evidence.pk}/download/",
      row(404, volunteer=200, org_a=200, jinshui=200, admin=200)),
    E("api-backfill-a-evidence-upload", "POST", lambda w: f"{API}/documents/cases/{w.a.backfill.reference}/",
      row(404, volunteer=403, org_a=201, jinshui=403, admin=403), form=True,
      body=lambda w: {"kind": "backfill_evidence", "files": [SimpleUploadedFile("补交.pdf", pdf_bytes("补交"))]},
      state=lambda w: Document.objects.filter(reference=w.a.backfill.reference).count(), changes=("org_a",)),
    E("page-record-a-deny", "POST", lambda w: f"/certification/portal/records/{w.a.record.pk}/deny/",
      row(302, **PAGE), form=True, body=lambda w: {"reason": "核实有误"},
      state=lambda w: _status(ServiceRecord, w.a.record.pk)),
    E("page-activity-a-risk", "POST", lambda w: f"/certification/portal/activities/{w.a.activity.pk}/risk/",
      row(302, **PAGE), form=True, body=lambda w: {"dangerous": "1"},
      state=lambda w: Activity.objects.filter(pk=w.a.activity.pk).values_list("dangerous").first(), changes=("org_a",)),
    E("page-task-a-decide", "POST", lambda w: f"/certification/portal/tasks/{w.a.task.pk}/",
      row(302, **PAGE), form=True, body=lambda w: {"decision": "issue"},
      state=lambda w: _status(CertificateRequest, w.a.request.pk), changes=("org_a",)),
    E("page-dispute-a-appeal", "POST", lambda w: f"/certification/portal/disputes/{w.a.dispute.reference}/appeal/",
      row(302, **PAGE), form=True, body=lambda w: {"reason": "不同意"},
      state=lambda w: _status(Dispute, w.a.dispute.pk)),
    E("page-application-a-withdraw", "POST", lambda w: f"/incubation/{w.a.application.reference}/withdraw/",
      row(302, **PAGE), form=True, body=lambda w: {"reason": "不再申请"},
      state=lambda w: _status(IncubationApplication, w.a.application.pk), changes=("org_a",)),
    # --- time bank: the account is the volunteer's; A's redemption is answered by A only ------------
    E("api-tb-account", "GET", lambda w: f"{API}/timebank/account/", row(403, volunteer=200)),
    E("api-tb-entries", "GET", lambda w: f"{API}/timebank/account/entries/", row(403, volunteer=200)),
    E("api-tb-services", "GET", lambda w: f"{API}/timebank/services/", row(200, anonymous=200),
      marker=lambda w: w.a.service.title, sees=ROLES),
    E("api-tb-redemptions", "GET", lambda w: f"{API}/timebank/redemptions/", row(200),
      marker=lambda w: w.a.redemption.reference, sees=("volunteer", "org_a", "js_staff", "js_reviewer", "admin")),
    E("api-tb-redemption-a-confirm", "POST", lambda w: f"{API}/timebank/redemptions/{w.a.redemption.reference}/decide/",
      row(404, org_a=200), body=lambda w: {"decision": "confirm"},
      state=lambda w: _status(Redemption, w.a.redemption.pk), changes=("org_a",)),
    E("api-tb-redeem-b", "POST", lambda w: f"{API}/timebank/services/{w.b.service.pk}/redeem/",
      row(403, volunteer=201), state=lambda w: Redemption.objects.count(), changes=("volunteer",)),
    E("page-portal-timebank", "GET", lambda w: "/portal/timebank/", row(200, **PAGE),
      marker=lambda w: w.a.redemption.reference, sees=("volunteer", "org_a")),
    E("page-timebank-catalogue", "GET", lambda w: "/timebank/services/", row(200, anonymous=200)),
    E("page-timebank-redemptions", "GET", lambda w: "/workbench/timebank/", row(200, **WORKBENCH),
      marker=lambda w: w.a.redemption.reference, sees=("js_staff", "js_reviewer", "admin")),
    E("page-tb-redemption-a-confirm", "POST",
      lambda w: f"/timebank/portal/redemptions/{w.a.redemption.reference}/confirm/", row(302, **PAGE), form=True,
      state=lambda w: _status(Redemption, w.a.redemption.pk), changes=("org_a",)),
    E("page-payment-a", "POST", lambda w: f"/procurement/milestones/{w.a.milestone.pk}/payment/",
      row(302, **PAGE), form=True, body=lambda w: {"amount": "1.00"},
      state=lambda w: Payment.objects.count(), changes=("org_a",)),
]
