"""Staff workbench pages of the incubation process (/workbench/incubation/): the applications
of the user's bases (or, for 民政局, of the bases under it), one application's file with its
expert scores and milestones, recording milestones (I4) and nominations (I6). Steps themselves
are worked from the engine's task pages (/workbench/tasks/)."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.cases.models import TaskRoute
from engine.directory import rights
from engine.directory.models import DEPARTMENT_ROLES
from engine.ui.pages import CaseFileView, CaseListView, WorkbenchApplication, act_on

from . import selectors, services
from .flows import approving_department
from .models import Milestone, Nomination, Status
from .portal import BADGES
from .services.milestones import RECORDABLE


class ApplicationListView(CaseListView):
    template_name = "incubation/workbench_list.html"
    statuses, badges = Status.choices, BADGES

    def cases(self):
        return selectors.applications_visible_to(self.request.user).order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "bases": selectors.base_overview(self.request.user),
                "can_export": rights.is_staff_of_any(self.request.user)}


class ApplicationDetailView(CaseFileView):
    not_found = gettext_lazy("No such incubation application.")

    def visible_cases(self, user):
        return selectors.applications_visible_to(user)

    def get(self, request, reference):
        case = self.get_case(request, reference)
        user = request.user
        staff = selectors.is_staff_view(user, case)
        sheets = case.expert_scores.select_related("expert")
        steps = TaskRoute.objects.filter(reference=case.reference).select_related("department", "owner")
        if not staff:
            # I2: scoring is independent; an expert sees neither the other experts' names nor
            # how far they are, only their own sheet and their own task.
            sheets = sheets.filter(expert=user)
            steps = steps.filter(owner=user)
        return render(request, "incubation/workbench_detail.html", {
            "case": case, "badge": BADGES.get(case.status, ""), "sheets": sheets,
            "milestones": case.milestones.select_related("recorded_by"),
            "nominations": case.nominations.select_related("project"),
            "steps": steps.order_by("created_at"), "is_staff": staff,
            "is_base_staff": rights.has_any_role(user, case.department_id, DEPARTMENT_ROLES),
            "can_record": case.status in RECORDABLE,
            "can_recuse": case.status == Status.EXPERT_REVIEW and steps.filter(
                node="score", owner=user, state__in=[TaskRoute.State.OPEN, TaskRoute.State.CLAIMED]).exists()
            and not case.recusals.filter(expert=user).exists(),
            "recusals": case.recusals.select_related("expert") if staff else case.recusals.filter(expert=user),
            "is_approver": rights.has_any_role(user, approving_department(case), ("reviewer", "head")),
            "milestone_kinds": Milestone.Kind.choices, "nomination_kinds": Nomination.Kind.choices,
            "projects": [m for m in case.milestones.all() if m.kind == Milestone.Kind.PROJECT],
        })

    def post(self, request, reference):
        case = self.get_case(request, reference)
        post, user = request.POST, request.user

        def decide(approve):
            return lambda: services.nomination_decide(
                actor=user, nomination=case.nominations.get(pk=post.get("nomination")), approve=approve,
                reason=post.get("reason", ""))

        actions = {
            "milestone": (lambda: services.milestone_record(
                actor=user, application=case, kind=post.get("kind", ""), title=post.get("title", ""),
                happened_on=post.get("happened_on") or None, evidence=post.get("evidence", ""),
                uscc=post.get("uscc", "")), _("Milestone recorded.")),
            "declare_conflict": (lambda: services.expert_declare_conflict(
                actor=user, application=case, statement=post.get("statement", "")), _("Recusal declared; waiting for the base's head to reassign the task.")),
            "nominate": (lambda: services.nomination_create(
                actor=user, application=case, kind=post.get("kind", ""),
                project=case.milestones.filter(pk=post.get("project") or None).first()), _("Nomination submitted; waiting for the Civil Affairs Bureau's decision.")),
            "nomination_approve": (decide(True), _("Decided.")),
            "nomination_refuse": (decide(False), _("Decided.")),
        }
        try:
            return act_on(request, actions)
        except (Nomination.DoesNotExist, ValueError, TypeError):
            # never echo the exception: its text is Django's English
            messages.error(request, _("The submitted data are not valid; please reload the page and try again."))
            return redirect(request.path)


class WorkbenchApp(WorkbenchApplication):
    """组织孵化: the incubation bases' applications, milestones and exports."""

    title = gettext_lazy("Organization incubation")
    icon = "egg"
    app_name = "incubation"
    menu_links = (("incubation:index", "egg", gettext_lazy("Applications and bases")), ("tasks:queue", "inbox", gettext_lazy("Department task queue")))

    index_path = path("", ApplicationListView.as_view(), name="index")
    detail_path = path("<str:reference>/", ApplicationDetailView.as_view(), name="detail")
