"""Regenerate engine/api/descriptions.py from the English schema (D7): the operations'
descriptions as catalog entries. ``scripts/messages.py update`` runs it before makemessages."""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.api.schema import DESCRIPTIONS_MODULE, descriptions_module, operation_texts


class Command(BaseCommand):
    help = gettext_lazy("Write the API operations' descriptions into engine/api/descriptions.py for translation.")

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help=gettext_lazy("Only report whether the file is up to date; change nothing."))

    def handle(self, *args, check=False, **options):
        texts = operation_texts()
        source = descriptions_module(texts)
        current = DESCRIPTIONS_MODULE.read_text(encoding="utf-8") if DESCRIPTIONS_MODULE.exists() else ""
        if check:
            if source != current:
                raise CommandError(_("%(path)s is out of date: run scripts/messages.py update.")
                                   % {"path": DESCRIPTIONS_MODULE.name})
            return
        if source != current:
            DESCRIPTIONS_MODULE.write_text(source, encoding="utf-8")
        self.stdout.write(_("%(count)d descriptions in %(path)s.") % {"count": len(texts),
                                                                       "path": DESCRIPTIONS_MODULE.name})
