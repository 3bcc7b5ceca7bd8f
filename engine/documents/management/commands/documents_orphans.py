"""List, and with ``--delete`` remove, stored files that no document version names.

A file is written before its version row, inside the upload's transaction; the upload removes
it again when its own transaction fails, but a caller's larger transaction that rolls back
afterwards leaves it behind. Only files older than ``--min-age-minutes`` (60) are looked at, so
an upload still in progress is never touched. Works on the local directory and on S3 alike
(Django's storage API).
"""
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from engine.documents.models import DocumentVersion
from engine.documents.storage import document_storage


def stored_names(storage, path=""):
    directories, files = storage.listdir(path)
    for name in files:
        yield f"{path}/{name}" if path else name
    for directory in directories:
        yield from stored_names(storage, f"{path}/{directory}" if path else directory)


class Command(BaseCommand):
    help = "List (or delete) stored document files that no document version names."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Delete them (default: only list).")
        parser.add_argument("--min-age-minutes", type=int, default=60)

    def handle(self, *args, delete=False, min_age_minutes=60, **options):
        storage = document_storage()
        cutoff = timezone.now() - timedelta(minutes=min_age_minutes)
        try:
            names = list(stored_names(storage))
        except FileNotFoundError:  # nothing stored yet
            names = []
        known = set(DocumentVersion.objects.filter(blob__in=names).values_list("blob", flat=True))
        orphans = [n for n in names if n not in known and storage.get_modified_time(n) < cutoff]
        for name in orphans:
            if delete:
                storage.delete(name)
            self.stdout.write(name)
        done = _("%(n)s stored files that no version names, deleted.") if delete else _(
            "%(n)s stored files that no version names (run with --delete to remove them).")
        self.stdout.write(done % {"n": len(orphans)})
