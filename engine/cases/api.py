"""Task queues and actions, and cases by reference (DESIGN "API")."""
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from engine.api.pagination import Pagination
from engine.audit.models import AuditEvent

from . import actions, selectors
from .errors import NotFound
from .models import TaskRoute
from .queue import TaskRowPaginator
from .registry import STAFF, case_access, case_by_reference
from .serializers import (
    ActionSerializer,
    AssignSerializer,
    CompleteSerializer,
    HistorySerializer,
    OpenStepSerializer,
    PartyHistorySerializer,
    TaskSerializer,
)

VIEWS = {"inbox": selectors.task_inbox, "queue": selectors.task_queue, "archive": selectors.task_archive}


class RoutePagination(Pagination):
    """Task lists: the page is chosen on the indexed route table alone; its rows come
    finished (``queue.task_row``), in ``TaskSerializer``'s shape."""

    django_paginator_class = TaskRowPaginator

    def get_paginated_response(self, data):
        """``count`` stops at the paginator's bound; ``count_is_bounded`` says there are more."""
        response = super().get_paginated_response(data)
        response.data["count_is_bounded"] = self.page.paginator.count_is_bounded
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_is_bounded"] = {"type": "boolean"}
        return schema


def _flag(value, name):
    """A yes/no query parameter: absent means "either"; anything but a yes or a no is a 400."""
    if value in (None, ""):
        return None
    if value.lower() in ("1", "true", "yes"):
        return True
    if value.lower() in ("0", "false", "no"):
        return False
    raise ValidationError({name: [_("Must be true or false.")]})


class TaskList(generics.ListAPIView):
    """The caller's inbox (default), department queue or archive."""

    serializer_class = TaskSerializer
    pagination_class = RoutePagination

    @extend_schema(parameters=[
        OpenApiParameter("view", enum=list(VIEWS)), OpenApiParameter("process", str),
        OpenApiParameter("department", str), OpenApiParameter("overdue", bool),
    ])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        return self.get_paginated_response(self.paginate_queryset(self.get_queryset()))

    def get_queryset(self):
        params = self.request.query_params
        selector = VIEWS.get(params.get("view", "inbox"))
        if selector is None:
            raise NotFound(_("Unknown task view."))
        return selector(
            self.request.user, process=params.get("process"), department=params.get("department"),
            overdue=_flag(params.get("overdue"), "overdue"),
        )


class TaskDetail(generics.RetrieveAPIView):
    serializer_class = TaskSerializer

    def get_object(self):
        route = TaskRoute.objects.select_related("task", "department", "owner", "delegate").filter(
            pk=self.kwargs["pk"]).first()
        if route is None or not selectors.task_visible(self.request.user, route):
            raise NotFound(_("No such task."))
        return route


class _TaskAction(APIView):
    serializer_class = ActionSerializer

    def post(self, request, pk):
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        # a task the user may not look at answers like one that does not exist (no id oracle)
        route = TaskRoute.objects.filter(pk=pk).first()
        if route is None or not selectors.task_visible(request.user, route):
            raise NotFound(_("No such task."))
        self.run(request, pk, serializer.validated_data)
        route = TaskRoute.objects.select_related("task", "department", "owner", "delegate").get(pk=pk)
        return Response(TaskSerializer(route).data, status=status.HTTP_200_OK)


class TaskClaim(_TaskAction):
    """Claim a task from the queue; 409 when someone else has it."""

    def run(self, request, pk, data):
        actions.task_claim(actor=request.user, task_id=pk)


class TaskRelease(_TaskAction):
    def run(self, request, pk, data):
        actions.task_release(actor=request.user, task_id=pk)


class TaskReassign(_TaskAction):
    """Head only: give the task to another member with its role."""

    serializer_class = AssignSerializer

    def run(self, request, pk, data):
        actions.task_reassign(actor=request.user, task_id=pk, user_id=data["user"], reason=data["reason"])


class TaskDelegate(_TaskAction):
    serializer_class = AssignSerializer

    def run(self, request, pk, data):
        actions.task_delegate(actor=request.user, task_id=pk, user_id=data["user"], reason=data["reason"])


class TaskResolve(_TaskAction):
    def run(self, request, pk, data):
        actions.task_resolve(actor=request.user, task_id=pk, reason=data["reason"])


class TaskComplete(_TaskAction):
    """Finish the task with one of its step's decisions."""

    serializer_class = CompleteSerializer

    def run(self, request, pk, data):
        actions.task_complete(
            actor=request.user, task_id=pk, decision=data["decision"], reason=data["reason"], data=data["data"]
        )


class CaseByReference(APIView):
    """A case's status, open steps (department, due time, provisional) and history."""

    @extend_schema(responses={200: dict})
    def get(self, request, reference):
        case = case_by_reference(reference)
        access = case_access(request.user, case) if case is not None else None
        if access is None:
            raise NotFound(_("No such case."))
        steps = TaskRoute.objects.open().filter(reference=case.reference).select_related("department")
        history = AuditEvent.objects.filter(reference=case.reference).order_by("seq")
        if access != STAFF:
            history = PartyHistorySerializer(
                [e for e in history if e.before.get("status") != e.after.get("status")], many=True).data
        else:
            history = HistorySerializer(history, many=True).data
        return Response({
            "reference": case.reference,
            "process": case.PROCESS_NAME,
            "title": case.title(),
            "status": case.status,
            "status_display": case.get_status_display(),
            "department": case.department.name,
            "created_at": case.created_at,
            "open_steps": OpenStepSerializer(steps, many=True).data,
            "history": history,
        })
