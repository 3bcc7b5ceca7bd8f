"""Templates ask the case's state machine what may happen next, instead of naming statuses.

    {% load cases %}
    {% if tender|can:"cancel" %}…the cancel form…{% endif %}

``case_summary`` renders the case's essentials for the reader of a task or case page: the case's
``summary_for(user)`` when it has one (what a decider needs may be what a panel member must not
see), else its ``summary_html``.

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



@register.simple_tag(takes_context=True)
def case_summary(context, case):
    user = getattr(context.get("request"), "user", None)
    summary_for = getattr(case, "summary_for", None)
    if summary_for is not None:
        return summary_for(user)
    return getattr(case, "summary_html", "") or ""
