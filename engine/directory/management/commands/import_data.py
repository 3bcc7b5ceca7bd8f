"""``manage.py import_data <resource> <file> [--dry-run]``: import a CSV/XLSX with a registered
resource, print a Chinese summary and each row error, and exit non-zero when anything is wrong."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from engine.imports import registry
from engine.imports.services import run_import


class Command(BaseCommand):
    help = "用已登记的导入类型导入 CSV（UTF-8 或 GBK）或 XLSX 文件；有任何错误则不写入任何数据。"

    def add_arguments(self, parser):
        parser.add_argument("resource", help="导入类型，例如 organizations、departments。")
        parser.add_argument("file", help="CSV 或 XLSX 文件路径。")
        parser.add_argument("--dry-run", action="store_true", help="只预检，不写入。")

    def handle(self, *args, resource, file, dry_run=False, **options):
        try:
            registry.get(resource)
        except registry.UnknownResource as exc:
            raise CommandError(str(exc)) from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        # Runs inline whatever the size: the operator at the console waits for the answer. The
        # path is streamed, never read whole.
        report = run_import(resource, path, path.name, dry_run=dry_run)
        for line in report.error_lines():
            self.stderr.write(line)
        if report.ignored_columns:
            self.stdout.write("已忽略无法识别的列：" + "、".join(report.ignored_columns))
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
