"""What the pages of every process share, so that a reader who knows one process's pages knows
the others: the workbench application and its menu, the case list, and the one way a page
runs a service for a button (the service decides; the page says what happened and goes back).
"""
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View
from django.views.generic import TemplateView
from viewflow.urls import Application

from engine.cases.actions import open_routes_for_case
from engine.cases.errors import DomainError
from engine.cases.models import Case, TaskRoute
from engine.cases.search import matching
from engine.directory import rights

PAGE_SIZE = 20


class WorkbenchApplication(Application):
    """An area of the staff workbench. Its menu lists ``menu_links`` — ``(url name, icon,
    label)`` — instead of viewflow's default menu, which lists viewsets and, finding none,
    prints an English error."""

    menu_template_name = "ui/app_menu.html"
    menu_links: tuple = ()


CASE_SORTS = {
    "-created": ("-created_at", "-pk"), "created": ("created_at", "pk"),
    "reference": ("reference", "pk"), "-reference": ("-reference", "-pk"),
    "status": ("status", "-created_at", "-pk"),
}
CASE_SORT_LABELS = {
    "-created": gettext_lazy("Newest first"), "created": gettext_lazy("Oldest first"),
    "reference": gettext_lazy("Reference, ascending"), "-reference": gettext_lazy("Reference, descending"),
    "status": pgettext_lazy("sort", "Status"),
}


class CaseListView(LoginRequiredMixin, TemplateView):
    """A process's cases in its workbench: searched (``q``: words of the reference, title,
    organization or volunteer name, through the task routes' search key), filtered by status,
    sorted by a whitelisted key (``CASE_SORTS``), a page at a time, each with the badge of its
    status. Subclasses say which cases the user sees (``cases``)."""

    statuses: tuple = ()
    badges: dict = {}

    def cases(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        params = self.request.GET
        status, q, sort = params.get("status", ""), params.get("q", "").strip(), params.get("sort", "")
        qs = self.cases()
        if status:
            qs = qs.filter(status=status)
        if q:
            # a case is found through its routes' search key (indexed), or by its own reference
            found = TaskRoute.objects.filter(matching(q)).values("reference")
            qs = qs.filter(Q(reference__in=found) | Q(reference__icontains=q))
        if sort in CASE_SORTS:
            qs = qs.order_by(*CASE_SORTS[sort])
        page = Paginator(qs, PAGE_SIZE).get_page(params.get("page"))
        for case in page:
            case.badge = self.badges.get(case.status, "")
        return {**super().get_context_data(**kwargs), "page_obj": page, "statuses": self.statuses,
                "status": status, "q": q, "sort": sort, "case_sorts": CASE_SORT_LABELS,
                "filters": urlencode({k: v for k, v in (("status", status), ("q", q), ("sort", sort)) if v})}


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


def case_whereabouts(case) -> str:
    """Where ``case`` went after an action, for the message that follows it: the queues (or
    people) its open tasks wait with, e.g. "Sent to the 郑州市财政局 reviewer queue", else that
    it is closed, else its status (waiting for the applicant, for instance)."""
    routes = list(open_routes_for_case(case).select_related("department", "owner").order_by("pk"))
    places = []
    for route in routes:
        if route.personal and route.owner_id:
            place = _("Sent to %(person)s") % {"person": route.owner.display_name}
        else:
            place = _("Sent to the %(department)s %(role)s queue") % {
                "department": route.department.name, "role": route.get_role_display()}
        if place not in places:
            places.append(place)
    if places:
        return _("; ").join(places) + _(".")
    if case.is_final:
        return _("The case is closed (%(status)s).") % {"status": case.get_status_display()}
    return _("The case is now: %(status)s.") % {"status": case.get_status_display()}


def said_with_whereabouts(text, result) -> str:
    """``text`` followed by where the case went, when ``result`` is a case."""
    if isinstance(result, Case):
        # two sentences: a space between them in English, none in Chinese
        return _("%(done)s %(whereabouts)s") % {"done": text, "whereabouts": case_whereabouts(result)}
    return str(text)


def act(request, work, done, *, back=None):
    """Run ``work()`` (one service call) for a button: on success say ``done`` (a text, or a
    function of what ``work`` returned) and, when the service returned a case, where the case
    went (``case_whereabouts``); on a refusal the service's own message; then back to ``back``
    (a URL, a URL name or a model with ``get_absolute_url``), else the same page."""
    try:
        result = work()
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, said_with_whereabouts(done(result) if callable(done) else done, result))
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


def back_to_list(request) -> str:
    """The list the user came from (``back``, a path on this site), else the department queue
    for someone who works one, else their tasks: the work, not an empty page."""
    back = request.POST.get("back") or request.GET.get("back") or ""
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return reverse("tasks:queue") if rights.queue_keys(request.user) else reverse("tasks:inbox")


def portal_url(section: str = "") -> str:
    """The portal: one process's page (``/portal/<process>/``), or the overview."""
    return reverse("portal:section", args=[section]) if section else reverse("portal:index")
