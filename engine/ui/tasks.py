"""Staff workbench pages for the department queues: inbox, queue, archive, task and case."""
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from engine.audit.models import AuditEvent
from engine.cases import actions, selectors
from engine.cases.errors import DomainError
from engine.cases.models import TaskRoute
from engine.cases.registry import STAFF, case_access, case_by_reference
from engine.notifications.models import Notification
from engine.notifications.services import mark_read
from engine.processes import process_labels

from .buttons import task_buttons
from .chart import flow_chart_svg
from .labels import decision_label, event_rows
from .pages import WorkbenchApplication

PAGE_SIZE = 20
VIEW_TITLES = {"inbox": gettext_lazy("My tasks"), "queue": gettext_lazy("Department queue"),
               "archive": gettext_lazy("Completed tasks")}


class TaskListView(LoginRequiredMixin, TemplateView):
    template_name = "ui/task_list.html"
    view_name = "inbox"

    def get_context_data(self, **kwargs):
        selector = {"inbox": selectors.task_inbox, "queue": selectors.task_queue,
                    "archive": selectors.task_archive}[self.view_name]
        params = self.request.GET
        overdue = {"1": True, "0": False}.get(params.get("overdue", ""))
        qs = selector(self.request.user, process=params.get("process") or None, overdue=overdue)
        page = selectors.LateRowPaginator(qs, PAGE_SIZE).get_page(params.get("page"))
        return {
            **super().get_context_data(**kwargs),
            "page_obj": page, "view_name": self.view_name, "title": VIEW_TITLES[self.view_name],
            "process_choices": process_labels(), "process": params.get("process", ""), "overdue": params.get("overdue", ""),
        }


def _history(case):
    return event_rows(case, AuditEvent.objects.filter(reference=case.reference).order_by("seq"))


class TaskDetailView(LoginRequiredMixin, View):
    """One task: its case, history and the actions the user may take."""

    def _route(self, request, pk):
        route = TaskRoute.objects.select_related(
            "task", "department", "owner", "delegate", "completed_by", "escalated_from"
        ).filter(pk=pk).first()
        if route is None or not selectors.task_visible(request.user, route):
            raise Http404(_("No such task."))
        return route

    def get(self, request, pk):
        route = self._route(request, pk)
        user = request.user
        case = route.case_type.model_class().objects.get(pk=route.case_id)
        step = route.task.flow_task
        buttons = task_buttons(user, route, case)
        return render(request, "ui/task_detail.html", {
            "route": route, "case": case, "step": step,
            # department staff see the whole trail; a person given one task (an expert) sees
            # when the status changed, not who else acted (I2: independent scoring)
            "history": _history(case) if case_access(user, case) == STAFF else [
                row for row in _history(case) if row.status_before != row.status_after],
            "full_history": case_access(user, case) == STAFF,
            "decision_label": decision_label(case.flow_process.flow_class if case.flow_process_id else None,
                                             route.node, route.decision),
            # a task still in the queue is claimed by completing it: the claim rule decides
            "decisions": getattr(step, "decisions", {}) if route.holder_id == user.pk or buttons["can_claim"] else {},
            **buttons,
        })

    def post(self, request, pk):
        route = self._route(request, pk)
        action, user = request.POST.get("action"), request.user
        reason = request.POST.get("reason", "").strip()
        try:
            if action == "claim":
                actions.task_claim(actor=user, task_id=route.pk)
                messages.success(request, _("Claimed."))
            elif action == "release":
                actions.task_release(actor=user, task_id=route.pk)
                messages.success(request, _("Returned to the department queue."))
            elif action == "reassign":
                actions.task_reassign(actor=user, task_id=route.pk, user_id=request.POST.get("user"), reason=reason)
                messages.success(request, _("Reassigned."))
            elif action == "delegate":
                actions.task_delegate(actor=user, task_id=route.pk, user_id=request.POST.get("user"), reason=reason)
                messages.success(request, _("Delegated."))
            elif action == "resolve":
                actions.task_resolve(actor=user, task_id=route.pk, reason=reason)
                messages.success(request, _("Handed back to the owner."))
            elif action == "complete":
                data = {k[5:]: v for k, v in request.POST.items() if k.startswith("data_")}
                actions.task_complete(
                    actor=user, task_id=route.pk, decision=request.POST.get("decision", ""), reason=reason, data=data
                )
                messages.success(request, _("Completed."))
                return redirect("tasks:inbox")
            else:
                messages.error(request, _("Unknown action."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect(request.path)


class CaseDetailView(LoginRequiredMixin, TemplateView):
    """A case by reference: status, open steps with due times, history and flow chart."""

    template_name = "ui/case_detail.html"

    def get_context_data(self, reference, **kwargs):
        case = case_by_reference(reference)
        if case is None or case_access(self.request.user, case) != STAFF:
            raise Http404(_("No such case."))
        flow_chart = ""
        if case.flow_process_id:
            flow_chart = flow_chart_svg(case.flow_process.flow_class, case.flow_process_id)
        steps = list(TaskRoute.objects.filter(reference=case.reference).select_related(
            "department", "owner", "completed_by").order_by("created_at"))
        flow_class = case.flow_process.flow_class if case.flow_process_id else None
        for s in steps:
            s.decision_label = decision_label(flow_class, s.node, s.decision) or s.decision
        return {
            **super().get_context_data(**kwargs), "case": case, "steps": steps,
            "history": _history(case), "flow_chart": flow_chart,
        }


class CaseLookupView(LoginRequiredMixin, View):
    def get(self, request):
        reference = request.GET.get("reference", "").strip().upper()
        if reference:
            return redirect("tasks:case", reference)
        return redirect("tasks:inbox")


class NotificationsView(LoginRequiredMixin, TemplateView):
    """The in-app inbox; opening it marks what was shown as read."""

    template_name = "ui/notifications.html"

    def get_context_data(self, **kwargs):
        page = Paginator(Notification.objects.filter(user=self.request.user), PAGE_SIZE).get_page(
            self.request.GET.get("page"))
        items = list(page)
        unread = [n.pk for n in items if n.read_at is None]
        mark_read(user=self.request.user, notification_ids=unread)
        return {**super().get_context_data(**kwargs), "page_obj": page, "items": items, "unread": set(unread)}


class TasksApp(WorkbenchApplication):
    """Tasks (待办): the queues every department works from (D1)."""

    title = gettext_lazy("Tasks")
    icon = "assignment"
    app_name = "tasks"

    index_path = path("", TaskListView.as_view(view_name="inbox"), name="index")

    inbox_path = path("inbox/", TaskListView.as_view(view_name="inbox"), name="inbox")
    queue_path = path("queue/", TaskListView.as_view(view_name="queue"), name="queue")
    archive_path = path("archive/", TaskListView.as_view(view_name="archive"), name="archive")
    task_path = path("task/<int:pk>/", TaskDetailView.as_view(), name="task")
    case_path = path("case/<str:reference>/", CaseDetailView.as_view(), name="case")
    lookup_path = path("lookup/", CaseLookupView.as_view(), name="lookup")
    notifications_path = path("notifications/", NotificationsView.as_view(), name="notifications")
    menu_links = (
        ("tasks:inbox", "inbox", VIEW_TITLES["inbox"]), ("tasks:queue", "groups", VIEW_TITLES["queue"]),
        ("tasks:archive", "archive", VIEW_TITLES["archive"]),
        ("tasks:notifications", "notifications", gettext_lazy("Notifications")),
    )


