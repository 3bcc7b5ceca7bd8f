"""The three processes are built alike: a ``models`` package whose ``workflow`` module holds
the viewflow Process proxies every flow of the process runs on."""
import inspect
from importlib import import_module

import pytest

from engine.cases.flows import CaseFlow

PROCESSES = ["incubation", "procurement", "certification"]


@pytest.mark.parametrize("process", PROCESSES)
def test_flows_run_on_proxies_declared_in_models_workflow(process):
    models = import_module(f"processes.{process}.models")
    assert models.__file__.endswith("__init__.py")
    flows = [cls for _, cls in inspect.getmembers(import_module(f"processes.{process}.flows"), inspect.isclass)
             if issubclass(cls, CaseFlow) and cls is not CaseFlow]
    assert flows
    for flow in flows:
        assert flow.process_class.__module__ == f"processes.{process}.models.workflow", flow
        assert flow.process_class._meta.proxy
        assert getattr(models, flow.process_class.__name__) is flow.process_class
