from django.core.management.base import BaseCommand

from engine.audit import checkpoints
from engine.audit.sealing import seal_pending


class Command(BaseCommand):
    help = "封存新写入的审计事件并写入签名检查点；--print 打印最新检查点供纸质存档。"

    def add_arguments(self, parser):
        parser.add_argument("--print", action="store_true", dest="print_only", help="只打印最新检查点")

    def handle(self, *args, print_only=False, **options):
        if not print_only:
            count = seal_pending()
            self.stdout.write(self.style.SUCCESS(f"本次封存 {count} 条审计事件。"))
        self.stdout.write(checkpoints.printable())
