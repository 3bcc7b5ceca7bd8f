from django.core.management.base import BaseCommand, CommandError

from engine.audit.verification import verify


class Command(BaseCommand):
    help = "校验审计日志：逐条核对内容哈希、封存链和签名检查点，指出第一条被篡改或删除的事件。"

    def handle(self, *args, **options):
        report = verify()
        if report.problem:
            raise CommandError(report.problem.message)
        self.stdout.write(self.style.SUCCESS(
            f"审计链完整：共 {report.sealed} 条事件已封存并逐条校验通过，"
            f"其中 {report.checkpointed} 条有签名检查点；待封存 {report.unsealed} 条。"
        ))
