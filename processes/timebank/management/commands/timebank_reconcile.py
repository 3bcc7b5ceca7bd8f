"""Prove the time bank's ledger balances; exit 1 naming the first discrepancy."""
from django.core.management.base import BaseCommand, CommandError

from processes.timebank.reconcile import discrepancies, unposted_records
from processes.timebank.services.ledger import record_post


class Command(BaseCommand):
    help = "Check that every ledger transaction sums to zero and credited hours equal approved hours."

    def add_arguments(self, parser):
        parser.add_argument("--post-missing", action="store_true",
                            help="First credit approved service records that were never credited.")

    def handle(self, *args, post_missing=False, **options):
        if post_missing:
            ids = list(unposted_records())
            for pk in ids:
                record_post(record_id=pk)
            self.stdout.write(f"credited {len(ids)} record(s)")
        first = next(iter(discrepancies()), None)
        if first is not None:
            raise CommandError(f"ledger discrepancy: {first}", returncode=1)
        self.stdout.write("ledger balances")
