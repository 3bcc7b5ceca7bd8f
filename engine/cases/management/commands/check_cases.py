from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.cases.consistency import find_mismatches


class Command(BaseCommand):
    help = gettext_lazy("List the cases whose open task and status disagree.")

    def handle(self, *args, **options):
        problems = find_mismatches()
        for p in problems:
            self.stdout.write(_("%(reference)s\tstatus %(status)s\t%(problem)s") % {
                "reference": p.reference, "status": p.status, "problem": p.problem})
        if problems:
            raise CommandError(_("Found %(count)d inconsistent cases.") % {"count": len(problems)})
        self.stdout.write(self.style.SUCCESS(_("Every case's open task agrees with its status.")))
