from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.audit import checkpoints
from engine.audit.sealing import seal_pending


class Command(BaseCommand):
    help = gettext_lazy("Seal newly written audit events and write a signed checkpoint; --print prints the latest "
                        "checkpoint for the paper archive.")

    def add_arguments(self, parser):
        parser.add_argument("--print", action="store_true", dest="print_only", help=gettext_lazy("Only print the latest checkpoint"))

    def handle(self, *args, print_only=False, **options):
        if not print_only:
            count = seal_pending()
            self.stdout.write(self.style.SUCCESS(_("Sealed %(count)d audit events.") % {"count": count}))
        self.stdout.write(checkpoints.printable())
