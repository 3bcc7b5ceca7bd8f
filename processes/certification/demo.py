"""Demo data for ``setup_demo``: volunteers, activities and records, an issued certificate
that verifies, a request waiting for its organization and an open dispute. Everything goes
through the services; running it again changes nothing."""
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from engine.cases.actions import open_routes_for_case, task_complete
from engine.directory.models import Department, Membership, Organization
from engine.directory.validators import id_check_char
from engine.documents.samples import pdf_bytes
from engine.documents.services import document_upload

from .documents import BACKFILL
from .models import Activity, Volunteer
from .services.attendance import sign_in, sign_out
from .services.disputes import dispute_file
from .services.registry import activity_create, record_approve, record_enter, volunteer_register
from .services.requests import request_create
from .services.students import student_profile_save

try:
    import time_machine
except ImportError:  # a test dependency; without it the demo back-fills records only
    time_machine = None


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
    m_sun = User.objects.get(username="org_sunshine")
    m_green = User.objects.get(username="org_green")
    js_staff = User.objects.filter(username="jinshui_mca_staff").first()
    v_li = volunteer_register(actor=li, user=li, real_name="李小萌", id_number=_id(12, "19980512"), phone="13803711234",
                              district="jinshui")
    v_wang = volunteer_register(actor=wang, user=wang, real_name="王大力", id_number=_id(34, "19950823"),
                                phone="13903715678", district="zhongyuan")
    v_zhao = volunteer_register(actor=m_sun, organization=sunshine, real_name="赵老伯", id_number=_id(56, "19560301"),
                                consent=True, consent_note="本人签署纸质同意书", district="jinshui")

    # a secondary-school student whose guardian agreed to share approved hours with the school (seed 五(一))
    zhou = User.objects.filter(username="stu_zhou").first()
    school = Department.objects.filter(code="school-zz1", kind=Department.Kind.SCHOOL, is_active=True).first()
    v_zhou = None
    if zhou and school:
        v_zhou = volunteer_register(actor=zhou, user=zhou, real_name="周子涵", id_number=_id(78, "20090915"),
                                    phone="13603719876", district="jinshui")
        student_profile_save(actor=zhou, school=school, student_number="ZZ1-2024-0312", grade="高二（1）班",
                             consent=True, consent_by="guardian", consent_note="家长在线确认（演示）")

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
    # under way now: volunteers sign in and out in the portal (R12)
    activity_create(actor=m_sun, organization=sunshine, name="社区便民服务日", place="金水区经三路社区广场",
                    start_at=now - timedelta(hours=1), end_at=now + timedelta(hours=4),
                    person_in_charge=m_sun.display_name, content="义诊、家电维修、法律咨询（演示）")

    def signed(manager, volunteer, act, minutes_in, minutes_out, approve=True):
        """R12: the volunteer (or, without an account, the manager on the spot) signs in and out;
        the server stamps both times — here at moments in the past."""
        record = _sign(volunteer.user or manager, volunteer, act, minutes_in, minutes_out)
        return record_approve(actor=manager, record_id=record.pk) if approve else record

    def backfill(manager, volunteer, act, hours, approver):
        """R12: typed by hand, a back-fill; these organizations have one manager each, so
        their supervising department approves."""
        record = record_enter(actor=manager, volunteer=volunteer, activity=act, hours=hours, submit=True)
        return record_approve(actor=approver, record_id=record.pk) if approver else record

    if time_machine is None:  # without it nobody can sign in in the past: back-fills only
        def signed(manager, volunteer, act, minutes_in, minutes_out, approve=True):  # noqa: F811
            hours = (min(minutes_out, int(act.length_hours * 60)) - max(minutes_in, 0)) / 60
            return backfill(manager, volunteer, act, f"{hours:.2f}",
                            (js_staff if act.organization == sunshine else _dept_staff(green)) if approve else None)

    signed(m_sun, v_li, elder, -10, 450)             # 7.5 h served
    signed(m_sun, v_li, river, -20, 250)             # signed in early, out late: clipped to 4 h
    signed(m_sun, v_li, training, 0, 180)
    signed(m_green, v_li, library, 0, 360)
    signed(m_sun, v_li, expo, 0, 300, approve=False)  # pending review
    disputed = signed(m_sun, v_wang, elder, 0, 360)
    signed(m_sun, v_wang, river, 0, 240)
    signed(m_green, v_wang, library, 0, 330)
    signed(m_sun, v_zhao, elder, 0, 480)            # no account: the manager signed him in and out
    if v_zhou is not None:
        signed(m_sun, v_zhou, river, 0, 240)         # the student's hours, seen by the school
    # a back-fill for a forgotten sign-in, waiting for 金水区民政局 (the association has one manager)
    # with the paper sign-in sheet's scan as its evidence, which the department sees where it decides
    pending = backfill(m_sun, v_zhao, river, "3.5", None)
    sheet = pdf_bytes("金水河清洁行动签到表", [sunshine.name, f"{v_zhao.real_name} 3.5 小时", "Zhiyuan Zhengzhou demo document"])
    document_upload(actor=m_sun, case=pending, kind=BACKFILL, files=[ContentFile(sheet, name="金水河清洁行动签到表.pdf")])

    # an issued certificate that verifies (李小萌, 阳光志愿者协会)
    issued = request_create(actor=li, volunteer=v_li, organization=sunshine, purpose="求职（演示）")
    task_complete(actor=m_sun, task_id=open_routes_for_case(issued).get().pk, decision="issue")
    # a request waiting in the organization's hands (王大力, 绿城青年志愿服务中心)
    request_create(actor=wang, volunteer=v_wang, organization=green, purpose="升学（演示）", seal_requested=True)
    # an open dispute waiting for the organizer's review
    dispute_file(actor=wang, record=disputed, claim="当天实际服务8小时，签退时系统故障少记2小时。", claimed_hours="8")


def _sign(actor, volunteer, act, minutes_in, minutes_out):
    travel = time_machine.travel
    with travel(act.start_at + timedelta(minutes=minutes_in), tick=False):
        sign_in(actor=actor, volunteer=volunteer, activity=act)
    with travel(act.start_at + timedelta(minutes=minutes_out), tick=False):
        return sign_out(actor=actor, volunteer=volunteer, activity=act)


def _dept_staff(org):
    found = Membership.objects.filter(department=org.supervising_department).select_related("user").first()
    return found.user if found else None
