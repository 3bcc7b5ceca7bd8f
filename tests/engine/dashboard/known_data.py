"""A small data set whose every dashboard figure is known by hand (issue #14 "How it is
checked"). The clock stands at 2026-06-15 12:00 in Shanghai while it is built and read."""
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import count

import time_machine

from engine.audit.services import audit_record
from engine.cases.actions import task_complete
from engine.cases.models import TaskRoute
from engine.dashboard.models import DistrictPopulation
from engine.directory.models import Department, District
from engine.formatting import SHANGHAI
from processes.certification.models import Certificate, CertificateRequest, ServiceRecord
from processes.certification.services.registry import volunteer_register
from processes.incubation.models import IncubationApplication
from processes.procurement.models import BudgetLine, CatalogueItem, Contract, Tender
from tests.example.services import example_create
from tests.factories import OrganizationFactory, UserFactory, make_uscc, member, org_user
from tests.processes.certification.conftest import approved, id_number, make_activity

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=SHANGHAI)
_codes = count(70000)  # credit codes apart from the factory's and the demo organizations'


def organization(**fields):
    return OrganizationFactory(**{"uscc": make_uscc(next(_codes)), **fields})
YEAR = 2026


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def build():
    """Returns the people and objects the tests look at."""
    jinshui, erqi, zhongyuan = (District.objects.get(code=c) for c in ("jinshui", "erqi", "zhongyuan"))
    base, fin = Department.objects.get(code="base-city"), Department.objects.get(code="fin")
    DistrictPopulation.objects.create(district=jinshui, year=2026, population=1000, source="测试公报")
    # the goal: three volunteers in 金水区 (one since March), one in 二七区
    with time_machine.travel(at(2026, 3, 10, 9), tick=False):
        user = UserFactory()
        volunteer_register(actor=user, user=user, real_name="三月", id_number=id_number(201), district="jinshui")
    people = []
    for n, district in ((202, "jinshui"), (203, "jinshui"), (204, "erqi")):
        user = UserFactory()
        people.append(volunteer_register(actor=user, user=user, real_name=f"志愿者{n}", id_number=id_number(n),
                                         district=district))
    # hours: 4 approved through sign-in, 120 entered and approved for another volunteer (one star)
    org = organization(district=zhongyuan)
    manager = org_user(org)
    activity = make_activity(org, manager, hours=5)
    approved(manager, people[0], activity, 4)
    ServiceRecord.objects.create(volunteer=people[1], activity=activity, hours=Decimal("120"),
                                 source=ServiceRecord.Source.BACKFILL, status=ServiceRecord.Status.APPROVED,
                                 entered_by=manager)
    # certificates: one in March, two in June, issued by the organization
    request = CertificateRequest.objects.create(volunteer=people[0], organization=org, status="issued",
                                                department=Department.objects.get(code="mca-jinshui"))
    for n, day in enumerate((at(2026, 3, 2, 10), at(2026, 6, 1, 10), at(2026, 6, 2, 10))):
        Certificate.objects.create(number=f"T-2026-{n}", verification_code="X", request=request,
                                   volunteer=people[0], issuer=org,
                                   issued_at=day, volunteer_name="甲", volunteer_id_masked="4101", issuer_name=org.name,
                                   recording_organization=org.name, total_hours=Decimal("4"), signature="s", key_id="k")
    # work: in the city base, two finished "prepare" steps (4 h in June, 24 h in May)
    staff = member("base-city", "staff")
    for start, hours in ((at(2026, 6, 1, 10), 4), (at(2026, 5, 4, 10), 24)):
        with time_machine.travel(start, tick=False):
            case = example_create(actor=staff, department=base, subject="已办")
        route = TaskRoute.objects.get(reference=case.reference, node="prepare")
        with time_machine.travel(start + timedelta(hours=hours), tick=False):
            task_complete(actor=staff, task_id=route.pk, decision="submit")
    # open tasks, with their due times set: overdue and escalated, due soon, and one in 二七区's 民政局
    overdue = example_create(actor=staff, department=base, subject="逾期")
    soon = example_create(actor=staff, department=base, subject="将到期")
    erqi_case = example_create(actor=member("mca-erqi", "staff"), department=Department.objects.get(code="mca-erqi"),
                               subject="二七")
    TaskRoute.objects.open().filter(reference=overdue.reference).update(due_at=NOW - timedelta(hours=1),
                                                                       escalation_level=1)
    TaskRoute.objects.open().filter(reference=soon.reference).update(due_at=NOW + timedelta(hours=10))
    TaskRoute.objects.open().filter(reference=erqi_case.reference).update(due_at=NOW + timedelta(hours=100))
    TaskRoute.objects.open().filter(node="approve").update(due_at=NOW + timedelta(hours=100))
    # states from the audit trail: a thing spends 2 h, then 6 h in "review"
    for object_id, hours in (("1", 2), ("2", 6)):
        with time_machine.travel(at(2026, 4, 1, 8), tick=False):
            audit_record(actor=None, action="test.review", object_type="example.examplecase", object_id=f"t{object_id}",
                         after={"status": "review"})
        with time_machine.travel(at(2026, 4, 1, 8) + timedelta(hours=hours), tick=False):
            audit_record(actor=None, action="test.approve", object_type="example.examplecase",
                         object_id=f"t{object_id}", after={"status": "approved"})
    # money: 财政局's budget; two contracts, one to a social organization
    item = CatalogueItem.objects.create(code="T-01", name="测试服务", category="社区服务", service_standard="按标准",
                                       unit="项", year=2026, published=True)
    line = BudgetLine.objects.create(department=fin, year=2026, item=item, amount=Decimal("100000.00"),
                                     committed=Decimal("30000.00"), spent=Decimal("20000.00"))
    unregistered = organization(registered=False, uscc=None, district=zhongyuan)
    for n, (ceiling, awarded, bids, contractor) in enumerate(
            ((Decimal("100000.00"), Decimal("80000.00"), 3, org), (Decimal("50000.00"), Decimal("45000.00"), 1,
                                                                    unregistered))):
        tender = Tender.objects.create(department=fin, created_by=staff, name=f"项目{n}", catalogue_item=item,
                                       budget_line=line, amount=ceiling, enquiry_end=at(2026, 5, 1, 9),
                                       tender_end=at(2026, 5, 20, 9), bids_at_close=bids, status="delivery")
        Contract.objects.create(tender=tender, organization=contractor, amount=awarded, start_date=date(2026, 6, 1),
                                end_date=date(2026, 12, 31), signed_at=at(2026, 6, 1, 10), signed_by=staff)
    # incubation at the city base: two incubating, one graduated in June, one exited last year
    for status, closed in (("incubating", None), ("incubating", None), ("graduated", at(2026, 6, 3, 10)),
                           ("exited", at(2025, 11, 3, 10))):
        IncubationApplication.objects.create(organization=organization(), department=base, plan="计划",
                                             status=status, closed_at=closed, created_by=staff)
    return {"org": org, "manager": manager, "jinshui": jinshui, "base": base, "fin": fin}


def more(n: int):
    """``n`` more of everything the page counts, in other districts and departments."""
    staff = member("base-city", "staff")
    erqi = Department.objects.get(code="mca-erqi")
    fin = Department.objects.get(code="fin")
    org = organization(district=District.objects.get(code="erqi"))
    manager = org_user(org)
    activity = make_activity(org, manager, hours=5, name="更多")
    for i in range(n):
        user = UserFactory()
        volunteer = volunteer_register(actor=user, user=user, real_name=f"多{i}", id_number=id_number(300 + i),
                                       district="erqi")
        ServiceRecord.objects.create(volunteer=volunteer, activity=activity, hours=Decimal("2"),
                                     source=ServiceRecord.Source.BACKFILL, status=ServiceRecord.Status.APPROVED,
                                     entered_by=manager)
        example_create(actor=staff, department=erqi if i % 2 else Department.objects.get(code="base-city"),
                       subject=f"多{i}")
        item = CatalogueItem.objects.create(code=f"M-{i}", name=f"服务{i}", category="社区服务", service_standard="按标准",
                                           unit="项", year=2026, published=True)
        line = BudgetLine.objects.create(department=erqi if i % 2 else fin, year=2026, item=item,
                                         amount=Decimal("1000.00"))
        tender = Tender.objects.create(department=line.department, created_by=staff, name=f"多{i}", catalogue_item=item,
                                       budget_line=line, amount=Decimal("1000.00"), enquiry_end=at(2026, 5, 1, 9),
                                       tender_end=at(2026, 5, 20, 9), bids_at_close=i % 7, status="delivery")
        Contract.objects.create(tender=tender, organization=org, amount=Decimal("900.00"), start_date=date(2026, 6, 1),
                                end_date=date(2026, 12, 31), signed_at=at(2026, 6, 1, 10), signed_by=staff)
        IncubationApplication.objects.create(organization=organization(), department_id=known_base_id(),
                                             plan="计划", status="incubating", created_by=staff)


def known_base_id():
    return Department.objects.filter(kind=Department.Kind.INCUBATION_BASE).order_by("-code").values_list(
        "pk", flat=True).first()
