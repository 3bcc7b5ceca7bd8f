"""The portal page of the recruitment process: for a volunteer, the emergency calls waiting for
an answer, their sign-ups and their skills and availability; for an organization's manager, its
recruitments with places taken and answers counted, and the link to publish one."""
from django.contrib.auth.decorators import login_required
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from engine.directory import rights
from engine.ui.pages import act, portal_url
from processes.certification.selectors import volunteer_for

from . import selectors
from .models import Skill, VolunteerProfile
from .services.profiles import profile_save

TITLE = gettext_lazy("Recruitment and training")


def portal_applies(user) -> bool:
    return volunteer_for(user) is not None or bool(rights.organization_ids(user, managers_only=True))


def portal_section(request):
    user = request.user
    volunteer = volunteer_for(user)
    orgs = rights.organization_ids(user, managers_only=True)
    if volunteer is None and not orgs:
        return ""
    ctx = {"request": request, "csrf_token": get_token(request), "volunteer": volunteer, "now": timezone.now()}
    if volunteer is not None:
        ctx["calls"] = list(selectors.my_calls(volunteer))
        ctx["signups"] = list(selectors.my_signups(volunteer)[:50])
        profile = VolunteerProfile.objects.filter(volunteer=volunteer).prefetch_related("skills").first()
        ctx["profile"] = profile
        ctx["my_skills"] = {s.pk for s in profile.skills.all()} if profile else set()
        ctx["skills"] = list(Skill.objects.all())
    if orgs:
        ctx["recruitments"] = list(selectors.managed_recruitments(user)[:50])
    return render_to_string("recruitment/portal_section.html", ctx, request=request)


@login_required
@require_POST
def portal_profile(request):
    skills = list(Skill.objects.filter(pk__in=[v for v in request.POST.getlist("skills") if v.isdigit()]))
    return act(request, lambda: profile_save(actor=request.user, skills=skills,
                                             emergency_available=request.POST.get("emergency_available") == "on"),
               _("Your skills and availability are saved; emergency calls that match them will reach you."),
               back=portal_url("recruitment"))
