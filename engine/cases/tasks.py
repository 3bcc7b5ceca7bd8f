from celery import shared_task


@shared_task(name="engine.cases.tasks.sla_sweep")
def sla_sweep():
    """Beat: flag overdue tasks, notify heads, escalate (D2)."""
    from .sla import sweep

    return sweep()


@shared_task(name="engine.cases.tasks.fire_flow_timers")
def fire_flow_timers():
    """Beat: viewflow timers fire only when swept."""
    from viewflow.workflow.timers import fire_due_timers

    fire_due_timers()
