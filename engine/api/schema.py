"""OpenAPI: every operation documents the API's error answers (engine/api/errors.py) through
one shared component, so clients and the schema fuzzing test know their shape.

A drf-spectacular postprocessing hook (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``) adds
``components.schemas.Error`` and one ``components.responses`` entry per error status, and
references them from each operation that does not document that status itself.

The operations' own descriptions are the views' docstrings (and the components' the serializers'), in English (D7: English source,
Chinese in the catalog). ``engine/api/descriptions.py`` holds each of them once as a
``gettext_noop`` entry, generated from the schema by ``manage.py api_descriptions`` (which
``scripts/messages.py update`` runs first), so makemessages puts them in this app's catalog;
the ``translate_descriptions`` hook then answers each in the request's language."""
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import patched_settings


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


TRANSLATED_FIELDS = ("summary", "description")


def _operations(result):
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if isinstance(operation, dict) and "responses" in operation:
                yield operation


def _components(result):
    """The component schemas whose description is a serializer's docstring (an enum's is made
    from its choices' labels, already in the active language)."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if isinstance(component, dict) and not name.endswith("Enum"):
            yield component


def _described(result):
    yield from _operations(result)
    yield from _components(result)


def translate_descriptions(result, generator, request, public):
    """Each operation's summary and description, and each component's description, in the
    active language (D7), looked up in the catalog by its English text; a text the catalog
    lacks stays English."""
    for item in _described(result):
        for field in TRANSLATED_FIELDS:
            if item.get(field):
                item[field] = _(item[field])
    return result


# --- engine/api/descriptions.py: generated from the English schema ---------------------------

DESCRIPTIONS_MODULE = Path(__file__).resolve().parent / "descriptions.py"
_HEADER = '''"""GENERATED by `python manage.py api_descriptions` (run by `scripts/messages.py update`): do not edit.

Every distinct summary and description of the API's operations and components, exactly as
drf-spectacular produces them from the views' and serializers' docstrings in English, so that makemessages puts them in
engine/api's catalog; engine.api.schema.translate_descriptions looks them up per request (D7).
A changed docstring needs this file regenerated and its Chinese filled in (tests/engine/api/
test_descriptions.py fails until then)."""
from django.utils.translation import gettext_noop

DESCRIPTIONS = (
'''


def operation_texts() -> list[str]:
    """The operations' summaries and descriptions and the components' descriptions in English,
    untranslated, in schema order without repeats."""
    hooks = [hook for hook in settings.SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]
             if hook != f"{__name__}.translate_descriptions"]
    with translation.override("en"), patched_settings({"POSTPROCESSING_HOOKS": hooks}):
        result = SchemaGenerator().get_schema(request=None, public=True)
    texts = {}
    for item in _described(result):
        for field in TRANSLATED_FIELDS:
            if item.get(field):
                texts[item[field]] = None
    return list(texts)


def _literal(text: str) -> str:
    """A double-quoted Python literal per line of ``text`` (adjacent ones concatenate; xgettext
    reads them as one msgid)."""
    lines = text.split("\n")
    quoted = []
    for number, line in enumerate(lines):
        escaped = line.replace("\\", "\\\\").replace('"', '\\"')
        quoted.append(f'"{escaped}\\n"' if number < len(lines) - 1 else f'"{escaped}"')
    return "\n        ".join(quoted)


def descriptions_module(texts: list[str]) -> str:
    """The source of engine/api/descriptions.py for ``texts``."""
    entries = "".join(f"    gettext_noop({_literal(text)}),\n" for text in sorted(texts))
    return _HEADER + entries + ")\n"
