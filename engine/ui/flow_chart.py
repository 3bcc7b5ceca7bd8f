"""A case's flow chart in the reader's language (D7).

viewflow draws each node with its annotated title (the steps' titles, translated) and names
the others from their code names ("After Intake", "Expert Split") and the branches of an
``If`` "yes"/"no". Here those are replaced: start and end say so in the reader's language,
gateways (their symbol says what they are) carry no caption, branches read yes/no translated.
"""
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy
from viewflow.workflow import chart
from viewflow.workflow.flow import nodes

EDGE_LABELS = {"yes": pgettext_lazy("flow chart", "yes"), "no": pgettext_lazy("flow chart", "no")}
START, END = pgettext_lazy("flow chart", "Start"), pgettext_lazy("flow chart", "End")


def _caption(node) -> str:
    if isinstance(node.task_title, Promise):  # annotated in the flow: already the reader's language
        return str(node.task_title)
    if isinstance(node, (nodes.Start, nodes.StartHandle)):
        return str(START)
    if isinstance(node, nodes.End):
        return str(END)
    return ""


def flow_chart_svg(flow_class, process_id) -> str:
    """The flow of ``flow_class`` as SVG, the steps of process ``process_id`` marked done or
    active (viewflow's chart), every caption in the active language."""
    grid = chart.calc_layout_data(flow_class)
    for cell in grid.cells:
        caption = _caption(cell.node)
        if cell.shape.text:
            cell.shape.text = cell.shape.text if caption else []
        elif cell.title is not None:
            cell.title = caption
    for edge in grid.edges:
        edge.label = str(EDGE_LABELS.get(edge.label, edge.label)) if edge.label else edge.label
    chart.calc_cell_status(flow_class, grid, process_id)
    return chart.grid_to_svg(grid)
