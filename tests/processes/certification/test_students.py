"""Student practice credits (seed 五(一)): consent, schools seeing only their own students,
the education bureau seeing all, terms, the XLSX layout and the query budget."""
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from engine.audit.models import AuditEvent
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.directory.models import Department, Membership
from processes.certification import students, terms
from processes.certification.models import StudentProfile
from processes.certification.services.registry import activity_create, volunteer_register
from processes.certification.services.students import student_consent_withdraw, student_profile_save
from tests.factories import UserFactory, member

from .conftest import approved, id_number, signed

pytestmark = pytest.mark.django_db


def school(code, name):
    edu = Department.objects.get(code="edu")
    return Department.objects.create(code=code, name=name, kind=Department.Kind.SCHOOL, parent=edu)


def coordinator(school_dept, username):
    user = UserFactory(username=username)
    Membership.objects.create(user=user, department=school_dept, role="school")
    return user


def student(n, school_dept, *, consent=True, grade="高一（3）班", name=None):
    user = UserFactory(username=f"stu{n}", full_name=name or f"学生{n}")
    volunteer_register(actor=user, user=user, real_name=name or f"学生{n}", id_number=id_number(100 + n, birth="20100101"))
    student_profile_save(actor=user, school=school_dept, student_number=f"S{n:04d}", grade=grade,
                         consent=consent, consent_by="guardian" if consent else "")
    return user.volunteer


@pytest.fixture
def schools(db):
    return school("school-zz1", "郑州一中"), school("school-zz2", "郑州二中")


def activity_in(org, manager, start, hours=4, name="校外服务"):
    return activity_create(actor=manager, organization=org, name=name, place="郑州", start_at=start,
                           end_at=start + timedelta(hours=hours), person_in_charge="钱老师")


def test_term_of_a_day_and_its_bounds():
    assert terms.term_of(date(2026, 9, 1)).key == "2026-1"
    assert terms.term_of(date(2027, 1, 31)).key == "2026-1"
    assert terms.term_of(date(2027, 2, 1)).key == "2026-2"
    assert terms.term_of(date(2027, 8, 31)).key == "2026-2"
    term = terms.parse_term("2026-2")
    assert term.start == date(2027, 2, 1) and term.end == date(2027, 9, 1)
    assert terms.parse_term("2026-3") is None and terms.parse_term("x") is None and terms.parse_term("1800-1") is None


def test_term_starts_are_a_setting(settings):
    settings.CERTIFICATION_SCHOOL_TERM_STARTS = ((8, 20), (2, 20))
    assert terms.term_of(date(2026, 8, 25)).key == "2026-1"
    assert terms.term_of(date(2027, 2, 10)).key == "2026-1"


def test_student_states_school_with_consent_and_is_audited(schools, vol_user, volunteer):
    profile = student_profile_save(actor=vol_user, school=schools[0].pk, student_number=" S1 ", grade="初二",
                                   consent=True, consent_by="student", consent_note="本人勾选")
    assert profile.student_number == "S1" and profile.consents and profile.consent_by == "student"
    assert AuditEvent.objects.filter(action="certification.student.save", object_id=str(profile.pk)).exists()
    student_consent_withdraw(actor=vol_user)
    profile.refresh_from_db()
    assert profile.consent_at is None and profile.consent_by == ""
    assert AuditEvent.objects.filter(action="certification.student.withdraw_consent").exists()


def test_illegal_school_details_change_nothing(schools, vol_user, volunteer, manager):
    with pytest.raises(RuleViolation):  # consent without saying who gave it
        student_profile_save(actor=vol_user, school=schools[0], student_number="S1", consent=True, consent_by="")
    with pytest.raises(RuleViolation):  # not a school
        student_profile_save(actor=vol_user, school=Department.objects.get(code="edu"), student_number="S1")
    with pytest.raises(RuleViolation):
        student_profile_save(actor=vol_user, school=schools[0], student_number="")
    with pytest.raises(NotAllowed):  # someone who is not a volunteer (an organization's manager)
        student_profile_save(actor=manager, school=schools[0], student_number="S1")
    with pytest.raises(NotFound):
        student_consent_withdraw(actor=vol_user)
    assert not StudentProfile.objects.exists()


def test_a_student_number_is_taken_once_per_school(schools):
    student(1, schools[0])
    user = UserFactory(username="other")
    volunteer_register(actor=user, user=user, real_name="另一人", id_number=id_number(150))
    with pytest.raises(StateConflict):
        student_profile_save(actor=user, school=schools[0], student_number="S0001")
    assert StudentProfile.objects.count() == 1
    student_profile_save(actor=user, school=schools[1], student_number="S0001")  # another school: fine


def test_school_sees_only_its_own_consenting_students_and_bureau_sees_all(schools, org, manager):
    a, b, c = student(1, schools[0]), student(2, schools[0], consent=False), student(3, schools[1])
    now = timezone.now()
    act = activity_in(org, manager, now - timedelta(days=2))
    for v in (a, b, c):
        approved(manager, v, act, Decimal("3"))
    term = terms.term_of(timezone.localdate(act.start_at))
    first = coordinator(schools[0], "coord1")
    rows = list(students.student_credits(first, term=term))
    assert [r.volunteer for r in rows] == [a]  # b withheld consent, c is another school's
    assert rows[0].term_hours == Decimal("3.00") and rows[0].total_hours == Decimal("3.00")
    assert list(students.student_credits(first, term=term, school=schools[1].pk)) == []
    bureau = member("edu", "staff", username="edu_s")
    assert {r.volunteer for r in students.student_credits(bureau, term=term)} == {a, c}
    outsider = member("mca", "staff", username="mca_x")
    assert not students.may_see_students(outsider) and not students.student_credits(outsider, term=term).exists()


def test_only_approved_hours_of_the_term_count(schools, org, manager):
    a = student(1, schools[0])
    now = timezone.now()
    this = activity_in(org, manager, now - timedelta(days=1), name="本学期")
    start = terms.current_term().bounds()[0]
    earlier = activity_in(org, manager, start - timedelta(days=3), name="上学期")
    pending = activity_in(org, manager, now - timedelta(days=3), name="待审")
    approved(manager, a, this, Decimal("2"))
    approved(manager, a, earlier, Decimal("4"))
    signed(a, pending, Decimal("1"))  # pending, not approved: does not count (R13)
    row = students.student_credits(coordinator(schools[0], "c1"), term=terms.current_term()).get()
    assert row.term_hours == Decimal("2.00") and row.total_hours == Decimal("6.00")


def test_filters_search_and_sort(schools, org, manager):
    a = student(1, schools[0], grade="高一（1）班", name="张三")
    b = student(2, schools[0], grade="高二（2）班", name="李四")
    act = activity_in(org, manager, timezone.now() - timedelta(days=1))
    approved(manager, b, act, Decimal("5"))
    user, term = coordinator(schools[0], "c1"), terms.current_term()
    assert [r.volunteer for r in students.student_credits(user, term=term, grade="高二")] == [b]
    assert [r.volunteer for r in students.student_credits(user, term=term, q="张")] == [a]
    assert [r.volunteer for r in students.student_credits(user, term=term, with_hours=True)] == [b]
    assert [r.volunteer for r in students.student_credits(user, term=term, sort="-hours")] == [b, a]
    assert [r.volunteer for r in students.student_credits(user, term=term, sort="hours")] == [a, b]


def test_xlsx_layout(schools, org, manager):
    a = student(1, schools[0], name="张三")
    student(2, schools[0], consent=False, name="无同意")
    act = activity_in(org, manager, timezone.now() - timedelta(days=1))
    approved(manager, a, act, Decimal("2.5"))
    term = terms.current_term()
    data = students.student_credits_xlsx(students.student_credits(coordinator(schools[0], "c1"), term=term), term)
    ws = load_workbook(BytesIO(data)).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["学校", "学期", "学号", "姓名", "年级班级", "志愿者编号", "本学期已审核服务时长",
                       "累计已审核服务时长", "同意人", "同意日期"]
    assert len(rows) == 2  # the student without consent is absent
    assert rows[1][:5] == ["郑州一中", term.key, "S0001", "张三", "高一（3）班"] and rows[1][6] == 2.5
    assert rows[1][8] == "监护人"


def test_query_count_is_flat(schools, org, manager, django_assert_max_num_queries):
    user, term = coordinator(schools[0], "c1"), terms.current_term()
    act = activity_in(org, manager, timezone.now() - timedelta(days=1))

    def read():
        rows = list(students.student_credits(user, term=term))
        students.student_credits_xlsx(rows, term)
        return rows

    for n in range(1, 3):
        approved(manager, student(n, schools[0]), act, Decimal("1"))
    with django_assert_max_num_queries(3):
        assert len(read()) == 2
    for n in range(3, 9):
        approved(manager, student(n, schools[0]), act, Decimal("1"))
    with django_assert_max_num_queries(3):
        assert len(read()) == 8


