"""Every process registers its resources the same way; export-only ones (a roster, tender
results) are reached by name for export and unknown to every import path."""
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from engine.imports import registry
from engine.imports.resources import ExportResource, SafeModelResource
from engine.imports.services import export_data, run_import
from processes.incubation.models import IncubationApplication
from processes.incubation.resources import ProjectLibraryResource, RosterResource
from processes.procurement.resources import ResultsResource
from tests.factories import UserFactory

EXPORT_ONLY = {"incubation_roster": RosterResource, "incubation_projects": ProjectLibraryResource,
               "procurement_results": ResultsResource}
IMPORTS = {"departments", "organizations", "volunteers", "service_records", "national_volunteers", "national_records",
           "procurement_catalogue", "procurement_budget_lines"}


def test_every_process_registers_its_resources_on_the_engines_base():
    for name, resource_class in EXPORT_ONLY.items():
        assert registry.get_export(name) is resource_class and issubclass(resource_class, ExportResource)
    assert set(registry.names()) == IMPORTS
    for name in IMPORTS:
        resource_class = registry.get(name)
        assert issubclass(resource_class, SafeModelResource) and not issubclass(resource_class, ExportResource)


@pytest.mark.parametrize("name", sorted(EXPORT_ONLY))
def test_an_export_only_name_is_no_import_type(name):
    with pytest.raises(registry.UnknownResource, match="导入类型"):
        registry.get(name)


@pytest.mark.django_db
def test_an_export_only_name_is_refused_by_every_import_path(tmp_path):
    data = "编号,组织名称\nFH-2026-000001,某组织\n".encode()
    client = APIClient()
    client.force_authenticate(UserFactory(is_superuser=True, is_staff=True))
    response = client.post("/api/v1/imports/incubation_roster/",
                           {"file": SimpleUploadedFile("r.csv", data), "dry_run": "true"}, format="multipart")
    assert response.status_code == 404
    path = tmp_path / "roster.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="没有名为“incubation_roster”的导入类型"):
        call_command("import_data", "incubation_roster", str(path))
    with pytest.raises(registry.UnknownResource):
        run_import("incubation_roster", data, "r.csv")
    assert not IncubationApplication.objects.exists()


@pytest.mark.django_db
def test_an_export_only_resource_exports_by_name_with_its_headers():
    sheet = openpyxl.load_workbook(io.BytesIO(export_data("incubation_roster", fmt="xlsx"))).active
    headers = [cell.value for cell in next(sheet.iter_rows())]
    assert headers[:5] == ["编号", "组织名称", "统一社会信用代码", "孵化基地", "状态"]
    with pytest.raises(registry.UnknownResource, match="导出类型"):
        export_data("nothing_here")
