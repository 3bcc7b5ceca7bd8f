"""D7 for incubation: with English chosen its workbench, portal and API speak English (only the
records' own names stay as typed); by default they read in Chinese as before.

Only this process's own part of each page is read: the surrounding chrome, the engine's step
table and the other processes' portal sections are converted (and tested) with their owners."""
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from engine.cases.models import TaskRoute
from engine.directory.models import Department
from processes.incubation import services

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
SWITCH = re.compile(r'<button name="language" value="zh-hans" lang="zh-hans">简体中文</button>')
PLAN = "社区应急志愿服务"


def own_part(response) -> str:
    """The incubation part of a page: the portal's incubation card, or the workbench file's cards
    except the engine's step table (its links lead to the task pages)."""
    page = response.content.decode()
    portal = re.search(r'<div class="card" id="incubation">.*?\n</div>', page, re.S)
    if portal:
        return portal.group(0)
    cards = page.split('<div class="mdc-card zy-card">')[1:]
    assert cards, "no incubation cards on the page"
    return "".join(card for card in cards if "/workbench/tasks/task/" not in card)


def interface_text(response, data) -> str:
    """The incubation part without the data the test created or reference data names (bases,
    people, the step titles the engine stored when it opened the tasks)."""
    text = SWITCH.sub("", own_part(response)) if response["Content-Type"].startswith("text/html") \
        else response.content.decode()
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, "")
    return text


@pytest.fixture
def application(applicant, org, base):
    case = services.application_create(actor=applicant, organization=org, base=base, plan=PLAN, documents=["章程.pdf"])
    return services.application_submit(actor=applicant, application=case)


@pytest.fixture
def data(org, people, applicant, application):
    names = [org.name, PLAN, "章程.pdf"] + list(Department.objects.values_list("name", flat=True))
    users = [people["staff"], applicant]
    names += list(TaskRoute.objects.values_list("step_title", flat=True))
    return names + [u.display_name for u in users] + [str(u) for u in users]


def pages(client, people, applicant, application):
    client.force_login(people["staff"])
    workbench = client.get(reverse("incubation:detail", args=[application.reference]))
    client.force_login(applicant)
    portal = client.get(reverse("portal:section", args=["incubation"]))
    api = APIClient()
    api.force_authenticate(applicant)
    return workbench, portal, api


def test_english_pages_and_api_errors_have_no_chinese_outside_data(client, people, applicant, application, data):
    client.cookies["django_language"] = "en"
    workbench, portal, api = pages(client, people, applicant, application)
    error = api.post(f"/api/v1/incubation/applications/{application.reference}/self-evaluation/",
                     {"text": "x"}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert workbench.status_code == portal.status_code == 200
    assert "Incubation needs and development plan" in interface_text(workbench, data)
    assert "Incubation applications" in interface_text(portal, data)
    assert "In intake check" in interface_text(portal, data)
    assert error.status_code == 409 and "graduation review" in error.json()["detail"]
    for response in (workbench, portal, error):
        assert not CJK.findall(interface_text(response, data)), CJK.findall(interface_text(response, data))


def test_chinese_stays_the_default(client, people, applicant, application, data):
    workbench, portal, api = pages(client, people, applicant, application)
    error = api.post(f"/api/v1/incubation/applications/{application.reference}/self-evaluation/",
                     {"text": "x"}, format="json")

    assert "孵化需求与发展计划" in workbench.content.decode()
    assert "受理审查中" in portal.content.decode() and "孵化申请" in portal.content.decode()
    assert error.json()["detail"] == "只有结业评审期间可以提交自评。"
