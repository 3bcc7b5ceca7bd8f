"""The portal page of the time bank: a volunteer's time account (balance, statement), the
catalogue with redemption, and giving hours to family when enabled (T7); an organization's
services and the redemptions waiting for its answer (T5–T6). Every form posts to a service."""
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from engine.directory import rights
from engine.directory.models import District, Organization
from engine.ui.pages import act, portal_url
from processes.certification.selectors import volunteer_for

from . import conf, selectors
from .models import Redemption
from .services.exchange import (
    hours_transfer,
    redeem,
    redemption_cancel,
    redemption_confirm,
    redemption_decline,
    service_publish,
    service_withdraw,
)

TITLE = gettext_lazy("Time bank")


def _back():
    return portal_url("timebank")


def portal_section(request):
    user = request.user
    volunteer = volunteer_for(user)
    org_ids = rights.organization_ids(user)
    ctx = {"request": request, "csrf_token": get_token(request), "volunteer": volunteer}
    if volunteer is None and not org_ids:
        return render_to_string("timebank/portal_none.html", ctx, request=request)
    if volunteer is not None:
        account = selectors.account_of(volunteer)
        ctx.update({
            "account": account, "held": selectors.held_hours(volunteer),
            "entries": list(selectors.statement(account)[:50]),
            "services": list(selectors.services(request.GET)[:30]),
            "my_redemptions": list(Redemption.objects.filter(volunteer=volunteer)
                                   .select_related("service", "provider").order_by("-created_at")[:30]),
            "transfer_enabled": conf.family_transfer_enabled(),
            "districts": list(District.objects.order_by("pk")), "q": request.GET.get("q", ""),
            "sort": request.GET.get("sort", ""), "district": request.GET.get("district", ""),
        })
    if org_ids:
        managed = rights.organization_ids(user, managers_only=True)
        ctx.update({
            "org_managed": list(Organization.objects.filter(pk__in=managed, status=Organization.Status.ACTIVE)
                                .order_by("name")),
            "org_services": list(selectors.services({}, active_only=False).filter(provider_id__in=org_ids)[:50]),
            "org_redemptions": list(Redemption.objects.filter(Q(provider_id__in=org_ids) | Q(handler_id__in=org_ids),
                                                              status=Redemption.Status.HELD)
                                    .select_related("service", "volunteer", "provider").order_by("due_at")[:50]),
            "org_done": list(Redemption.objects.filter(Q(provider_id__in=org_ids) | Q(handler_id__in=org_ids)).exclude(status=Redemption.Status.HELD)
                             .select_related("service", "volunteer", "provider").order_by("-decided_at", "-pk")[:20]),
            "all_districts": ctx.get("districts") or list(District.objects.order_by("pk")),
        })
    return render_to_string("timebank/portal_section.html", ctx, request=request)


def _where(redemption):
    return _("Redemption %(reference)s: %(status)s; the provider %(provider)s answers by %(due)s.") % {
        "reference": redemption.reference, "status": redemption.get_status_display(),
        "provider": redemption.provider.name, "due": redemption.due_at.strftime("%Y-%m-%d")}


@login_required
@require_POST
def portal_redeem(request, service_id):
    return act(request, lambda: redeem(actor=request.user, service_id=service_id, note=request.POST.get("note", "")),
               _where, back=_back())


@login_required
@require_POST
def portal_redemption(request, reference, action):
    reason = request.POST.get("reason", "")
    actions = {
        "confirm": (lambda: redemption_confirm(actor=request.user, reference=reference, reason=reason),
                    _("Delivery confirmed: the hours moved to your organization; the redemption is closed.")),
        "decline": (lambda: redemption_decline(actor=request.user, reference=reference, reason=reason),
                    _("Declined: the hours went back to the volunteer; the redemption is closed.")),
        "cancel": (lambda: redemption_cancel(actor=request.user, reference=reference, reason=reason),
                   _("Cancelled: the hours are back in your time account.")),
    }
    work, done = actions.get(action, (None, None))
    if work is None:
        raise Http404
    return act(request, work, done, back=_back())


@login_required
@require_POST
def portal_service_publish(request):
    p = request.POST
    return act(request, lambda: service_publish(
        actor=request.user, provider_id=p.get("provider") if str(p.get("provider", "")).isdigit() else 0,
        title=p.get("title", ""), hours=p.get("hours"), description=p.get("description", ""),
        district=p.get("district") or None),
        lambda s: _("Published: “%(title)s” is in the time bank's catalogue.") % {"title": s.title}, back=_back())


@login_required
@require_POST
def portal_service_withdraw(request, service_id):
    return act(request, lambda: service_withdraw(actor=request.user, service_id=service_id),
               _("Withdrawn: the service is no longer offered."), back=_back())


@login_required
@require_POST
def portal_transfer(request):
    p = request.POST
    return act(request, lambda: hours_transfer(
        actor=request.user, to_volunteer_number=p.get("to_volunteer_number", ""),
        to_id_number=p.get("to_id_number", ""), hours=p.get("hours"), relationship=p.get("relationship", "")),
        _("The hours were given to your family member."), back=_back())
