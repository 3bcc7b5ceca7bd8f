"""Imports of volunteers and service records through the engine's import pipeline (registered
as "volunteers" and "service_records"), each row through the certification services. Volunteers
are entered under the rules of ``services.entries`` (the organization's own, with consent, R4;
ID numbers validated, D6) in their bulk form: created a chunk at a time, one block of volunteer
numbers for the whole import, taken at its end. Service records go through the record-entry
service (``services.registry.record_enter``), so R1, R12's cap and R3's late flag are the
service's, not re-implemented here; imported records wait for review by someone else (R12, R13)."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export.fields import Field
from import_export.widgets import CharWidget

from engine.cases.errors import DomainError
from engine.directory.models import District, Organization
from engine.directory.validators import mask_id_number
from engine.imports import registry
from engine.imports.resources import SafeModelResource, ServiceRowResource
from engine.imports.widgets import (
    BoundedDecimalWidget,
    ChoiceWidget,
    CodeForeignKeyWidget,
    YesNoWidget,
)

from .models import Activity, ServiceRecord, Volunteer
from .selectors import volunteers_known_to
from .services.entries import VolunteerEntryBatch
from .services.registry import record_enter


def _error(errors: dict, field: str, message) -> dict:
    errors.setdefault(field, []).append(ValidationError(message))
    return errors


def _refused(errors: dict, exc: DomainError) -> dict:
    """A service's refusal of a row, under the field it names."""
    for field in (exc.fields or {"": None}):
        _error(errors, field, str(exc.message))
    return errors


class VolunteerResource(SafeModelResource):
    """One row per volunteer, keyed by 身份证号; a new row needs 本人同意录入 = 是 (R4).
    ``Volunteer.save`` does nothing beyond saving, so new rows are bulk-created."""

    bulk_create_new = True

    real_name = Field(attribute="real_name", column_name="姓名")
    id_number = Field(attribute="id_number", column_name="身份证号", widget=CharWidget(allow_blank=False))
    phone = Field(attribute="phone", column_name="手机号", widget=CharWidget(allow_blank=True))
    registered_by = Field(attribute="registered_by", column_name="录入组织",
                          widget=CodeForeignKeyWidget(Organization, field="name"))
    consent = Field(column_name="本人同意录入", widget=YesNoWidget(), readonly=True)
    consent_note = Field(attribute="consent_note", column_name="同意方式", widget=CharWidget(allow_blank=True))
    volunteer_number = Field(attribute="volunteer_number", column_name="志愿者编号", readonly=True)
    district = Field(attribute="district", column_name="常住区县代码", widget=CodeForeignKeyWidget(District, field="code"))

    class Meta:
        model = Volunteer
        fields = ("real_name", "id_number", "phone", "registered_by", "consent", "consent_note", "district",
                  "volunteer_number")
        import_id_fields = ("id_number",)

    # D6: an export shows ID numbers and phones masked; importing needs the full numbers.
    def dehydrate_id_number(self, volunteer):
        return volunteer.masked_id

    def dehydrate_phone(self, volunteer):
        return volunteer.masked_phone

    def start_import(self, *, user) -> None:
        super().start_import(user=user)
        self.entries = VolunteerEntryBatch(user)

    def row_key(self, row):
        """An entry is one organization's (its consent, R4): the key is the ID number together
        with the entering organization, as the database's uniqueness has it."""
        return (str(row.get(self.fields["id_number"].column_name) or "").strip().upper(),
                str(row.get(self.fields["registered_by"].column_name) or "").strip())

    def find_existing(self, rows) -> dict:
        """The organization's own unclaimed entries; a person who registered themself, or whom
        another organization entered, is not found — nor told about (issue #16)."""
        keys = {self.row_key(row) for row in rows} - {("", "")}
        entries = Volunteer.objects.filter(
            id_number__in={k[0] for k in keys}, registered_by__name__in={k[1] for k in keys}, user__isnull=True,
        ).select_related("registered_by")
        return {(v.id_number, v.registered_by.name): v for v in entries}

    def unvalidated_fields(self) -> list:
        # the number is given to the chunk's new rows at once, just before writing; the consent
        # time by the entry service, only to a row it accepts
        return ["volunteer_number", "consent_at"]

    def before_bulk_create(self, instances) -> None:
        self.entries.number_provisionally(instances)

    def finish_import(self) -> None:
        self.entries.finish()

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        new = instance.pk is None
        entered_by = instance.registered_by_id  # an existing volunteer stays with its organization
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        instance.id_number = (instance.id_number or "").strip().upper()
        consent = None
        if new and self.fields["consent"].column_name in row:
            try:
                consent = self.fields["consent"].clean(row)
            except ValueError as exc:
                _error(errors, "consent", str(exc))
        if "registered_by" not in errors:  # an unknown organization is reported as such
            try:
                if new:
                    self.entries.enter(instance, consent=consent)
                else:
                    self.entries.change(instance, entered_by_id=entered_by)
            except DomainError as exc:
                if not set(exc.fields or {}) & set(errors):  # not a cell already reported unreadable
                    _refused(errors, exc)
        if errors:
            raise ValidationError(errors)


class ServiceRecordResource(ServiceRowResource):
    """One new record per row: 身份证号 of a registered volunteer, 活动编号 of an activity of an
    organization the importer acts for, hours. Existing records are corrected through
    disputes (R6), never by re-import.

    Each row is entered by ``record_enter`` with ``submit=True``, the same call as the portal's
    form: the service checks R1 (only the organizer records), R12 (a file carries typed hours,
    so every row is a back-fill, capped at the activity's length; 签到签退 is refused) and flags
    late entries (R3); the record then waits for approval by someone other than the importer."""

    required_columns = ("hours",)

    # resolved in ``import_row`` among the volunteers the organization knows, not by the widget
    volunteer = Field(column_name="身份证号", widget=CharWidget(allow_blank=True))
    activity = Field(attribute="activity", column_name="活动编号", widget=CodeForeignKeyWidget(Activity, field="pk"))
    hours = Field(attribute="hours", column_name="服务时长（小时）", widget=BoundedDecimalWidget())
    source = Field(attribute="source", column_name="来源", widget=ChoiceWidget(ServiceRecord.Source.choices))
    content = Field(attribute="content", column_name="服务内容", widget=CharWidget(allow_blank=True))

    class Meta:
        model = ServiceRecord
        fields = ("volunteer", "activity", "hours", "source", "content")
        import_id_fields = ("volunteer", "activity")

    def dehydrate_volunteer(self, record):
        return record.volunteer.masked_id  # D6

    def import_row(self, row) -> str:
        values = self.cells(row, required=("volunteer", "activity", "hours"))
        # the file names people by ID number: only those the organization already deals with,
        # and "not found" reads the same as for a number nobody registered (issue #16)
        key = str(values["volunteer"]).strip().upper()
        volunteer = volunteers_known_to(values["activity"].organization_id).filter(id_number=key).first()
        if volunteer is None:
            raise ValidationError({"volunteer": [
                _("Your organization has no volunteer with ID number %(id)s.") % {"id": mask_id_number(key)}]})
        record_enter(
            actor=self.user, volunteer=volunteer, activity=values["activity"], hours=values["hours"],
            source=values["source"] or ServiceRecord.Source.BACKFILL, content=values["content"] or "", submit=True,
        )
        return "created"


registry.register("volunteers", VolunteerResource)
registry.register("service_records", ServiceRecordResource)
