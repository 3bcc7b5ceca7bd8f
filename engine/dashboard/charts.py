"""A figure of the dashboard: a titled table whose first column names the categories and whose
other columns are the series. The page draws it with ECharts and shows the table behind the
chart; the XLSX export and the PDF report write the same rows, so all three agree."""
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.encoding import force_str

from engine.formatting import money

SECTIONS = ("goal", "work", "money", "volunteers", "organizations")

TEXT, INT, MONEY, PERCENT, HOURS, DAYS = "text", "int", "money", "percent", "hours", "days"


@dataclass
class Column:
    label: str
    kind: str = INT
    plotted: bool = True  # drawn as a series (numbers only)


@dataclass
class Chart:
    key: str
    section: str
    title: str
    columns: list
    rows: list
    kind: str = "bar"  # bar, stack (stacked bars), line, pie
    note: str = ""
    as_of: object = None  # when the figure comes from a snapshot: its time
    snapshot: bool = False  # computed by the periodic task (``snapshots``), not per view
    extra: dict = field(default_factory=dict)

    def series_columns(self) -> list[int]:
        return [i for i, c in enumerate(self.columns) if i and c.plotted and c.kind != TEXT]

    def echarts(self) -> dict:
        """What the page's script needs to draw the chart (JSON-safe, labels translated)."""
        return {
            "key": self.key, "kind": self.kind,
            "categories": [force_str(r[0]) for r in self.rows],
            "series": [{"name": force_str(self.columns[i].label), "kind": self.columns[i].kind,
                        "data": [plain(r[i]) for r in self.rows]} for i in self.series_columns()],
        }

    def total(self, index: int):
        return sum((r[index] or 0) for r in self.rows)


def plain(value):
    """A number as JSON carries it (Decimal money and hours as floats for drawing only)."""
    if isinstance(value, Decimal):
        return float(value)
    return value


def percent(part, whole) -> Decimal:
    """``part`` as a percentage of ``whole`` with two places; 0 when ``whole`` is 0."""
    if not whole:
        return Decimal("0.00")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))


def display(value, kind: str) -> str:
    """A cell as the page and the PDF show it: money with the yuan sign (D5), percentages and
    hours with two places, counts with thousands separators."""
    if value is None:
        return ""
    if kind == MONEY:
        return money(value)
    if kind == PERCENT:
        return f"{Decimal(str(value)):,.2f}%"
    if kind in (HOURS, DAYS):
        return f"{Decimal(str(value)):,.{2 if kind == HOURS else 1}f}"
    if kind == INT and isinstance(value, int):
        return f"{value:,}"
    return force_str(value)
