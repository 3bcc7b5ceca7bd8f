"""What the pages of every process share, so that a reader who knows one process's pages knows
the others: the workbench application and its menu, the case list, and the one way a page
runs a service for a button (the service decides; the page says what happened and goes back).
"""
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from viewflow.urls import Application

from engine.cases.errors import DomainError

PAGE_SIZE = 20


class WorkbenchApplication(Application):
    """An area of the staff workbench. Its menu lists ``menu_links`` — ``(url name, icon,
    label)`` — instead of viewflow's default menu, which lists viewsets and, finding none,
    prints an English error."""

    menu_template_name = "ui/app_menu.html"
    menu_links: tuple = ()


class CaseListView(LoginRequiredMixin, TemplateView):
    """A process's cases in its workbench: filtered by status, a page at a time, each with the
    badge of its status. Subclasses say which cases the user sees (``cases``)."""

    statuses: tuple = ()
    badges: dict = {}

    def cases(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", "")
        qs = self.cases()
        if status:
            qs = qs.filter(status=status)
        page = Paginator(qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        for case in page:
            case.badge = self.badges.get(case.status, "")
        return {**super().get_context_data(**kwargs), "page_obj": page, "statuses": self.statuses,
                "status": status, "filters": urlencode({"status": status})}


class CaseFileView(LoginRequiredMixin, View):
    """One case's file in its process's workbench, found by reference among the cases the user
    may see (``visible_cases``); any other reference is a 404, whether or not it exists."""

    not_found = gettext_lazy("No such case.")

    def visible_cases(self, user):
        raise NotImplementedError

    def get_case(self, request, reference):
        case = self.visible_cases(request.user).filter(reference=reference).first()
        if case is None:
            raise Http404(self.not_found)
        return case


def act(request, work, done, *, back=None):
    """Run ``work()`` (one service call) for a button: on success say ``done`` (a text, or a
    function of what ``work`` returned), on a refusal the service's own message; then back to
    ``back`` (a URL, a URL name or a model with ``get_absolute_url``), else the same page."""
    try:
        result = work()
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, done(result) if callable(done) else done)
    return redirect(back or request.path)


def act_on(request, actions: dict, *, back=None):
    """The page's buttons: the posted ``action`` names one ``(work, done)`` of ``actions``,
    run by ``act``; an action the page does not have changes nothing."""
    chosen = actions.get(request.POST.get("action"))
    if chosen is None:
        messages.error(request, _("Unknown action."))
        return redirect(back or request.path)
    work, done = chosen
    return act(request, work, done, back=back)


def refusal_on_form(form, exc: DomainError):
    """Put a service's refusal of a form's content at the fields it names (the page shows the
    message itself; fields the form does not have stay in the message)."""
    for field, errors in (exc.fields or {}).items():
        if field in form.fields:
            for error in errors:
                form.add_error(field, str(error))


def portal_url(section: str = "") -> str:
    """The portal: one process's page (``/portal/<process>/``), or the overview."""
    return reverse("portal:section", args=[section]) if section else reverse("portal:index")
