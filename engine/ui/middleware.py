"""Request and response plumbing for every page and API call: the language (D7: Chinese
unless the user chose English; API clients may ask per request), the refusal of NUL
characters, and the security headers Django does not set itself (content security policy)."""
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext_lazy

from engine.api.error_views import api_error, is_api_request


class LanguageMiddleware(MiddlewareMixin):
    """Pages follow the language the user picked (the ``django_language`` cookie set by the
    language switch), else Simplified Chinese, whatever the browser announces. API requests
    also honour ``Accept-Language``, so an English client gets English error details."""

    def process_request(self, request):
        if is_api_request(request):
            language = translation.get_language_from_request(request)
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            supported = {code for code, _ in settings.LANGUAGES}
            language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class RejectNulMiddleware:
    """A NUL character in the path, a form field, query or JSON body is refused with a 400
    before any view runs: PostgreSQL cannot store it, and a view that reads the request directly would
    otherwise fail with a 500 halfway through. Uploaded files are left alone (XLSX is a zip)."""

    MESSAGE = gettext_lazy(
        "The submission contains a null character (NUL), which is not allowed; please check it and try again."
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            if is_api_request(request):
                return api_error(400, "invalid", str(self.MESSAGE))
            return HttpResponseBadRequest(str(self.MESSAGE), content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        def in_querydict(qd):
            return any("\x00" in key or any("\x00" in v for v in values) for key, values in qd.lists())

        # %00 in a path segment reaches a <str:...> URL parameter and then the database
        if "\x00" in request.path_info or in_querydict(request.GET):
            return True
        content_type = request.content_type or ""
        if request.method in ("POST", "PUT", "PATCH"):
            if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                return in_querydict(request.POST)
            if content_type.endswith("json"):
                return b"\\u0000" in request.body or b"\x00" in request.body
        return False


class SecurityHeadersMiddleware:
    """The headers Django's SecurityMiddleware does not set: a content security policy and a
    permissions policy (settings ``CONTENT_SECURITY_POLICY``, ``PERMISSIONS_POLICY``).

    The policy allows scripts only from this site (no inline script, no eval: the pages use
    viewflow's bundled scripts and ``ui/confirm.js``); inline styles stay allowed because the
    Material UI and the dashboard's bars set ``style`` attributes. A view that sets its own
    policy keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = "; ".join(
            f"{directive} {' '.join(sources)}".strip() for directive, sources in settings.CONTENT_SECURITY_POLICY.items()
        )
        self.permissions = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Content-Security-Policy", self.policy)
        if self.permissions:
            response.headers.setdefault("Permissions-Policy", self.permissions)
        return response


class WorkbenchLoginMiddleware:
    """Someone not signed in who opens a workbench page (a bookmark, a link in a mail) is sent
    to the login page and back, instead of meeting a bare 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(reverse("index")) and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
