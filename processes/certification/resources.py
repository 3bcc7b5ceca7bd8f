"""Imports of volunteers and service records through the engine's import infrastructure
(registered as "volunteers" and "service_records"). The same rules as the services hold for
every row: ID numbers validated (D6), consent recorded (R4), only the organizer records
(R1), hours capped at the activity's length (R12), late entries flagged (R3). Imported
records are never approved by the import: they wait for the organization's review (R13)."""
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.fields import Field
from import_export.widgets import CharWidget, DecimalWidget

from engine.cases.models import format_reference, next_number
from engine.directory import rights
from engine.directory.models import District, Organization
from engine.imports import registry
from engine.imports.resources import SafeModelResource
from engine.imports.widgets import ChoiceWidget, CodeForeignKeyWidget, YesNoWidget

from .models import Activity, ServiceRecord, Volunteer


def _error(errors: dict, field: str, message) -> dict:
    errors.setdefault(field, []).append(ValidationError(message))
    return errors


def _may_act_for(user, organization) -> bool:
    return user is None or user.is_superuser or rights.acts_for(user, organization)


class VolunteerResource(SafeModelResource):
    """One row per volunteer, keyed by 身份证号; a new row needs 本人同意录入 = 是 (R4)."""

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

    def get_instance(self, instance_loader, row):
        number = str(row.get(self.fields["id_number"].column_name) or "").strip().upper()
        return Volunteer.objects.filter(id_number=number).first() if number else None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        new = instance.pk is None
        entered_by = instance.registered_by_id  # an existing volunteer stays with its organization
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        instance.id_number = (instance.id_number or "").strip().upper()
        user = kwargs.get("user")
        org = instance.registered_by if instance.registered_by_id else None
        if org is None:
            _error(errors, "registered_by", _("请填写录入组织。"))
        elif not _may_act_for(user, org):
            _error(errors, "registered_by", _("只能录入本组织的志愿者。"))
        if new:
            consent = self.fields["consent"].clean(row) if self.fields["consent"].column_name in row else None
            if consent is not True:
                _error(errors, "consent", _("录入志愿者信息须经本人同意（R4），请在“本人同意录入”填写“是”。"))
            instance.consent_at = timezone.now()
            instance.consent_note = instance.consent_note or _("批量导入，已取得本人同意")
            if not errors:
                year = timezone.localdate().year
                instance.volunteer_number = format_reference("ZY", year, next_number("ZY", year))
        elif instance.user_id:
            _error(errors, "id_number", _("该志愿者已自行注册，其信息由本人维护。"))
        elif entered_by != instance.registered_by_id or not _may_act_for(user, entered_by):
            # R4: one organization's consent does not let another rewrite the entry
            _error(errors, "id_number", _("该志愿者由其他组织录入，只能由录入组织更新其信息。"))
        if errors:
            raise ValidationError(errors)


class ServiceRecordResource(SafeModelResource):
    """One new record per row: 身份证号 of a registered volunteer, 活动编号 of an activity of an
    organization the importer acts for, hours. Existing records are corrected through
    disputes (R6), never by re-import.

    R12: a file carries typed hours, not sign-in and sign-out stamps from a system that took
    them, so every imported row is a back-fill (来源 empty or 手工补录; 签到签退 is refused). It
    is submitted for review at once and, like any back-fill, is approved by someone other than
    the importer (``services.registry.record_approve``)."""

    volunteer = Field(attribute="volunteer", column_name="身份证号",
                      widget=CodeForeignKeyWidget(Volunteer, field="id_number"))
    activity = Field(attribute="activity", column_name="活动编号", widget=CodeForeignKeyWidget(Activity, field="pk"))
    hours = Field(attribute="hours", column_name="服务时长（小时）", widget=DecimalWidget())
    source = Field(attribute="source", column_name="来源", widget=ChoiceWidget(ServiceRecord.Source.choices))
    content = Field(attribute="content", column_name="服务内容", widget=CharWidget(allow_blank=True))

    class Meta:
        model = ServiceRecord
        fields = ("volunteer", "activity", "hours", "source", "content")
        import_id_fields = ("volunteer", "activity")

    def dehydrate_volunteer(self, record):
        return record.volunteer.masked_id  # D6

    def get_instance(self, instance_loader, row):
        return None  # every row is a new record

    def import_instance(self, instance, row, **kwargs):
        from .services.registry import is_late

        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if instance.source == ServiceRecord.Source.SIGNIN:
            _error(errors, "source", _("签到签退记录由系统按签到、签退时间生成，导入的时长一律为手工补录（R12）。"))
        instance.source = ServiceRecord.Source.BACKFILL
        activity = instance.activity if instance.activity_id else None
        user = kwargs.get("user")
        now = timezone.now()
        if activity is not None:
            if not _may_act_for(user, activity.organization):
                _error(errors, "activity", _("只有组织该活动的单位可以录入记录（R1）。"))
            if activity.start_at > now:
                _error(errors, "activity", _("活动尚未开始，不能录入时长。"))
            if instance.hours is not None and instance.hours > activity.length_hours:
                _error(errors, "hours", _("服务时长不能超过活动时长 %(cap)s 小时（R12）。") % {"cap": activity.length_hours})
            if instance.volunteer_id and ServiceRecord.objects.current().filter(
                    volunteer_id=instance.volunteer_id, activity=activity).exists():
                _error(errors, "activity", _("该志愿者在此活动已有记录。"))
            instance.late = is_late(activity, now)
        instance.entered_by = user if getattr(user, "pk", None) else None
        instance.entered_at = now
        instance.content = instance.content or (activity.name if activity else "")
        if instance.status == ServiceRecord.Status.ENTERED:
            instance.submit()  # straight to review: the import is the submission (R12)
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # status is a protected FSM field: only its transitions set it, so full_clean skips it.
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=[*errors, "status"], validate_unique=validate_unique)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def register_all():
    registry.register("volunteers", VolunteerResource)
    registry.register("service_records", ServiceRecordResource)


register_all()
