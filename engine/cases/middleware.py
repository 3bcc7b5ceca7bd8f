"""Races and a lost database answer the person, not with a server error.

Runs after the view's transaction has rolled back (ATOMIC_REQUESTS), so nothing is half-done:
a race the database refused (``conflicts.as_conflict``) is a 409 with a code, and a database
that could not be reached or dropped the connection is a 503 the person can retry. API paths
answer in the API's error format, pages with a Chinese page.
"""
import logging

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .conflicts import as_conflict

log = logging.getLogger(__name__)


def _answer(request, status, code, detail):
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "detail": str(detail)}, status=status)
    return render(request, f"{status}.html", {"detail": detail}, status=status)


class DatabaseRefusalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        conflict = as_conflict(exception)
        if conflict is not None:
            log.info("race answered 409 %s on %s: %s", conflict.code, request.path, exception)
            return _answer(request, 409, conflict.code, conflict.message)
        if isinstance(exception, (OperationalError, InterfaceError)):
            log.warning("database unavailable on %s: %s", request.path, exception)
            return _answer(request, 503, "database_unavailable", _("The database is temporarily unavailable. Please try again later."))
        return None
