"""``manage.py import_data <resource> <file> [--dry-run]``: import a CSV/XLSX with a registered
resource, print a summary and each row error, and exit non-zero when anything is wrong."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.imports import registry
from engine.imports.services import run_import


class Command(BaseCommand):
    help = gettext_lazy("Import a CSV (UTF-8 or GBK) or XLSX file with a registered import type; "
                        "with any error nothing is written.")

    def add_arguments(self, parser):
        parser.add_argument("resource", help=gettext_lazy("The import type, e.g. organizations, departments."))
        parser.add_argument("file", help=gettext_lazy("Path of the CSV or XLSX file."))
        parser.add_argument("--dry-run", action="store_true", help=gettext_lazy("Only check, write nothing."))

    def handle(self, *args, resource, file, dry_run=False, **options):
        try:
            registry.get(resource)
        except registry.UnknownResource as exc:
            raise CommandError(str(exc)) from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        # Runs inline whatever the size: the operator at the console waits for the answer. The
        # path is streamed, never read whole.
        report = run_import(resource, path, path.name, dry_run=dry_run)
        for line in report.error_lines():
            self.stderr.write(line)
        if report.ignored_columns:
            self.stdout.write(_("Unrecognized columns ignored: %(columns)s")
                              % {"columns": _(", ").join(report.ignored_columns)})
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
