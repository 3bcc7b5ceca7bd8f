"""The base every process's import/export resource inherits: Chinese column headers with the
English field names also accepted, model validation (``full_clean``) on every row, formula-safe
exports, and the chunk hooks the streaming import (``pipeline.py``) drives.

Three ways a row is written, chosen by the resource:
- default: each row saved as it is checked (small registries such as departments, where a
  row may name a parent created a few rows earlier);
- ``bulk_create_new = True``: the chunk's new rows are created with one ``bulk_create`` and
  existing ones saved (large files of plain records: volunteers);
- :class:`ServiceRowResource`: each row goes through the process's own service, which checks
  the actor's right and the rules and writes its own audit event (procurement, records).

A report that is only ever exported (a roster, tender results) is an :class:`ExportResource`:
the same headers and formula-safe cells, registered by name like the others, never imported.
"""
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import resources
from import_export.widgets import ManyToManyWidget

from engine.audit.services import audit_record
from engine.cases.errors import DomainError

from .cells import neutralize, unneutralize
from .reading import ImportFileError
from .widgets import CodeForeignKeyWidget


class SafeModelResource(resources.ModelResource):
    """Subclass with ``Meta.model``, ``Meta.fields`` and ``Meta.import_id_fields`` (a natural
    key, so re-importing a file updates rows instead of duplicating them), and declare each
    column as a ``Field`` whose ``column_name`` is the Chinese header."""

    importable = True  # False: export only (``ExportResource``); the import registry skips it
    bulk_create_new = False  # True only where the model's save() and signals do nothing extra
    required_columns = ()  # columns a file must have besides the key columns

    class Meta:
        clean_model_instances = True  # run the model's validators and constraints per row
        skip_unchanged = True  # a re-import of the same file reports rows as unchanged
        report_skipped = True
        use_transactions = True

    # --- the admin's import (django-import-export's own loop, kept for the admin form) ------
    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=False, **kwargs):
        # All or nothing for every caller: a row that fails validation rolls the whole file back.
        self.start_import(user=kwargs.get("user"))
        return super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True,
            collect_failed_rows=collect_failed_rows, rollback_on_validation_errors=True, **kwargs,
        )

    def before_import(self, dataset, **kwargs):
        columns, _ignored = self.map_headers(dataset.headers)
        dataset.headers = [c or str(h or "") for c, h in zip(columns, dataset.headers)]
        super().before_import(dataset, **kwargs)

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            if isinstance(value, str):
                row[column] = unneutralize(value.strip())
        super().before_import_row(row, **kwargs)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("dry_run", True) or result.has_errors() or result.has_validation_errors():
            return
        totals = result.totals
        audit_record(
            actor=kwargs.get("user"), action="import.done",
            object_type=self._meta.model._meta.label_lower,
            after={"resource": type(self).__name__, "file": kwargs.get("file_name") or "",
                   "rows": result.total_rows, "created": totals["new"], "updated": totals["update"]},
        )

    # --- headers ------------------------------------------------------------------------------
    def header_aliases(self) -> dict:
        """Lower-cased accepted headers (Chinese column name, field name, attribute) -> column."""
        aliases = {}
        for name, field in self.fields.items():
            for alias in (field.column_name, name, field.attribute):
                if alias:
                    aliases.setdefault(str(alias).strip().lower(), field.column_name)
        return aliases

    def map_headers(self, headers) -> tuple[list, list]:
        """The column name each header stands for (None for a column this resource ignores), and
        the ignored headers. Refuses repeated columns and missing key or required columns."""
        aliases = self.header_aliases()
        columns = [aliases.get(str(h or "").strip().lower()) for h in headers]
        named = [c for c in columns if c]
        repeated = sorted({c for c in named if named.count(c) > 1})
        if repeated:
            raise ImportFileError(
                _("The column “%(columns)s” appears more than once in the header (use either the Chinese column name or the English field name, not both).")
                % {"columns": _(", ").join(repeated)}
            )
        needed = [self.fields[name].column_name for name in (*self.get_import_id_fields(), *self.required_columns)]
        missing = [c for c in dict.fromkeys(needed) if c not in named]
        if missing:
            raise ImportFileError(_("Required columns are missing: %(columns)s.") % {"columns": _(", ").join(missing)})
        ignored = [str(h) for h, c in zip(headers, columns) if h and not c]
        return columns, ignored

    # --- the streaming import -----------------------------------------------------------------
    def start_import(self, *, user) -> None:
        """Called once before the first chunk: forget what a previous import looked up."""
        self.user = user
        # import-export works this list out again for every row; an import needs it once
        self._import_fields = [f for f in self.get_import_fields()
                               if f.attribute and not f.readonly and not isinstance(f.widget, ManyToManyWidget)]
        for field in self.fields.values():
            if isinstance(field.widget, CodeForeignKeyWidget):
                field.widget.clear_cache()

    def import_instance(self, instance, row, **kwargs):
        """Set the instance's attributes from the row's cells; every bad cell is reported."""
        fields = getattr(self, "_import_fields", None)
        if fields is None:
            return super().import_instance(instance, row, **kwargs)
        errors = {}
        for field in fields:
            if field.column_name in row:
                try:
                    field.save(instance, row)
                except ValueError as exc:
                    errors[field.attribute] = ValidationError(force_str(exc), code="invalid")
        if errors:
            raise ValidationError(errors)

    def import_chunk(self, rows, errors, counts) -> None:
        """Check and write ``rows`` (``[(row number, {column: value})]``); each problem goes to
        ``errors`` (an ``ErrorLog``) with its row number; ``counts`` (a Counter) gets
        ``created``/``updated``/``skipped``."""
        for _number, row in rows:
            self.before_import_row(row)
        if self.bulk_create_new:
            self._import_chunk_bulk(rows, errors, counts)
            return
        loader = self._meta.instance_loader_class(self)
        for number, row in rows:
            try:
                with transaction.atomic():  # a row the database refuses leaves the others usable
                    instance = self.get_instance(loader, row)
                    counts[self._apply(instance, row, save=True)[1]] += 1
            except (ValidationError, DomainError, ValueError, IntegrityError) as exc:
                self.report_row_error(errors, number, exc)

    def _import_chunk_bulk(self, rows, errors, counts) -> None:
        existing = self.find_existing([row for _n, row in rows])
        pending, new = {}, []
        for number, row in rows:
            key = self.row_key(row)
            try:
                found = pending.get(key) or existing.get(key)
                instance, outcome = self._apply(found, row, save=False)
            except (ValidationError, DomainError, ValueError) as exc:
                self.report_row_error(errors, number, exc)
                continue
            if found is None:  # a later row of the file with the same key updates this one
                pending[key] = instance
                new.append(instance)
            counts[outcome] += 1
        if errors:
            return  # the import will roll back; writing more would only cost time
        try:
            with transaction.atomic():
                if new:
                    self.before_bulk_create(new)
                    self._meta.model.objects.bulk_create(new)
                for instance in existing.values():
                    if getattr(instance, "_import_changed", False):
                        instance.save()
        except IntegrityError:
            errors.add(rows[0][0], "", _("Rows %(a)d to %(b)d could not be saved (they conflict with existing data); please check for duplicates.")
                       % {"a": rows[0][0], "b": rows[-1][0]})

    def _apply(self, instance, row, *, save) -> tuple:
        """Fill ``instance`` (None: a new one) from ``row``, validate, and save it when asked;
        returns the instance and ``created``, ``updated`` or ``skipped``."""
        created = instance is None
        if created:
            instance = self.init_instance(row)
        before = None if created else self._snapshot(instance)
        errors = {}
        try:
            self.import_instance(instance, row, user=self.user)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        self.validate_instance(instance, errors, validate_unique=not self.bulk_create_new)
        if not created and self._meta.skip_unchanged and self._snapshot(instance) == before:
            return instance, "skipped"
        instance._import_changed = True
        if save:
            instance.save()
        return instance, "created" if created else "updated"

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # A related row a CodeForeignKeyWidget found exists: validating it again is a query per row.
        found = [f.attribute for f in self.fields.values()
                 if isinstance(f.widget, CodeForeignKeyWidget) and f.attribute]
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=[*errors, *found, *self.unvalidated_fields()], validate_unique=validate_unique)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def unvalidated_fields(self) -> list:
        """Model fields ``full_clean`` must skip (e.g. a protected FSM status)."""
        return []

    @staticmethod
    def _snapshot(instance) -> dict:
        return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}

    def row_key(self, row):
        """The natural key of a row, for ``bulk_create_new`` resources."""
        return tuple(str(row.get(self.fields[name].column_name) or "").strip() for name in self.get_import_id_fields())

    def find_existing(self, rows) -> dict:
        """``{row_key: instance}`` for the rows that already exist, in one query where the
        resource can (``bulk_create_new`` resources override this)."""
        raise NotImplementedError

    def before_bulk_create(self, instances) -> None:
        """Last changes to a chunk's new rows before they are written (e.g. placeholders)."""

    def finish_import(self) -> None:
        """Called once after the last chunk of an import that will commit (e.g. numbering)."""

    def report_row_error(self, errors, number, exc) -> None:
        """Put a row's exception into ``errors`` under the Chinese column it concerns."""
        if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
            for attribute, messages in exc.message_dict.items():
                for message in messages:
                    errors.add(number, self.column_for(attribute), message)
        elif isinstance(exc, ValidationError):
            for message in exc.messages:
                errors.add(number, "", message)
        elif isinstance(exc, DomainError):
            fields = exc.fields if isinstance(exc.fields, dict) else {}
            details = [_("%(column)s: %(errors)s") % {"column": self.column_for(k) or k,
                                                       "errors": _("; ").join(map(str, v if isinstance(v, list) else [v]))}
                       for k, v in fields.items() if k != "non_field_errors"]
            errors.add(number, "", _("; ").join([str(exc.message), *details]))
        elif isinstance(exc, IntegrityError):
            errors.add(number, "", _("Not saved: conflicts with existing data."))
        else:
            errors.add(number, "", str(exc))

    # --- exports ------------------------------------------------------------------------------
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


class ExportResource(SafeModelResource):
    """A resource that is only exported: Chinese headers, formula-safe cells and registration
    by name as every resource has, while ``registry.get`` (the import side) does not know it."""

    importable = False


class ServiceRowResource(SafeModelResource):
    """A resource whose rows are written by the process's own service, one call per row: the
    service checks the actor's right and the rules and writes its audit event, exactly as when
    the same thing is done by hand. Subclasses implement :meth:`import_row`."""

    def import_chunk(self, rows, errors, counts) -> None:
        for number, row in rows:
            self.before_import_row(row)
            try:
                with transaction.atomic():
                    counts[self.import_row(row)] += 1
            except (ValidationError, DomainError, ValueError, IntegrityError) as exc:
                self.report_row_error(errors, number, exc)

    def import_row(self, row) -> str:
        """Write one row through the service; returns ``created``, ``updated`` or ``skipped``."""
        raise NotImplementedError

    def cell(self, row, name):
        """The cleaned value of column ``name`` (a field name); a bad cell raises ValidationError."""
        field = self.fields[name]
        if field.column_name not in row:
            return None
        try:
            return field.clean(row)
        except ValueError as exc:
            raise ValidationError({field.attribute or name: [str(exc)]}) from None

    def cells(self, row, *, required=()) -> dict:
        """``{field name: cleaned value}`` for every field of ``Meta.fields``; every unreadable
        cell and every empty one of ``required`` is reported at once (one ValidationError)."""
        errors, values = {}, {}
        for name in self._meta.fields:
            try:
                values[name] = self.cell(row, name)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        for name in required:
            key = self.fields[name].attribute or name
            if values.get(name) in (None, "") and key not in errors:
                errors[key] = [ValidationError(_("This cell is required."))]
        if errors:
            raise ValidationError(errors)
        return values

