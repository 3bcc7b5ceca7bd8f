"""Student hours and the national files through the API, the pages and the portal: a school
never reaches another school's student (404), nobody but schools and the education bureau
reaches the list (403), a student without consent is absent everywhere, and the national
files round-trip through the engine's import path."""
import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from engine.directory.models import Organization
from engine.imports import services as imports
from processes.certification.models import Activity, Attendance, ServiceRecord, StudentProfile, Volunteer
from processes.certification.national import volunteers_csv
from processes.certification.services.registry import record_approve, volunteer_register
from tests.factories import OrganizationFactory, member, org_user

from .conftest import approved, id_number, make_activity
from .test_students import coordinator, school, student

pytestmark = pytest.mark.django_db
API = "/api/v1/certification"


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def world(org, manager):
    a, b = school("school-a", "郑州一中"), school("school-b", "郑州二中")
    act = make_activity(org, manager, name="校外服务")
    s1, s2, s3 = student(1, a), student(2, a, consent=False), student(3, b)
    for v in (s1, s2, s3):
        approved(manager, v, act, Decimal("2"))
    return {"a": a, "b": b, "s1": s1, "s2": s2, "s3": s3, "coord_a": coordinator(a, "coord_a"),
            "edu": member("edu", "staff", username="edu_staff")}


def test_api_school_sees_only_its_consenting_students(world):
    c = client_for(world["coord_a"])
    body = c.get(f"{API}/students/").json()
    assert [r["student_number"] for r in body["results"]] == ["S0001"]
    assert body["results"][0]["term_hours"] == "2.00"
    other = world["s3"].student.pk
    assert c.get(f"{API}/students/{other}/").status_code == 404  # another school's student
    assert c.get(f"{API}/students/{world['s2'].student.pk}/").status_code == 404  # no consent
    assert c.get(f"{API}/students/{world['s1'].student.pk}/").status_code == 200
    assert c.get(f"{API}/students/?term=2026-9").status_code == 400
    assert c.get(f"{API}/students/?school=abc").status_code == 400
    bureau = client_for(world["edu"]).get(f"{API}/students/?ordering=school").json()
    assert sorted(r["student_number"] for r in bureau["results"]) == ["S0001", "S0003"]


def test_api_refuses_everyone_else(world, manager):
    assert client_for(manager).get(f"{API}/students/").status_code == 403
    assert client_for(world["s1"].user).get(f"{API}/students/").status_code == 403
    assert client_for(member("mca", "staff", username="m1")).get(f"{API}/students/").status_code == 403
    assert Client().get(f"{API}/students/").status_code in (401, 403)


def test_api_student_states_school_and_withdraws(world, vol_user, volunteer):
    c = client_for(vol_user)
    assert c.get(f"{API}/me/student/").status_code == 404
    bad = c.post(f"{API}/me/student/", {"school": world["a"].pk, "student_number": "S9", "consent": True},
                 content_type="application/json")
    assert bad.status_code == 400 and "consent_by" in bad.json().get("consent_by", bad.json()).__str__()
    assert not StudentProfile.objects.filter(volunteer=volunteer).exists()
    ok = c.post(f"{API}/me/student/", {"school": world["a"].pk, "student_number": "S9", "consent": True,
                                       "consent_by": "guardian"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["consent_by"] == "guardian"
    taken = c.post(f"{API}/me/student/", {"school": world["a"].pk, "student_number": "S0001"},
                   content_type="application/json")
    assert taken.status_code == 409
    assert c.post(f"{API}/me/student/withdraw-consent/").json()["consent_at"] is None
    numbers = [r["student_number"] for r in client_for(world["coord_a"]).get(f"{API}/students/").json()["results"]]
    assert "S9" not in numbers


def test_api_query_count_is_flat(world, org, manager, django_assert_max_num_queries):
    c = client_for(world["edu"])
    c.get(f"{API}/students/")  # warm the session and content types
    with django_assert_max_num_queries(10):
        assert c.get(f"{API}/students/").status_code == 200
    act = make_activity(org, manager, name="第二次")
    for n in range(10, 16):
        approved(manager, student(n, world["a"]), act, Decimal("1"))
    with django_assert_max_num_queries(10):
        assert len(c.get(f"{API}/students/").json()["results"]) == 8


def test_page_and_export(world, manager):
    c = client_for(world["coord_a"])
    page = c.get("/certification/students/?sort=-hours&q=S000")
    assert page.status_code == 200
    text = page.content.decode()
    assert "S0001" in text and "S0002" not in text and "S0003" not in text
    assert c.get(f"/certification/students/?school={world['b'].pk}").content.decode().count("S0003") == 0
    export = c.get("/certification/students/?format=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client_for(manager).get("/certification/students/").status_code == 403


def test_portal_school_card_and_form(world, vol_user, volunteer):
    c = client_for(vol_user)
    assert "cert-school" in c.get("/portal/certification/").content.decode()
    response = c.post("/certification/portal/student/", {"school": world["b"].pk, "student_number": "B7",
                                                          "grade": "初一", "consent": "1", "consent_by": "student"})
    assert response.status_code == 302
    profile = StudentProfile.objects.get(volunteer=volunteer)
    assert profile.school == world["b"] and profile.consent_by == "student"
    assert "cert-students" in client_for(world["coord_a"]).get("/portal/certification/").content.decode()


def _rows(data: bytes, drop=()):
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    return sorted(tuple(v for k, v in row.items() if k not in drop) for row in reader)


def test_national_files_round_trip(org, manager, manager2):
    entered = volunteer_register(actor=manager, real_name="王录入", id_number=id_number(77), phone="13800000077",
                                 consent=True, organization=org, district="jinshui")
    user_volunteer = student(5, school("school-c", "郑州三中"))
    act = make_activity(org, manager, name="社区服务")
    approved(manager, entered, act, Decimal("3.5"))
    approved(manager, user_volunteer, act, Decimal("2"))
    training = make_activity(org, manager, name="岗前培训", days_ago=3)
    approved(manager, entered, training, Decimal("1"))
    volunteers, records = imports_export = (
        client_for(manager).get(f"{API}/national/volunteers/").content,
        client_for(manager).get(f"{API}/national/records/").content)
    assert imports_export and user_volunteer.id_number in volunteers.decode("utf-8-sig")
    # a clean database: nothing of the organization's volunteers, activities or records is left
    Attendance.objects.all().delete()
    ServiceRecord.objects.filter(next_version__isnull=False).delete()
    ServiceRecord.objects.all().delete()
    Activity.objects.all().delete()
    StudentProfile.objects.all().delete()
    Volunteer.objects.all().delete()
    report = imports.run_import("national_volunteers", volunteers, "national-volunteers.csv", user=manager)
    assert report.ok, report.errors
    report = imports.run_import("national_records", records, "national-records.csv", user=manager)
    assert report.ok, report.errors
    # imported hours are back-fills waiting for another manager (R12); approved, the files match
    for record in ServiceRecord.objects.all():
        record_approve(actor=manager2, record_id=record.pk)
    again_v = client_for(manager).get(f"{API}/national/volunteers/").content
    again_r = client_for(manager).get(f"{API}/national/records/").content
    assert _rows(again_v, drop=("志愿者编号", "同意时间", "同意方式")) == _rows(volunteers, drop=("志愿者编号", "同意时间", "同意方式"))
    assert _rows(again_r, drop=("记录编号", "记录方式")) == _rows(records, drop=("记录编号", "记录方式"))
    assert Volunteer.objects.count() == 2 and ServiceRecord.objects.count() == 3


def test_national_import_respects_consent_and_writes_nothing(org, manager):
    header = "姓名,证件类型,证件号码,手机号码,录入组织,本人同意录入\n"
    data = (header + f"张三,居民身份证,{id_number(61)},,{org.name},否\n"
            f"李四,居民身份证,{id_number(62)},,{org.name},是\n").encode()
    assert not imports.run_import("national_volunteers", data, "v.csv", user=manager).ok
    passport = (header + f"王五,护照,{id_number(63)},,{org.name},是\n").encode()
    assert not imports.run_import("national_volunteers", passport, "v.csv", user=manager).ok
    assert not Volunteer.objects.exists()


def test_national_export_rights(org, manager, volunteer, approved_record):
    assert client_for(volunteer.user).get(f"{API}/national/volunteers/").status_code == 403
    assert client_for(volunteer.user).get("/certification/national/volunteers.csv").status_code == 403
    assert client_for(manager).get("/certification/national/").status_code == 200
    assert client_for(manager).get(f"{API}/national/other/").status_code == 404
    erqi = member("mca-erqi", "staff", username="erqi_s")  # another district's 民政局 (D1)
    assert volunteer.id_number not in client_for(erqi).get(f"{API}/national/volunteers/").content.decode("utf-8-sig")




def test_national_volunteers_file_reads_every_organization_at_once(org, manager, mca_city):
    """The city 民政局's file covers every organization in a fixed number of queries: a second and
    a third organization (each with a volunteer it entered) add rows, not queries."""
    def entered(organization, serial):
        return volunteer_register(actor=manager if organization == org else org_user(organization),
                                  real_name=f"录入{serial}", id_number=id_number(serial), consent=True,
                                  organization=organization)

    first_entered = entered(org, 81)
    # known to the organization three ways (entered, signed in, recorded): still one row
    approved(manager, first_entered, make_activity(org, manager, name="一次服务"), Decimal("2"))
    volunteers_csv(mca_city["staff"])  # caches warmed (the department's rights)
    with CaptureQueriesContext(connection) as one:
        first = list(csv.reader(io.StringIO(volunteers_csv(mca_city["staff"]).decode("utf-8-sig"))))
    others = [OrganizationFactory(name=name) for name in ("乙志愿服务队", "甲志愿服务队")]
    for serial, other in enumerate(others, start=82):
        entered(other, serial)
    with CaptureQueriesContext(connection) as three:
        rows = list(csv.reader(io.StringIO(volunteers_csv(mca_city["staff"]).decode("utf-8-sig"))))
    assert len(three) == len(one)
    assert len(first) == 2 and len(rows) == 4
    by_name = list(Organization.objects.order_by("name").values_list("name", flat=True))  # the database's collation
    assert [row[6] for row in rows[1:]] == by_name
    assert {row[1] for row in rows[1:]} == {"录入81", "录入82", "录入83"}


def test_a_malformed_organization_in_the_national_export_is_named(org, manager):
    answer = client_for(manager).get(f"{API}/national/volunteers/?organization=abc")
    assert answer.status_code == 400
    assert answer.json()["fields"]["organization"] == ["请从列表中选择组织。"]
