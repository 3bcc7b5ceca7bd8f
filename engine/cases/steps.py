"""``HumanStep``: a viewflow ``View`` node whose tasks are routed to a department's queue.

    review = (
        HumanStep(department=lambda case: case.base, role=Role.STAFF,
                  title=_("Intake review"), sla="incubation.intake", states=["intake_check"],
                  separate_from=["prepare"])
        .Next(this.decide)
    )

``department`` is a callable taking the case; ``states`` are the FSM states the case may be in
while the task is open (the consistency check compares them); ``separate_from`` names earlier
steps whose completer may not do this one (D3); ``decisions`` maps a decision code to the
service that carries it out, for the generic task endpoint and page.

``PersonalSplit`` fans a step out to one ``PersonalStep`` task per person (an expert panel):

    panel = PersonalSplit(people=lambda case: case.expert_ids()).Next(this.score)
    score = PersonalStep(person_key="expert", department=..., role=Role.EXPERT, ...)
"""
from dataclasses import dataclass, field
from typing import Callable

from django.contrib.auth import get_user_model
from django.http import HttpResponseNotFound
from django.utils.translation import gettext as _
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.nodes.split import SplitActivation
from viewflow.workflow.nodes.view import ViewActivation

from .routing import route_new_task


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

    @property
    def irreversible(self) -> bool:
        """A refusal that ends or turns back the case: the page asks to confirm it first."""
        return self.style in ("danger", "bad")

    @property
    def button_class(self) -> str:
        """The button's look by meaning: a refusal red, a return amber, the rest the main colour."""
        return {"danger": "danger", "bad": "danger", "warn": "warn", "secondary": "secondary"}.get(self.style, "")


class RoutedActivation(ViewActivation):
    """Creates the task as viewflow does, then routes it (department, role, due time)."""

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        activation = super().create(flow_task, prev_activation, token, data=data, seed=seed)
        route_new_task(activation.task, flow_task)
        return activation


def _not_through_viewflow_ui(request, *args, **kwargs):  # pragma: no cover - never mounted
    return HttpResponseNotFound(_("Please work on this task in the workbench."))


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


class PersonalStep(HumanStep):
    """A human step whose task is made for one person, named in ``task.data[person_key]`` by a
    ``PersonalSplit``. The task is routed as any step (department, role, due time) and held by
    that person from the start (``TaskRoute.personal``): it never waits in a queue, cannot be
    released or delegated, and only the department head moves it (reassign); when overdue the
    heads are reminded instead of the task moving (``sla``)."""

    def __init__(self, *, person_key: str, **kwargs):
        super().__init__(**kwargs)
        self.person_key = person_key
        self.Assign(self.person_of)

    def person_of(self, activation):
        return get_user_model().objects.get(pk=activation.task.data[self.person_key])


class PersonalSplitActivation(SplitActivation):
    @Activation.status.super()
    def activate(self):
        """One task of each following ``PersonalStep`` per person, in the order ``people`` gives."""
        case = self.flow_class.case_for_process(self.process.pk)
        people = list(self.flow_task.people(case))
        for node, condition, _data in self.flow_task._branches:
            if condition and not condition(self):
                continue
            for person_id in people:
                self.next_tasks.append((node, {node.person_key: person_id}))


class PersonalSplit(flow.Split):
    """A parallel split that gives each person ``people(case)`` returns (user ids) a personal task
    of the next step, a ``PersonalStep``; a ``flow.Join`` after that step waits for them all."""

    activation_class = PersonalSplitActivation

    def __init__(self, *, people: Callable, **kwargs):
        super().__init__(**kwargs)
        self.people = people
