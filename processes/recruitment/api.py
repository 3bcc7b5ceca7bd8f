"""API v1 of the recruitment process (seed 二(一), 二(二)): recruitments, their slots and
sign-ups, emergency calls and their live count, a volunteer's skills and availability."""
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status

from engine.api.generic import ListView, ProcessView, referenced_or_400, valid, visible_or_404
from engine.cases.errors import NotFound
from engine.directory import rights
from engine.directory.models import District
from processes.certification.models import Activity
from processes.certification.selectors import volunteer_for

from . import selectors
from . import serializers as s
from .models import ActivityType, EmergencyCall, Recruitment, SignUp, Skill, VolunteerProfile
from .services.emergency import call_answer
from .services.profiles import profile_save
from .services.recruitments import recruitment_cancel, recruitment_close, recruitment_publish
from .services.signups import signup_create, signup_decline, signup_on_spot, signup_select, signup_withdraw


class _Managed:
    # the caller's own organizations' objects are shown unmasked

    def serializer_context(self) -> dict:
        return {**super().serializer_context(), "org_ids": rights.organization_ids(self.request.user)}


class RecruitmentList(ListView):
    """Open recruitments and those of the caller's organizations; ``q``, ``district`` (code),
    ``skill``, ``kind`` and ``status`` narrow the list. POST publishes a recruitment for an
    activity of the caller's organization; an emergency one is pushed to matching volunteers."""

    serializer_class = s.RecruitmentSerializer

    def visible(self, user):
        return selectors.visible_recruitments(user)

    def filter(self, queryset, params):
        q = (params.get("q") or "")[:100]
        for word in q.split()[:5]:
            queryset = queryset.filter(title__icontains=word)
        if params.get("district"):
            queryset = queryset.filter(district__code=params["district"][:12])
        if params.get("skill"):
            queryset = queryset.filter(skills__name=params["skill"][:64])
        if params.get("kind") in Recruitment.Kind.values:
            queryset = queryset.filter(kind=params["kind"])
        if params.get("status") in Recruitment.Status.values:
            queryset = queryset.filter(status=params["status"])
        return selectors.with_slots(queryset.distinct()).order_by("-created_at", "-pk")

    @extend_schema(request=s.RecruitmentCreateSerializer, responses={201: s.RecruitmentSerializer})
    def post(self, request):
        v = dict(valid(s.RecruitmentCreateSerializer, request))
        activity = referenced_or_400(Activity.objects, "activity", _("No such activity."), pk=v.pop("activity"))
        code = v.pop("district")
        district = referenced_or_400(District.objects, "district", _("No such district."), code=code) if code else None
        names = v.pop("skills")
        skills = list(Skill.objects.filter(name__in=names))
        if len(skills) != len(set(names)):
            referenced_or_400(Skill.objects.none(), "skills", _("Unknown skill."))
        type_id = v.pop("activity_type")
        activity_type = (referenced_or_400(ActivityType.objects, "activity_type", _("No such activity type."), pk=type_id)
                         if type_id else None)
        recruitment = recruitment_publish(actor=request.user, activity=activity, district=district, skills=skills,
                                          activity_type=activity_type, **v)
        return self.answer(selectors.with_slots(Recruitment.objects.filter(pk=recruitment.pk)).get(),
                           status=status.HTTP_201_CREATED)


class RecruitmentDetail(ProcessView):
    """One recruitment with its slots, places taken and wait-list lengths."""

    serializer_class = s.RecruitmentSerializer

    @extend_schema(responses=s.RecruitmentSerializer)
    def get(self, request, pk):
        qs = selectors.with_slots(selectors.visible_recruitments(request.user))
        return self.answer(visible_or_404(qs, _("No such recruitment."), pk=pk))


class RecruitmentAction(ProcessView):
    """A manager of the organization closes the recruitment (``close``) or cancels it with a
    reason (``cancel``); those signed up are told."""

    serializer_class = s.RecruitmentSerializer

    @extend_schema(request=s.RecruitReasonSerializer, responses=s.RecruitmentSerializer,
                   operation_id="recruitment_recruitment_action")
    def post(self, request, pk, action):
        if action not in ("close", "cancel"):
            raise NotFound()
        data = valid(s.RecruitReasonSerializer, request)
        if action == "close":
            recruitment = recruitment_close(actor=request.user, recruitment_id=pk)
        else:
            recruitment = recruitment_cancel(actor=request.user, recruitment_id=pk, reason=data["reason"])
        return self.answer(selectors.with_slots(Recruitment.objects.filter(pk=recruitment.pk)).get())


class RecruitmentSignUps(_Managed, ListView):
    """The sign-ups of a recruitment of the caller's organization, in slot and arrival order."""

    serializer_class = s.RecruitSignUpSerializer

    def visible(self, user):
        orgs = rights.organization_ids(user, managers_only=True)
        return (SignUp.objects.filter(slot__recruitment__activity__organization_id__in=orgs)
                .select_related("volunteer", "slot__recruitment__activity")
                .order_by("slot__start_at", "slot_id", "created_at", "pk"))

    def filter(self, queryset, params):
        return queryset.filter(slot__recruitment_id=self.kwargs["pk"])


class RecruitmentAnswers(ProcessView):
    """The live count of an emergency recruitment's answers, for its organization's managers."""

    serializer_class = s.RecruitCallCountSerializer

    @extend_schema(responses=s.RecruitCallCountSerializer)
    def get(self, request, pk):
        orgs = rights.organization_ids(request.user, managers_only=True)
        recruitment = visible_or_404(Recruitment.objects.filter(activity__organization_id__in=orgs),
                                     _("No such recruitment."), pk=pk)
        return self.answer({**selectors.call_counts(recruitment), "answer_by": recruitment.answer_by})


class RecruitmentAnswer(ProcessView):
    """A called volunteer answers an emergency recruitment within its window: ``yes`` signs
    them up (the slot named, else the first not over), ``no`` is recorded."""

    serializer_class = s.RecruitCallSerializer

    @extend_schema(request=s.RecruitAnswerSerializer, responses=s.RecruitCallSerializer)
    def post(self, request, pk):
        data = valid(s.RecruitAnswerSerializer, request)
        call = call_answer(actor=request.user, recruitment_id=pk, answer=data["answer"], slot_id=data["slot"])
        return self.answer(EmergencyCall.objects.select_related("recruitment").get(pk=call.pk))


class SlotSignUp(_Managed, ProcessView):
    """The caller signs up for a slot; beyond its places they are wait-listed in order."""

    serializer_class = s.RecruitSignUpSerializer

    @extend_schema(request=None, responses={201: s.RecruitSignUpSerializer})
    def post(self, request, pk):
        signup = signup_create(actor=request.user, slot_id=pk)
        return self.answer(_signup(signup.pk), status=status.HTTP_201_CREATED)


class SlotOnSpot(_Managed, ProcessView):
    """Offline recruitment: a manager registers a person on the spot with their consent (R4),
    a volunteer the organization knows by number, or a new person by name and ID number."""

    serializer_class = s.RecruitSignUpSerializer

    @extend_schema(request=s.RecruitOnSpotSerializer, responses={201: s.RecruitSignUpSerializer})
    def post(self, request, pk):
        v = valid(s.RecruitOnSpotSerializer, request)
        signup = signup_on_spot(actor=request.user, slot_id=pk, consent_note=v["consent_note"],
                                volunteer_key=v["volunteer_number"], id_number=v["id_number"],
                                real_name=v["real_name"], phone=v["phone"])
        return self.answer(_signup(signup.pk), status=status.HTTP_201_CREATED)


def _signup(pk):
    return SignUp.objects.select_related("volunteer", "slot__recruitment__activity").get(pk=pk)


class SignUpList(_Managed, ListView):
    """The caller's own sign-ups as a volunteer, with their status."""

    serializer_class = s.RecruitSignUpSerializer

    def visible(self, user):
        volunteer = volunteer_for(user)
        if volunteer is None:
            return SignUp.objects.none()
        return (SignUp.objects.filter(volunteer=volunteer).select_related("volunteer", "slot__recruitment__activity")
                .order_by("-created_at", "-pk"))


class SignUpAction(_Managed, ProcessView):
    """``select`` or ``decline`` (a manager of the organization) or ``withdraw`` (the volunteer)."""

    serializer_class = s.RecruitSignUpSerializer

    @extend_schema(request=s.RecruitReasonSerializer, responses=s.RecruitSignUpSerializer,
                   operation_id="recruitment_signup_action")
    def post(self, request, pk, action):
        data = valid(s.RecruitReasonSerializer, request)
        if action == "select":
            signup_select(actor=request.user, signup_id=pk)
        elif action == "decline":
            signup_decline(actor=request.user, signup_id=pk, reason=data["reason"])
        elif action == "withdraw":
            signup_withdraw(actor=request.user, signup_id=pk)
        else:
            raise NotFound()
        return self.answer(_signup(pk))


class CallList(ListView):
    """Emergency calls sent to the caller in open recruitments."""

    serializer_class = s.RecruitCallSerializer

    def visible(self, user):
        volunteer = volunteer_for(user)
        return selectors.my_calls(volunteer) if volunteer else EmergencyCall.objects.none()


class Profile(ProcessView):
    """The caller's skills and whether emergency calls reach them."""

    serializer_class = s.RecruitProfileSerializer

    def _shown(self, profile):
        if profile is None:
            return {"skills": [], "emergency_available": False}
        return {"skills": [k.name for k in profile.skills.all()], "emergency_available": profile.emergency_available}

    @extend_schema(responses=s.RecruitProfileSerializer)
    def get(self, request):
        volunteer = volunteer_for(request.user)
        if volunteer is None:
            raise NotFound(_("Register as a volunteer first."))
        return self.answer(self._shown(VolunteerProfile.objects.filter(volunteer=volunteer).first()))

    @extend_schema(request=s.RecruitProfileSerializer, responses=s.RecruitProfileSerializer)
    def post(self, request):
        data = valid(s.RecruitProfileSerializer, request)
        skills = list(Skill.objects.filter(name__in=data["skills"]))
        if len(skills) != len(set(data["skills"])):
            referenced_or_400(Skill.objects.none(), "skills", _("Unknown skill."))
        profile = profile_save(actor=request.user, skills=skills, emergency_available=data["emergency_available"])
        return self.answer(self._shown(profile))


class SkillList(ListView):
    """Skills a recruitment may ask for and a volunteer may declare."""

    serializer_class = s.RecruitSkillSerializer

    def visible(self, user):
        return Skill.objects.order_by("name")


class ActivityTypeList(ListView):
    # seed 二(二) (谁招募谁培训); the docstring is the API's description, translated (engine/api/descriptions.py)
    """Activity types, and whether each requires a training before selection."""

    serializer_class = s.RecruitActivityTypeSerializer

    def visible(self, user):
        return ActivityType.objects.order_by("name")
