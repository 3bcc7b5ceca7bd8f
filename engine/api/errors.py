"""One error format for the whole API (DESIGN "API"): a stable ``code`` and a human ``detail``.

400 bad input (with ``fields``), 401/403 no right, 404 not found or not to be known,
409 state conflict, 429 rate-limited. ``detail`` follows the request's language.
"""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from engine.cases.conflicts import as_conflict
from engine.cases.errors import DomainError


class Conflict(exceptions.APIException):
    """409: the action is not allowed in the case's or task's current state."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This cannot be done in the current state.")
    default_code = "conflict"


_DEFAULT_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    429: "throttled",
}


def _flatten(detail):
    if isinstance(detail, list):
        return " ".join(str(d) for d in detail)
    return str(detail)


def exception_handler(exc, context):
    """Map domain and Django errors onto API errors and shape every body alike."""
    if (conflict := as_conflict(exc)) is not None:  # a race the database refused: 409, rolled back
        exc = conflict
    if isinstance(exc, DomainError):
        exc = exc.as_api_exception()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    code = getattr(exc, "code_override", None)
    if isinstance(exc, exceptions.ValidationError):
        body = invalid_body(response.data, code=code or "invalid")
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else response.data
        codes = exc.get_codes() if hasattr(exc, "get_codes") else None
        body = {
            "code": code or (codes if isinstance(codes, str) else None)
            or _DEFAULT_CODES.get(response.status_code, "error"),
            "detail": _flatten(detail),
        }
    response.data = body
    return response


def invalid_body(errors, *, code: str = "invalid") -> dict:
    """The 400 body for field errors (a serializer's ``errors`` or a ValidationError's data)."""
    fields = errors if isinstance(errors, dict) else {"non_field_errors": errors}
    return {"code": code, "detail": str(_("The submitted data is invalid; please check it and try again.")), "fields": fields}


def problem_response(status_code: int, code: str, detail) -> Response:
    return Response({"code": code, "detail": str(detail)}, status=status_code)
