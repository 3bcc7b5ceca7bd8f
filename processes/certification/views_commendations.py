"""The workbench page of departments' commendations (通报表扬, seed 二(四), CM1/CM2): the list
(search, filters, sorting, pages), the form to commend a volunteer (by volunteer number) or an
organization (by name), and revocation with a reason. Every form posts to a service."""
from datetime import date

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from engine.cases.errors import RuleViolation
from engine.directory.models import Organization
from engine.ui.pages import act_on

from .models import Volunteer
from .selectors import commendations_visible_to
from .services.commendations import commendation_create, commendation_revoke, commending_departments

SORTS = {"date": ("commended_on", "pk"), "-date": ("-commended_on", "-pk"), "title": ("title", "pk")}


def _day(raw):
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        raise RuleViolation(_("Enter a valid date."), fields={"commended_on": [_("Enter a valid date.")]}) from None


class CommendationListView(LoginRequiredMixin, TemplateView):
    """Commendations the user's departments made (and, for a portal user, those of themself or
    their organization); staff and heads of a department commend and revoke here."""

    template_name = "certification/commendations.html"

    def get_context_data(self, **kwargs):
        user, params = self.request.user, self.request.GET
        qs = commendations_visible_to(user).select_related("department", "volunteer", "organization")
        q = params.get("q", "").strip()[:100]
        if q:
            qs = qs.filter(Q(title__icontains=q) | Q(volunteer__real_name__icontains=q)
                           | Q(organization__name__icontains=q) | Q(document_number__icontains=q))
        state = params.get("state", "")
        if state == "standing":
            qs = qs.filter(revoked_at__isnull=True)
        elif state == "revoked":
            qs = qs.filter(revoked_at__isnull=False)
        subject = params.get("subject", "")
        if subject == "volunteer":
            qs = qs.filter(volunteer__isnull=False)
        elif subject == "organization":
            qs = qs.filter(organization__isnull=False)
        sort = params.get("sort") if params.get("sort") in SORTS else "-date"
        page = Paginator(qs.order_by(*SORTS[sort]), 20).get_page(params.get("page"))
        departments = list(commending_departments(user))
        query = params.copy()
        query.pop("page", None)
        return {**super().get_context_data(**kwargs), "page_obj": page, "q": q, "state": state, "subject": subject,
                "sort": sort, "departments": departments, "may_revoke": {d.pk for d in departments},
                "query": query.urlencode(), "today": timezone.localdate().isoformat()}

    def post(self, request, *args, **kwargs):
        data = request.POST
        return act_on(request, {
            "create": (lambda: self._create(data),
                       lambda c: _("Commendation recorded; %(name)s has been told.") % {"name": c.subject_name}),
            "revoke": (lambda: commendation_revoke(actor=request.user, commendation=_int(data.get("commendation")),
                                                   reason=data.get("reason", "")),
                       _("Commendation revoked; it no longer shows in the portal or on new certificates.")),
        })

    def _create(self, data):
        departments = {d.pk: d for d in commending_departments(self.request.user)}
        department = departments.get(_int(data.get("department")))
        if department is None:
            raise RuleViolation(_("Choose your department."), fields={"department": [_("Required.")]})
        volunteer = organization = None
        number, name = data.get("volunteer_number", "").strip().upper(), data.get("organization_name", "").strip()
        if number:
            volunteer = Volunteer.objects.filter(volunteer_number=number).first()
            if volunteer is None:
                raise RuleViolation(_("No volunteer has this volunteer number."))
        if name:
            organization = Organization.objects.filter(name=name).first()
            if organization is None:
                raise RuleViolation(_("No organization has this name."))
        return commendation_create(actor=self.request.user, department=department, volunteer=volunteer,
                                   organization=organization, title=data.get("title", ""),
                                   reason=data.get("reason", ""), commended_on=_day(data.get("commended_on")),
                                   document_number=data.get("document_number", ""))


def _int(raw) -> int:
    try:
        return int(raw or 0)
    except (TypeError, ValueError):
        return 0
