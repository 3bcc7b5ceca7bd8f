"""Procurement test fixtures: a purchasing department (市民政局), finance, experts and bidders,
and ``Driver`` that walks a tender through its lifecycle with the clock shifted."""
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from engine.cases.actions import task_complete
from engine.cases.models import TaskRoute
from engine.directory.models import Department
from processes.procurement import services
from processes.procurement.models import BudgetLine, CatalogueItem, Tender
from tests.factories import OrganizationFactory, member, org_user

SHEET = {"plan": "35", "team": "25"}


@pytest.fixture
def people(db):
    orgs = [OrganizationFactory(name=f"投标组织{i}") for i in range(4)]
    return {
        "staff": member("mca", "staff", username="p_staff"),
        "staff2": member("mca", "staff", username="p_staff2"),
        "reviewer": member("mca", "reviewer", username="p_reviewer"),
        "head": member("mca", "head", username="p_head"),
        "fin": member("fin", "reviewer", username="p_fin"),
        "fin_staff": member("fin", "staff", username="p_fin_staff"),
        "fin_jinshui": member("fin-jinshui", "reviewer", username="p_fin_js"),
        "experts": [member(None, "expert", username=f"p_expert{i}") for i in range(3)],
        "orgs": orgs,
        "org_users": [org_user(o, username=f"p_org{i}") for i, o in enumerate(orgs)],
    }


@pytest.fixture
def budget(people):
    item = CatalogueItem.objects.create(
        code="A01", name="社区志愿服务", category="社区服务", service_standard="每月不少于20场",
        unit="项", year=2026, published=True,
    )
    line = BudgetLine.objects.create(
        department=Department.objects.get(code="mca"), year=2026, item=item, amount=Decimal("500000.00"),
    )
    return item, line


def route(tender, node, state=("open", "claimed")):
    return TaskRoute.objects.get(reference=tender.reference, node=node, state__in=state)


class Driver:
    """Moves one tender forward, each step through the services and the chronograph."""

    def __init__(self, people, budget):
        self.p, self.item, self.line = people, budget[0], budget[1]
        self.tender = None

    def create(self, amount="100000.00", method="open", **kwargs):
        now = timezone.now()
        self.tender = services.tender_create(
            actor=self.p["staff"], department=self.line.department, name="社区志愿服务项目",
            catalogue_item=self.item, budget_line=self.line, method=method, amount=amount,
            enquiry_end=kwargs.pop("enquiry_end", now + timedelta(days=10)),
            tender_end=kwargs.pop("tender_end", now + timedelta(days=25)),
            experts=kwargs.pop("experts", self.p["experts"]), **kwargs,
        )
        return self.tender

    def reload(self):
        self.tender = Tender.objects.get(pk=self.tender.pk)
        return self.tender

    def submit(self):
        if self.tender is None:
            self.create()
        task_complete(actor=self.p["staff"], task_id=route(self.tender, "prepare").pk, decision="submit")
        return self.reload()

    def publish(self):
        self.submit()
        task_complete(actor=self.p["fin"], task_id=route(self.tender, "precheck").pk, decision="approve")
        return self.reload()

    def at(self, moment):
        return time_machine.travel(moment, tick=False)

    def open_bidding(self):
        self.publish()
        with self.at(self.tender.enquiry_end + timedelta(seconds=1)):
            services.chronograph_run()
        return self.reload()

    def bid(self, i, price):
        with self.at(self.tender.enquiry_end + timedelta(hours=i + 1)):
            return services.bid_submit(actor=self.p["org_users"][i], tender_id=self.tender.pk,
                                       organization_id=self.p["orgs"][i].pk, price=price, content=f"方案{i}")

    def evaluation(self, prices=("90000.00", "80000.00", "95000.00")):
        self.open_bidding()
        self.bids = [self.bid(i, price) for i, price in enumerate(prices)]
        with self.at(self.tender.tender_end + timedelta(seconds=1)):
            services.chronograph_run()
        return self.reload()

    def score_all(self, sheet=None):
        for expert in self.p["experts"]:
            self.score(expert, sheet)
        return self.reload()

    def score(self, expert, sheet=None, conflicts=()):
        r = TaskRoute.objects.get(reference=self.tender.reference, node="score", owner=expert, state="claimed")
        bids = self.tender.bids.filter(withdrawn_at__isnull=True, valid=True).exclude(organization_id__in=conflicts)
        data = {"declaration": "无利害关系", "conflicts": list(conflicts),
                "sheets": [{"bid": b.pk, "scores": sheet or SHEET} for b in bids]}
        return task_complete(actor=expert, task_id=r.pk, decision="submit", data=data)

    def award_review(self):
        self.evaluation()
        return self.score_all()

    def standstill(self):
        self.award_review()
        task_complete(actor=self.p["fin"], task_id=route(self.tender, "award_review").pk, decision="approve")
        return self.reload()

    def contracting(self):
        self.standstill()
        with self.at(self.tender.standstill_end + timedelta(seconds=1)):
            services.chronograph_run()
        return self.reload()

    def delivery(self, amount=None):
        self.contracting()
        start = timezone.localdate()
        task_complete(
            actor=self.p["staff"], task_id=route(self.tender, "contract").pk, decision="sign",
            data={"amount": amount or str(self.tender.awarded_bid.price), "start_date": str(start),
                  "end_date": str(start.replace(year=start.year + 1))},
        )
        return self.reload()


@pytest.fixture
def drive(people, budget):
    return Driver(people, budget)
