"""The outcome of an import or a dry run in the user's terms: counts, and each error with the row
number as seen in the file (header = row 1), the Chinese column name and a Chinese message."""
from dataclasses import asdict, dataclass, field

from django.utils.encoding import force_str
from django.utils.translation import gettext as _

from .reading import ImportFileError


@dataclass
class ImportReport:
    resource: str
    dry_run: bool = False
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list = field(default_factory=list)  # {"row": int | None, "column": str, "message": str}
    ignored_columns: list = field(default_factory=list)
    error_count: int = 0  # all errors found; ``errors`` keeps only the first few (setting)
    file_digest: str = ""

    def __post_init__(self):
        self.error_count = max(self.error_count, len(self.errors))

    @property
    def ok(self) -> bool:
        return not self.errors and not self.error_count

    def summary(self) -> str:
        counts = _("%(total)d rows: %(created)d new, %(updated)d updated, %(skipped)d unchanged.") % {
            "total": self.total_rows, "created": self.created,
            "updated": self.updated, "skipped": self.skipped,
        }
        if self.ok:
            head = _("Check passed: ") if self.dry_run else _("Import succeeded: ")
            return head + counts
        return (_("Check failed") if self.dry_run else _("Import failed")) + _(
            ": %(n)d errors found, nothing was written."
        ) % {"n": self.error_count}

    def error_lines(self) -> list:
        """One line per error, e.g. "第3行【统一社会信用代码】统一社会信用代码校验位错误…"."""
        lines = []
        for error in self.errors:
            where = _("Row %(row)d") % {"row": error["row"]} if error["row"] else _("File")
            values = {"where": where, "column": error["column"], "message": error["message"]}
            lines.append(_("%(where)s [%(column)s] %(message)s") % values if error["column"]
                         else _("%(where)s: %(message)s") % values)
        if self.error_count > len(self.errors):
            lines.append(_("…and %(n)d more errors not listed.") % {"n": self.error_count - len(self.errors)})
        return lines

    def as_dict(self) -> dict:
        return asdict(self) | {"ok": self.ok, "summary": self.summary()}


class ErrorLog:
    """Row errors of one import: the first ``limit`` kept for the report, all of them counted,
    so a file with a million bad rows costs no more memory than one with a hundred."""

    def __init__(self, limit: int):
        self.limit = limit
        self.count = 0
        self.kept = []

    def add(self, row, column, message) -> None:
        self.count += 1
        if len(self.kept) < self.limit:
            self.kept.append(_error(row, column, message))

    def __bool__(self):
        return self.count > 0


def file_error(resource: str, message: str, *, dry_run: bool) -> ImportReport:
    return ImportReport(resource=resource, dry_run=dry_run, errors=[_error(None, "", message)])


def _error(row, column, message) -> dict:
    return {"row": row, "column": column, "message": force_str(message)}


def build_report(name, resource, result, dataset, *, dry_run, ignored_columns=()) -> ImportReport:
    """Translate django-import-export's Result (dataset-index row numbers, field attributes)
    into an ImportReport (file row numbers, column names)."""
    source_rows = getattr(dataset, "source_rows", None)

    def file_row(number):
        # import-export numbers data rows from 1; without a map, the header is row 1.
        return source_rows[number - 1] if source_rows else number + 1

    errors = [_error(None, "", _base_message(e.error)) for e in result.base_errors]
    for number, row_errors in result.row_errors():
        for e in row_errors:
            errors.append(_error(file_row(number), "", _("Not saved: %(error)s") % {"error": e.error}))
    for invalid in result.invalid_rows:
        for attribute, messages in invalid.error_dict.items():
            for message in messages:
                errors.append(_error(file_row(invalid.number), resource.column_for(attribute), message))
    errors.sort(key=lambda e: (e["row"] or 0))
    totals = result.totals
    return ImportReport(
        resource=name, dry_run=dry_run, total_rows=result.total_rows,
        created=totals["new"], updated=totals["update"], skipped=totals["skip"],
        errors=errors, ignored_columns=list(ignored_columns),
    )


def _base_message(error) -> str:
    if isinstance(error, ImportFileError):
        return str(error)
    return _("Import error: %(error)s") % {"error": error}
