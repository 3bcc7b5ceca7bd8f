"""A case's flow chart (viewflow's SVG), every caption in the reader's language (D7).

viewflow draws each node with its annotated title (the steps' titles, translated) and names the
others from their code names ("After Intake", "Expert Split"). Here start and end say so in the
reader's language and gateways (their symbol says what they are) carry no caption.

Viewflow labels an ``If`` gateway's branches "yes" and "no" and a ``Switch``'s not at all. Here
a branch taken on the case's status (``status_is``) carries the statuses' labels, one with its
own labels (``branch``) carries those, and the remaining branch of a gateway says "Otherwise".
"""
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from viewflow.workflow import chart
from viewflow.workflow.flow import nodes
from viewflow.workflow.nodes import If

START, END = pgettext_lazy("flow chart", "Start"), pgettext_lazy("flow chart", "End")


def _caption(node) -> str:
    if isinstance(node.task_title, Promise):  # annotated in the flow: already the reader's language
        return str(node.task_title)
    if isinstance(node, (nodes.Start, nodes.StartHandle)):
        return str(START)
    if isinstance(node, nodes.End):
        return str(END)
    return ""


def _status_labels(flow_class):
    model = getattr(flow_class, "case_model", None)
    if model is None:
        return {}
    return {str(value): str(label) for value, label in model._meta.get_field("status").flatchoices}


def _condition_label(condition, statuses):
    states = getattr(condition, "states", None)
    if states:
        return " / ".join(statuses.get(str(s), str(s)) for s in states)
    return ""


def branch_label(edge, statuses) -> str:
    """The label of one edge leaving a gateway ("" for an edge that needs none)."""
    src = edge.src
    if isinstance(src, If):
        condition = src._condition
        if edge.edge_class == "cond_true":
            return str(getattr(condition, "yes_label", "")) or _condition_label(condition, statuses) or _("Yes")
        return str(getattr(condition, "no_label", "")) or _("Otherwise")
    branches = getattr(src, "_activate_next", None)
    if not branches or len(branches) < 2:
        return ""
    for node, condition in branches:
        if node is edge.dst:
            return _condition_label(condition, statuses) if condition else _("Otherwise")
    return ""


def _place_label(edge):
    """Where viewflow puts an edge's label (chart.calc_edges), for labels given after layout."""
    if not edge.label or len(edge.segments) < 2:
        return
    (x1, y1), (x2, y2) = edge.segments[0], edge.segments[1]
    if y1 == y2:
        edge.label_pos = (min(x1, x2) + 10, y1 - 6)
    elif y2 > y1:
        edge.label_pos = (x1 + 8, y1 + 16)
    else:
        edge.label_pos = (x1 + 8, y1 - 10)


def flow_chart_svg(flow_class, process_pk=None) -> str:
    grid = chart.calc_layout_data(flow_class)
    for cell in grid.cells:
        caption = _caption(cell.node)
        if cell.shape.text:
            cell.shape.text = cell.shape.text if caption else []
        elif cell.title is not None:
            cell.title = caption
    statuses = _status_labels(flow_class)
    for edge in grid.edges:
        label = branch_label(edge, statuses)
        if label or edge.label:
            edge.label = label
            _place_label(edge)
    if process_pk is not None:
        chart.calc_cell_status(flow_class, grid, process_pk)
    return chart.grid_to_svg(grid)
