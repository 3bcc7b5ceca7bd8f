"""What a locked-out login attempt gets back (django-axes calls ``lockout_response``).

Too many failed logins for one username from one address lock that pair out for the cool-off
period (``LOGIN_FAILURE_LIMIT``, ``LOGIN_COOLOFF_MINUTES``): the login page, the admin login and
the API token endpoint all refuse it, the pages with a Chinese page, the API in its error format.
"""
from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOCKED_OUT_CODE = "locked_out"


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _("Too many failed logins: this account is temporarily locked on this device. Please try again in %(minutes)s minutes.") % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/"):
        return JsonResponse({"code": LOCKED_OUT_CODE, "detail": lockout_message()}, status=status)
    return render(request, "ui/locked_out.html", {"message": lockout_message()}, status=status)


class LoginLockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out username and address before any password is checked. Every login
    over HTTP passes its request; a call without one (a management command, a test client's
    ``login()``) has no address to lock and is left to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
