"""`manage.py load_calendar [--year Y] [--file path.json]`: seed or update the working-day calendar."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.workdays import services, sources


class Command(BaseCommand):
    help = gettext_lazy("Load the working-day calendar. Without arguments: every official year from chinesecalendar, "
                        "and provisional schedules for the years after; --year: only that year's official "
                        "schedule; --file: a year newly published by the State Council (JSON).")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help=gettext_lazy("The year, e.g. 2026."))
        parser.add_argument(
            "--file", help=gettext_lazy(
                'JSON file: {"year":2027,"holidays":[["2027-01-01","New Year"]],"workdays":[...]}'))
        parser.add_argument("--reason", default="", help=gettext_lazy("The reason written to the audit trail."))

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
                    self.stdout.write(_("Provisional schedules (from the statutory holidays): %(years)s")
                                      % {"years": _span(summary["provisional"])})
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

    def _load_file(self, path, year, reason):
        file_year, holidays, workdays = sources.read_schedule_file(path)
        if year and year != file_year:
            raise CommandError(_("--year %(year)s differs from the year in the file, %(file_year)s.")
                               % {"year": year, "file_year": file_year})
        result = services.load_year_schedule(file_year, holidays, workdays, origin=f"文件 {path.name}",
                                             reason=reason or f"载入文件 {path.name}")
        self.stdout.write(self.style.SUCCESS(
            _("Official schedule of %(year)s loaded: %(holidays)s days off, %(workdays)s make-up working days.")
            % {"year": file_year, "holidays": result["holidays"], "workdays": result["workdays"]}))
        self._recomputed({file_year: result["recomputed"]})

    def _report(self, summary):
        if summary["loaded"]:
            self.stdout.write(self.style.SUCCESS(_("Official schedules loaded: %(years)s") % {"years": _span(summary["loaded"])}))
        if summary["unchanged"]:
            self.stdout.write(_("Unchanged: %(years)s") % {"years": _span(summary["unchanged"])})
        self._recomputed(summary["recomputed"])

    def _recomputed(self, counts):
        known = [count for count in counts.values() if count is not None]
        if known:  # None: the cases app has no recompute hook installed
            self.stdout.write(_("Tasks whose provisional due time was recomputed: %(count)s") % {"count": sum(known)})


def _span(years):
    if len(years) > 2:
        return _("%(first)s–%(last)s (%(count)s years)") % {"first": years[0], "last": years[-1], "count": len(years)}
    return _(", ").join(map(str, years))
