"""The base every process's import/export resource inherits: Chinese column headers with the
English field names also accepted, model validation (``full_clean``) on every row, formula-safe
exports, and a per-row progress hook for long imports."""
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from import_export import resources

from engine.audit.services import audit_record

from .cells import neutralize, unneutralize
from .reading import ImportFileError


class SafeModelResource(resources.ModelResource):
    """Subclass with ``Meta.model``, ``Meta.fields`` and ``Meta.import_id_fields`` (a natural
    key, so re-importing a file updates rows instead of duplicating them), and declare each
    column as a ``Field`` whose ``column_name`` is the Chinese header."""

    class Meta:
        clean_model_instances = True  # run the model's validators and constraints per row
        skip_unchanged = True  # a re-import of the same file reports rows as unchanged
        report_skipped = True
        use_transactions = True

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=False, **kwargs):
        # All or nothing for every caller (service, admin, processes): a row that fails
        # validation rolls the whole file back, not only a row that crashes.
        return super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True,
            collect_failed_rows=collect_failed_rows, rollback_on_validation_errors=True, **kwargs,
        )

    def header_aliases(self) -> dict:
        """Lower-cased accepted headers (Chinese column name, field name, attribute) -> column."""
        aliases = {}
        for name, field in self.fields.items():
            for alias in (field.column_name, name, field.attribute):
                if alias:
                    aliases.setdefault(str(alias).strip().lower(), field.column_name)
        return aliases

    def prepare_dataset(self, dataset) -> list:
        """Rename accepted headers to the Chinese column names in place; refuse duplicate or
        missing key columns. Returns the columns that will be ignored."""
        aliases = self.header_aliases()
        headers = [str(h or "").strip() for h in dataset.headers]
        headers = [aliases.get(h.lower(), h) for h in headers]
        repeated = sorted({h for h in headers if h and headers.count(h) > 1})
        if repeated:
            raise ImportFileError(
                _("表头中的列“%(columns)s”出现了不止一次（中文列名和英文字段名只能用其一）。")
                % {"columns": "、".join(repeated)}
            )
        key_columns = [self.fields[name].column_name for name in self.get_import_id_fields()]
        missing = [c for c in key_columns if c not in headers]
        if missing:
            raise ImportFileError(_("缺少必需的列：%(columns)s。") % {"columns": "、".join(missing)})
        dataset.headers = headers
        known = set(aliases.values())
        return [h for h in headers if h and h not in known]

    def before_import(self, dataset, **kwargs):
        # The admin's import calls import_data directly; headers are prepared here for it too
        # (idempotent when the import service already did it).
        self.prepare_dataset(dataset)
        super().before_import(dataset, **kwargs)

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            if isinstance(value, str):
                row[column] = unneutralize(value.strip())
        super().before_import_row(row, **kwargs)

    def after_import_row(self, row, row_result, **kwargs):
        progress = kwargs.get("progress")
        if progress is not None:
            progress(kwargs["row_number"])
        super().after_import_row(row, row_result, **kwargs)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        # dry_run is only in kwargs once a row was imported; no rows means nothing to record.
        if kwargs.get("dry_run", True) or result.has_errors() or result.has_validation_errors():
            return
        # One event per committed import, whichever door it came through (service or admin),
        # inside the import's transaction so it exists exactly when the rows do.
        totals = result.totals
        audit_record(
            actor=kwargs.get("user"), action="import.done",
            object_type=self._meta.model._meta.label_lower,
            after={"resource": type(self).__name__, "file": kwargs.get("file_name") or "",
                   "rows": result.total_rows, "created": totals["new"], "updated": totals["update"]},
        )

    def export_field(self, field, instance, **kwargs):
        return neutralize(super().export_field(field, instance, **kwargs))

    def get_export_headers(self, selected_fields=None):
        return [neutralize(h) for h in super().get_export_headers(selected_fields)]

    def column_for(self, attribute: str) -> str:
        """The Chinese column a model attribute's error belongs to ('' for the whole row)."""
        for name, field in self.fields.items():
            if attribute in (name, field.attribute):
                return str(field.column_name)
        try:
            return str(self._meta.model._meta.get_field(attribute).verbose_name)
        except FieldDoesNotExist:  # NON_FIELD_ERRORS: the row as a whole
            return ""
