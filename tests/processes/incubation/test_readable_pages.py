"""What the pages show is words, not codes: the done list names each decision as its step
does, the flow chart's branches carry labels in the reader's language (never yes/no), and the
history is numbered 1, 2, 3… within its case."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engine.cases.actions import task_complete
from engine.ui.chart import flow_chart_svg
from processes.incubation import services
from processes.incubation.flows import IncubationFlow
from processes.incubation.models import Status
from tests.factories import OrganizationFactory, org_user

from .conftest import open_route

pytestmark = pytest.mark.django_db

EDGE_LABEL = re.compile(r'class="edge-label"[^>]*>([^<]+)<')


def test_the_done_list_names_decisions(client, submitted, people, flow):
    flow.accept(submitted)
    client.force_login(people["staff"])
    page = client.get("/workbench/tasks/archive/").content.decode()
    assert "受理，送专家评审" in page
    assert ">accept<" not in page


def test_the_done_list_costs_the_same_for_more_rows(client, people, applicant, flow, base, org):
    client.force_login(people["staff"])

    def done_cases(n):
        for i in range(n):
            other = OrganizationFactory(name=f"组织{i}-{n}")
            user = org_user(other, username=f"applicant{i}-{n}")
            case = services.application_submit(actor=user, application=services.application_create(
                actor=user, organization=other, base=base, plan="助老", documents=["章程.pdf"]))
            task_complete(actor=people["staff"], task_id=open_route(case, "intake").pk, decision="return",
                          reason="补充材料")

    def cost():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/workbench/tasks/archive/").status_code == 200
        return len(ctx.captured_queries)

    done_cases(1)
    few = cost()
    done_cases(4)
    page = client.get("/workbench/tasks/archive/").content.decode()
    assert page.count("退回补充材料") >= 5
    assert cost() <= few


def test_flow_chart_branches_have_labels_in_the_readers_language(client, submitted, people):
    chinese = EDGE_LABEL.findall(flow_chart_svg(IncubationFlow))
    assert "yes" not in chinese and "no" not in chinese
    assert {"不安排中期评估", "已退回", "专家评审中", "其他情况"} <= {label.strip() for label in chinese}
    client.force_login(people["staff"])
    client.cookies["django_language"] = "en"
    page = client.get(f"/workbench/tasks/case/{submitted.reference}/").content.decode()
    english = {label.strip() for label in EDGE_LABEL.findall(page)}
    assert {"No midterm review", "Returned", "Otherwise"} <= english and not {"yes", "no"} & english


def test_history_is_numbered_within_its_case(client, submitted, draft, people, flow, base, applicant):
    other_org = OrganizationFactory(name="另一组织")
    other_user = org_user(other_org, username="other_applicant")
    services.application_submit(actor=other_user, application=services.application_create(
        actor=other_user, organization=other_org, base=base, plan="助学", documents=["章程.pdf"]))
    task_complete(actor=people["staff"], task_id=open_route(submitted, "intake").pk, decision="return",
                  reason="请补充理事会名单")
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    client.force_login(people["staff"])
    page = client.get(f"/workbench/tasks/case/{submitted.reference}/").content.decode()
    history = page[page.index("办理记录"):]
    numbers = [int(n) for n in re.findall(r"<tr><td>(\d+)</td>", history)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 3
