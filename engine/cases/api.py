"""Task queues and actions, and cases by reference (DESIGN "API")."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from engine.api.pagination import Pagination
from engine.audit.models import AuditEvent

from . import actions, bulk, selectors
from .errors import NotFound
from .listing import SORTS, read_filters
from .models import TaskRoute
from .queue import TaskRowPaginator
from .registry import STAFF, case_access, case_by_reference
from .serializers import (
    ActionSerializer,
    AssignSerializer,
    BulkResultSerializer,
    BulkSerializer,
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


class TaskList(generics.ListAPIView):
    """The caller's inbox (default), department queue or archive."""

    serializer_class = TaskSerializer
    pagination_class = RoutePagination

    @extend_schema(parameters=[
        OpenApiParameter("view", enum=list(VIEWS)),
        OpenApiParameter("q", str, description=gettext_lazy("Words of the reference, case title, organization or volunteer name")),
        OpenApiParameter("process", str), OpenApiParameter("step", str), OpenApiParameter("department", str),
        OpenApiParameter("state", enum=list(TaskRoute.State.values)), OpenApiParameter("due_after", OpenApiTypes.DATE),
        OpenApiParameter("due_before", OpenApiTypes.DATE), OpenApiParameter("overdue", bool),
        OpenApiParameter("assignee", str, description=gettext_lazy("A username, or none for unclaimed tasks")),
        OpenApiParameter("sort", enum=list(SORTS)),
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
        return selector(self.request.user, **read_filters(params))


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


class TaskBulk(APIView):
    """Claim many tasks, or (head) reassign them to one person: each task through its own
    service call; the answer lists, task by task, what was done and why not (200 even when
    some or all were refused: each result has its ``code`` and ``detail``)."""

    @extend_schema(request=BulkSerializer, responses=BulkResultSerializer)
    def post(self, request):
        data = BulkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        data = data.validated_data
        if data["action"] == "claim":
            outcomes = bulk.bulk_claim(actor=request.user, task_ids=data["tasks"])
        else:
            outcomes = bulk.bulk_reassign(actor=request.user, task_ids=data["tasks"], user_id=data["user"],
                                          reason=data["reason"])
        done = sum(1 for o in outcomes if o.ok)
        return Response({"done": done, "failed": len(outcomes) - done, "results": [o.as_dict() for o in outcomes]})


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
            "title": case.case_title(),
            "status": case.status,
            "status_display": case.get_status_display(),
            "department": case.department.name,
            "created_at": case.created_at,
            "open_steps": OpenStepSerializer(steps, many=True).data,
            "history": history,
        })
