"""The interchange with the national volunteer information system (全国志愿服务信息系统,
seed 二(一), 二(五)): volunteers and approved service records exported as two CSV files for
upload, and the same files imported through the engine's import path (``national_volunteers``,
``national_records``), so an export imported into a clean database gives the same volunteers
and records. Columns: ``VOLUNTEER_COLUMNS`` and ``RECORD_COLUMNS`` (README "National
interchange"). The national system publishes no file specification; the layout is the
project's own, named after the fields of 办法 Art. 6–7 and the national system's forms.

The files carry full ID numbers: the national system files each person and each hour under
them. Only managers of an organization (for the volunteers it knows and its own records) and
民政局 staff (all) may export them (D6: the staff who need it)."""
import csv
import io

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from import_export.fields import Field
from import_export.widgets import CharWidget

from engine.cases.errors import NotAllowed
from engine.directory import rights
from engine.directory.models import Department, Organization
from engine.directory.validators import mask_id_number
from engine.imports import registry
from engine.imports.cells import neutralize
from engine.imports.resources import ServiceRowResource
from engine.imports.widgets import BoundedDecimalWidget, CodeForeignKeyWidget

from .models import Activity, ServiceRecord, Volunteer
from .resources import VolunteerResource
from .selectors import acquaintance_rows, volunteers_known_to
from .services.registry import activity_create, record_enter

ID_TYPE = "居民身份证"
VOLUNTEER_COLUMNS = ["志愿者编号", "姓名", "证件类型", "证件号码", "手机号码", "常住区县代码", "录入组织",
                     "本人同意录入", "同意方式", "同意时间"]
RECORD_COLUMNS = ["记录编号", "证件类型", "证件号码", "姓名", "活动名称", "服务类别", "服务地点", "服务内容",
                  "开始时间", "结束时间", "服务时长（小时）", "记录组织", "负责人", "记录方式"]
CATEGORIES = {Activity.Category.SERVICE: "志愿服务", Activity.Category.TRAINING: "培训"}
SOURCES = {ServiceRecord.Source.SIGNIN: "签到签退", ServiceRecord.Source.BACKFILL: "手工补录"}
TIME_FORMAT = "%Y-%m-%d %H:%M"


def export_organizations(user):
    """Organizations whose files the user may export: all for the city 民政局 and the
    administrator, those it supervises for a district 民政局, else those the user manages."""
    mca = Department.objects.filter(pk__in=rights.department_ids(user), kind=Department.Kind.MCA)
    if user.is_superuser or mca.filter(level=Department.Level.CITY).exists():
        return Organization.objects.order_by("name")
    # a district's 民政局 only the organizations it supervises (D1)
    return Organization.objects.filter(
        Q(pk__in=rights.organization_ids(user, managers_only=True)) | Q(supervising_department__in=mca)).order_by("name")


def _scope(user, organization=None) -> list[int]:
    orgs = export_organizations(user)
    if organization not in (None, ""):
        orgs = orgs.filter(pk=getattr(organization, "pk", organization))
    ids = list(orgs.values_list("pk", flat=True))
    if not ids:
        raise NotAllowed(_("Only an organization's managers or the civil affairs bureau can export files for the national system."))
    return ids


def _csv(columns, rows) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else neutralize(str(v)) for v in row])
    return buf.getvalue().encode("utf-8-sig")  # a spreadsheet opens UTF-8 with the mark


def _local(dt) -> str:
    return timezone.localtime(dt).strftime(TIME_FORMAT)


def volunteers_csv(user, organization=None) -> bytes:
    """One row per volunteer per organization that knows them (entered, signed in or recorded):
    the organization named is the one on whose behalf the row is uploaded. Every volunteer
    here gave recorded consent (R4: ``consent_at`` is required)."""
    ids = _scope(user, organization)
    # the organizations in the database's order of names (its collation, as the page lists them)
    names = dict(Organization.objects.filter(pk__in=ids).order_by("name", "pk").values_list("pk", "name"))
    position = {pk: n for n, pk in enumerate(names)}
    pairs = set()
    for known in acquaintance_rows(ids):  # a fixed number of queries however many organizations
        # each source's distinct pairs only: attendances and records repeat a volunteer many times
        pairs.update(known.order_by().values_list("organization", "volunteer").distinct().iterator())
    volunteers = Volunteer.objects.select_related("district").in_bulk({volunteer for _, volunteer in pairs})
    rows = []
    for org_id, pk in sorted(pairs, key=lambda p: (position[p[0]], volunteers[p[1]].volunteer_number)):
        v = volunteers[pk]
        rows.append((v.volunteer_number, v.real_name, ID_TYPE, v.id_number, v.phone,
                     v.district.code if v.district_id else "", names[org_id], "是", v.consent_note, _local(v.consent_at)))
    return _csv(VOLUNTEER_COLUMNS, rows)


def records_csv(user, organization=None) -> bytes:
    """Approved current records (R13) of service and training at the organizations' activities."""
    records = (ServiceRecord.objects.counting()
               .filter(activity__organization_id__in=_scope(user, organization), activity__category__in=list(CATEGORIES))
               .select_related("volunteer", "activity", "activity__organization")
               .order_by("activity__organization__name", "activity__start_at", "activity__pk", "volunteer__id_number", "pk"))
    rows = [(r.pk, ID_TYPE, r.volunteer.id_number, r.volunteer.real_name, r.activity.name,
             CATEGORIES[r.activity.category], r.activity.place, r.content, _local(r.activity.start_at),
             _local(r.activity.end_at), r.hours, r.activity.organization.name, r.activity.person_in_charge,
             SOURCES[r.source]) for r in records]
    return _csv(RECORD_COLUMNS, rows)


# --- imports -----------------------------------------------------------------------------------

class NationalVolunteerResource(VolunteerResource):
    """The national volunteers file (``VOLUNTEER_COLUMNS``) through the volunteers import: the
    same entry rules (the importer's own organization, 本人同意录入 = 是, R4; ID numbers
    validated, D6). Only 居民身份证 numbers are accepted."""

    NATIONAL = {"证件号码": "身份证号", "手机号码": "手机号"}

    id_type = Field(column_name="证件类型", widget=CharWidget(allow_blank=True), readonly=True)

    class Meta(VolunteerResource.Meta):
        fields = (*VolunteerResource.Meta.fields, "id_type")

    def dehydrate_id_type(self, volunteer):
        return ID_TYPE

    def header_aliases(self) -> dict:
        aliases = super().header_aliases()
        for national, ours in self.NATIONAL.items():
            aliases[national.lower()] = ours
        return aliases

    def import_instance(self, instance, row, **kwargs):
        kind = str(row.get("证件类型") or ID_TYPE).strip()
        if kind != ID_TYPE:
            raise ValidationError({"id_number": [_("Only resident identity card numbers can be imported.")]})
        super().import_instance(instance, row, **kwargs)


class NationalRecordResource(ServiceRowResource):
    """The national records file (``RECORD_COLUMNS``): each row names the activity by its
    organization, name and times; a missing activity is created by the activity service, and
    the hours are entered by ``record_enter`` as a back-fill waiting for review (R1, R3, R12,
    R13: a file carries no sign-in stamps; someone other than the importer approves)."""

    required_columns = ("hours", "name", "start_at", "end_at")

    volunteer = Field(column_name="证件号码", widget=CharWidget(allow_blank=True))
    name = Field(column_name="活动名称", widget=CharWidget(allow_blank=True))
    category = Field(column_name="服务类别", widget=CharWidget(allow_blank=True))
    place = Field(column_name="服务地点", widget=CharWidget(allow_blank=True))
    content = Field(attribute="content", column_name="服务内容", widget=CharWidget(allow_blank=True))
    start_at = Field(column_name="开始时间", widget=CharWidget(allow_blank=True))
    end_at = Field(column_name="结束时间", widget=CharWidget(allow_blank=True))
    hours = Field(attribute="hours", column_name="服务时长（小时）", widget=BoundedDecimalWidget())
    organization = Field(column_name="记录组织", widget=CodeForeignKeyWidget(Organization, field="name"))
    person_in_charge = Field(column_name="负责人", widget=CharWidget(allow_blank=True))

    class Meta:
        model = ServiceRecord
        fields = ("volunteer", "name", "category", "place", "content", "start_at", "end_at", "hours",
                  "organization", "person_in_charge")
        import_id_fields = ("volunteer", "organization")

    def _time(self, value, field):
        parsed = parse_datetime(str(value or "").strip())
        if parsed is None:
            raise ValidationError({field: [_("Enter a time as YYYY-MM-DD HH:MM.")]})
        return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed

    def import_row(self, row) -> str:
        values = self.cells(row, required=("volunteer", "name", "start_at", "end_at", "hours", "organization"))
        org = values["organization"]
        if not rights.acts_for(self.user, org):
            raise NotAllowed(_("Only the organization that organized the activity can enter records (whoever organizes, records)."))
        start_at, end_at = self._time(values["start_at"], "start_at"), self._time(values["end_at"], "end_at")
        categories = {label: key for key, label in CATEGORIES.items()}
        category = categories.get(str(values["category"] or "志愿服务").strip())
        if category is None:
            raise ValidationError({"category": [_("The service category must be 志愿服务 or 培训.")]})
        activity = Activity.objects.filter(organization=org, name=values["name"], start_at=start_at, end_at=end_at).first()
        if activity is None:
            activity = activity_create(actor=self.user, organization=org, name=values["name"],
                                       place=values["place"] or values["name"], start_at=start_at, end_at=end_at,
                                       person_in_charge=values["person_in_charge"] or org.contact_person or org.name,
                                       category=category)
        key = str(values["volunteer"]).strip().upper()
        volunteer = volunteers_known_to(org).filter(id_number=key).order_by("pk").first()
        if volunteer is None:
            raise ValidationError({"volunteer": [
                _("Your organization has no volunteer with ID number %(id)s.") % {"id": mask_id_number(key)}]})
        record_enter(actor=self.user, volunteer=volunteer, activity=activity, hours=values["hours"],
                     content=values["content"] or "", submit=True)
        return "created"


registry.register("national_volunteers", NationalVolunteerResource)
registry.register("national_records", NationalRecordResource)
