"""``HumanStep``: a viewflow ``View`` node whose tasks are routed to a department's queue.

    review = (
        HumanStep(department=lambda case: case.base, role=Role.STAFF,
                  title="受理审查", sla="incubation.intake", states=["intake_check"],
                  separate_from=["prepare"])
        .Next(this.decide)
    )

``department`` is a callable taking the case; ``states`` are the FSM states the case may be in
while the task is open (the consistency check compares them); ``separate_from`` names earlier
steps whose completer may not do this one (D3); ``decisions`` maps a decision code to the
service that carries it out, for the generic task endpoint and page.
"""
from dataclasses import dataclass, field
from typing import Callable

from viewflow.workflow import flow
from viewflow.workflow.nodes.view import ViewActivation


@dataclass(frozen=True)
class Decision:
    """One way to finish a step: a label for buttons and the service that does it.

    The service is called as ``service(actor=user, task_id=id, reason=str, data=dict)``.
    """

    label: str
    service: str  # dotted path, resolved lazily to avoid import cycles
    needs_reason: bool = False
    style: str = "primary"
    # extra form fields: (name, label, kind) with kind one of line, text, decimal, integer, date
    fields: tuple = field(default_factory=tuple)


class RoutedActivation(ViewActivation):
    """Creates the task as viewflow does, then routes it (department, role, due time)."""

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        activation = super().create(flow_task, prev_activation, token, data=data, seed=seed)
        from .routing import route_new_task

        route_new_task(activation.task, flow_task)
        return activation


def _not_through_viewflow_ui(request, *args, **kwargs):  # pragma: no cover - never mounted
    from django.http import HttpResponseNotFound

    return HttpResponseNotFound("请在工作台办理此待办。")


class HumanStep(flow.View):
    activation_class = RoutedActivation

    def __init__(self, *, department: Callable, role: str, title: str, sla: str | None = None,
                 states=(), separate_from=(), decisions: dict | None = None,
                 on_escalate: str | None = None, priority: int = 0, view=None, **kwargs):
        super().__init__(view or _not_through_viewflow_ui, **kwargs)
        self.route_department = department
        self.route_role = role
        self.step_title = title
        self.sla_key = sla
        self.expected_states = tuple(states)
        self.separate_from = tuple(separate_from)
        self.decisions = decisions or {}
        self.on_escalate = on_escalate
        self.priority = priority
        self.Annotation(title=title)

    def can_execute(self, user, task):
        """Only through the engine's services, which check rights themselves."""
        return False
