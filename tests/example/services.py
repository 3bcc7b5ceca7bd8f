from engine.audit.services import audit_record
from engine.cases.models import TaskRoute
from engine.cases.numbering import case_creation
from engine.cases.services import case_step

from .flows import ExampleFlow
from .models import ExampleCase


def example_create(*, actor, department, subject):
    with case_creation():
        case = ExampleCase.objects.create(department=department, subject=subject, created_by=actor)
        audit_record(actor=actor, action="example.create", obj=case, after={"status": case.status})
        ExampleFlow.start.run(case=case)
    return case


def example_submit(*, actor, task_id, reason="", data=None):
    with case_step(task_id=task_id, actor=actor, decision="submit", reason=reason) as step:
        step.case.submit()
    return step.case


def example_approve(*, actor, task_id, reason="", data=None):
    with case_step(task_id=task_id, actor=actor, decision="approve", reason=reason) as step:
        step.case.approve()
    return step.case


def example_send_back(*, actor, task_id, reason="", data=None):
    with case_step(task_id=task_id, actor=actor, decision="send_back", reason=reason) as step:
        step.case.send_back()
    return step.case


def example_review(*, actor, task_id, reason="", data=None):
    """A panel member's part: the last one to finish moves the case to review."""
    with case_step(task_id=task_id, actor=actor, decision="submit", reason=reason) as step:
        others = TaskRoute.objects.open().filter(reference=step.case.reference).exclude(pk=step.route.pk)
        if not others.exists():
            step.case.submit()
    return step.case
