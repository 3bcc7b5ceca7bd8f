from django import template

from ..charts import display

register = template.Library()


@register.filter
def cell(value, column) -> str:
    """A table cell formatted for its column (money, percentages, hours, counts)."""
    return display(value, column.kind)
