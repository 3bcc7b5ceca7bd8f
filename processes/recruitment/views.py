"""Pages of the recruitment process outside the portal's own card: the public list of open
recruitments and a recruitment's page (anyone may read an open one; a volunteer signs up or
answers an emergency call there; a manager of the organization selects, registers people on
the spot, closes or cancels), the publish form, and the staff workbench's list. Every button
posts to a service (``engine.ui.pages.act``)."""
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from engine.cases.errors import DomainError
from engine.cases.registry import staff_references
from engine.directory import rights
from engine.directory.models import District
from engine.ui.pages import WorkbenchApplication, act, refusal_on_form
from processes.certification.models import Activity
from processes.certification.selectors import volunteer_for

from . import selectors
from .models import ActivityType, EmergencyCall, Recruitment, SignUp, Skill
from .services.emergency import call_answer
from .services.recruitments import recruitment_cancel, recruitment_close, recruitment_publish
from .services.signups import signup_create, signup_decline, signup_on_spot, signup_select, signup_withdraw

SORT_LABELS = {"start": gettext_lazy("Starting soonest"), "-start": gettext_lazy("Starting latest"),
               "-created": gettext_lazy("Newest first"), "title": gettext_lazy("Title")}


def _filters(params) -> dict:
    return {key: (params.get(key) or "").strip()[:100] for key in ("q", "district", "skill", "date", "kind", "sort")}


def public_list(request):
    """Open recruitments for anyone (seed 二(一)): search, filter by district, skill, day and
    kind, sort; a page at a time."""
    chosen = _filters(request.GET)
    day = parse_date(chosen["date"]) if chosen["date"] else None
    qs = selectors.open_recruitments(q=chosen["q"], district=chosen["district"], skill=chosen["skill"], day=day,
                                     kind=chosen["kind"], sort=chosen["sort"] or "start")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "recruitment/list.html", {
        "page_obj": page, "chosen": chosen, "filters": urlencode({k: v for k, v in chosen.items() if v}),
        "districts": list(District.objects.order_by("code").values_list("code", "name")),
        "skills": list(Skill.objects.values_list("name", flat=True)), "kinds": Recruitment.Kind.choices,
        "sorts": list(SORT_LABELS.items())})


def _manages(user, recruitment) -> bool:
    return user.is_authenticated and recruitment.activity.organization_id in rights.organization_ids(
        user, managers_only=True)


def detail(request, pk):
    """A recruitment's page: open ones for anyone, others for its organization's members and
    department staff and the volunteers who signed up or were called."""
    recruitment = selectors.with_slots(Recruitment.objects.filter(pk=pk)).first()
    if recruitment is None:
        raise Http404(_("No such recruitment."))
    user = request.user
    volunteer = volunteer_for(user)
    manages = _manages(user, recruitment)
    mine = list(SignUp.objects.filter(slot__recruitment=recruitment, volunteer=volunteer).select_related("slot")
                ) if volunteer else []
    call = EmergencyCall.objects.filter(recruitment=recruitment, volunteer=volunteer).first() if volunteer else None
    member = user.is_authenticated and recruitment.activity.organization_id in rights.organization_ids(user)
    staff = user.is_authenticated and (user.is_superuser or rights.is_staff_of_any(user))
    if recruitment.status != Recruitment.Status.OPEN and not (member or staff or mine or call):
        raise Http404(_("No such recruitment."))
    ctx = {"r": recruitment, "volunteer": volunteer, "manages": manages, "mine": mine, "call": call,
           "mine_slots": {s.slot_id: s for s in mine if s.status in SignUp.ACTIVE},
           "window_open": recruitment.answer_by is None or timezone.now() <= recruitment.answer_by}
    if manages:
        ctx["signups"] = list(selectors.recruitment_signups(recruitment))
        ctx["counts"] = selectors.call_counts(recruitment) if recruitment.kind == Recruitment.Kind.EMERGENCY else None
    return render(request, "recruitment/detail.html", ctx)


def _back(pk):
    return reverse("recruitment:detail", args=[pk])


@login_required
@require_POST
def slot_sign_up(request, pk, slot_id):
    def done(signup):
        if signup.status == SignUp.Status.WAITLISTED:
            return _("All places are taken: you are on the wait-list and will be told when a place frees.")
        return _("You are signed up; the organization will tell you whether you are selected.")
    return act(request, lambda: signup_create(actor=request.user, slot_id=slot_id), done, back=_back(pk))


@login_required
@require_POST
def answer(request, pk):
    choice = request.POST.get("answer", "")

    def done(call):
        if call.answer == EmergencyCall.Answer.YES:
            return _("Thank you: you are signed up; the organization will tell you whether you are selected.")
        return _("Your answer is recorded.")
    return act(request, lambda: call_answer(actor=request.user, recruitment_id=pk, answer=choice), done,
               back=_back(pk))


@login_required
@require_POST
def signup_action(request, pk, signup_id, action):
    actions = {
        "select": (lambda: signup_select(actor=request.user, signup_id=signup_id),
                   _("Selected; the volunteer is told and may sign in at the activity.")),
        "decline": (lambda: signup_decline(actor=request.user, signup_id=signup_id,
                                           reason=request.POST.get("reason", "")),
                    _("Not selected; the volunteer is told and the place goes to the first on the wait-list.")),
        "withdraw": (lambda: signup_withdraw(actor=request.user, signup_id=signup_id),
                     _("Your sign-up is withdrawn.")),
    }
    if action not in actions:
        raise Http404(_("No such page."))
    work, done = actions[action]
    return act(request, work, done, back=_back(pk))


@login_required
@require_POST
def on_spot(request, pk, slot_id):
    post = request.POST
    return act(request, lambda: signup_on_spot(
        actor=request.user, slot_id=slot_id, consent_note=post.get("consent_note", ""),
        volunteer_key=post.get("volunteer_number", ""), id_number=post.get("id_number", ""),
        real_name=post.get("real_name", ""), phone=post.get("phone", "")),
        _("Registered and selected on the spot, with the consent recorded."), back=_back(pk))


@login_required
@require_POST
def recruitment_action(request, pk, action):
    actions = {
        "close": (lambda: recruitment_close(actor=request.user, recruitment_id=pk),
                  _("The recruitment is closed to new sign-ups; you can still select among those signed up.")),
        "cancel": (lambda: recruitment_cancel(actor=request.user, recruitment_id=pk,
                                              reason=request.POST.get("reason", "")),
                   _("The recruitment is cancelled; everyone signed up is told.")),
    }
    if action not in actions:
        raise Http404(_("No such page."))
    work, done = actions[action]
    return act(request, work, done, back=_back(pk))


class PublishForm(forms.Form):
    activity = forms.ModelChoiceField(queryset=Activity.objects.none(), label=gettext_lazy("Activity"))
    title = forms.CharField(max_length=128, label=gettext_lazy("Title"))
    description = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  label=gettext_lazy("Description"))
    kind = forms.ChoiceField(choices=Recruitment.Kind.choices, label=gettext_lazy("Kind"))
    mode = forms.ChoiceField(choices=Recruitment.Mode.choices, label=gettext_lazy("Mode"))
    district = forms.ModelChoiceField(queryset=District.objects.order_by("code"), required=False,
                                      label=gettext_lazy("District"))
    place = forms.CharField(max_length=128, label=gettext_lazy("Place"))
    skills = forms.ModelMultipleChoiceField(queryset=Skill.objects.all(), required=False,
                                            label=gettext_lazy("Skills"))
    activity_type = forms.ModelChoiceField(queryset=ActivityType.objects.all(), required=False,
                                           label=gettext_lazy("Activity type"))
    min_age = forms.IntegerField(min_value=0, max_value=150, required=False, label=gettext_lazy("Minimum age"))
    max_age = forms.IntegerField(min_value=0, max_value=150, required=False, label=gettext_lazy("Maximum age"))
    risk = forms.ChoiceField(choices=Recruitment.Risk.choices, label=gettext_lazy("Risk level"))
    places = forms.IntegerField(min_value=1, max_value=10000, label=gettext_lazy("Number of people"))
    start_at = forms.DateTimeField(required=False, label=gettext_lazy("Time slot starts"),
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                   help_text=gettext_lazy("Empty: the activity's start."))
    end_at = forms.DateTimeField(required=False, label=gettext_lazy("Time slot ends"),
                                 widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                 help_text=gettext_lazy("Empty: the activity's end."))


@login_required
def publish(request):
    """A manager publishes a recruitment for one of the organization's coming activities."""
    orgs = rights.organization_ids(request.user, managers_only=True)
    if not orgs:
        raise Http404(_("No such page."))
    form = PublishForm(request.POST or None)
    form.fields["activity"].queryset = (Activity.objects.filter(
        organization_id__in=orgs, category=Activity.Category.SERVICE, end_at__gt=timezone.now(),
        recruitment__isnull=True).select_related("organization").order_by("start_at"))
    if request.method == "POST" and form.is_valid():
        v = form.cleaned_data
        activity = v["activity"]
        try:
            recruitment = recruitment_publish(
                actor=request.user, activity=activity, title=v["title"], place=v["place"], kind=v["kind"],
                mode=v["mode"], description=v["description"], district=v["district"], skills=list(v["skills"]),
                min_age=v["min_age"], max_age=v["max_age"], risk=v["risk"], activity_type=v["activity_type"],
                slots=[{"start_at": v["start_at"] or activity.start_at, "end_at": v["end_at"] or activity.end_at,
                        "places": v["places"]}])
        except DomainError as exc:
            refusal_on_form(form, exc)
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The recruitment is published; volunteers can sign up on its page."))
            return redirect("recruitment:detail", recruitment.pk)
    return render(request, "recruitment/publish.html", {"form": form})


# --- staff workbench --------------------------------------------------------------------

class RecruitmentListView(LoginRequiredMixin, TemplateView):
    """Recruitments of every organization, for department staff: searched, filtered by status
    and kind, sorted, with places offered and taken."""

    template_name = "recruitment/workbench.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        chosen = {k: (params.get(k) or "").strip()[:100] for k in ("q", "status", "kind", "sort")}
        qs = Recruitment.objects.select_related("activity__organization", "district").annotate(
            selected=Count("slots__signups", filter=Q(slots__signups__status=SignUp.Status.SELECTED)),
            holding=Count("slots__signups", filter=Q(slots__signups__status__in=SignUp.HOLDING)),
            waiting=Count("slots__signups", filter=Q(slots__signups__status=SignUp.Status.WAITLISTED)))
        for word in chosen["q"].split()[:5]:
            qs = qs.filter(Q(title__icontains=word) | Q(activity__organization__name__icontains=word)
                           | Q(reference__icontains=word))
        if chosen["status"] in Recruitment.Status.values:
            qs = qs.filter(status=chosen["status"])
        if chosen["kind"] in Recruitment.Kind.values:
            qs = qs.filter(kind=chosen["kind"])
        order = {"created": ("created_at", "pk"), "title": ("title", "pk")}.get(chosen["sort"], ("-created_at", "-pk"))
        page = Paginator(qs.order_by(*order), 20).get_page(params.get("page"))
        return {**super().get_context_data(**kwargs), "page_obj": page, "chosen": chosen,
                "case_pages": staff_references(self.request.user, page.object_list),
                "filters": urlencode({k: v for k, v in chosen.items() if v}),
                "statuses": Recruitment.Status.choices, "kinds": Recruitment.Kind.choices,
                "sorts": [("-created", _("Newest first")), ("created", _("Oldest first")), ("title", _("Title"))]}


class WorkbenchApp(WorkbenchApplication):
    """Recruitment and training: the list of recruitments for staff."""

    title = gettext_lazy("Recruitment and training")
    icon = "group_add"
    app_name = "recruitments"
    menu_links = (
        ("recruitments:index", "group_add", gettext_lazy("Recruitments")),
        ("recruitment:list", "public", gettext_lazy("Public list of recruitments")),
    )

    index_path = path("", RecruitmentListView.as_view(), name="index")
