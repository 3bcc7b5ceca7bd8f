"""Templates ask the case's state machine what may happen next, instead of naming statuses.

    {% load cases %}
    {% if tender|can:"cancel" %}…the cancel form…{% endif %}

``can`` answers whether the named FSM transition is allowed from the current status with its
conditions met (django-fsm's ``can_proceed``). Whether *this user* may do it is the service's
question; pages pair ``can`` with the role flags their view computes.
"""
from django import template
from django_fsm import can_proceed

from engine.cases.selectors import task_visible

register = template.Library()


@register.filter
def can(case, transition: str) -> bool:
    method = getattr(case, transition, None)
    if method is None or not hasattr(method, "_django_fsm"):
        raise template.TemplateSyntaxError(f"{type(case).__name__} has no transition {transition!r}")
    return can_proceed(method)


@register.filter
def task_open_to(route, user) -> bool:
    """May ``user`` open this task's page (``selectors.task_visible``; no query, the user's
    memberships are read once per request): a step list links only the tasks the reader can open."""
    return task_visible(user, route)
