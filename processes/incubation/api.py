"""API v1 of the incubation process under ``/api/v1/incubation/``.

Applications by reference: list and detail for the applicant organization, the base and its
民政局, and the experts assigned to them; create, edit, submit, withdraw and accept the
agreement (the organization); score (the assigned expert); milestones (base staff record,
everyone who sees the application reads); nominations (I6). Staff steps with no rich input
(intake, approval, reviews) go through the generic ``/api/v1/tasks/<id>/complete/``.
"""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from engine.api.generic import (
    XLSX_TYPE,
    DecideView,
    ListView,
    ProcessView,
    referenced_or_400,
    valid,
    visible_or_404,
    xlsx_response,
)
from engine.cases.errors import NotAllowed
from engine.directory import rights
from engine.directory.models import Department, Organization

from . import selectors, services
from .models import Milestone, Nomination
from .resources import ProjectLibraryResource, RosterResource, export_xlsx
from .serializers import (
    ApplicationCreateSerializer,
    ApplicationDetailSerializer,
    ApplicationListSerializer,
    ApplicationUpdateSerializer,
    ConflictSerializer,
    MilestoneCreateSerializer,
    MilestoneSerializer,
    NominationCreateSerializer,
    NominationDecideSerializer,
    NominationSerializer,
    ReasonSerializer,
    ScoreSerializer,
    SelfEvaluationSerializer,
)


class _Applications(ProcessView):
    # endpoints on applications; answers show the detail with the scores the caller may see

    def visible(self, user):
        return selectors.applications_visible_to(user)

    def application(self):
        """The application in the URL, or 404 when the caller may not see it."""
        return visible_or_404(self.visible(self.request.user), _("No such incubation application."), reference=self.kwargs["reference"])

    def detail(self, case, *, status: int = status.HTTP_200_OK, reread: bool = True) -> Response:
        """``case`` as the caller sees it; ``reread`` when a service has just changed it."""
        user = self.request.user
        scores_view = ("staff" if selectors.is_staff_view(user, case)
                       else "expert" if case.expert_scores.filter(expert=user).exists() else None)
        if reread:
            case = self.visible(user).get(pk=case.pk)
        context = {**self.serializer_context(), "scores_view": scores_view}
        return Response(ApplicationDetailSerializer(case, context=context).data, status=status)


class ApplicationList(_Applications, ListView):
    """Incubation applications the caller may see."""

    serializer_class = ApplicationListSerializer

    def visible(self, user):
        return super().visible(user).order_by("-created_at", "-pk")

    def filter(self, queryset, params):
        if status_ := params.get("status"):
            queryset = queryset.filter(status=status_)
        if base := params.get("base"):
            queryset = queryset.filter(department__code=base)
        return queryset

    @extend_schema(request=ApplicationCreateSerializer, responses={201: ApplicationDetailSerializer})
    def post(self, request):
        """Draft an application of one of the caller's organizations to a base (I1)."""
        data = valid(ApplicationCreateSerializer, request)
        organization = referenced_or_400(Organization.objects, "organization", _("No such organization."), pk=data["organization"])
        base = referenced_or_400(Department.objects, "base", _("No such incubation base."), code=data["base"])
        case = services.application_create(actor=request.user, organization=organization, base=base,
                                           plan=data["plan"], documents=data["documents"])
        return self.detail(case, status=status.HTTP_201_CREATED)


class ApplicationDetail(_Applications):
    """Incubation applications the caller may see."""

    @extend_schema(responses=ApplicationDetailSerializer)
    def get(self, request, reference):
        return self.detail(self.application(), reread=False)

    @extend_schema(request=ApplicationUpdateSerializer, responses=ApplicationDetailSerializer)
    def patch(self, request, reference):
        """Edit a draft or returned application (supplements, I1)."""
        data = valid(ApplicationUpdateSerializer, request)
        return self.detail(services.application_update(actor=request.user, application=self.application(), **data))


class ApplicationSubmit(_Applications):
    @extend_schema(request=None, responses=ApplicationDetailSerializer)
    def post(self, request, reference):
        """Submit, or resubmit after a return; goes to the base's intake queue."""
        return self.detail(services.application_submit(actor=request.user, application=self.application()))


class ApplicationWithdraw(_Applications):
    @extend_schema(request=ReasonSerializer, responses=ApplicationDetailSerializer)
    def post(self, request, reference):
        """Withdraw before the agreement."""
        reason = valid(ReasonSerializer, request)["reason"]
        return self.detail(services.application_withdraw(actor=request.user, application=self.application(),
                                                         reason=reason))


class AgreementAccept(_Applications):
    @extend_schema(request=None, responses=ApplicationDetailSerializer)
    def post(self, request, reference):
        """The organization accepts the agreement the base offered; incubation starts."""
        return self.detail(services.agreement_accept(actor=request.user, application=self.application()))


class SelfEvaluation(_Applications):
    @extend_schema(request=SelfEvaluationSerializer, responses=ApplicationDetailSerializer)
    def post(self, request, reference):
        """The organization's self-evaluation with evidence for the graduation review (I5)."""
        text = valid(SelfEvaluationSerializer, request)["text"]
        return self.detail(services.self_evaluation_submit(actor=request.user, application=self.application(),
                                                           text=text))


class ApplicationScore(_Applications):
    @extend_schema(request=ScoreSerializer, responses=ApplicationDetailSerializer)
    def post(self, request, reference):
        """The assigned expert's independent score (I2); members of the applicant may not (D3)."""
        data = valid(ScoreSerializer, request)
        return self.detail(services.expert_score(actor=request.user, application=self.application(),
                                                 score=data["score"], comment=data["comment"]))


class ConflictDeclaration(_Applications):
    @extend_schema(request=ConflictSerializer, responses={201: None})
    def post(self, request, reference):
        """An assigned expert declares a conflict of interest and recuses (D3); the base's head
        reassigns the scoring task."""
        statement = valid(ConflictSerializer, request)["statement"]
        services.expert_declare_conflict(actor=request.user, application=self.application(), statement=statement)
        return Response({"detail": _("Recusal declared; waiting for the base's head to reassign the task.")}, status=status.HTTP_201_CREATED)


class ApplicationMilestones(_Applications):
    """Milestones of the incubation (I4); base staff record them with evidence."""

    serializer_class = MilestoneSerializer

    @extend_schema(responses=MilestoneSerializer(many=True))
    def get(self, request, reference):
        case = self.application()
        return Response(MilestoneSerializer(case.milestones.select_related("recorded_by"), many=True).data)

    @extend_schema(request=MilestoneCreateSerializer, responses={201: MilestoneSerializer})
    def post(self, request, reference):
        case = self.application()
        data = valid(MilestoneCreateSerializer, request)
        milestone = services.milestone_record(actor=request.user, application=case, **data)
        return self.answer(milestone, status=status.HTTP_201_CREATED)


class ApplicationNominations(_Applications):
    serializer_class = NominationSerializer

    @extend_schema(request=NominationCreateSerializer, responses={201: NominationSerializer})
    def post(self, request, reference):
        """Nominate a graduated organization or one of its projects (I6)."""
        case = self.application()
        data = valid(NominationCreateSerializer, request)
        project = None
        if data.get("project"):
            project = referenced_or_400(Milestone.objects, "project", _("No such project."), pk=data["project"], application=case)
        nomination = services.nomination_create(actor=request.user, application=case, kind=data["kind"],
                                                project=project)
        return self.answer(nomination, status=status.HTTP_201_CREATED)


class _Nominations:
    serializer_class = NominationSerializer

    def visible(self, user):
        visible = selectors.applications_visible_to(user).values("pk")
        return Nomination.objects.filter(application__in=visible).select_related("application").order_by("-pk")


class NominationList(_Nominations, ListView):
    """Nominations (I6) of the applications the caller may see; the civil affairs bureau decides."""


class NominationDecide(_Nominations, DecideView):
    """Nominations (I6) of the applications the caller may see; the civil affairs bureau decides."""

    decision_serializer = NominationDecideSerializer
    lookup_field = "pk"
    not_found = gettext_lazy("No such nomination.")

    def decide(self, target, data):
        return services.nomination_decide(actor=self.request.user, nomination=target,
                                          approve=data["decision"] == "approve", reason=data["reason"])


class _Export(ProcessView):
    """XLSX download for department staff, limited to the applications they may see."""

    resource = None
    filename = ""

    @extend_schema(responses={(200, XLSX_TYPE): bytes})
    def get(self, request):
        if not rights.is_staff_of_any(request.user):
            raise NotAllowed(_("Only staff of incubation bases and civil affairs departments can export."))
        visible = selectors.applications_visible_to(request.user).values("pk")
        data = export_xlsx(self.resource, self.queryset(visible, request.query_params.get("base")))
        return xlsx_response(data, self.filename)


class RosterExport(_Export):
    """Roster of the organizations in and out of incubation (XLSX)."""

    resource = RosterResource
    filename = "incubation-roster.xlsx"

    def queryset(self, visible, base):
        qs = selectors.roster().filter(pk__in=visible)
        return qs.filter(department__code=base) if base else qs


class ProjectLibraryExport(_Export):
    """The incubation project library (XLSX), with whether each project entered the excellent project library."""

    resource = ProjectLibraryResource
    filename = "incubation-projects.xlsx"

    def queryset(self, visible, base):
        qs = selectors.project_library().filter(application__in=visible)
        return qs.filter(application__department__code=base) if base else qs
