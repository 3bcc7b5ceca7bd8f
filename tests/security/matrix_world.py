"""The small world the authorization matrix asks about: organizations A (金水区, supervised by
金水区民政局) and B (二七区, supervised by 二七区民政局), each with a volunteer holding an approved
record, a certificate request, an issued certificate and a dispute, an incubation application, a
bid on the same tenders; A holds the contract, a milestone payment and a complaint; one user per
role. Built once per module through the services, the way the process tests build theirs."""
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from engine.cases.actions import task_complete
from engine.cases.models import TaskRoute
from engine.directory.models import Department, Membership
from engine.documents.samples import pdf_bytes
from engine.documents.services import document_upload
from processes.certification.services.disputes import dispute_file
from processes.certification.services.registry import activity_create, record_enter, volunteer_register
from processes.certification.services.requests import request_create
from processes.incubation import services as incubation
from processes.procurement import services as procurement
from processes.procurement.models import BudgetLine, CatalogueItem
from processes.procurement.services.complaints import complaint_file
from processes.procurement.services.contracts import milestone_accept, milestone_add, payment_request
from processes.recruitment.services.recruitments import recruitment_publish
from processes.recruitment.services.signups import signup_create
from processes.timebank.services.exchange import redeem, service_publish
from processes.timebank.services.ledger import record_post
from tests.factories import OrganizationFactory, UserFactory, member, org_user
from tests.processes.certification.conftest import approved, id_number, make_activity
from tests.processes.procurement.conftest import Driver, route


@dataclass
class Side:
    """One organization's objects."""
    org: object = None
    manager: object = None
    volunteer_user: object = None
    volunteer: object = None
    record: object = None
    activity: object = None
    request: object = None
    certificate: object = None
    dispute: object = None
    application: object = None
    bid: object = None
    complaint: object = None
    payment: object = None
    milestone: object = None
    task: object = None  # an open task of A's request, in its supervising department's queue
    service: object = None  # a service the organization offers for hours (time bank)
    redemption: object = None  # its volunteer's redemption of it, waiting for the organization
    recruitment: object = None  # an open recruitment for a coming activity, A's volunteer signed up
    signup: object = None


@dataclass
class World:
    users: dict = field(default_factory=dict)
    a: Side = field(default_factory=Side)
    b: Side = field(default_factory=Side)
    tender: object = None
    complaint_tender: object = None
    sealed_tender: object = None  # still tendering: every bid sealed to all but its bidder (P4)
    sealed_bid: object = None  # A's bid on it
    catalogue_item: object = None
    budget_line: object = None
    signing_key_path: object = None
    clock: object = None  # when the matrix asks: every tender but the sealed one is past its deadline


def _certification_side(side, district, serial):
    side.activity = make_activity(side.org, side.manager, name=f"社区服务{serial}")
    side.volunteer_user = UserFactory(username=f"mx_vol_{serial}", full_name=f"志愿者{serial}")
    side.volunteer = volunteer_register(actor=side.volunteer_user, user=side.volunteer_user,
                                        real_name=f"李{serial}萌", id_number=id_number(serial),
                                        phone=f"13812340{serial}")
    side.record = approved(side.manager, side.volunteer, side.activity, Decimal("4"))
    issued = request_create(actor=side.volunteer_user, volunteer=side.volunteer, organization=side.org)
    task = TaskRoute.objects.get(reference=issued.reference, state__in=["open", "claimed"])
    task_complete(actor=side.manager, task_id=task.pk, decision="issue")
    issued.refresh_from_db()
    side.certificate = issued.certificates.get()
    # a second request left open, so the organization has a live task and a request to decide
    side.request = request_create(actor=side.volunteer_user, volunteer=side.volunteer, organization=side.org)
    side.task = TaskRoute.objects.get(reference=side.request.reference, state__in=["open", "claimed"])
    side.dispute = dispute_file(actor=side.volunteer_user, claim="服务时长少记了两小时", record=side.record)
    # far enough ahead to be still coming on the matrix's shifted clock
    start = (timezone.now() + timedelta(days=300)).replace(microsecond=0)
    coming = activity_create(actor=side.manager, organization=side.org, name=f"招募活动{serial}", place="郑州",
                             start_at=start, end_at=start + timedelta(hours=4), person_in_charge="负责人")
    side.recruitment = recruitment_publish(
        actor=side.manager, activity=coming, title=f"志愿者招募{serial}", place="郑州",
        slots=[{"start_at": coming.start_at, "end_at": coming.end_at, "places": 5}])
    side.signup = signup_create(actor=side.volunteer_user, slot_id=side.recruitment.slots.get().pk)


def _time_bank(w):
    """Each side's volunteer has the record's 4 hours credited and redeems its organization's service."""
    for side in (w.a, w.b):
        record_post(record_id=side.record.pk)  # the approval's on-commit posting never runs inside the world
        side.service = service_publish(actor=side.manager, provider_id=side.org.pk,
                                       title=f"{side.org.name}上门理发", hours="1")
        side.redemption = redeem(actor=side.volunteer_user, service_id=side.service.pk)


def build_world():
    w = World()
    u = w.users
    u["volunteer"] = None  # set below: A's volunteer
    u["mca_staff"] = member("mca", "staff", username="mx_mca_staff")
    u["mca_reviewer"] = member("mca", "reviewer", username="mx_mca_reviewer")
    u["mca_head"] = member("mca", "head", username="mx_mca_head")
    u["js_staff"] = member("mca-jinshui", "staff", username="mx_js_staff")
    u["js_reviewer"] = member("mca-jinshui", "reviewer", username="mx_js_reviewer")
    u["fin"] = member("fin", "reviewer", username="mx_fin")
    u["fin_js"] = member("fin-jinshui", "reviewer", username="mx_fin_js")
    u["edu"] = member("edu", "staff", username="mx_edu")
    school = Department.objects.create(code="mx-school", name="矩阵中学", kind=Department.Kind.SCHOOL,
                                       parent=Department.objects.get(code="edu"))
    u["school"] = UserFactory(username="mx_school")
    Membership.objects.create(user=u["school"], department=school, role="school")
    u["expert"] = member(None, "expert", username="mx_expert")
    u["leader"] = member(None, "leader", username="mx_leader")
    u["admin"] = UserFactory(username="mx_admin", is_staff=True, is_superuser=True)

    w.a.org = OrganizationFactory(name="甲志愿服务协会", supervising_department=Department.objects.get(code="mca-jinshui"))
    w.b.org = OrganizationFactory(name="乙志愿服务协会", supervising_department=Department.objects.get(code="mca-erqi"))
    w.a.manager = org_user(w.a.org, username="mx_org_a")
    w.b.manager = org_user(w.b.org, username="mx_org_b")
    u["org_a"], u["org_b"] = w.a.manager, w.b.manager
    _certification_side(w.a, "jinshui", 101)
    _certification_side(w.b, "erqi", 102)
    u["volunteer"] = w.a.volunteer_user
    _time_bank(w)
    # A back-fills its volunteer's hours with the sign-in sheet as evidence; A has one manager, so
    # its supervising department (金水区民政局) approves it and sees the evidence (R12)
    w.a.backfill = record_enter(actor=w.a.manager, volunteer=w.a.volunteer, hours=2, submit=True,
                                activity=make_activity(w.a.org, w.a.manager, name="补录活动101", hours=3))
    [w.a.evidence] = document_upload(actor=w.a.manager, case=w.a.backfill, kind="backfill_evidence",
                                     files=[SimpleUploadedFile("甲签到表.pdf", pdf_bytes("甲签到表"))])

    base = Department.objects.get(code="base-city")
    for side in (w.a, w.b):
        draft = incubation.application_create(actor=side.manager, organization=side.org, base=base,
                                              plan="开展社区助老服务", documents=["章程.pdf"])
        side.application = incubation.application_submit(actor=side.manager, application=draft)

    _procurement(w)
    return w


def _procurement(w):
    extra = [OrganizationFactory(name=f"丙志愿服务组织{i}") for i in range(2)]
    orgs = [extra[0], w.a.org, w.b.org, extra[1]]
    people = {
        "staff": w.users["mca_staff"], "fin": w.users["fin"],
        "experts": [member(None, "expert", username=f"mx_tender_expert{i}") for i in range(3)],
        "orgs": orgs,
        "org_users": [org_user(extra[0], username="mx_org_c"), w.a.manager, w.b.manager,
                      org_user(extra[1], username="mx_org_d")],
    }
    w.catalogue_item = CatalogueItem.objects.create(
        code="MX01", name="社区志愿服务", category="社区服务", service_standard="每月不少于20场",
        unit="项", year=timezone.localdate().year, published=True)
    w.budget_line = BudgetLine.objects.create(department=Department.objects.get(code="mca"),
                                              year=timezone.localdate().year, item=w.catalogue_item,
                                              amount=Decimal("500000.00"))
    budget = (w.catalogue_item, w.budget_line)
    prices = ("90000.00", "80000.00", "95000.00")  # A (index 1) offers the lowest price and wins

    # first, a tender open for bids long after the others close (their chronograph runs must not
    # close it): A's offer stays sealed (P4)
    d3 = Driver(people, budget)
    d3.create(tender_end=timezone.now() + timedelta(days=90))
    d3.open_bidding()
    w.sealed_bid = d3.bid(1, "88888.00")
    w.sealed_tender = d3.reload()

    # the contracted tender: A delivers a milestone and asks to be paid
    d = Driver(people, budget)
    d.evaluation(prices=prices)
    w.a.bid = d.tender.bids.get(organization=w.a.org)
    w.b.bid = d.tender.bids.get(organization=w.b.org)
    d.score_all()
    task_complete(actor=people["fin"], task_id=route(d.tender, "award_review").pk, decision="approve")
    d.reload()
    with d.at(d.tender.standstill_end + timedelta(seconds=1)):
        procurement.chronograph_run()
    d.reload()
    start = timezone.localdate()
    task_complete(actor=people["staff"], task_id=route(d.tender, "contract").pk, decision="sign",
                  data={"amount": "80000.00", "start_date": str(start),
                        "end_date": str(start.replace(year=start.year + 1))})
    w.tender = d.reload()
    w.a.milestone = milestone_add(actor=people["staff"], tender_id=w.tender.pk, name="第一期服务",
                                  due_date=str(start + timedelta(days=30)), amount="40000.00")
    milestone_accept(actor=people["staff"], milestone_id=w.a.milestone.pk)
    w.a.payment = payment_request(actor=w.a.manager, milestone_id=w.a.milestone.pk, amount="30000.00")

    # a second tender in its standstill: A complains about the award (P7)
    d2 = Driver(people, budget)
    d2.evaluation(prices=prices)
    d2.score_all()
    task_complete(actor=people["fin"], task_id=route(d2.tender, "award_review").pk, decision="approve")
    w.complaint_tender = d2.reload()
    w.a.complaint = complaint_file(actor=w.a.manager, tender_id=w.complaint_tender.pk,
                                   organization_id=w.a.org.pk, text="评分标准适用有误")
    w.clock = w.tender.tender_end + timedelta(days=20)
    assert w.clock < w.sealed_tender.tender_end
