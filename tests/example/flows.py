from datetime import timedelta

from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.models import Process

from engine.cases.flows import CaseFlow, status_is
from engine.cases.steps import Decision, HumanStep, PersonalSplit, PersonalStep
from engine.directory.models import Membership

from .models import ExampleCase


class ExampleProcess(Process):
    class Meta:
        proxy = True


class ExampleFlow(CaseFlow):
    process_class = ExampleProcess
    case_model = ExampleCase
    process_name = "example"

    start = flow.StartHandle(this.start_case).Next(this.prepare)
    prepare = HumanStep(
        department=lambda case: case.department, role="staff", title="准备材料", sla="example.prepare",
        states=["draft"], decisions={"submit": Decision("提交审核", "tests.example.services.example_submit")},
    ).Next(this.approve)
    approve = HumanStep(
        department=lambda case: case.department, role="reviewer", title="审核", states=["review"],
        separate_from=["prepare"],
        decisions={
            "approve": Decision("批准", "tests.example.services.example_approve"),
            "send_back": Decision("退回", "tests.example.services.example_send_back", needs_reason=True),
        },
    ).Next(this.decide)
    decide = flow.If(status_is("approved")).Then(this.end).Else(this.prepare)
    end = flow.End()


class TimedExampleProcess(Process):
    class Meta:
        proxy = True


class TimedExampleFlow(CaseFlow):
    """A cooling-off period before review: a viewflow timer the beat task fires."""

    process_class = TimedExampleProcess
    case_model = ExampleCase
    process_name = "example"

    start = flow.StartHandle(this.start_case).Next(this.cooling_off)
    cooling_off = flow.Timer(timedelta(minutes=30)).Next(this.prepare)
    prepare = HumanStep(
        department=lambda case: case.department, role="staff", title="准备材料", states=["draft"],
        decisions={"submit": Decision("提交审核", "tests.example.services.example_submit")},
    ).Next(this.end)
    end = flow.End()


class AssignedExampleProcess(Process):
    class Meta:
        proxy = True


class AssignedExampleFlow(CaseFlow):
    """A step the flow gives to one named person, as expert scoring does."""

    process_class = AssignedExampleProcess
    case_model = ExampleCase
    process_name = "example"

    start = flow.StartHandle(this.start_case).Next(this.prepare)
    prepare = HumanStep(
        department=lambda case: case.department, role="staff", title="指定人员准备", states=["draft"],
        decisions={"submit": Decision("提交审核", "tests.example.services.example_submit")},
    ).Assign(lambda activation: AssignedExampleFlow.case_for_process(activation.process.pk).created_by).Next(this.end)
    end = flow.End()


class PanelExampleProcess(Process):
    class Meta:
        proxy = True


def department_reviewers(case):
    """Every reviewer of the case's department, by user id: the panel of ``PanelExampleFlow``."""
    return Membership.objects.filter(department=case.department, role="reviewer").order_by("user_id").values_list(
        "user_id", flat=True)


class PanelExampleFlow(CaseFlow):
    """Each reviewer of the department gets a personal task; the join waits for them all."""

    process_class = PanelExampleProcess
    case_model = ExampleCase
    process_name = "example"

    start = flow.StartHandle(this.start_case).Next(this.panel)
    panel = PersonalSplit(people=department_reviewers).Next(this.review)
    review = PersonalStep(
        person_key="reviewer", department=lambda case: case.department, role="reviewer", title="各自审阅",
        states=["draft"], decisions={"submit": Decision("提交", "tests.example.services.example_review")},
    ).Next(this.reviewed)
    reviewed = flow.Join().Next(this.end)
    end = flow.End()
