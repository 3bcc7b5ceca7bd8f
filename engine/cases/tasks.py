from celery import shared_task
from viewflow.workflow.timers import fire_due_timers

from engine.periodic import exclusive

from .sla import sweep


@shared_task(name="engine.cases.tasks.sla_sweep")
@exclusive("sla-sweep")
def sla_sweep():
    """Beat: flag overdue tasks, notify heads, escalate (D2). Idempotent (flags, skip_locked)."""
    return sweep()


@shared_task(name="engine.cases.tasks.fire_flow_timers")
@exclusive("flow-timers")
def fire_flow_timers():
    """Beat: viewflow timers fire only when swept."""
    fire_due_timers()
