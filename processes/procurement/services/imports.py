"""Imports of the guiding catalogue and budget lines (finance), for the procurement API and
workbench. They take the engine's one import path (``engine.imports``: bounded streaming
reader, one transaction, all or nothing, one summary audit event) with the resources in
``processes/procurement/resources.py``, whose rows go through ``catalogue_item_create`` and
``budget_line_create``: the same checks and audit events as one made by hand (P1, D1)."""
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from engine.cases.errors import RuleViolation
from engine.imports.services import check_upload_size, run_import

from .catalogue import _check

FORMATS = ("csv", "xlsx")


def _imported(report) -> int:
    """The number of rows written, or the refusal with every reported row's problem."""
    if report.ok:
        return report.created + report.updated
    if report.errors and report.errors[0]["row"] is None:
        raise RuleViolation(report.errors[0]["message"], fields={"file": [report.errors[0]["message"]]})
    raise RuleViolation(ngettext("Nothing imported: %(n)s error.", "Nothing imported: %(n)s errors.", report.error_count) % {"n": report.error_count},
                        fields={"rows": report.error_lines()})


def _run(name, *, actor, content, fmt) -> int:
    _check(actor)
    if fmt not in FORMATS:
        raise RuleViolation(_("Only XLSX or CSV files are supported."))
    check_upload_size(len(content))  # the same upload limit as every import (413)
    return _imported(run_import(name, content, f"import.{fmt}", user=actor))


def catalogue_import(*, actor, content: bytes, fmt: str) -> int:
    """Import guiding-catalogue items (finance only); returns how many were created."""
    return _run("procurement_catalogue", actor=actor, content=content, fmt=fmt)


def budget_import(*, actor, content: bytes, fmt: str) -> int:
    """Import budget lines; each row's department must be one the importer's 财政局 keeps."""
    return _run("procurement_budget_lines", actor=actor, content=content, fmt=fmt)
