"""Demo data for ``setup_demo``: the approved service hours of the demo volunteers credited to
their time accounts (T3, T4: ``record_post``, what ``timebank_reconcile --post-missing`` does
when the approvals' own postings did not run), two services published (T5: 上门理发 by
阳光志愿者协会, 助老陪诊 by 绿城青年志愿服务中心) and two redemptions by 李小萌 (T6): one
delivered and confirmed, one waiting for the provider's answer. Everything goes through the
services; the volunteers and records are those ``processes/certification/demo.py`` makes (that
app loads first: without them this does nothing). Running it again changes nothing."""
from django.contrib.auth import get_user_model

from engine.directory.models import District, Organization
from processes.certification.models import Volunteer

from .models import ExchangeService
from .reconcile import unposted_records
from .services.exchange import redeem, redemption_confirm, service_publish
from .services.ledger import record_post


def load():
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=("org_sunshine", "org_green", "vol_li"))}
    sunshine = Organization.objects.filter(name="郑州市金水区阳光志愿者协会").first()
    green = Organization.objects.filter(name="郑州市绿城青年志愿服务中心").first()
    if len(users) < 3 or not (sunshine and green) or not Volunteer.objects.filter(user=users["vol_li"]).exists():
        return
    # T4: every approved service record credited once (the approvals post after their commit;
    # whatever did not run is posted here, as ``timebank_reconcile --post-missing`` does)
    for pk in list(unposted_records()):
        record_post(record_id=pk)
    if ExchangeService.objects.filter(provider__in=(sunshine, green)).exists():
        return
    m_sun, m_green, li = users["org_sunshine"], users["org_green"], users["vol_li"]
    districts = dict(District.objects.filter(code__in=("jinshui", "zhongyuan")).values_list("code", "pk"))
    haircut = service_publish(actor=m_sun, provider_id=sunshine.pk, title="上门理发", hours="1", district=districts.get("jinshui"),
                              description="为行动不便的老人和残疾人上门理发，每次约一小时，请提前两天预约。")
    escort = service_publish(actor=m_green, provider_id=green.pk, title="助老陪诊", hours="2", district=districts.get("zhongyuan"),
                             description="志愿者陪同老人到医院挂号、候诊、取药，全程约两小时，限中原区内医院。")
    done = redeem(actor=li, service_id=haircut.pk, note="给家里老人预约，周六上午在家。")
    redemption_confirm(actor=m_sun, reference=done.reference, reason="已上门服务。")
    redeem(actor=li, service_id=escort.pk, note="母亲下周二上午在市一院复诊，需要陪同。")  # waits for 绿城
