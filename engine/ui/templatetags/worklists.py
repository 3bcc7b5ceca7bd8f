"""``{% menu_count "tasks:queue" as n %}``: how many tasks wait behind a menu entry (None for
an entry without a count), all counts of a request read in one query (``lists.menu_counts``)."""
from django import template

from engine.ui.lists import MENU_COUNTED, menu_counts

register = template.Library()
_COUNTED = {f"tasks:{view}" for view in MENU_COUNTED}


@register.simple_tag(takes_context=True)
def menu_count(context, url_name):
    request = context.get("request")
    if url_name not in _COUNTED or request is None or not request.user.is_authenticated:
        return None
    return menu_counts(request).get(url_name)
