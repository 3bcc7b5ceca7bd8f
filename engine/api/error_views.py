"""Django's error handlers (config/urls.py ``handler400`` …): under ``/api/`` the answer is
the API's error format in the request's language, never an HTML page; elsewhere the
project's Chinese pages. They catch what happens before or outside a DRF view: a body over
``DATA_UPLOAD_MAX_MEMORY_SIZE``, too many form fields, an unknown path, a crash."""
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def is_api_request(request) -> bool:
    return request.path.startswith("/api/")


def api_error(status: int, code: str, detail) -> JsonResponse:
    return JsonResponse({"code": code, "detail": str(detail)}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def bad_request(request, exception, template_name="400.html"):
    if not is_api_request(request):
        return defaults.bad_request(request, exception, template_name)
    if isinstance(exception, RequestDataTooBig):
        return api_error(413, "too_large", _("The request is too large."))
    if isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        return api_error(400, "too_many_fields", _("The request has too many fields or files."))
    return api_error(400, "bad_request", _("The request cannot be processed; please check it and try again."))


def permission_denied(request, exception, template_name="403.html"):
    if not is_api_request(request):
        return defaults.permission_denied(request, exception, template_name)
    return api_error(403, "permission_denied", _("You have no permission for this action."))


def page_not_found(request, exception, template_name="404.html"):
    if not is_api_request(request):
        return defaults.page_not_found(request, exception, template_name)
    return api_error(404, "not_found", _("No such API endpoint."))


def server_error(request, template_name="500.html"):
    if not is_api_request(request):
        return defaults.server_error(request, template_name)
    return api_error(500, "server_error", _("Internal server error; please try again later."))


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: Django's own page is English and explains the mechanism."""
    if is_api_request(request):
        return api_error(403, "csrf_failed", _("The request lacks a valid security token (CSRF); please reload the page and try again."))
    return defaults.permission_denied(request, None, "403.html")
