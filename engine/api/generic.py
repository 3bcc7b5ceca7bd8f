"""The one way a process's API is built: every ``processes/<p>/api.py`` reads alike.

- ``valid(Serializer, request)``: the request body checked, or a 400 with field errors.
- ``visible_or_404(queryset, message, **lookup)``: the one object of what the caller may see,
  or a 404; "does not exist" and "not yours" answer alike (DESIGN "API": 404 for what the
  actor may not know exists).
- ``referenced_or_400(queryset, field, message, **lookup)``: an object the body names, or a
  400 on that field.
- ``ProcessView``: an endpoint; ``visible(user)`` says what the caller may see, ``answer()``
  serializes a result with ``serializer_class`` and ``serializer_context()``.
- ``ListView``: GET one page (the engine's one paginator) of ``visible(user)``, narrowed by
  the query string in ``filter(queryset, params)``.
- ``DecideView``: POST a decision on one object the caller may see; the body is checked by
  ``decision_serializer`` (``DecisionSerializer``: ``{decision, reason}``, ``decision`` one of
  the step's declared decisions, ``decision_choices(*steps)``), ``decide()`` calls the
  process's service, and the answer is the object's new state. An older body a process still
  accepts (a yes/no field such as ``approve``) is read as ``{decision, reason}`` by
  ``DecisionSerializer.old_flag``; its fields are deprecated in the schema.

``ListView`` and ``DecideView`` document their own operation from ``serializer_class`` and
``decision_serializer`` (unless a subclass writes that method itself); every other method declares its schema with ``extend_schema``. The
base classes carry comments, not docstrings: drf-spectacular takes an endpoint's description
from the first docstring up its classes, and an endpoint without one of its own must stay
without one.
"""
from collections.abc import Mapping

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from engine.api.pagination import Pagination
from engine.cases.errors import NotFound, RuleViolation


def valid(serializer_class, request) -> dict:
    """The request body's validated data; a 400 with field errors when it does not pass."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def visible_or_404(queryset: QuerySet, message=None, **lookup):
    """The object of ``queryset`` (already narrowed to what the caller may see) matching
    ``lookup``, or :class:`NotFound` with ``message``."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise NotFound(message)
    return found


def referenced_or_400(queryset: QuerySet, field: str, message, **lookup):
    """The object the body names in ``field``, or a 400 on that field saying ``message``."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise RuleViolation(message, fields={field: [message]})
    return found


def decision_choices(*steps) -> list[tuple[str, str]]:
    """The decisions the workflow ``steps`` declare, as choices of ``decision``: each code once,
    in the steps' order; one code's different labels on different steps are joined."""
    labels = {}
    for step in steps:
        for code, spec in step.decisions.items():
            labels.setdefault(code, []).append(spec.label)
    return [(code, _joined_labels(names)) for code, names in labels.items()]


def _joined_text(labels) -> str:
    return " / ".join(dict.fromkeys(str(label) for label in labels))


_joined_labels = lazy(_joined_text, str)  # D7: joined in the reader's language, when shown


class DecisionSerializer(serializers.Serializer):
    # {decision, reason}: the one body of every decide endpoint. A process narrows ``decision``
    # to its step's declared decisions (a ChoiceField). An older body it still accepts has a
    # yes/no field, named in ``old_flag`` with the decisions its true and false stand for:
    # ("approve", "approve", "reject") reads {"approve": true} as {"decision": "approve"}. With
    # ``old_text_in_decision`` that body carried the written text in ``decision``, now ``reason``.
    # The subclass declares the old field (deprecated in the schema); it never reaches the data.
    decision = serializers.CharField(max_length=32)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    old_flag: tuple[str, str, str] | None = None
    old_text_in_decision = False

    def to_internal_value(self, data):
        if self.old_flag is not None and isinstance(data, Mapping) and self.old_flag[0] in data:
            data = self.in_one_shape(data)
        validated = super().to_internal_value(data)
        if self.old_flag is not None:
            validated.pop(self.old_flag[0], None)
        return validated

    def in_one_shape(self, data) -> dict:
        """The older body as {decision, reason}; a 400 when its old and new fields disagree.

        A ``decision`` that is no declared choice is left for the field to refuse, except the
        older body's written text (``old_text_in_decision``), which becomes ``reason``."""
        name, yes, no = self.old_flag
        try:
            meant = yes if self.fields[name].run_validation(data[name]) else no
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({name: exc.detail}) from None
        body = {key: data[key] for key in data}
        choices = getattr(self.fields["decision"], "choices", {})
        given = body.get("decision")
        if self.old_text_in_decision and isinstance(given, str) and given not in choices:
            if body.get("reason") not in (None, "", given):
                raise serializers.ValidationError({"reason": [
                    _("The opinion written in decision (the old form) differs from reason; write it in reason only.")]})
            body["reason"], given = given, None
        if given is None:
            body["decision"] = meant
        elif given != meant and given in choices:
            raise serializers.ValidationError({name: [
                _("The deprecated %(old)s disagrees with decision (%(old)s being %(flag)s means decision "
                  "%(meant)s); give decision only.") % {"old": name, "flag": "true" if meant == yes else "false",
                                           "meant": meant}]})
        return body


class ProcessView(APIView):
    # An endpoint of a process. ``serializer_class`` shapes what ``answer()`` returns.
    serializer_class = None

    def visible(self, user) -> QuerySet:
        """What ``user`` may see of this endpoint's objects."""
        raise NotImplementedError

    def serializer_context(self) -> dict:
        return {"request": self.request, "user": self.request.user}

    def answer(self, instance, *, serializer_class=None, status: int = 200) -> Response:
        serializer_class = serializer_class or self.serializer_class
        return Response(serializer_class(instance, context=self.serializer_context()).data, status=status)


class ListView(ProcessView):
    # GET: one page of what the caller may see, narrowed by the query string.
    pagination_class = Pagination

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.serializer_class is not None and "get" not in cls.__dict__:
            extend_schema_view(get=extend_schema(responses=cls.serializer_class(many=True)))(cls)

    def filter(self, queryset: QuerySet, params) -> QuerySet:
        """``queryset`` narrowed by the query string ``params``; all of it by default."""
        return queryset

    def get(self, request, *args, **kwargs):
        queryset = self.filter(self.visible(request.user), request.query_params)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        data = self.serializer_class(page, many=True, context=self.serializer_context()).data
        return paginator.get_paginated_response(data)


class DecideView(ProcessView):
    # POST {decision, reason}: the body checked, then the object the caller may see (or 404),
    # then the process's service decides; the answer is the object's new state.
    decision_serializer = DecisionSerializer
    lookup_field = "reference"  # the URL's keyword and the model's field
    not_found = None  # the 404's message; the generic one when None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.serializer_class is not None and "post" not in cls.__dict__:
            extend_schema_view(post=extend_schema(request=cls.decision_serializer,
                                                  responses=cls.serializer_class))(cls)

    def decide(self, target, data: dict):
        """Call the process's service with the checked ``data``; return ``target`` as it is now."""
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        data = valid(self.decision_serializer, request)
        lookup = {self.lookup_field: kwargs[self.lookup_field]}
        target = visible_or_404(self.visible(request.user), self.not_found, **lookup)
        return self.answer(self.decide(target, data))


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A spreadsheet download named ``filename``."""
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
