"""An organization renamed by the administrator (``directory_save``): once the rename has
committed, its cases' task routes show and are found by the new name, not the old one
(``engine.cases.search.refresh_search_naming``, run by Celery after commit); a refused or
rolled-back rename rewrites nothing; the rewrite costs the same few queries however many
cases the organization has."""
import pytest

from engine.cases import search, selectors
from engine.cases.errors import RuleViolation
from engine.cases.models import TaskRoute
from engine.directory.models import Department, Organization
from engine.directory.services import directory_save
from processes.incubation import services
from processes.incubation.models import IncubationApplication
from tests.factories import OrganizationFactory, UserFactory, member, org_user

pytestmark = pytest.mark.django_db
CLOSED = sorted(IncubationApplication.FINAL_STATES)[0]


@pytest.fixture(autouse=True)
def no_required_documents(settings, tmp_path):
    settings.DOCUMENT_REQUIRED_KINDS = {}
    settings.DOCUMENT_FILE_ROOT = str(tmp_path / "documents")


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def staff(db):
    return member("base-city", "staff", username="rename_staff")


def _applications(org, count):
    base = Department.objects.get(code="base-city")
    cases = []
    for n in range(count):
        applicant = org_user(org, username=f"{org.pk}_applicant{n}")
        case = services.application_create(actor=applicant, organization=org, base=base, plan="开展社区助老服务",
                                           documents=["章程.pdf"])
        cases.append(services.application_submit(actor=applicant, application=case))
        # one open application per organization: the earlier ones are set aside as closed, their
        # routes kept, so that one organization names many cases
        if n < count - 1:
            IncubationApplication.objects.filter(pk=case.pk).update(status=CLOSED)
    return cases


def _rename(root, org, name):
    org = Organization.objects.get(pk=org.pk)
    org.name = name
    return directory_save(actor=root, instance=org, fields=["name"])


def test_a_renamed_organizations_cases_are_found_by_the_new_name_after_commit(
        root, staff, django_capture_on_commit_callbacks):
    org = OrganizationFactory(name="金水区阳光助老服务中心")
    (case,) = _applications(org, 1)
    route = TaskRoute.objects.get(reference=case.reference)
    assert [r.pk for r in selectors.task_queue(staff, q="阳光助老")] == [route.pk]

    with django_capture_on_commit_callbacks() as callbacks:
        _rename(root, org, "金水区红枫社工服务中心")
        route.refresh_from_db()
        assert "阳光助老" in route.case_title  # nothing rewritten before the commit
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()

    route.refresh_from_db()
    assert "红枫社工" in route.case_title and "阳光助老" not in route.case_title
    assert [r.pk for r in selectors.task_queue(staff, q="红枫")] == [route.pk]
    assert not selectors.task_queue(staff, q="阳光助老").exists()


def test_a_refused_rename_rewrites_nothing(root, staff, django_capture_on_commit_callbacks):
    org = OrganizationFactory(name="惠济区邻里互助会")
    (case,) = _applications(org, 1)
    key = TaskRoute.objects.get(reference=case.reference).search_key
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuleViolation):
        _rename(root, org, "")
    assert callbacks == []
    assert Organization.objects.get(pk=org.pk).name == "惠济区邻里互助会"
    assert TaskRoute.objects.get(reference=case.reference).search_key == key


def test_other_changes_of_an_organization_schedule_no_rewrite(root, django_capture_on_commit_callbacks):
    org = OrganizationFactory(name="二七区青年志愿者协会")
    org = Organization.objects.get(pk=org.pk)
    org.contact_phone = "0371-66660000"
    with django_capture_on_commit_callbacks() as callbacks:
        directory_save(actor=root, instance=org, fields=["contact_phone"])
    assert callbacks == []
    assert Organization.objects.get(pk=org.pk).contact_phone == "0371-66660000"


@pytest.mark.parametrize("count", [1, 6])
def test_the_rewrite_costs_the_same_few_queries_at_any_size(count, count_queries):
    org = OrganizationFactory(name="中原区社区服务站")
    cases = _applications(org, count)
    Organization.objects.filter(pk=org.pk).update(name="中原区社区服务总站")
    search.refresh_search_naming(Organization, org.pk)  # warms the content-type cache
    Organization.objects.filter(pk=org.pk).update(name="中原区社区服务中心")
    queries = count_queries(lambda: search.refresh_search_naming(Organization, org.pk))
    # per kind of case naming an organization: its cases, their routes, one batched update
    assert queries <= 3 * len([m for m in search.case_models()
                               if any(f.many_to_one and f.related_model is Organization
                                      for f in m._meta.concrete_fields)])
    titles = set(TaskRoute.objects.filter(reference__in=[c.reference for c in cases]).values_list("case_title", flat=True))
    assert all("中原区社区服务中心" in t for t in titles) and len(titles) == count
    assert search.refresh_search_naming(Organization, org.pk) == 0  # already current: nothing rewritten
