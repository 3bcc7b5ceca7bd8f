"""Base flow for cases: locks the process row and knows its case model.

A process flow starts from code with ``MyFlow.start.run(case=case)`` (a ``StartHandle`` whose
handler is ``this.start_case``), which links the viewflow process and the case both ways.
"""
from django.utils.text import capfirst
from viewflow.workflow import flow, lock
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from .context import current_case, pending_cases
from .steps import HumanStep


class CaseFlow(flow.Flow):
    # The default no_lock allows duplicate join tasks (viewflow.W001); lock the process row.
    lock_impl = lock.select_for_update_lock
    case_model = None  # set by each process
    process_name = ""  # "incubation" | "procurement" | "certification" …

    def __init_subclass__(cls, **kwargs):
        """D7: the flow's title (flow charts, the admin's process lists) is its process model's
        verbose name, in the reader's language; viewflow would otherwise make every case flow
        "Case", the title it derives for this base class."""
        super().__init_subclass__(**kwargs)
        if "process_title" not in vars(cls) and cls.process_class is not None:
            cls.process_title = capfirst(cls.process_class._meta.verbose_name)

    def start_case(self, activation, case):
        """StartHandle handler: tie the new viewflow process and the case together."""
        activation.process.artifact = case
        activation.process.save()
        case.flow_process = activation.process
        case.save(update_fields=["flow_process"])
        return case

    @classmethod
    def case_for_process(cls, process_id):
        """The case of a flow process: the one the running step holds locked, or the one the
        running creation has just made (routing its first tasks), if it is this one."""
        held = current_case.get()
        if isinstance(held, cls.case_model) and held.flow_process_id == process_id:
            return held
        for case in getattr(pending_cases.get(), "new_cases", ()):
            if isinstance(case, cls.case_model) and case.flow_process_id == process_id:
                return case
        return cls.case_model.objects.get(flow_process_id=process_id)

    @classmethod
    def human_steps(cls):
        return [n for n in cls.instance.nodes() if isinstance(n, HumanStep)]


def case_of(activation):
    """The case of the process an activation (a gateway's condition, an ``.Assign``) works on."""
    return activation.flow_class.case_for_process(activation.process.pk)


def status_is(*states):
    """A gateway condition (``If``, ``Switch.Case``): the case is in one of ``states``. The
    flow chart labels its branch with the statuses' labels (``engine.ui.chart``)."""
    def condition(activation):
        return case_of(activation).status in states
    condition.states = states
    return condition


def branch(test, *, yes, no):
    """An ``If`` gateway's condition ``test(case)``, with the labels its two branches carry on
    the flow chart (instead of viewflow's "yes" and "no")."""
    def condition(activation):
        return test(case_of(activation))
    condition.yes_label, condition.no_label = yes, no
    return condition


def open_tasks(case, node=None):
    """Viewflow tasks of ``case`` that are not finished, optionally of one node."""
    qs = Task.objects.filter(process_id=case.flow_process_id).exclude(
        status__in=[STATUS.DONE, STATUS.CANCELED]
    )
    if node is not None:
        qs = qs.filter(flow_task=node)
    return qs
