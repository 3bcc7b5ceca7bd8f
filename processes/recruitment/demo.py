"""Demo data for ``setup_demo``: an open regular recruitment by 阳光志愿者协会 a week ahead with
two time slots (李小萌 selected, 王大力 signed up and waiting for the association's decision)
and an open emergency recruitment by 绿城青年志愿服务中心 whose answer window is the setting's
(王大力 answered yes, 李小萌's call waits for an answer). Everything goes through the services;
the volunteers are those ``processes/certification/demo.py`` registers (that app loads first:
without them this does nothing). Running it again changes nothing."""
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from engine.directory.models import District, Organization
from processes.certification.models import Volunteer
from processes.certification.services.registry import activity_create

from .models import EmergencyCall, Recruitment, Skill
from .services.emergency import call_answer
from .services.profiles import profile_save
from .services.recruitments import recruitment_publish
from .services.signups import signup_create, signup_select

# Skills are reference data kept in the admin ("Skill"); the demo adds the ones it asks for.
SKILLS = ("智能手机教学", "急救", "心理疏导")


def load():
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=("org_sunshine", "org_green", "vol_li", "vol_wang"))}
    sunshine = Organization.objects.filter(name="郑州市金水区阳光志愿者协会").first()
    green = Organization.objects.filter(name="郑州市绿城青年志愿服务中心").first()
    if len(users) < 4 or not (sunshine and green) or Recruitment.objects.exists():
        return
    li, wang = (Volunteer.objects.filter(user=users[name]).first() for name in ("vol_li", "vol_wang"))
    if li is None or wang is None:  # the certification demo registers them
        return
    m_sun, m_green = users["org_sunshine"], users["org_green"]
    skills = {name: Skill.objects.get_or_create(name=name)[0] for name in SKILLS}
    # what each volunteer declares for matching: both take emergency calls
    profile_save(actor=users["vol_li"], skills=[skills["智能手机教学"], skills["心理疏导"]], emergency_available=True)
    profile_save(actor=users["vol_wang"], skills=[skills["急救"]], emergency_available=True)

    # a regular recruitment a week ahead, two slots (seed 二(一) 经常性招募)
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    day = (now + timedelta(days=7)).replace(hour=9)
    phones = activity_create(actor=m_sun, organization=sunshine, name="社区老年人智能手机使用辅导",
                             place="金水区经三路社区党群服务中心", start_at=day, end_at=day + timedelta(hours=3),
                             person_in_charge=m_sun.display_name,
                             content="教社区老人用手机挂号、扫码乘车、视频通话，识别诈骗短信。")
    regular = recruitment_publish(
        actor=m_sun, activity=phones, title="招募：社区老年人智能手机使用辅导志愿者", place=phones.place,
        district=District.objects.filter(code="jinshui").first(), skills=[skills["智能手机教学"]], min_age=18,
        mode=Recruitment.Mode.ONLINE,
        description="每名志愿者结对辅导两到三位老人，请自带充好电的手机。有耐心、会讲普通话或郑州话即可，"
                    "活动前十分钟到场签到。",
        slots=[{"start_at": day, "end_at": day + timedelta(minutes=90), "places": 3},
               {"start_at": day + timedelta(minutes=90), "end_at": day + timedelta(hours=3), "places": 3}])
    first, second = regular.slots.order_by("start_at")
    selected = signup_create(actor=users["vol_li"], slot_id=first.pk)
    signup_select(actor=m_sun, signup_id=selected.pk)
    signup_create(actor=users["vol_wang"], slot_id=second.pk)  # waits for the association's decision

    # an emergency recruitment starting in two hours; answers until the setting's window ends
    start = now + timedelta(hours=2)
    flood = activity_create(actor=m_green, organization=green, name="暴雨后社区积水清理应急支援",
                            place="中原区建设路街道棉纺路社区", start_at=start, end_at=start + timedelta(hours=4),
                            person_in_charge=m_green.display_name,
                            content="协助社区清理积水和淤泥、转移低洼楼栋的老人，发放防汛物资。")
    emergency = recruitment_publish(
        actor=m_green, activity=flood, title="应急招募：暴雨后社区积水清理", place=flood.place,
        kind=Recruitment.Kind.EMERGENCY, mode=Recruitment.Mode.OFFLINE, risk=Recruitment.Risk.MEDIUM, min_age=18,
        description="请穿雨靴和长袖衣裤，中心统一提供手套、雨衣和饮用水。到场后向现场负责人报到。",
        slots=[{"start_at": flood.start_at, "end_at": flood.end_at, "places": 20}])
    if EmergencyCall.objects.filter(recruitment=emergency, volunteer=wang).exists():
        call_answer(actor=users["vol_wang"], recruitment_id=emergency.pk, answer=EmergencyCall.Answer.YES)
