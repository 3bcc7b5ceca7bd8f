from datetime import timedelta

from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.models import Process

from engine.cases.flows import CaseFlow
from engine.cases.steps import Decision, HumanStep

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
    decide = flow.If(lambda act: ExampleFlow.case_for_process(act.process.pk).status == "approved").Then(
        this.end
    ).Else(this.prepare)
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
