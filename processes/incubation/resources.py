"""XLSX exports: the roster of incubated organizations and the project library (I4, I6).

Built on django-import-export's ``ModelResource`` with Chinese headers. Cells that a
spreadsheet would read as formulas are made inert by the engine's ``neutralize`` (the same
rule as every other export; these resources export only, so they need none of
``SafeModelResource``'s import machinery).
"""
from import_export import resources
from import_export.fields import Field

from engine.imports.cells import neutralize

from .models import IncubationApplication, Milestone
from .selectors import library_project_ids


class _Safe(resources.ModelResource):
    def export_field(self, field, instance, **kwargs):
        return neutralize(super().export_field(field, instance, **kwargs))


class RosterResource(_Safe):
    """One row per admitted application: who is (or was) incubated where, and how it ended."""

    reference = Field(attribute="reference", column_name="编号")
    organization = Field(attribute="organization__name", column_name="组织名称")
    uscc = Field(attribute="organization__uscc", column_name="统一社会信用代码")
    base = Field(attribute="department__name", column_name="孵化基地")
    status = Field(column_name="状态")
    admitted_at = Field(column_name="入驻时间")
    incubation_start = Field(attribute="incubation_start", column_name="孵化开始")
    incubation_end = Field(attribute="incubation_end", column_name="孵化期满")
    extensions = Field(attribute="extensions", column_name="延期次数")
    graduation_average = Field(column_name="结业评审平均分")

    class Meta:
        model = IncubationApplication
        fields = ("reference", "organization", "uscc", "base", "status", "admitted_at", "incubation_start",
                  "incubation_end", "extensions", "graduation_average")

    def dehydrate_status(self, case):
        return case.get_status_display()

    def dehydrate_admitted_at(self, case):
        from django.utils import timezone

        return timezone.localtime(case.admitted_at).strftime("%Y-%m-%d %H:%M") if case.admitted_at else ""

    def dehydrate_graduation_average(self, case):
        avg = case.graduation_average
        return str(avg) if avg is not None else ""

    def dehydrate_uscc(self, case):
        return case.organization.uscc or "尚未登记"


class ProjectLibraryResource(_Safe):
    """Service projects developed in incubation, and whether each entered the library (I6)."""

    reference = Field(attribute="application__reference", column_name="孵化编号")
    organization = Field(attribute="application__organization__name", column_name="组织名称")
    base = Field(attribute="application__department__name", column_name="孵化基地")
    title = Field(attribute="title", column_name="项目名称")
    happened_on = Field(attribute="happened_on", column_name="日期")
    evidence = Field(attribute="evidence", column_name="佐证材料")
    in_library = Field(column_name="优秀项目库")

    class Meta:
        model = Milestone
        fields = ("reference", "organization", "base", "title", "happened_on", "evidence", "in_library")

    def before_export(self, queryset, **kwargs):
        self._library = library_project_ids()
        return super().before_export(queryset, **kwargs)

    def dehydrate_in_library(self, milestone):
        return "已入选" if milestone.pk in getattr(self, "_library", set()) else "否"


def export_xlsx(resource_class, queryset) -> bytes:
    from import_export.formats.base_formats import XLSX

    dataset = resource_class().export(queryset)
    return XLSX().export_data(dataset)
