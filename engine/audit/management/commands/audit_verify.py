from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.audit.verification import verify


class Command(BaseCommand):
    help = gettext_lazy("Verify the audit log: check every content hash, the seal chain and the signed checkpoints, "
                        "and name the first event that was tampered with or deleted.")

    def handle(self, *args, **options):
        report = verify()
        if report.problem:
            raise CommandError(report.problem.message)
        self.stdout.write(self.style.SUCCESS(
            _("The audit chain is intact: %(sealed)d events sealed and each verified, %(checkpointed)d of "
              "them under a signed checkpoint; %(unsealed)d waiting to be sealed.")
            % {"sealed": report.sealed, "checkpointed": report.checkpointed, "unsealed": report.unsealed}
        ))
