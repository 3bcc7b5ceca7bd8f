from django.core.management.base import BaseCommand, CommandError

from engine.cases.consistency import find_mismatches


class Command(BaseCommand):
    help = "列出待办与案件状态不一致的案件。"

    def handle(self, *args, **options):
        problems = find_mismatches()
        for p in problems:
            self.stdout.write(f"{p.reference}\t状态 {p.status}\t{p.problem}")
        if problems:
            raise CommandError(f"发现 {len(problems)} 个不一致的案件。")
        self.stdout.write(self.style.SUCCESS("所有案件的待办与状态一致。"))
