"""Saved filters: a person names the filters of a task list to find them again, with counts.

``saved_filter_create`` checks the query string as the list reads it, keeps at most
``SavedFilter.MAX_PER_USER`` per person, and answers a name already taken with a conflict
(the unique constraint, caught: a 409 with a code, never a 500).
"""
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from engine.cases.errors import DomainError, RuleViolation, StateConflict
from engine.cases.listing import read_filters

from .lists import query_of
from .models import SavedFilter
from .pages import back_to_list


def saved_filter_create(*, user, view: str, name: str, query: str) -> SavedFilter:
    """Keep ``query`` (a list's query string) of ``view`` under ``name`` for ``user``."""
    name = (name or "").strip()
    if view not in SavedFilter.View.values:
        raise RuleViolation(_("Unknown list."), fields={"view": [_("Not a valid choice.")]})
    if not name or len(name) > SavedFilter._meta.get_field("name").max_length:
        raise RuleViolation(_("Give the filter a name of at most 60 characters."), fields={"name": [_("Required.")]})
    params = QueryDict(query or "")
    read_filters(params)  # a query the list would refuse is not kept
    query = query_of(params)
    with transaction.atomic():
        if SavedFilter.objects.select_for_update().filter(user=user).count() >= SavedFilter.MAX_PER_USER:
            raise StateConflict(_("You can keep at most %(n)d saved filters; delete one first.")
                                % {"n": SavedFilter.MAX_PER_USER}, code="saved_filters_full")
        try:
            with transaction.atomic():
                return SavedFilter.objects.create(user=user, view=view, name=name, query=query)
        except IntegrityError:
            raise StateConflict(_("You already have a saved filter with this name."),
                                code="saved_filter_name_taken") from None


def saved_filter_delete(*, user, pk) -> None:
    deleted, _rows = SavedFilter.objects.filter(user=user, pk=pk).delete()
    if not deleted:
        raise RuleViolation(_("No such saved filter."))


class SaveFilterView(LoginRequiredMixin, View):
    def post(self, request):
        try:
            item = saved_filter_create(user=request.user, view=request.POST.get("view", ""),
                                       name=request.POST.get("name", ""), query=request.POST.get("query", ""))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Filter “%(name)s” saved.") % {"name": item.name})
        return redirect(back_to_list(request))


class DeleteFilterView(LoginRequiredMixin, View):
    def post(self, request, pk):
        get_object_or_404(SavedFilter, user=request.user, pk=pk)
        saved_filter_delete(user=request.user, pk=pk)
        messages.success(request, _("Saved filter deleted."))
        return redirect(back_to_list(request))
