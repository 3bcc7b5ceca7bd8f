"""Extra cases for the soak's traffic, made through the project's services (never by writing
statuses), after ``setup_demo`` has loaded the demo accounts and cases.

Run by ``run.py`` in a child process with the soak's environment:

    python bench/soak/seed.py --certificates 200 --tenders 30 --applications 20 --out var/soak/seed.json

Makes: volunteers entered by 阳光志愿者协会 with consent (R4), one approved back-fill each (R12,
approved by 金水区民政局, D3), a certificate request each (R7) — a quarter issued now, so the
public has certificates to verify (R10), the rest waiting in the organization's inbox; draft
tenders waiting in 市民政局's queue (their budget line commits money, P1); incubation
applications of new organizations waiting in the base's intake queue (I1). Writes what the
locustfile needs (certificate numbers and codes, references) to ``--out``.
"""
import argparse
import json
import os
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from engine.cases.actions import open_routes_for_case, task_complete  # noqa: E402
from engine.directory.models import Department, District, Organization, OrganizationMember  # noqa: E402
from engine.directory.validators import id_check_char  # noqa: E402
from processes.certification.models import Certificate  # noqa: E402
from processes.certification.services.registry import (  # noqa: E402
    activity_create,
    record_approve,
    record_enter,
    volunteer_register,
)
from processes.certification.services.requests import request_create  # noqa: E402
from processes.incubation import services as incubation  # noqa: E402
from processes.procurement import services as procurement  # noqa: E402
from processes.procurement.models import BudgetLine  # noqa: E402

User = get_user_model()


def _id_number(serial: int) -> str:
    first17 = f"410105199001{1 + serial % 28:02d}{serial % 1000:03d}"
    return first17 + id_check_char(first17)


def seed_certificates(count: int) -> list[dict]:
    manager = User.objects.get(username="org_sunshine")
    approver = User.objects.get(username="jinshui_mca_staff")
    sunshine = Organization.objects.get(members=manager)
    end = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=5)
    activity = activity_create(actor=manager, organization=sunshine, name="压测社区服务日", place="金水区经八路社区",
                               start_at=end - timedelta(hours=8), end_at=end, person_in_charge=manager.display_name,
                               content="压测用社区服务活动")
    for n in range(count):
        with transaction.atomic():
            volunteer = volunteer_register(actor=manager, organization=sunshine, real_name=f"压测志愿者{n:04d}",
                                           id_number=_id_number(n), consent=True, consent_note="压测：书面同意",
                                           district="jinshui")
            record = record_enter(actor=manager, volunteer=volunteer, activity=activity,
                                  hours=str(Decimal(1 + n % 7)), submit=True)
            record_approve(actor=approver, record_id=record.pk)
        case = request_create(actor=manager, volunteer=volunteer, organization=sunshine, purpose="压测")
        if n % 4 == 0:  # issued now: the public has certificates to verify
            task_complete(actor=manager, task_id=open_routes_for_case(case).get().pk, decision="issue")
    return [{"number": c.number, "code": c.verification_code} for c in Certificate.objects.all()]


def seed_tenders(count: int) -> list[str]:
    staff = User.objects.get(username="mca_staff")
    experts = list(User.objects.filter(username__in=["expert1", "expert2", "expert3"]))
    mca = Department.objects.get(code="mca")
    line = BudgetLine.objects.filter(department=mca, item__published=True).order_by("pk").first()
    now = timezone.now()
    references = []
    for n in range(count):
        tender = procurement.tender_create(
            actor=staff, department=mca, name=f"压测社区志愿服务项目{n:03d}", catalogue_item=line.item,
            budget_line=line, method="open", amount=Decimal("10000.00") + n, enquiry_end=now + timedelta(days=5),
            tender_end=now + timedelta(days=25), experts=experts, description="压测用公开招标项目。",
        )
        references.append(tender.reference)
    return references


def seed_applications(count: int) -> list[str]:
    base = Department.objects.get(code="base-city")
    supervisor = Department.objects.get(code="mca")
    district = District.objects.filter(code="jinshui").first()
    references = []
    for n in range(count):
        with transaction.atomic():
            org = Organization.objects.create(name=f"压测志愿服务队{n:03d}", registered=False, district=district,
                                              supervising_department=supervisor, contact_person="联系人")
            user = User.objects.create_user(username=f"soak_org{n:03d}", password=os.environ.get("DEMO_PASSWORD"),
                                            full_name=f"压测组织负责人{n:03d}")
            OrganizationMember.objects.create(organization=org, user=user, role=OrganizationMember.Role.MANAGER)
        case = incubation.application_create(actor=user, organization=org, base=base,
                                             plan="压测：社区志愿服务能力建设。", documents=["章程.pdf"])
        references.append(incubation.application_submit(actor=user, application=case).reference)
    return references


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=200)
    parser.add_argument("--tenders", type=int, default=30)
    parser.add_argument("--applications", type=int, default=20)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    data = {
        "certificates": seed_certificates(args.certificates),
        "tenders": seed_tenders(args.tenders),
        "applications": seed_applications(args.applications),
        "org_users": [f"soak_org{n:03d}" for n in range(args.applications)],
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(data, ensure_ascii=False, indent=1))
    print(f"seeded: {len(data['certificates'])} certificates, {len(data['tenders'])} tenders, "
          f"{len(data['applications'])} applications")


if __name__ == "__main__":
    main()
