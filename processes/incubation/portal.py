"""The organization's view of its incubation applications in the portal, and its actions."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from engine.cases.errors import DomainError
from engine.cases.models import TaskRoute
from engine.directory import rights
from engine.directory.models import Department, Organization
from engine.documents.policy import policy_for
from engine.documents.services import discard_stored, document_upload
from engine.ui.pages import act, portal_url

from . import services
from .documents import APPLY_KINDS
from .models import IncubationApplication, Status
from .reminders import agreement_due, returned_at, supplements_due

TITLE = gettext_lazy("My incubation applications")


def portal_applies(user) -> bool:
    """Organizations apply for incubation; a volunteer has nothing here."""
    return bool(rights.organization_ids(user))


BADGES = {
    Status.RETURNED: "warn", Status.WAITLISTED: "warn", Status.EXTENDED: "warn",
    Status.GRADUATED: "ok", Status.INCUBATING: "ok", Status.AGREEMENT: "ok",
    Status.REJECTED: "bad", Status.EXITED: "bad", Status.WITHDRAWN: "bad",
}


def _applications(user):
    org_ids = rights.organization_ids(user)
    apps = list(IncubationApplication.objects.filter(organization_id__in=org_ids)
                .select_related("organization", "department").prefetch_related("milestones")
                .order_by("-created_at", "-pk"))
    steps = {}
    routes = TaskRoute.objects.open().filter(reference__in=[a.reference for a in apps]).select_related("department")
    for route in routes:
        steps.setdefault(route.reference, []).append(route)
    for a in apps:
        a.badge = BADGES.get(a.status, "")
        a.open_steps = steps.get(a.reference, [])
        a.milestone_list = list(a.milestones.all())
    _with_due_dates(apps)
    return apps


def _with_due_dates(apps):
    """The organization's own deadlines (I1 supplements, I4 agreement), the ones it is reminded of."""
    returned = returned_at([a for a in apps if a.status == Status.RETURNED])
    for a in apps:
        a.due = None
        if a.reference in returned:
            a.due = supplements_due(returned[a.reference])
        elif a.status == Status.AGREEMENT and a.agreement_offered_at and not a.agreement_accepted_at:
            a.due = agreement_due(a)


def portal_section(request):
    """HTML card for /portal/: the user's organizations' applications and where each stands."""
    org_ids = rights.organization_ids(request.user)
    if not org_ids:
        return ""
    applications = _applications(request.user)
    busy = {a.organization_id for a in applications if a.status not in IncubationApplication.FINAL_STATES}
    return render_to_string("incubation/portal_section.html", {
        "applications": applications, "can_apply": bool(set(org_ids) - busy)}, request=request)


def _own(request, reference):
    return IncubationApplication.objects.filter(
        reference=reference, organization_id__in=rights.organization_ids(request.user)).first()


def _act(request, reference, func, done):
    case = _own(request, reference)
    if case is None:
        messages.error(request, _("No such incubation application."))
        return redirect(portal_url("incubation"))
    return act(request, lambda: func(actor=request.user, application=case), done, back=portal_url("incubation"))


def _button(service, done):
    """A portal button that runs one service on the organization's own application."""

    @login_required
    @require_POST
    def view(request, reference):
        return _act(request, reference, service, done)

    return view


@login_required
def documents(request, reference):
    """One application's documents in the portal: the list with versions, and the upload and
    replace forms the organization may use (I1). A page of its own, so the portal's list costs
    the same however many applications an organization has."""
    case = _own(request, reference)
    if case is None:
        raise Http404(_("No such incubation application."))
    return render(request, "incubation/portal_documents.html", {"case": case})


submit = _button(services.application_submit, gettext_lazy("Submitted; waiting for the incubation base's intake check."))
withdraw = _button(services.application_withdraw, gettext_lazy("Application withdrawn."))
accept_agreement = _button(services.agreement_accept, gettext_lazy("Incubation agreement accepted; incubation has begun."))


@login_required
@require_POST
def self_evaluation(request, reference):
    text = request.POST.get("text", "")
    return _act(request, reference, lambda actor, application: services.self_evaluation_submit(
        actor=actor, application=application, text=text), _("Graduation self-evaluation submitted."))


@login_required
@require_POST
def update(request, reference):
    """Correct a draft or supplement a returned application (I1), and optionally (re)submit it
    in the same transaction: a refused submission keeps nothing of the edit."""
    plan = request.POST.get("plan", "")
    # names typed by hand (applications from before uploads); the form now uploads files instead
    documents = request.POST["documents"].splitlines() if "documents" in request.POST else None

    def change(actor, application):
        with transaction.atomic():
            case = services.application_update(actor=actor, application=application, plan=plan, documents=documents)
            if request.POST.get("submit"):
                services.application_submit(actor=actor, application=case)

    done = (_("Documents supplied and resubmitted; waiting for the incubation base's intake check.")
            if request.POST.get("submit") else _("Application documents saved."))
    return _act(request, reference, change, done)


@login_required
def apply(request):
    """Draft (and optionally submit) an application for one of the user's organizations (I1)."""
    busy = IncubationApplication.objects.exclude(status__in=IncubationApplication.FINAL_STATES).values(
        "organization_id")
    # only organizations that may apply now: active, and without an application in progress
    organizations = Organization.objects.filter(
        pk__in=rights.organization_ids(request.user), status=Organization.Status.ACTIVE).exclude(pk__in=busy)
    bases = Department.objects.filter(kind=Department.Kind.INCUBATION_BASE, is_active=True).order_by("code")
    policy = policy_for(IncubationApplication.PROCESS_NAME)
    ctx = {"organizations": organizations, "bases": bases, "plan": "",
           "upload_kinds": [(f"files_{k}", policy.label(k)) for k in APPLY_KINDS]}
    if request.method == "POST":
        ctx.update(plan=request.POST.get("plan", ""))
        uploaded = []
        try:
            with transaction.atomic():  # a refused submission leaves no draft (and no file) behind
                case = services.application_create(
                    actor=request.user, organization=organizations.get(pk=request.POST.get("organization")),
                    base=bases.get(pk=request.POST.get("base")), plan=ctx["plan"],
                    documents=request.POST.get("documents", "").splitlines())
                for kind in APPLY_KINDS:
                    files = request.FILES.getlist(f"files_{kind}")
                    if files:
                        uploaded += document_upload(actor=request.user, case=case, kind=kind, files=files)
                if request.POST.get("submit"):
                    services.application_submit(actor=request.user, application=case)
            done = (_("Incubation application %(reference)s submitted.") if request.POST.get("submit")
                    else _("Incubation application %(reference)s saved."))
            messages.success(request, done % {"reference": case.reference})
            return redirect(portal_url("incubation"))
        except (Organization.DoesNotExist, Department.DoesNotExist, ValueError):
            discard_stored(uploaded)
            ctx["error"] = _("Choose an organization and an incubation base.")
        except DomainError as exc:
            discard_stored(uploaded)
            ctx["error"] = str(exc.message)
    return render(request, "incubation/apply.html", ctx)
