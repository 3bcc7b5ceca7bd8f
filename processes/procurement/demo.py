"""Demo procurement: a catalogue, budget lines and tenders in several states, made by calling
the services and the chronograph (never by writing statuses).

The states past the bidding deadline need time to pass, so the demo runs those services
under a shifted clock (time-machine, installed with the project): the tender is prepared weeks
ago and each period ends when it really would have. Idempotent: does nothing once a tender exists.

States: draft; awaiting finance pre-check (财政预审); in its enquiry period with one answered and
one unanswered enquiry (P10); tendering (open to organizations now);
awaiting finance's award review; in delivery with a payment awaiting finance; completed.
"""
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from engine.cases.actions import task_complete, task_reassign
from engine.cases.models import TaskRoute
from engine.directory.demo import demo_uscc
from engine.directory.models import Department, District, Membership, Organization, OrganizationMember, Role
from engine.documents.samples import pdf_bytes
from engine.documents.services import document_upload

from . import services
from .models import BudgetLine, CatalogueItem, Tender

try:
    import time_machine
except ImportError:  # a test dependency; without it the demo loads present-day states only
    time_machine = None

def _pdf(name, title, *lines):
    """A small real PDF the demo hands in (the tender documents, bid files, contract, invoices)."""
    return ContentFile(pdf_bytes(title, [*lines, "Zhiyuan Zhengzhou demo document"]), name=name)


def _upload(actor, case, kind, name, title, *lines):
    document_upload(actor=actor, case=case, kind=kind, files=[_pdf(name, title, *lines)])


CATALOGUE = [
    ("ZY-01", "社区志愿服务", "社区治理", "每月开展不少于8次社区志愿服务活动，覆盖不少于500户居民。", "项", True),
    ("ZY-02", "助老助残志愿服务", "养老助残", "每周上门服务不少于2次，建立服务对象档案。", "项", True),
    ("ZY-03", "应急志愿服务队伍建设", "应急管理", "组建不少于30人的应急志愿服务队，每季度演练1次。", "项", True),
    ("ZY-04", "志愿服务信息化运维", "信息化", "系统可用率不低于99%。", "年", False),
]


def _route(tender, node, **filters):
    return TaskRoute.objects.get(reference=tender.reference, node=node, state__in=["open", "claimed"], **filters)


class _Demo:
    def __init__(self):
        User = get_user_model()
        self.u = {name: User.objects.get(username=name) for name in (
            "mca_staff", "mca_reviewer", "mca_head", "fin_reviewer", "org_sunshine", "org_green",
            "expert1", "expert2", "expert3")}
        self.u["org_redplum"], self.redplum = self._third_bidder(User)
        self.sunshine = Organization.objects.get(members=self.u["org_sunshine"])
        self.green = Organization.objects.get(members=self.u["org_green"])
        self.mca = Department.objects.get(code="mca")
        self.experts = [self.u["expert1"], self.u["expert2"], self.u["expert3"]]
        self.spare_expert = self._spare_expert(User)
        self.mca_head = User.objects.get(username="mca_head")

    def _spare_expert(self, User):
        """An expert outside the panel, for the head to reassign a recused expert's task to (D3)."""
        user, created = User.objects.get_or_create(username="expert4", defaults={"full_name": "何工程师（评审专家）"})
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, department=None, role=Role.EXPERT)
        return user

    def _third_bidder(self, User):
        """A third eligible organization, so open tenders can reach their minimum of bids (P3)."""
        org, _ = Organization.objects.get_or_create(
            name="郑州市管城区红梅志愿服务社",
            defaults={"uscc": demo_uscc("MJ0000051", "410104"), "registered": True,
                      "supervising_department": Department.objects.get(code="mca"),
                      "district": District.objects.filter(code="guancheng").first(),
                      "contact_person": "韩梅"},
        )
        user, created = User.objects.get_or_create(username="org_redplum", defaults={"full_name": "韩梅（红梅志愿服务社）"})
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        OrganizationMember.objects.get_or_create(organization=org, user=user,
                                                 defaults={"role": OrganizationMember.Role.MANAGER})
        return user, org

    def catalogue(self, year):
        items = {}
        for code, name, category, standard, unit, published in CATALOGUE:
            items[code], _ = CatalogueItem.objects.get_or_create(
                year=year, code=code, defaults={"name": name, "category": category, "service_standard": standard,
                                                "unit": unit, "published": published})
        line, _ = BudgetLine.objects.get_or_create(department=self.mca, year=year, item=items["ZY-01"],
                                                   defaults={"amount": Decimal("2000000.00")})
        line2, _ = BudgetLine.objects.get_or_create(department=self.mca, year=year, item=items["ZY-02"],
                                                    defaults={"amount": Decimal("800000.00")})
        return items, line, line2

    def create(self, item, line, name, amount, enquiry_days=5, tender_days=25):
        now = timezone.now()
        tender = services.tender_create(
            actor=self.u["mca_staff"], department=self.mca, name=name, catalogue_item=item, budget_line=line,
            method="open", amount=amount, enquiry_end=now + timedelta(days=enquiry_days),
            tender_end=now + timedelta(days=tender_days), experts=self.experts,
            description=f"{name}：面向全市依法登记、信用良好的志愿服务组织公开招标。",
        )
        _upload(self.u["mca_staff"], tender, "tender", "招标文件.pdf", "Tender documents", tender.reference)
        return tender

    def bid(self, user, org, tender, price, content):
        """The bid's technical and price files first (sealed until the deadline, P4), then the bid."""
        _upload(user, tender, "bid_technical", "投标技术文件.pdf", "Bid technical file", tender.reference, org.name)
        _upload(user, tender, "bid_price", "投标报价文件.pdf", "Bid price file", tender.reference, org.name)
        services.bid_submit(actor=user, tender_id=tender.pk, organization_id=org.pk, price=price, content=content)

    def submit(self, tender):
        task_complete(actor=self.u["mca_staff"], task_id=_route(tender, "prepare").pk, decision="submit")

    def publish(self, tender):
        self.submit(tender)
        task_complete(actor=self.u["fin_reviewer"], task_id=_route(tender, "precheck").pk, decision="approve")

    def bid_all(self, tender, prices):
        bidders = [(self.u["org_sunshine"], self.sunshine), (self.u["org_green"], self.green),
                   (self.u["org_redplum"], self.redplum)]
        for (user, org), price in zip(bidders, prices):
            self.bid(user, org, tender, price, f"{org.name}服务方案：组建专职团队，按服务标准执行并按月报告。")

    def score_all(self, tender):
        tender.refresh_from_db()
        for n, expert in enumerate(self.experts):
            task = _route(tender, "score", owner=expert)
            if tender.conflicts_with(expert):
                # expert2 belongs to 阳光志愿者协会, a bidder: they recuse (D3) and the head
                # reassigns their scoring task to an expert outside the panel
                services.expert_recuse(actor=expert, tender_id=tender.pk, statement="本人系投标组织成员，申请回避。")
                task_reassign(actor=self.mca_head, task_id=task.pk, user_id=self.spare_expert.pk, reason="专家回避")
                expert = self.spare_expert
            bids = tender.bids.filter(withdrawn_at__isnull=True, valid=True)
            sheets = [{"bid": b.pk, "scores": {"plan": str(30 + (b.pk + n) % 9), "team": str(20 + b.pk % 7)}}
                      for b in bids]
            task_complete(actor=expert, task_id=task.pk, decision="submit",
                          data={"declaration": "本人与各投标人无利害关系。", "sheets": sheets})


def _to_award_review(demo, travel, start, item, line, name, amount, prices):
    with travel(start):
        tender = demo.create(item, line, name, amount)
        demo.publish(tender)
    with travel(start + timedelta(days=6)):
        services.chronograph_run()
        demo.bid_all(tender, prices)
    with travel(start + timedelta(days=26)):
        services.chronograph_run()
        demo.score_all(tender)
    tender.refresh_from_db()
    return tender


def _to_delivery(demo, travel, start, item, line, name, amount, prices):
    tender = _to_award_review(demo, travel, start, item, line, name, amount, prices)
    with travel(start + timedelta(days=27)):
        task_complete(actor=demo.u["fin_reviewer"], task_id=_route(tender, "award_review").pk, decision="approve")
    tender.refresh_from_db()
    with travel(tender.standstill_end + timedelta(minutes=5)):
        services.chronograph_run()
        begin = timezone.localdate()
        _upload(demo.u["mca_staff"], tender, "contract", "政府购买服务合同.pdf", "Contract", tender.reference)
        task_complete(actor=demo.u["mca_staff"], task_id=_route(tender, "contract").pk, decision="sign", data={
            "amount": str(Tender.objects.get(pk=tender.pk).awarded_bid.price), "start_date": str(begin),
            "end_date": str(begin + timedelta(days=360))})
        contract = Tender.objects.get(pk=tender.pk).contract
        first = services.milestone_add(actor=demo.u["mca_staff"], tender_id=tender.pk, name="第一阶段服务",
                                       due_date=str(begin + timedelta(days=5)), amount=str(contract.amount / 2))
        services.milestone_add(actor=demo.u["mca_staff"], tender_id=tender.pk, name="第二阶段服务及总结",
                               due_date=str(begin + timedelta(days=300)), amount=str(contract.amount / 2))
    contractor = contract.organization.organizationmember_set.first().user
    with travel(tender.standstill_end + timedelta(days=6)):
        for kind, name, title in (("acceptance", "第一阶段验收材料.pdf", "Milestone acceptance materials"),
                                  ("invoice", "发票.pdf", "Invoice")):
            services.milestone_documents_upload(actor=contractor, milestone_id=first.pk, kind=kind,
                                                files=[_pdf(name, title, tender.reference, first.name)])
            if kind == "acceptance":
                services.milestone_accept(actor=demo.u["mca_reviewer"], milestone_id=first.pk)
        payment = services.payment_request(actor=contractor, milestone_id=first.pk, amount=str(first.amount))
    return Tender.objects.get(pk=tender.pk), payment


def load():
    if Tender.objects.exists():
        return
    demo = _Demo()
    items, line, line2 = demo.catalogue(timezone.localdate().year)
    if time_machine is None:  # without it only the states that need no time to pass
        _load_present(demo, items, line, line2)
        return

    def travel(moment):
        return time_machine.travel(moment, tick=False)

    now = timezone.now()

    # Completed: contract delivered, paid, and its performance evaluation kept (P9).
    done, payment = _to_delivery(demo, travel, now - timedelta(days=70), items["ZY-02"], line2,
                                 "金水区助老志愿服务（一期）", "300000.00", ["268000.00", "255000.00", "289000.00"])
    with travel(now - timedelta(days=20)):
        services.payment_approve(actor=demo.u["fin_reviewer"], payment_id=payment.pk)
        services.performance_evaluate(actor=demo.u["mca_reviewer"], tender_id=done.pk, score="91.5",
                                      comment="服务按期完成，群众满意度高。")

    # In delivery: the first milestone accepted, its payment waits for finance (P8).
    _to_delivery(demo, travel, now - timedelta(days=45), items["ZY-01"], line,
                 "社区应急志愿服务队伍建设", "450000.00", ["420000.00", "398000.00", "431000.00"])

    # Awaiting finance's award review (P6): a finance reviewer claims it from the queue.
    _to_award_review(demo, travel, now - timedelta(days=28), items["ZY-01"], line,
                     "市民政局社区志愿服务示范项目", "500000.00", ["468000.00", "452000.00", "476000.00"])

    # Tendering: open to organizations now; 绿城 has already bid.
    with travel(now - timedelta(days=12)):
        open_tender = demo.create(items["ZY-01"], line, "社区邻里守望志愿服务", "200000.00",
                                  enquiry_days=5, tender_days=21)
        demo.publish(open_tender)
    services.chronograph_run()
    demo.bid(demo.u["org_green"], demo.green, open_tender, "186000.00", "绿城青年志愿服务中心：邻里守望服务方案。")

    _load_present(demo, items, line, line2)


def _load_present(demo, items, line, line2):
    """In the enquiry period with questions (P10), awaiting finance pre-check (P1), and a draft
    still with the department."""
    asking = demo.create(items["ZY-02"], line2, "社区助老志愿服务站运营", "150000.00", enquiry_days=7, tender_days=28)
    demo.publish(asking)
    answered = services.enquiry_ask(
        actor=demo.u["org_sunshine"], tender_id=asking.pk, organization_id=demo.sunshine.pk, title="服务对象人数",
        question="服务标准中“每周上门服务不少于2次”的服务对象约有多少人？是否包括失能老人？")
    services.enquiry_answer(actor=demo.u["mca_staff"], enquiry_id=answered.pk,
                            answer="服务对象约120人，其中失能、半失能老人约30人，名单在合同签订后提供。")
    services.enquiry_ask(actor=demo.u["org_green"], tender_id=asking.pk, organization_id=demo.green.pk,
                         title="场地", question="服务站场地由采购单位提供还是由承接组织自备？")
    demo.submit(demo.create(items["ZY-02"], line2, "助残志愿服务项目（二期）", "260000.00"))
    demo.create(items["ZY-01"], line, "志愿服务进社区宣传活动", "80000.00")
