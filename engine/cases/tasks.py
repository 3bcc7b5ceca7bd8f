from celery import shared_task
from django.apps import apps
from viewflow.workflow.timers import fire_due_timers

from engine.periodic import exclusive

from . import search
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


@shared_task(name="engine.cases.tasks.refresh_search_naming")
def refresh_search_naming(app_label, model_name, pk):
    """After commit: rewrite the title and search key of the routes of every case that names
    this row (an organization renamed); idempotent, routes already current are left alone."""
    return search.refresh_search_naming(apps.get_model(app_label, model_name), pk)
