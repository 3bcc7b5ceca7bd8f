"""School terms (学期) for student practice credits (seed 五(一)). A term is named
``<year>-<n>``: ``2026-1`` is the first term of the 2026–2027 school year (by default from
1 September 2026), ``2026-2`` its second (from 1 February 2027 until the next first term).
Start days are a setting (``CERTIFICATION_SCHOOL_TERM_STARTS``)."""
import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from . import conf

_KEY = re.compile(r"^(\d{4})-([12])$")


@dataclass(frozen=True)
class Term:
    year: int  # the calendar year in which the school year starts
    number: int  # 1 or 2

    @property
    def key(self) -> str:
        return f"{self.year}-{self.number}"

    @property
    def start(self) -> date:
        (m1, d1), (m2, d2) = conf.school_term_starts()
        return date(self.year, m1, d1) if self.number == 1 else date(self.year + 1, m2, d2)

    @property
    def end(self) -> date:
        """The first day after the term (exclusive)."""
        return (Term(self.year, 2) if self.number == 1 else Term(self.year + 1, 1)).start

    @property
    def label(self) -> str:
        if self.number == 1:
            return _("%(start)s–%(end)s school year, first term") % {"start": self.year, "end": self.year + 1}
        return _("%(start)s–%(end)s school year, second term") % {"start": self.year, "end": self.year + 1}

    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes [start, end) in the local time zone."""
        tz = timezone.get_current_timezone()
        return (datetime.combine(self.start, time.min, tzinfo=tz), datetime.combine(self.end, time.min, tzinfo=tz))


def term_of(day: date) -> Term:
    """The term a day falls in."""
    (m1, d1), (m2, d2) = conf.school_term_starts()
    if (day.month, day.day) >= (m1, d1):
        return Term(day.year, 1)
    if (day.month, day.day) >= (m2, d2):
        return Term(day.year - 1, 2)
    return Term(day.year - 1, 1)


def current_term() -> Term:
    return term_of(timezone.localdate())


def parse_term(value) -> Term | None:
    """``2026-1`` → Term; anything else → None (the caller answers with a clear error)."""
    match = _KEY.match(str(value or "").strip())
    if not match or not 2000 <= int(match.group(1)) <= 2100:
        return None
    return Term(int(match.group(1)), int(match.group(2)))


def recent_terms(count: int = 8) -> list[Term]:
    """The current term and the ones before it, newest first (the pages' term filter)."""
    term, terms = current_term(), []
    for _i in range(count):
        terms.append(term)
        term = Term(term.year, 1) if term.number == 2 else Term(term.year - 1, 2)
    return terms
