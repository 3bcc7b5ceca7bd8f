"""Unknown API paths answer in the API's error format, not with an HTML page."""
from django.http import JsonResponse
from django.utils.translation import gettext as _


def api_not_found(request, *args, **kwargs):
    return JsonResponse({"code": "not_found", "detail": _("No such API endpoint.")}, status=404)
