"""Links a page shows only to whoever may open them, so that no link answers 404.

    {% load links %}
    {% if step|task_open_to:request.user %}<a href="{{ step.get_absolute_url }}">…</a>{% else %}…{% endif %}
    {% if case|case_page_open_to:request.user %}<a href="{% url 'tasks:case' case.reference %}">…</a>{% endif %}

The engine's task page answers 404 to whoever may not see the task (``task_visible``), and its
case page to whoever is not staff on the case (``case_access``); these ask the same questions.
"""
from django import template

from engine.cases.registry import staff_references
from engine.cases.selectors import task_visible

register = template.Library()


@register.filter
def task_open_to(route, user) -> bool:
    return route is not None and user.is_authenticated and task_visible(user, route)


@register.filter
def case_page_open_to(case, user) -> bool:
    return case is not None and case.reference in staff_references(user, [case])
