"""``manage.py import_data``: Chinese summary, row errors, non-zero exit on any error."""
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from engine.directory.models import Organization

from .helpers import bad_uscc, csv_bytes, org_row, xlsx_bytes

pytestmark = pytest.mark.django_db


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_data", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_and_prints_a_summary(tmp_path):
    path = tmp_path / "组织.xlsx"
    path.write_bytes(xlsx_bytes([org_row(50), org_row(51)]))
    out, _err = _run("organizations", str(path))
    assert "导入成功，共2行：新增2行" in out
    assert Organization.objects.filter(name__in=["导入测试组织50", "导入测试组织51"]).count() == 2


def test_command_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "组织.csv"
    path.write_bytes(csv_bytes([org_row(52)], encoding="gbk"))
    out, _err = _run("organizations", str(path), "--dry-run")
    assert "预检通过" in out and not Organization.objects.filter(name="导入测试组织52").exists()


def test_command_reports_row_errors_and_fails(tmp_path):
    path = tmp_path / "组织.csv"
    path.write_bytes(csv_bytes([org_row(53), org_row(54, **{"统一社会信用代码": bad_uscc(54)})]))
    err = StringIO()
    with pytest.raises(CommandError, match="导入失败：发现1处错误，未写入任何数据"):
        call_command("import_data", "organizations", str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().startswith("第3行【统一社会信用代码】统一社会信用代码校验位错误")
    assert not Organization.objects.filter(name="导入测试组织53").exists()


def test_command_refuses_unknown_resource_and_missing_file(tmp_path):
    with pytest.raises(CommandError, match="没有名为“nope”的导入类型，可用：.*organizations"):
        _run("nope", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="找不到文件"):
        _run("organizations", str(tmp_path / "missing.csv"))


def test_command_exits_non_zero_from_the_shell(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([["x"]], header=["统一社会信用代码"]))
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, "manage.py", "import_data", "organizations", str(path), "--dry-run"],
        cwd=root, capture_output=True, text=True, timeout=120,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin",
             "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"},
    )
    assert result.returncode == 1
    assert "缺少必需的列：组织名称" in result.stderr
