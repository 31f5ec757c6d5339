"""A metric's chart draws the figures its table shows, and says them in words."""

from __future__ import annotations

from django.utils import translation

from perfmgmt.analytics.charts import FRAME, table_chart
from perfmgmt.analytics.figures import Row, Table, count, share, suppressed

PLOT = FRAME.height - FRAME.bottom - FRAME.top


def test_a_share_is_drawn_on_a_scale_to_100_percent_and_a_missing_one_has_no_bar() -> None:
    rows = (
        Row("May 2026", (count(4), share(2, 4)), short="May 2026"),
        Row("June 2026", (count(0), share(0, 0)), short="Jun 2026"),
    )
    table = Table("t", "Coverage", "Month", ("People", "Coverage"), rows, chart_column=1)

    with translation.override("en"):
        chart = table_chart(table)

    assert chart is not None
    half, missing = chart.bars
    assert half.height == PLOT / 2
    assert missing.height == 0
    assert (half.label, missing.label) == ("May 2026", "Jun 2026")
    assert chart.summary == "Coverage, Month: May 2026: 50%; June 2026: -."


def test_counts_are_drawn_up_to_the_largest_and_a_row_across_its_columns() -> None:
    rows = (Row("Everyone", (count(10), share(1, 4), share(3, 4), suppressed())),)
    columns = ("People", "Rated 1", "Rated 2", "Gap")
    table = Table("r", "2026", "Team", columns, rows, chart_row=0, chart_columns=(1, 2))

    chart = table_chart(table)

    assert chart is not None
    assert [bar.label for bar in chart.bars] == ["Rated 1", "Rated 2"]
    assert [bar.height for bar in chart.bars] == [PLOT / 4, PLOT * 3 / 4]
    counted = Table(
        "c", "Counts", "Month", ("Given",), (Row("A", (count(2),)), Row("B", (count(8),))), 0
    )
    bars = table_chart(counted).bars  # type: ignore[union-attr]
    assert [bar.height for bar in bars] == [PLOT / 4, PLOT]


def test_a_table_without_a_chart_has_none() -> None:
    assert table_chart(Table("n", "None", "Cycle", ("Invited",), (Row("A", (count(1),)),))) is None
