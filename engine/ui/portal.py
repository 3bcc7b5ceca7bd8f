"""The portal of organizations and volunteers: an overview, one page per process (its
``portal_section``) and the account, with a menu that folds away on a phone.

Each process's page has its own address, ``/portal/<process>/``; the forms of a process's page
come back to it (``engine.ui.pages.portal_url``).
"""
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.directory.models import OrganizationMember
from engine.processes import process_config, process_configs

OVERVIEW, ACCOUNT = "overview", "account"


@dataclass
class PortalPage:
    key: str
    title: str
    url: str


def _pages(user) -> list[PortalPage]:
    """The menu: overview, each process that applies to the user, account."""
    processes = [PortalPage(c.process_name, str(c.portal_title()), reverse("portal:section", args=[c.process_name]))
                 for c in process_configs() if c.portal_applies(user)]
    return [PortalPage(OVERVIEW, str(gettext_lazy("Overview")), reverse("portal:index")), *processes,
            PortalPage(ACCOUNT, str(gettext_lazy("My account")), reverse("portal:account"))]


def _render(request, template, current, **context):
    pages = _pages(request.user)
    title = next((p.title for p in pages if p.key == current), "")
    return render(request, template, {"portal_pages": pages, "current": current, "page_title": title, **context})


@login_required
def index(request):
    """What the user has in the system: their organizations and a way into each page."""
    organizations = request.user.organizations.select_related("supervising_department").all()
    return _render(request, "ui/portal_overview.html", OVERVIEW, organizations=organizations)


@login_required
def section(request, process):
    """One process's part of the portal."""
    config = process_config(process)
    if config is None:
        raise Http404(_("No such page."))
    return _render(request, "ui/portal_section.html", process, section=config.portal_section(request))


@login_required
def account(request):
    """The user's own details, the organizations they act for and the language of the pages."""
    memberships = (OrganizationMember.objects.filter(user=request.user)
                   .select_related("organization").order_by("organization__name"))
    return _render(request, "ui/portal_account.html", ACCOUNT, memberships=memberships)
