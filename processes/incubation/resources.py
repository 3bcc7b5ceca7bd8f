"""XLSX exports of incubation: the roster of incubated organizations and the project library
(I4, I6). Both are export only: built on the engine's ``ExportResource`` (Chinese headers,
formula-like cells made inert, as every export) and registered with the engine's registry as
"incubation_roster" and "incubation_projects", the way every process registers its resources;
incubation has nothing to import."""
from django.utils import timezone
from import_export.fields import Field

from engine.imports import registry
from engine.imports.resources import ExportResource
from engine.imports.services import export_file

from .models import IncubationApplication, Milestone
from .selectors import library_project_ids


def application_columns(path: str = "", reference_header: str = "编号") -> tuple:
    """编号, 组织名称, 孵化基地 of the application reached from a row by ``path``."""
    return (Field(attribute=f"{path}reference", column_name=reference_header),
            Field(attribute=f"{path}organization__name", column_name="组织名称"),
            Field(attribute=f"{path}department__name", column_name="孵化基地"))


class RosterResource(ExportResource):
    """One row per admitted application: who is (or was) incubated where, and how it ended."""

    reference, organization, base = application_columns()
    uscc = Field(attribute="organization__uscc", column_name="统一社会信用代码")
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
        return timezone.localtime(case.admitted_at).strftime("%Y-%m-%d %H:%M") if case.admitted_at else ""

    def dehydrate_graduation_average(self, case):
        avg = case.graduation_average
        return str(avg) if avg is not None else ""

    def dehydrate_uscc(self, case):
        return case.organization.uscc or "尚未登记"


class ProjectLibraryResource(ExportResource):
    """Service projects developed in incubation, and whether each entered the library (I6)."""

    reference, organization, base = application_columns("application__", reference_header="孵化编号")
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
    """``queryset`` exported by ``resource_class`` (one of the above) as an XLSX workbook."""
    return export_file(resource_class, queryset, "xlsx")


registry.register("incubation_roster", RosterResource)
registry.register("incubation_projects", ProjectLibraryResource)
