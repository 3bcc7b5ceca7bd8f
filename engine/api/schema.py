"""OpenAPI: every operation documents the API's error answers (engine/api/errors.py) through
one shared component, so clients and the schema fuzzing test know their shape.

A drf-spectacular postprocessing hook (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``) adds
``components.schemas.Error`` and one ``components.responses`` entry per error status, and
references them from each operation that does not document that status itself."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def error_schema() -> dict:
    """The Error component, described in the active language."""
    return {
        "type": "object",
        "description": _("An error answer: a stable code and an explanation, with per-field errors when the input "
                         "was invalid."),
        "properties": {
            "code": {"type": "string", "description": _("A stable error code, e.g. invalid, not_found, conflict, "
                                                          "throttled")},
            "detail": {"type": "string", "description": _("The explanation, in the request's language (Chinese by "
                                                            "default)")},
            "fields": {
                "type": "object",
                "additionalProperties": True,
                "description": _("400 only: field name → list of error messages (or a nested object)"),
            },
        },
        "required": ["code", "detail"],
    }


ERROR_RESPONSES = {
    "400": ("BadRequest", gettext_lazy("The submitted data is invalid (with per-field errors in fields)")),
    "401": ("Unauthenticated", gettext_lazy("Not logged in, or the credentials are invalid or expired")),
    "403": ("Forbidden", gettext_lazy("Not allowed to do this")),
    "404": ("NotFound", gettext_lazy("Does not exist, or the caller may not know that it exists")),
    "409": ("Conflict", gettext_lazy("Cannot be done in the current state (a state conflict, already claimed, "
                                     "past the deadline)")),
    "413": ("PayloadTooLarge", gettext_lazy("The request is too large")),
    "415": ("UnsupportedMediaType", gettext_lazy("The request's content type is not supported")),
    "429": ("TooManyRequests", gettext_lazy("Too many requests, or locked for a while after too many failed "
                                            "logins")),
}
_NO_BODY_METHODS = {"get", "delete", "head", "options"}


def add_error_responses(result, generator, request, public):
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = error_schema()
    responses = components.setdefault("responses", {})
    for status, (name, description) in ERROR_RESPONSES.items():
        responses[name] = {
            "description": str(description),
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, (name, _description) in ERROR_RESPONSES.items():
                if status in ("413", "415") and method in _NO_BODY_METHODS:
                    continue
                operation["responses"].setdefault(status, {"$ref": f"#/components/responses/{name}"})
    return result
