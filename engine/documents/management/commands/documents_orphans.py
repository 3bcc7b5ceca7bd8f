"""List, and with ``--delete`` remove, stored files that no document version names
(``engine.documents.orphans``). The same sweep runs periodically (``engine.documents.tasks``)."""
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from engine.documents import conf
from engine.documents.orphans import orphans_sweep


class Command(BaseCommand):
    help = "List (or delete) stored document files that no document version names."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Delete them (default: only list).")
        parser.add_argument("--min-age-minutes", type=int, default=None,
                            help="Only files older than this (default: DOCUMENT_ORPHAN_MIN_AGE_MINUTES, 60).")

    def handle(self, *args, delete=False, min_age_minutes=None, **options):
        if min_age_minutes is None:
            min_age_minutes = conf.orphan_min_age_minutes()
        orphans = orphans_sweep(min_age_minutes=min_age_minutes, delete=delete)
        for name in orphans:
            self.stdout.write(name)
        done = _("%(n)s stored files that no version names, deleted.") if delete else _(
            "%(n)s stored files that no version names (run with --delete to remove them).")
        self.stdout.write(done % {"n": len(orphans)})
