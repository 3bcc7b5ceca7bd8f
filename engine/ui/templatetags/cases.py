"""Templates ask the case's state machine what may happen next, instead of naming statuses.

    {% load cases %}
    {% if tender|can:"cancel" %}…the cancel form…{% endif %}

``can`` answers whether the named FSM transition is allowed from the current status with its
conditions met (django-fsm's ``can_proceed``). Whether *this user* may do it is the service's
question; pages pair ``can`` with the role flags their view computes.
"""
from django import template
from django_fsm import can_proceed

register = template.Library()


@register.filter
def can(case, transition: str) -> bool:
    method = getattr(case, transition, None)
    if method is None or not hasattr(method, "_django_fsm"):
        raise template.TemplateSyntaxError(f"{type(case).__name__} has no transition {transition!r}")
    return can_proceed(method)

