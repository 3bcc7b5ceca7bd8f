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
        return api_error(413, "too_large", _("请求内容过大。"))
    if isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        return api_error(400, "too_many_fields", _("请求中的字段或文件过多。"))
    return api_error(400, "bad_request", _("请求无法处理，请检查后重试。"))


def permission_denied(request, exception, template_name="403.html"):
    if not is_api_request(request):
        return defaults.permission_denied(request, exception, template_name)
    return api_error(403, "permission_denied", _("您没有执行该操作的权限。"))


def page_not_found(request, exception, template_name="404.html"):
    if not is_api_request(request):
        return defaults.page_not_found(request, exception, template_name)
    return api_error(404, "not_found", _("接口不存在。"))


def server_error(request, template_name="500.html"):
    if not is_api_request(request):
        return defaults.server_error(request, template_name)
    return api_error(500, "server_error", _("服务器内部错误，请稍后重试。"))


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: Django's own page is English and explains the mechanism."""
    if is_api_request(request):
        return api_error(403, "csrf_failed", _("请求缺少有效的安全令牌（CSRF），请刷新页面后重试。"))
    return defaults.permission_denied(request, None, "403.html")
