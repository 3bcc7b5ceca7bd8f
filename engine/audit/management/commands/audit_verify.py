from django.core.management.base import BaseCommand, CommandError

from engine.audit.chain import verify
from engine.audit.models import AuditEvent, ChainHead


class Command(BaseCommand):
    help = "校验审计日志哈希链，指出第一条被篡改或删除的事件（D4）。"

    def handle(self, *args, **options):
        head = ChainHead.objects.filter(pk=1).first()
        problem = verify(AuditEvent.objects.order_by("seq"), head=head)
        if problem:
            raise CommandError(problem.message)
        count = head.last_seq if head else 0
        self.stdout.write(self.style.SUCCESS(f"审计链完整：共 {count} 条事件，逐条校验通过。"))
