"""API v1 of the incubation process under ``/api/v1/incubation/``.

Applications by reference: list and detail for the applicant organization, the base and its
民政局, and the experts assigned to them; create, edit, submit, withdraw and accept the
agreement (the organization); score (the assigned expert); milestones (base staff record,
everyone who sees the application reads); nominations (I6). Staff steps with no rich input
(intake, approval, reviews) go through the generic ``/api/v1/tasks/<id>/complete/``.
"""
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from engine.cases.errors import NotFound, RuleViolation
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


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Incubation applications (孵化申请) the caller may see."""

    lookup_field = "reference"
    lookup_value_regex = r"FH-\d{4}-\d{6}"

    def get_queryset(self):
        qs = selectors.applications_visible_to(self.request.user)
        if status_ := self.request.query_params.get("status"):
            qs = qs.filter(status=status_)
        if base := self.request.query_params.get("base"):
            qs = qs.filter(department__code=base)
        return qs.order_by("-created_at", "-pk")

    def get_serializer_class(self):
        return ApplicationListSerializer if self.action == "list" else ApplicationDetailSerializer

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        case = getattr(self, "_case", None)
        if case is not None:
            user = self.request.user
            ctx["scores_view"] = ("staff" if selectors.is_staff_view(user, case)
                                  else "expert" if case.expert_scores.filter(expert=user).exists() else None)
        return ctx

    def get_object(self):
        case = self.get_queryset().filter(reference=self.kwargs["reference"]).first()
        if case is None:
            raise NotFound("孵化申请不存在。")
        self._case = case
        return case

    def _detail(self, case, code=status.HTTP_200_OK):
        self._case = case
        case = selectors.applications_visible_to(self.request.user).get(pk=case.pk)
        return Response(ApplicationDetailSerializer(case, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=ApplicationCreateSerializer, responses={201: ApplicationDetailSerializer})
    def create(self, request):
        """Draft an application of one of the caller's organizations to a base (I1)."""
        data = _valid(ApplicationCreateSerializer, request)
        organization = Organization.objects.filter(pk=data["organization"]).first()
        base = Department.objects.filter(code=data["base"]).first()
        if organization is None:
            raise RuleViolation("组织不存在。", fields={"organization": ["组织不存在。"]})
        if base is None:
            raise RuleViolation("孵化基地不存在。", fields={"base": ["孵化基地不存在。"]})
        case = services.application_create(actor=request.user, organization=organization, base=base,
                                           plan=data["plan"], documents=data["documents"])
        return self._detail(case, status.HTTP_201_CREATED)

    @extend_schema(request=ApplicationUpdateSerializer, responses=ApplicationDetailSerializer)
    def partial_update(self, request, reference=None):
        """Edit a draft or returned application (supplements, I1)."""
        data = _valid(ApplicationUpdateSerializer, request)
        case = services.application_update(actor=request.user, application=self.get_object(), **data)
        return self._detail(case)

    @extend_schema(request=None, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, reference=None):
        """Submit, or resubmit after a return; goes to the base's intake queue."""
        return self._detail(services.application_submit(actor=request.user, application=self.get_object()))

    @extend_schema(request=ReasonSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, reference=None):
        """Withdraw before the agreement."""
        data = _valid(ReasonSerializer, request)
        return self._detail(services.application_withdraw(
            actor=request.user, application=self.get_object(), reason=data["reason"]))

    @extend_schema(request=None, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="accept-agreement")
    def accept_agreement(self, request, reference=None):
        """The organization accepts the agreement the base offered; incubation starts."""
        return self._detail(services.agreement_accept(actor=request.user, application=self.get_object()))

    @extend_schema(request=SelfEvaluationSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="self-evaluation")
    def self_evaluation(self, request, reference=None):
        """The organization's self-evaluation with evidence for the graduation review (I5)."""
        data = _valid(SelfEvaluationSerializer, request)
        return self._detail(services.self_evaluation_submit(
            actor=request.user, application=self.get_object(), text=data["text"]))

    @extend_schema(request=ScoreSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request, reference=None):
        """The assigned expert's independent score (I2); members of the applicant may not (D3)."""
        data = _valid(ScoreSerializer, request)
        case = services.expert_score(actor=request.user, application=self.get_object(), score=data["score"],
                                     comment=data["comment"])
        return self._detail(case)

    @extend_schema(request=ConflictSerializer, responses={201: None})
    @action(detail=True, methods=["post"], url_path="declare-conflict")
    def declare_conflict(self, request, reference=None):
        """An assigned expert declares a conflict of interest and recuses (D3); the base's head
        reassigns the scoring task."""
        data = _valid(ConflictSerializer, request)
        services.expert_declare_conflict(actor=request.user, application=self.get_object(),
                                         statement=data["statement"])
        return Response({"detail": "已声明回避，等待孵化基地负责人改派。"}, status=status.HTTP_201_CREATED)

    @extend_schema(request=MilestoneCreateSerializer, responses=MilestoneSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def milestones(self, request, reference=None):
        """Milestones of the incubation (I4); base staff record them with evidence."""
        case = self.get_object()
        if request.method == "POST":
            data = _valid(MilestoneCreateSerializer, request)
            milestone = services.milestone_record(actor=request.user, application=case, **data)
            return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)
        return Response(MilestoneSerializer(case.milestones.select_related("recorded_by"), many=True).data)

    @extend_schema(request=NominationCreateSerializer, responses={201: NominationSerializer})
    @action(detail=True, methods=["post"])
    def nominations(self, request, reference=None):
        """Nominate a graduated organization or one of its projects (I6)."""
        case = self.get_object()
        data = _valid(NominationCreateSerializer, request)
        project = None
        if data.get("project"):
            project = Milestone.objects.filter(pk=data["project"], application=case).first()
            if project is None:
                raise RuleViolation("项目不存在。", fields={"project": ["项目不存在。"]})
        nomination = services.nomination_create(actor=request.user, application=case, kind=data["kind"],
                                                project=project)
        return Response(NominationSerializer(nomination).data, status=status.HTTP_201_CREATED)


class NominationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Nominations (I6) of the applications the caller may see; 民政局 decides."""

    serializer_class = NominationSerializer
    lookup_value_regex = r"\d+"  # anything else is a 404, not a failed integer lookup

    def get_queryset(self):
        visible = selectors.applications_visible_to(self.request.user).values("pk")
        return Nomination.objects.filter(application__in=visible).select_related("application").order_by("-pk")

    @extend_schema(request=NominationDecideSerializer, responses=NominationSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = _valid(NominationDecideSerializer, request)
        nomination = self.get_queryset().filter(pk=pk).first()
        if nomination is None:
            raise NotFound("推荐不存在。")
        nomination = services.nomination_decide(actor=request.user, nomination=nomination, **data)
        return Response(NominationSerializer(nomination).data)


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Export(APIView):
    """XLSX download for department staff, limited to the applications they may see."""

    resource = None
    filename = ""

    @extend_schema(responses={(200, XLSX_TYPE): bytes})
    def get(self, request):
        from django.http import HttpResponse

        from engine.cases.errors import NotAllowed
        from engine.directory import rights

        if not rights.is_staff_of_any(request.user):
            raise NotAllowed("只有孵化基地和民政部门工作人员可以导出。")
        visible = selectors.applications_visible_to(request.user).values("pk")
        base = request.query_params.get("base")
        data = export_xlsx(self.resource, self.queryset(visible, base))
        response = HttpResponse(data, content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{self.filename}"'
        return response


class RosterExport(_Export):
    """在孵及已出孵组织名册 (XLSX)."""

    resource = RosterResource
    filename = "incubation-roster.xlsx"

    def queryset(self, visible, base):
        qs = selectors.roster().filter(pk__in=visible)
        return qs.filter(department__code=base) if base else qs


class ProjectLibraryExport(_Export):
    """孵化项目库 (XLSX), with whether each project entered the excellent project library."""

    resource = ProjectLibraryResource
    filename = "incubation-projects.xlsx"

    def queryset(self, visible, base):
        qs = selectors.project_library().filter(application__in=visible)
        return qs.filter(application__department__code=base) if base else qs
