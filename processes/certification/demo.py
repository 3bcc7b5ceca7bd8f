"""Demo data for ``setup_demo``: volunteers, activities and records, an issued certificate
that verifies, a request waiting for its organization and an open dispute. Everything goes
through the services; running it again changes nothing."""
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from engine.cases.actions import open_routes_for_case, task_complete
from engine.directory.models import Organization
from engine.directory.validators import id_check_char

from .models import Activity, Volunteer


def _id(serial: int, birth: str) -> str:
    first17 = f"410105{birth}{serial:03d}"
    return first17 + id_check_char(first17)


def load():
    User = get_user_model()
    li, wang = User.objects.filter(username="vol_li").first(), User.objects.filter(username="vol_wang").first()
    sunshine = Organization.objects.filter(name="郑州市金水区阳光志愿者协会").first()
    green = Organization.objects.filter(name="郑州市绿城青年志愿服务中心").first()
    if not (li and wang and sunshine and green) or Volunteer.objects.filter(user=li).exists():
        return
    from .services.disputes import dispute_file
    from .services.registry import activity_create, record_approve, record_enter, volunteer_register
    from .services.requests import request_create

    m_sun = User.objects.get(username="org_sunshine")
    m_green = User.objects.get(username="org_green")
    v_li = volunteer_register(actor=li, user=li, real_name="李小萌", id_number=_id(12, "19980512"), phone="13803711234")
    v_wang = volunteer_register(actor=wang, user=wang, real_name="王大力", id_number=_id(34, "19950823"),
                                phone="13903715678")
    v_zhao = volunteer_register(actor=m_sun, organization=sunshine, real_name="赵老伯", id_number=_id(56, "19560301"),
                                consent=True, consent_note="本人签署纸质同意书")

    now = timezone.now().replace(minute=0, second=0, microsecond=0)

    def activity(org, manager, name, days_ago, hours, place, category=Activity.Category.SERVICE):
        end = now - timedelta(days=days_ago)
        return activity_create(actor=manager, organization=org, name=name, place=place, start_at=end - timedelta(hours=hours),
                               end_at=end, person_in_charge=manager.display_name, category=category,
                               content=f"{name}（演示）")

    elder = activity(sunshine, m_sun, "金水区敬老院陪伴服务", 30, 8, "金水区文化路敬老院")
    river = activity(sunshine, m_sun, "金水河清洁行动", 12, 4, "金水河沿岸")
    expo = activity(sunshine, m_sun, "社区文明交通劝导", 3, 5, "花园路与农业路交口")
    training = activity(sunshine, m_sun, "应急救护培训", 20, 3, "协会培训室", Activity.Category.TRAINING)
    library = activity(green, m_green, "城市书房阅读推广", 8, 6, "中原区城市书房")

    def approved(manager, volunteer, act, hours, source="signin"):
        return record_approve(actor=manager, record_id=record_enter(actor=manager, volunteer=volunteer, activity=act,
                                                                    hours=hours, source=source).pk)

    approved(m_sun, v_li, elder, "7.5")
    approved(m_sun, v_li, river, "4")
    approved(m_sun, v_li, training, "3")
    approved(m_green, v_li, library, "6")
    record_enter(actor=m_sun, volunteer=v_li, activity=expo, hours="5")  # pending review
    disputed = approved(m_sun, v_wang, elder, "6")
    approved(m_sun, v_wang, river, "4")
    approved(m_green, v_wang, library, "5.5")
    approved(m_sun, v_zhao, elder, "8")

    # an issued certificate that verifies (李小萌, 阳光志愿者协会)
    issued = request_create(actor=li, volunteer=v_li, organization=sunshine, purpose="求职（演示）")
    task_complete(actor=m_sun, task_id=open_routes_for_case(issued).get().pk, decision="issue")
    # a request waiting in the organization's hands (王大力, 绿城青年志愿服务中心)
    request_create(actor=wang, volunteer=v_wang, organization=green, purpose="升学（演示）", seal_requested=True)
    # an open dispute waiting for the organizer's review
    dispute_file(actor=wang, record=disputed, claim="当天实际服务8小时，签退时系统故障少记2小时。", claimed_hours="8")
