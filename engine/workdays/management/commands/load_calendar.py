"""`manage.py load_calendar [--year Y] [--file path.json]`: seed or update the working-day calendar."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from engine.workdays import services, sources


class Command(BaseCommand):
    help = ("载入工作日历。无参数：从 chinesecalendar 载入全部正式年度，并为其后年份生成暂定安排；"
            "--year：只载入该年正式安排；--file：载入国务院新发布的年度安排（JSON）。")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="年份，例如 2026。")
        parser.add_argument(
            "--file", help='JSON 文件：{"year":2027,"holidays":[["2027-01-01","元旦"]],"workdays":[...]}')
        parser.add_argument("--reason", default="", help="写入审计日志的原因。")

    def handle(self, *args, year=None, file=None, reason="", **options):
        try:
            if file:
                self._load_file(Path(file), year, reason)
            elif year:
                self._report(services.load_official_years([year], reason=reason))
            else:
                summary = services.seed_calendar(reason=reason)
                self._report(summary)
                if summary["provisional"]:
                    self.stdout.write(f"暂定安排（按法定节假日推算）：{_span(summary['provisional'])}")
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

    def _load_file(self, path, year, reason):
        file_year, holidays, workdays = sources.read_schedule_file(path)
        if year and year != file_year:
            raise CommandError(f"--year {year} 与文件中的年份 {file_year} 不一致。")
        result = services.load_year_schedule(file_year, holidays, workdays, origin=f"文件 {path.name}",
                                             reason=reason or f"载入文件 {path.name}")
        self.stdout.write(self.style.SUCCESS(
            f"{file_year} 年正式安排已载入：放假 {result['holidays']} 天，调休上班 {result['workdays']} 天。"))
        self._recomputed({file_year: result["recomputed"]})

    def _report(self, summary):
        if summary["loaded"]:
            self.stdout.write(self.style.SUCCESS(f"已载入正式安排：{_span(summary['loaded'])}"))
        if summary["unchanged"]:
            self.stdout.write(f"无变化：{_span(summary['unchanged'])}")
        self._recomputed(summary["recomputed"])

    def _recomputed(self, counts):
        known = [count for count in counts.values() if count is not None]
        if known:  # None: the cases app has no recompute hook installed
            self.stdout.write(f"重新计算暂定办理期限的任务：{sum(known)} 个")


def _span(years):
    return f"{years[0]}–{years[-1]}（{len(years)} 年）" if len(years) > 2 else "、".join(map(str, years))
