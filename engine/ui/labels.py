"""Labels (in the active language) for audit events and task decisions, read from the flows and models."""
from dataclasses import dataclass
from functools import lru_cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from engine.documents.labels import ACTIONS as DOCUMENT_ACTIONS
from engine.processes import process_config

TASK_ACTIONS = {
    "task.claim": _("Claimed the task"),
    "task.release": _("Returned to the department queue"),
    "task.reassign": _("Reassigned"),
    "task.delegate": _("Delegated"),
    "task.resolve": _("Handed back"),
    "task.overdue": _("Overdue reminder"),
    "task.escalate": _("Escalated as overdue"),
    "task.due_recomputed": _("Due date recomputed with the official holidays"),
}


@dataclass
class EventRow:
    number: int  # the event's place in its case's history: 1, 2, 3…
    event: object
    action_label: str
    status_before: str
    status_after: str
    subject: str = ""  # what changed status when it is not the case itself (a payment, a bid…)


def _status_labels(model):
    try:
        field = model._meta.get_field("status")
    except FieldDoesNotExist:
        return {}
    return {str(k): str(v) for k, v in field.flatchoices}


@lru_cache(maxsize=None)
def _part_model(app_label: str, key: str):
    """The model of the case's app an event's ``{"payment": 7, "status": …}`` names, if any."""
    try:
        return apps.get_model(app_label, key)
    except LookupError:
        return None


def _subject(case, payload: dict, statuses=()):
    """(name, status labels) of what an event's status belongs to: a part of the case named in
    the event (``{"payment": 7, "status": "approved"}``) whose statuses hold the event's ones
    (``statuses``), else the case."""
    statuses = {str(s) for s in statuses if s}
    for key in payload:
        model = _part_model(case._meta.app_label, key) if key != "status" else None
        if model is not None and model is not type(case):
            labels = _status_labels(model)
            if labels and statuses <= labels.keys():
                return str(model._meta.verbose_name), labels
    return "", _status_labels(type(case))


def decision_label(flow_class, node_name, decision):
    step = getattr(flow_class, node_name, None) if flow_class and node_name else None
    spec = getattr(step, "decisions", {}).get(decision) if step is not None else None
    return str(spec.label) if spec else ""


@lru_cache(maxsize=None)
def process_actions(process_name: str) -> dict:
    """The process's own action labels (``AppConfig.action_labels``), if it has them."""
    config = process_config(process_name)
    provider = getattr(config, "action_labels", None)
    return provider() if provider else {}


def action_label(case, action):
    """"incubation.intake.return" → the step's decision label; engine task actions and the
    process's own ``labels.ACTIONS`` by name; otherwise the code itself."""
    if action in TASK_ACTIONS:
        return str(TASK_ACTIONS[action])
    if action in DOCUMENT_ACTIONS:
        return str(DOCUMENT_ACTIONS[action])
    own = process_actions(case.PROCESS_NAME) if case is not None and case.PROCESS_NAME else {}
    if action in own:
        return str(own[action])
    parts = action.split(".")
    flow_class = case.flow_process.flow_class if case is not None and case.flow_process_id else None
    if len(parts) == 3 and flow_class is not None:
        step = getattr(flow_class, parts[1], None)
        label = decision_label(flow_class, parts[1], parts[2])
        title = getattr(step, "step_title", "")
        if label:
            return _("%(step)s: %(decision)s") % {"step": title, "decision": label} if title else label
    return action


def event_rows(case, events):
    """The case's history as rows, numbered per case in the order given (by sequence)."""
    rows = []
    for number, e in enumerate(events, start=1):
        before, after = e.before.get("status", ""), e.after.get("status", "")
        subject, statuses = _subject(case, {**e.before, **e.after}, (before, after)) if case is not None else ("", {})
        rows.append(EventRow(
            number=number, event=e, action_label=action_label(case, e.action),
            status_before=statuses.get(str(before), before), status_after=statuses.get(str(after), after),
            subject=subject if (before or after) else "",
        ))
    return rows
