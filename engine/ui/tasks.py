"""Staff workbench pages for the department queues: inbox, queue, archive, task and case."""
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
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
from engine.cases.listing import FILTER_NAMES, read_filters
from engine.cases.models import Case, TaskRoute
from engine.cases.registry import STAFF, case_access, case_by_reference
from engine.directory.models import Department
from engine.notifications import selectors as notification_selectors
from engine.notifications import views as notification_views
from engine.processes import process_labels

from . import bulk_views, lists, saved
from .buttons import task_buttons
from .chart import flow_chart_svg
from .labels import decision_label, event_rows
from .pages import WorkbenchApplication, back_to_list, said_with_whereabouts

PAGE_SIZE = 20
VIEW_TITLES = {"inbox": gettext_lazy("My tasks"), "queue": gettext_lazy("Department queue"),
               "archive": gettext_lazy("Completed tasks")}


class TaskListView(LoginRequiredMixin, TemplateView):
    """My tasks, the department queue or completed tasks: searched (reference, title,
    organization or volunteer name), filtered, sorted, with saved filters and bulk actions.
    A fixed number of queries whatever the list's size or the number of saved filters."""

    template_name = "ui/task_list.html"
    view_name = "inbox"

    def get_context_data(self, **kwargs):
        params, user = self.request.GET, self.request.user
        try:
            filters = read_filters(params)
        except DomainError as exc:
            messages.error(self.request, str(exc.message))
            filters = {}
        qs = lists.Lists(user).queryset(self.view_name, filters)
        page = selectors.LateRowPaginator(qs, PAGE_SIZE).get_page(params.get("page"))
        heads = bulk_views.reassign_people(user) if self.view_name != "archive" else []
        return {
            **super().get_context_data(**kwargs),
            "page_obj": page, "view_name": self.view_name, "title": VIEW_TITLES[self.view_name],
            "params": {name: params.get(name, "") for name in FILTER_NAMES},
            "filters_query": lists.query_of(params),
            "process_choices": process_labels(), "step_choices": lists.step_choices(),
            "department_choices": Department.objects.order_by("code").values_list("code", "name"),
            "state_choices": TaskRoute.State.choices, "sort_columns": {c["key"]: c for c in lists.sort_columns(
                params, self.view_name)},
            "saved_filters": lists.saved_filters(user, self.view_name),
            "can_claim_many": self.view_name == "queue", "reassign_people": heads,
            "back": self.request.get_full_path(),
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
            "route": route, "case": case, "step": step, "back": request.GET.get("back", ""),
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
                return self._complete(request, route, reason)
            else:
                messages.error(request, _("Unknown action."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect(request.get_full_path())  # keeps ?back= (the list the user came from)


    def _complete(self, request, route, reason):
        """Decide the task. An irreversible refusal is asked to be confirmed first (a page
        that posts the same answer again with ``confirmed``: no script needed). Afterwards the
        message says where the case went, and the user goes back to the list they came from."""
        user, code = request.user, request.POST.get("decision", "")
        decision = getattr(route.task.flow_task, "decisions", {}).get(code)
        if decision is not None and decision.irreversible and request.POST.get("confirmed") != "1":
            return render(request, "ui/confirm_decision.html", {
                "route": route, "decision": decision, "fields": [
                    (k, v) for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "confirmed")]})
        data = {k[5:]: v for k, v in request.POST.items() if k.startswith("data_")}
        result = actions.task_complete(actor=user, task_id=route.pk, decision=code, reason=reason, data=data)
        label = decision.label if decision is not None else code
        case = result if isinstance(result, Case) else route.case_type.model_class().objects.get(pk=route.case_id)
        messages.success(request, said_with_whereabouts(
            _("%(reference)s: %(decision)s.") % {"reference": route.reference, "decision": label}, case))
        return redirect(back_to_list(request))


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
    notifications_path = path("notifications/", notification_views.NotificationListView.as_view(
        audience=notification_selectors.STAFF), name="notifications")
    notifications_read_path = path("notifications/read/", notification_views.MarkReadView.as_view(
        audience=notification_selectors.STAFF), name="notifications-read")
    notification_preferences_path = path("notifications/preferences/", notification_views.PreferencesView.as_view(
        audience=notification_selectors.STAFF), name="notification-preferences")
    bulk_path = path("bulk/", bulk_views.BulkView.as_view(), name="bulk")
    save_filter_path = path("filters/save/", saved.SaveFilterView.as_view(), name="save-filter")
    delete_filter_path = path("filters/<int:pk>/delete/", saved.DeleteFilterView.as_view(), name="delete-filter")
    menu_links = (
        ("tasks:inbox", "inbox", VIEW_TITLES["inbox"]), ("tasks:queue", "groups", VIEW_TITLES["queue"]),
        ("tasks:archive", "archive", VIEW_TITLES["archive"]),
        ("tasks:notifications", "notifications", gettext_lazy("Notifications")),
        ("tasks:notification-preferences", "tune", notification_views.PREFERENCES_TITLE),
    )


