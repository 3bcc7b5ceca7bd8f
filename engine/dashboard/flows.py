"""Each process's flows as diagrams: the SVG the page shows and the BPMN 2.0 XML to download,
both laid out by viewflow from the flow graph (its nodes and their outgoing edges)."""
from importlib import import_module

from django.utils.encoding import force_str
from viewflow.workflow import chart

from engine.cases.flows import CaseFlow
from engine.processes import process_configs


def flows() -> dict:
    """``{"certification.CertificateFlow": CertificateFlow, …}`` in installation order."""
    found = {}
    for config in process_configs():
        module = import_module(f"{config.name}.flows")
        for name, obj in vars(module).items():
            if isinstance(obj, type) and issubclass(obj, CaseFlow) and obj.__module__ == module.__name__:
                found[f"{config.label}.{name}"] = obj
    return found


def title(flow_class) -> str:
    return force_str(flow_class.process_title or flow_class.__name__)


def edges(flow_class) -> list[tuple[str, str]]:
    """(source node, target node) of every edge of the flow graph."""
    return [(edge.src.name, edge.dst.name) for node in flow_class.instance.nodes() for edge in node._outgoing()]


def svg(flow_class) -> str:
    return chart.grid_to_svg(chart.calc_layout_data(flow_class))


def bpmn(flow_class) -> str:
    return chart.grid_to_bpmn(chart.calc_layout_data(flow_class))
