"""Demo incubation applications in several states, made by calling the services (never by
writing statuses): returned for supplements, waiting in experts' queues, incubating with
milestones, and graduated with a nomination. Idempotent: does nothing once any exists."""
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from engine.cases.actions import task_complete
from engine.cases.models import TaskRoute
from engine.directory.demo import demo_uscc
from engine.directory.models import Department, District, Organization, OrganizationMember
from engine.documents.samples import pdf_bytes
from engine.documents.services import document_upload

from . import services
from .models import IncubationApplication


def _route(case, node, **filters):
    return TaskRoute.objects.get(reference=case.reference, node=node, state__in=["open", "claimed"], **filters)


# Small real PDFs the demo organizations hand in (kind, file name, title drawn on the page).
DEMO_FILES = {
    "charter": ("章程.pdf", "Articles of association"),
    "board_members": ("理事会成员名单.pdf", "List of board members"),
    "application": ("孵化申请书.pdf", "Incubation application"),
}


def _pdf(kind, org):
    name, title = DEMO_FILES[kind]
    return ContentFile(pdf_bytes(title, [org.name, "Zhiyuan Zhengzhou demo document"]), name=name)


def _apply(user, org, base, plan, kinds=tuple(DEMO_FILES)):
    case = services.application_create(actor=user, organization=org, base=base, plan=plan)
    for kind in kinds:
        document_upload(actor=user, case=case, kind=kind, files=[_pdf(kind, org)])
    return services.application_submit(actor=user, application=case)


def load():
    if IncubationApplication.objects.exists():
        return
    User = get_user_model()
    u = {name: User.objects.get(username=name) for name in (
        "org_sunshine", "org_green", "org_neighbour", "base_staff", "base_reviewer", "mca_reviewer",
        "expert1", "expert2", "expert3")}
    base = Department.objects.get(code="base-city")
    sunshine, green, neighbour = (Organization.objects.get(members=u[k]) for k in
                                  ("org_sunshine", "org_green", "org_neighbour"))
    experts = [u["expert1"], u["expert2"], u["expert3"]]

    # 1. Returned for supplements: the organization sees the reason in the portal (I1).
    returned = _apply(u["org_sunshine"], sunshine, base, "建设社区应急志愿服务队，开展防汛演练。",
                      kinds=("charter", "application"))
    task_complete(actor=u["base_staff"], task_id=_route(returned, "intake").pk, decision="return",
                  reason="请补充理事会成员名单和近一年活动记录。")

    # 2. In expert review: one expert has scored, two still have it in their queues (I2).
    reviewing = _apply(u["org_green"], green, base, "青年志愿者能力提升与校园服务项目孵化。")
    task_complete(actor=u["base_staff"], task_id=_route(reviewing, "intake").pk, decision="accept",
                  data={"experts": [e.pk for e in experts]})
    services.expert_score(actor=u["expert1"], application=reviewing, score=82, comment="定位清晰，团队稳定。")

    # 3. Graduated, with a project nominated to the excellent project library (I5, I6); made
    #    before 4. so that the period-end sweep below reaches only this one.
    silver_org, _ = Organization.objects.get_or_create(
        name="郑州市惠济区银龄志愿服务队",
        defaults={"supervising_department": Department.objects.get(code="mca"),
                  "district": District.objects.filter(code="huiji").first(), "contact_person": "联系人"})
    silver, created = User.objects.get_or_create(
        username="org_silver", defaults={"full_name": "卫东（银龄志愿服务队）"})
    if created:
        silver.set_password(settings.DEMO_PASSWORD)
        silver.save()
    OrganizationMember.objects.get_or_create(organization=silver_org, user=silver,
                                             defaults={"role": OrganizationMember.Role.MANAGER})
    graduated = _apply(silver, silver_org, base, "银龄志愿者助学助老。")
    task_complete(actor=u["base_staff"], task_id=_route(graduated, "intake").pk, decision="accept",
                  data={"experts": [e.pk for e in experts]})
    for expert, score in zip(experts, (88, 85, 90)):
        services.expert_score(actor=expert, application=graduated, score=score)
    task_complete(actor=u["mca_reviewer"], task_id=_route(graduated, "approval").pk, decision="approve")
    task_complete(actor=u["base_staff"], task_id=_route(graduated, "agreement").pk, decision="offer",
                  data={"terms": "孵化期 12 个月。"})
    graduated = services.agreement_accept(actor=silver, application=graduated)
    services.milestone_record(actor=u["base_staff"], application=graduated, kind="registration",
                              title="完成社会组织登记", happened_on=timezone.localdate(), evidence="登记证书扫描件",
                              uscc=_demo_uscc())
    services.milestone_record(actor=u["base_staff"], application=graduated, kind="training",
                              title="志愿服务组织能力建设培训", happened_on=timezone.localdate(),
                              evidence="培训签到表、结业证明")
    project = services.milestone_record(actor=u["base_staff"], application=graduated, kind="project",
                                        title="银龄课堂", happened_on=timezone.localdate(),
                                        evidence="项目书、服务记录 120 小时")
    end = timezone.make_aware(timezone.datetime.combine(graduated.incubation_end, timezone.datetime.min.time()))
    services.advance(now=end + timedelta(hours=12))
    services.self_evaluation_submit(actor=silver, application=graduated,
                                    text="理事会按章程运作；年度服务 1200 小时；财务收支公开。佐证：年报、服务记录、审计报告。")
    task_complete(actor=u["base_reviewer"], task_id=_route(graduated, "graduation").pk, decision="graduate",
                  data={"interview": "理事长、秘书长参加结业面谈，介绍治理与服务情况。",
                        "document_review": "章程、年报、服务记录、审计报告齐全。",
                        "governance": 85, "services": 90, "finance": 80})
    services.nomination_create(actor=u["base_staff"], application=graduated, kind="project_library", project=project)

    # 4. Incubating, not yet registered, with a training milestone (I4).
    incubating = _apply(u["org_neighbour"], neighbour, base, "邻里互助与独居老人探访服务。")
    task_complete(actor=u["base_staff"], task_id=_route(incubating, "intake").pk, decision="accept",
                  data={"experts": [e.pk for e in experts]})
    for expert, score in zip(experts, (78, 74, 80)):
        services.expert_score(actor=expert, application=incubating, score=score)
    task_complete(actor=u["mca_reviewer"], task_id=_route(incubating, "approval").pk, decision="approve")
    task_complete(actor=u["base_staff"], task_id=_route(incubating, "agreement").pk, decision="offer",
                  data={"terms": "孵化期 12 个月；基地提供办公场地、登记指导和能力建设培训。"})
    services.agreement_accept(actor=u["org_neighbour"], application=incubating)
    services.milestone_record(actor=u["base_staff"], application=incubating, kind="training",
                              title="志愿服务组织财务管理培训", happened_on=timezone.localdate(),
                              evidence="培训签到表、结业证明")


def _demo_uscc():
    return demo_uscc("MJ0000009", region="410108")
