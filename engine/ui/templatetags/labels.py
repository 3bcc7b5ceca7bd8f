"""Labels for codes a page would otherwise show raw.

    {% load labels %}
    {{ route|decision_label }}   the decision a done task was completed with, as its step names it
"""
from django import template

register = template.Library()


@register.filter
def decision_label(route) -> str:
    """The step's label of ``route.decision`` (the flows' ``Decision``); "" when there is none."""
    if not route.decision:
        return ""
    step = route.task.flow_task if route.task_id else None
    spec = getattr(step, "decisions", {}).get(route.decision) if step is not None else None
    return str(spec.label) if spec else route.decision
