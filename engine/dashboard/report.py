"""All the figures of one scope, in the order the page shows them: the goal first, then the
departments' work, money, volunteers and organizations. The page, the XLSX export and the PDF
report all read this, so they show the same numbers."""
from django.utils import timezone

from engine.processes import hooks

from . import goal, snapshots, work
from .charts import SECTIONS, Chart


def build(scope, today=None) -> list[Chart]:
    today = today or timezone.localdate()
    found = snapshots.read(scope.year)  # one query, however many figures read it
    charts = goal.charts(scope, found, today) + work.charts(scope, found)
    for provider in hooks("dashboard_charts"):
        charts.extend(provider(scope, found))
    return sorted(charts, key=lambda c: SECTIONS.index(c.section))


def by_key(charts) -> dict:
    return {c.key: c for c in charts}


def as_of(charts):
    """The oldest snapshot time among the charts (None when all are live)."""
    times = [c.as_of for c in charts if c.as_of is not None]
    return min(times) if times else None
