"""The API's JSON parser: refuses what Python's ``json`` would accept or choke on.

- Nesting deeper than ``API_JSON_MAX_DEPTH``: refused before parsing, since ``json`` recurses
  once per level and a body nested 50,000 deep ends in ``RecursionError`` (a 500).
- ``NaN``, ``Infinity`` and numbers too large for a float (``1e999``): not JSON (RFC 8259),
  and a value that can never be stored, compared or rendered back.
- Malformed JSON or a body that is not UTF-8: a 400 with a Chinese message instead of the
  parser's English one.
"""
import json
import math
import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


class JSONTooDeep(ParseError):
    default_detail = _("The JSON data is nested too deeply.")
    default_code = "json_too_deep"


class JSONNotFinite(ParseError):
    default_detail = _("Numbers in the JSON data must be finite (NaN and Infinity are not accepted).")
    default_code = "json_not_finite"


class JSONMalformed(ParseError):
    default_detail = _("The request body is not valid JSON (it must be UTF-8 encoded).")
    default_code = "parse_error"


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    """Whether arrays and objects in ``body`` nest deeper than ``limit`` (brackets inside
    strings do not count). Linear, no recursion; a body with few brackets is decided at once."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub(b'""', body)):
        if match.group() in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _refuse_constant(name):
    raise JSONNotFinite()


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise JSONNotFinite()
    return value


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read() if stream is not None else b""
        if json_depth_exceeds(body, settings.API_JSON_MAX_DEPTH):
            raise JSONTooDeep()
        try:
            return json.loads(body.decode("utf-8"), parse_constant=_refuse_constant, parse_float=_finite_float)
        except JSONNotFinite:
            raise
        except (ValueError, RecursionError):
            # UnicodeDecodeError and JSONDecodeError are ValueErrors; RecursionError only if the
            # depth limit is set above the interpreter's recursion limit
            raise JSONMalformed() from None
