"""Bulk claim and bulk reassign from the task lists: each task through its own service call,
then a page listing what was done and, task by task, why not (``engine.cases.bulk``)."""
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from engine.cases import bulk
from engine.cases.errors import DomainError, RuleViolation
from engine.directory import rights
from engine.directory.models import Membership, Role

from .pages import back_to_list


def reassign_people(user) -> list:
    """The people a department head may hand tasks to: members of the departments they head
    (the service checks each task's role and D3); none for anyone else. One query."""
    headed = rights.department_ids(user, roles=(Role.HEAD,))
    if not headed:
        return []
    people = {}
    for membership in (Membership.objects.filter(department_id__in=headed, user__is_active=True)
                       .exclude(user_id=user.pk).select_related("user").order_by("user__username")):
        people.setdefault(membership.user_id, membership.user)
    return list(people.values())


class BulkView(LoginRequiredMixin, View):
    """POST ``action`` (claim or reassign), ``tasks`` (ids), ``user`` and ``reason`` for a
    reassignment, ``back`` (the list to return to)."""

    def post(self, request):
        action, ids, user = request.POST.get("action"), request.POST.getlist("tasks"), request.user
        try:
            if action == "claim":
                outcomes = bulk.bulk_claim(actor=user, task_ids=ids)
            elif action == "reassign":
                if not request.POST.get("user"):
                    raise RuleViolation(_("Choose the person to give the tasks to."))
                outcomes = bulk.bulk_reassign(actor=user, task_ids=ids, user_id=request.POST.get("user"),
                                              reason=request.POST.get("reason", "").strip())
            else:
                raise RuleViolation(_("Unknown action."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect(back_to_list(request))
        return render(request, "ui/bulk_result.html", {
            "outcomes": outcomes, "summary": bulk.summary(outcomes), "back": back_to_list(request), "task_links": True,
            "title": _("Claim") if action == "claim" else _("Reassign"),
        })
