from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.admin import ProcessAdmin as FlowProcessAdmin
from viewflow.workflow.admin import TaskAdmin as FlowTaskAdmin
from viewflow.workflow.models import Process, Task

from engine.admin_base import LabelledObjectAdmin, ReadOnlyAdmin

from .models import ReferenceSequence, TaskRoute

# What a viewflow task that is no human step (no step title) is, by its node's type.
NODE_KINDS = {
    "START": _("Start of the process"),
    "END": _("End of the process"),
    "JOIN": _("Branches joined"),
    "PARALLEL_GATEWAY": _("Branches split"),
    "EXCLUSIVE_GATEWAY": _("Branch by condition"),
    "SWITCH": _("Branch by condition"),
    "TIMER": _("Waiting for a time"),
}


def flow_step_title(task) -> str:
    """A viewflow task in the reader's language: its step's title, or what kind of node it is."""
    title = getattr(task.flow_task, "step_title", None)
    return str(title or NODE_KINDS.get(task.flow_task_type, _("System step")))


def flow_task_label(task) -> str:
    return _("%(step)s (task %(number)s)") % {"step": flow_step_title(task), "number": task.pk}


@admin.register(TaskRoute)
class TaskRouteAdmin(ReadOnlyAdmin):
    """Read-only view of routed tasks; changes go through the workbench actions (D4)."""

    list_display = ["reference", "case", "step", "department", "role", "state", "owner", "due_at",
                    "due_provisional", "overdue_at", "escalation_level"]
    list_filter = ["process_name", "state", "role", "due_provisional", "department__level"]
    search_fields = ["reference", "case_title", "department__name"]
    list_select_related = ["department", "owner"]

    # D7: the titles in the reader's language, as on the workbench; the stored ones keep the
    # language of the moment the task was made
    @admin.display(description=_("Case"))
    def case(self, route):
        return route.display_case_title

    @admin.display(description=_("Step"), ordering="step_title")
    def step(self, route):
        return route.display_step_title

    def get_fields(self, request, obj=None):
        # the stored titles and viewflow's task (its text is English) give way to the shown ones
        hidden = {"case_title", "step_title", "task"}
        return ["case", "step", "flow_task", *(f for f in super().get_fields(request, obj) if f not in hidden)]

    def get_readonly_fields(self, request, obj=None):
        return ["case", "step", "flow_task", *super().get_readonly_fields(request, obj)]

    @admin.display(description=_("Workflow task"))
    def flow_task(self, route):
        return flow_task_label(route.task) if route.task_id else ""


@admin.register(ReferenceSequence)
class ReferenceSequenceAdmin(admin.ModelAdmin):
    list_display = ["prefix", "year", "last"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# viewflow's own lists of processes and tasks: read-only (changes go through the services), the
# flow named by its title and a task by its step, not by class paths, node names and codes
admin.site.unregister(Process)
admin.site.unregister(Task)


@admin.register(Process)
class ProcessAdmin(LabelledObjectAdmin, FlowProcessAdmin):
    list_display = ["id", "created", "title", "status", "participants", "summary"]
    list_display_links = ["id", "created", "title"]
    fields = ["title", "status", "created", "finished", "summary", "steps"]
    readonly_fields = fields
    inlines = []

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def object_label(self, process):
        return _("%(process)s (number %(number)s)") % {"process": self.title(process), "number": process.pk}

    @admin.display(description=_("Process"))
    def title(self, process):
        return str(process.flow_class.process_title) if process.flow_class else ""

    @admin.display(description=_("Summary"))
    def summary(self, process):
        return process.brief

    @admin.display(description=_("Participants"))
    def participants(self, process):
        return super().participants(process)

    @admin.display(description=_("Steps"))
    def steps(self, process):
        return "; ".join(f"{flow_task_label(task)}: {task.get_status_display()}"
                         for task in process.task_set.order_by("created", "pk"))


@admin.register(Task)
class TaskAdmin(LabelledObjectAdmin, FlowTaskAdmin):
    list_display = ["id", "created", "process", "step", "status", "owner", "started", "finished"]
    list_display_links = ["id", "created", "process"]
    list_filter = ["status"]
    fields = ["process", "step", "status", "owner", "created", "assigned", "started", "finished", "scheduled"]
    readonly_fields = fields

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def object_label(self, task):
        return flow_task_label(task)

    @admin.display(description=_("Step"))
    def step(self, task):
        return flow_step_title(task)
