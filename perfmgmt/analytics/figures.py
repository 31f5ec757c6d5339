"""What a metric gives the page, its charts and the CSV export: tables of figures.

A figure is a count, a share (whole percent) or points, or nothing (shown "-"): nothing to
compute (nobody was expected), or held back because it was computed over too few people to
say nothing about one of them (`SUPPRESSED`). The page and the file print the same figure
through `str()`, in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats

from perfmgmt.localization import format_month, format_short_month

NOTHING = ""
SUPPRESSED = "suppressed"
NO_VALUE = "-"


@dataclass(frozen=True)
class Figure:
    value: int | Decimal | None
    unit: str = ""
    missing: str = NOTHING  # why there is no value: NOTHING or SUPPRESSED

    def __str__(self) -> str:
        if self.value is None:
            return NO_VALUE
        return f"{formats.number_format(self.value, use_l10n=True)}{self.unit}"

    @property
    def suppressed(self) -> bool:
        return self.missing == SUPPRESSED


def count(value: int | None) -> Figure:
    return Figure(value)


def suppressed() -> Figure:
    return Figure(None, missing=SUPPRESSED)


def share(part: int, whole: int) -> Figure:
    """`part` of `whole` in whole percent (half up); nothing when `whole` is 0."""
    if not whole:
        return Figure(None, "%")
    percent = (Decimal(100) * part / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return Figure(int(percent), "%")


def points(value: Decimal | None) -> Figure:
    """A difference on 0..1 as percentage points of the scale, one decimal, signed."""
    if value is None:
        return Figure(None)
    return Figure((Decimal(value) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Row:
    label: str
    figures: tuple[Figure, ...]
    short: str = ""  # the label under a chart's bar, when the label is long

    @property
    def chart_label(self) -> str:
        return self.short or self.label


@dataclass(frozen=True)
class Table:
    """One small table: `row_header` names the rows (month, cycle, team), `columns` the
    figures. The chart draws `chart_column` of every row, or else the `chart_columns` of
    row `chart_row` (None: no chart)."""

    key: str
    title: str
    row_header: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    chart_column: int | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    chart_row: int | None = None
    chart_columns: tuple[int, ...] = ()

    def chart_figures(self) -> list[tuple[str, str, Figure]]:
        """What the chart draws: (short label, label, figure) per bar."""
        if self.chart_column is not None:
            column = self.chart_column
            return [(row.chart_label, row.label, row.figures[column]) for row in self.rows]
        if self.chart_row is not None and self.chart_row < len(self.rows):
            row = self.rows[self.chart_row]
            return [(self.columns[i], self.columns[i], row.figures[i]) for i in self.chart_columns]
        return []

    @property
    def chart_title(self) -> str:
        if self.chart_column is not None:
            return f"{self.columns[self.chart_column]}, {self.row_header}"
        if self.chart_row is not None and self.chart_row < len(self.rows):
            return self.rows[self.chart_row].label
        return ""

    @property
    def has_suppressed(self) -> bool:
        return any(figure.suppressed for row in self.rows for figure in row.figures)


def month_row(month: date, figures: tuple[Figure, ...]) -> Row:
    """A row of a monthly table, labelled with its month in the reader's language."""
    return Row(format_month(month), figures, short=format_short_month(month))


def coverage_row(month: date, people: int, covered: int) -> Row:
    """A month of a coverage table: the people, how many of them were covered, the share."""
    return month_row(month, (count(people), count(covered), share(covered, people)))
