"""OpenAPI: every operation documents the API's error answers (engine/api/errors.py) through
one shared component, so clients and the schema fuzzing test know their shape.

A drf-spectacular postprocessing hook (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``) adds
``components.schemas.Error`` and one ``components.responses`` entry per error status, and
references them from each operation that does not document that status itself."""
from django.utils.translation import gettext_lazy as _

ERROR_SCHEMA = {
    "type": "object",
    "description": str(_("错误答复：稳定的代码和一段说明，输入有误时另有逐字段的错误。")),
    "properties": {
        "code": {"type": "string", "description": "稳定的错误代码，如 invalid、not_found、conflict、throttled"},
        "detail": {"type": "string", "description": "按请求语言（默认中文）给出的说明"},
        "fields": {
            "type": "object",
            "additionalProperties": True,
            "description": "仅 400：字段名 → 错误信息列表（或嵌套对象）",
        },
    },
    "required": ["code", "detail"],
}

ERROR_RESPONSES = {
    "400": ("BadRequest", "提交的数据有误（含字段错误 fields）"),
    "401": ("Unauthenticated", "未登录或凭据无效、已过期"),
    "403": ("Forbidden", "无权执行此操作"),
    "404": ("NotFound", "不存在，或调用者无权知道其存在"),
    "409": ("Conflict", "当前状态下不能执行此操作（状态冲突、已被领取、期限已过）"),
    "413": ("PayloadTooLarge", "请求内容过大"),
    "415": ("UnsupportedMediaType", "不支持的请求内容类型"),
    "429": ("TooManyRequests", "请求过于频繁，或登录失败次数过多被暂时锁定"),
}
_NO_BODY_METHODS = {"get", "delete", "head", "options"}


def add_error_responses(result, generator, request, public):
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    responses = components.setdefault("responses", {})
    for status, (name, description) in ERROR_RESPONSES.items():
        responses[name] = {
            "description": description,
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
