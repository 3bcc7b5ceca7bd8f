import pytest

from engine.cases.actions import task_complete
from engine.cases.models import TaskRoute
from engine.directory.models import Department
from processes.incubation import services
from tests.factories import OrganizationFactory, member, org_user


@pytest.fixture(autouse=True)
def intake_without_required_documents(settings):
    """These tests are about the process's other rules and hand in no files; the documents the
    intake requires (``DOCUMENT_REQUIRED_KINDS``) are tested in test_documents.py."""
    settings.DOCUMENT_REQUIRED_KINDS = {}


@pytest.fixture(autouse=True)
def document_root(settings, tmp_path):
    settings.DOCUMENT_FILE_ROOT = str(tmp_path / "documents")


def open_route(case, node):
    return TaskRoute.objects.get(reference=case.reference, node=node, state__in=["open", "claimed"])


@pytest.fixture
def base(db):
    return Department.objects.get(code="base-city")


@pytest.fixture
def people(db):
    return {
        "staff": member("base-city", "staff", username="inc_staff"),
        "staff2": member("base-city", "staff", username="inc_staff2"),
        "reviewer": member("base-city", "reviewer", username="inc_reviewer"),
        "mca": member("mca", "reviewer", username="inc_mca"),
        "mca_staff": member("mca", "staff", username="inc_mca_staff"),
        "experts": [member(None, "expert", username=f"inc_expert{i}") for i in range(1, 4)],
        "other_base": member("base-jinshui", "staff", username="inc_jinshui"),
    }


@pytest.fixture
def org(db):
    return OrganizationFactory(name="测试孵化组织")


@pytest.fixture
def applicant(org):
    return org_user(org, username="inc_applicant")


@pytest.fixture
def draft(base, org, applicant):
    return services.application_create(
        actor=applicant, organization=org, base=base, plan="开展社区助老服务", documents=["章程.pdf", "计划书.docx"]
    )


@pytest.fixture
def submitted(draft, applicant, people):
    return services.application_submit(actor=applicant, application=draft)


@pytest.fixture
def flow(people, applicant):
    """Drives an application along the happy path up to a named state."""

    class Driver:
        def accept(self, case):
            task_complete(actor=people["staff"], task_id=open_route(case, "intake").pk, decision="accept")

        def score_all(self, case, scores=(80, 70, 90)):
            for expert, score in zip(people["experts"], scores):
                route = TaskRoute.objects.get(reference=case.reference, node="score", owner=expert, state="claimed")
                task_complete(actor=expert, task_id=route.pk, decision="score", data={"score": score})

        def approve(self, case):
            task_complete(actor=people["mca"], task_id=open_route(case, "approval").pk, decision="approve")

        def offer(self, case):
            task_complete(actor=people["staff"], task_id=open_route(case, "agreement").pk, decision="offer",
                          data={"terms": "孵化期十二个月，提供场地与培训"})

        def incubate(self, case):
            self.accept(case)
            self.score_all(case)
            self.approve(case)
            self.offer(case)
            return services.agreement_accept(actor=applicant, application=case)

    return Driver()
