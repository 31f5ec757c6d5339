"""A session's figures: rating distributions (overall, per question, by team and by
manager), the leniency signal per manager, self/manager gaps, and the 9-box.

Every figure is a GROUP BY over the placements the reader may see
(`calibration.visible_placements`), so a manager's figures cover only their own people and
the number of queries does not grow with the session. Lists of teams, managers and people
are paged; the 9-box names at most `BOX_NAMES` people per box.

Ratings of different scales are compared on 0..1 (lowest level 0, highest 1): leniency and
gaps are differences of those positions, shown in percentage points.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import NullIf, RowNumber

from ..models import CalibrationSession, CycleSnapshot, ReviewAnswer, ReviewerKind, ReviewStatus
from .writing import snapshot_questions

GROUP_PAGE_SIZE = 10
BOX_NAMES = 5
# A manager whose average is this many points (of 100) above or below the group's.
LENIENCY_POINTS = Decimal(10)

_RANGE = NullIf(F("scale_highest") - F("scale_lowest"), Value(0))
_DECIMAL = DecimalField(max_digits=12, decimal_places=6)


def position(column: str) -> ExpressionWrapper:
    """A rating column of the placement on 0..1 of its scale, in SQL."""
    return ExpressionWrapper((F(column) - F("scale_lowest")) / _RANGE, output_field=_DECIMAL)


GAP = ExpressionWrapper((F("original_rating") - F("self_rating")) / _RANGE, output_field=_DECIMAL)


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: int
    target: int | None = None
    original: int = 0


@dataclass
class Distribution:
    bars: list[Bar]
    total: int

    @property
    def has_target(self) -> bool:
        return any(bar.target is not None for bar in self.bars)


def _key(value: Decimal | None) -> str:
    return "" if value is None else str(Decimal(value).normalize())


def _percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def session_levels(placements: QuerySet[Any]) -> list[Decimal]:
    """Every level value of the scales in use, ascending (one query)."""
    found: set[Decimal] = set()
    for levels in placements.order_by().values_list("levels", flat=True).distinct():
        found.update(Decimal(level) for level in levels)
    return sorted(found)


def distribution(
    counts: dict[str, int],
    levels: list[Decimal],
    *,
    target: dict[str, int] | None = None,
    original: dict[str, int] | None = None,
) -> Distribution:
    total = sum(counts.values())
    bars = [
        Bar(
            label=_key(level),
            count=counts.get(_key(level), 0),
            percent=_percent(counts.get(_key(level), 0), total),
            target=(target or {}).get(_key(level)),
            original=(original or {}).get(_key(level), 0),
        )
        for level in levels
    ]
    return Distribution(bars, total)


def _counts(rows: Iterable[dict[str, Any]], column: str) -> dict[str, int]:
    return {_key(row[column]): row["count"] for row in rows if row[column] is not None}


def overall_distribution(
    placements: QuerySet[Any], levels: list[Decimal], session: CalibrationSession
) -> Distribution:
    """Calibrated ratings by level against the target, with the ratings as opened."""
    now = placements.order_by().values("rating").annotate(count=Count("pk"))
    before = placements.order_by().values("original_rating").annotate(count=Count("pk"))
    return distribution(
        _counts(now, "rating"),
        levels,
        target=session.target_distribution or None,
        original=_counts(before, "original_rating"),
    )


@dataclass
class QuestionDistribution:
    prompt: str
    distribution: Distribution


def question_distributions(
    placements: QuerySet[Any], session: CalibrationSession
) -> list[QuestionDistribution]:
    """The manager reviews' ratings per scored question (two queries: the answers grouped,
    the cycle's templates for the prompts and levels)."""
    rows = (
        ReviewAnswer.objects.filter(
            review__participant_id__in=placements.values("participant_id"),
            review__kind=ReviewerKind.MANAGER,
            review__superseded_at=None,
            review__status=ReviewStatus.SUBMITTED,
            rating__isnull=False,
        )
        .values("question_id", "rating")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["question_id"], {})[_key(row["rating"])] = row["count"]
    found: list[QuestionDistribution] = []
    seen: set[int] = set()
    for snapshot in CycleSnapshot.objects.filter(cycle_id=session.cycle_id).order_by("pk"):
        for _section, question in snapshot_questions(snapshot.data):
            if question["id"] in counts and question["id"] not in seen:
                seen.add(question["id"])
                levels = sorted(
                    Decimal(level["value"])
                    for level in (question.get("scale") or {}).get("levels", [])
                )
                found.append(
                    QuestionDistribution(
                        question["prompt"], distribution(counts[question["id"]], levels)
                    )
                )
    return found


@dataclass
class GroupRow:
    """One team or manager: how many, the averages on 0..1, and its distribution."""

    key: int | None
    label: str
    count: int
    average: Decimal | None  # the manager's rating as opened
    calibrated: Decimal | None
    gap: Decimal | None  # manager minus self
    difference: Decimal | None = None  # average minus the group's, in points
    signal: str = ""
    distribution: Distribution = field(default_factory=lambda: Distribution([], 0))


AVERAGES = {
    "count": Count("pk"),
    "average": Avg(position("original_rating")),
    "calibrated": Avg(position("rating")),
    "gap": Avg(GAP),
}


def group_average(placements: QuerySet[Any]) -> dict[str, Any]:
    return placements.order_by().aggregate(**AVERAGES)


def _signal(difference: Decimal | None) -> str:
    if difference is None:
        return ""
    if difference > LENIENCY_POINTS:
        return "lenient"
    if difference < -LENIENCY_POINTS:
        return "strict"
    return "in_line"


def points(value: Decimal | None) -> Decimal | None:
    return None if value is None else (Decimal(value) * 100).quantize(Decimal("0.1"))


def grouped(
    placements: QuerySet[Any],
    *,
    key: str,
    label: str,
    levels: list[Decimal],
    group: dict[str, Any],
    page_number: Any,
    no_label: str,
) -> Page:
    """One page of teams or managers (by name), each with its averages against the
    group's and its calibrated ratings by level (three queries whatever the page)."""
    rows = placements.order_by().values(key, label).annotate(**AVERAGES).order_by(label, key)
    page = Paginator(rows, GROUP_PAGE_SIZE).get_page(page_number)
    keys = [row[key] for row in page.object_list]
    wanted = Q(**{f"{key}__in": [k for k in keys if k is not None]})
    if None in keys:
        wanted |= Q(**{f"{key}__isnull": True})
    counts: dict[Any, dict[str, int]] = {}
    for row in (
        placements.filter(wanted).order_by().values(key, "rating").annotate(count=Count("pk"))
    ):
        if row["rating"] is not None:
            counts.setdefault(row[key], {})[_key(row["rating"])] = row["count"]
    reference = points(group["average"])
    built = []
    for row in page.object_list:
        average = points(row["average"])
        difference = None if average is None or reference is None else average - reference
        built.append(
            GroupRow(
                key=row[key],
                label=row[label] or no_label,
                count=row["count"],
                average=average,
                calibrated=points(row["calibrated"]),
                gap=points(row["gap"]),
                difference=difference,
                signal=_signal(difference),
                distribution=distribution(counts.get(row[key], {}), levels),
            )
        )
    page.object_list = built
    return page


@dataclass(frozen=True)
class GapSummary:
    higher: int  # the manager rated higher than the person did
    same: int
    lower: int
    average: Decimal | None  # points


def gap_summary(placements: QuerySet[Any], group: dict[str, Any]) -> GapSummary:
    direction = Case(
        When(original_rating__gt=F("self_rating"), then=Value(1)),
        When(original_rating__lt=F("self_rating"), then=Value(-1)),
        When(original_rating=F("self_rating"), then=Value(0)),
        default=None,
        output_field=IntegerField(),
    )
    rows = {
        row["direction"]: row["count"]
        for row in placements.order_by()
        .annotate(direction=direction)
        .values("direction")
        .annotate(count=Count("pk"))
    }
    return GapSummary(rows.get(1, 0), rows.get(0, 0), rows.get(-1, 0), points(group["gap"]))


# The 9-box ---------------------------------------------------------------------------------


@dataclass
class Box:
    performance: int
    potential: int
    count: int = 0
    people: list[Any] = field(default_factory=list)

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.people))


def nine_box(placements: QuerySet[Any]) -> tuple[list[list[Box]], int]:
    """The grid, high potential first, low performance left; each box with its count and
    its first people by name (two queries). Also how many are not placed yet."""
    boxes = {(perf, pot): Box(perf, pot) for perf in (1, 2, 3) for pot in (1, 2, 3)}
    unplaced = 0
    for row in placements.order_by().values("performance", "potential").annotate(count=Count("pk")):
        box = boxes.get((row["performance"], row["potential"]))
        if box is None:
            unplaced += row["count"]
        else:
            box.count = row["count"]
    ranked = (
        placements.filter(performance__isnull=False, potential__isnull=False)
        .select_related("participant__reviewee")
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("performance"), F("potential")],
                order_by=[F("participant__reviewee__full_name").asc(), F("pk").asc()],
            )
        )
        .filter(place__lte=BOX_NAMES)
        .order_by("performance", "potential", "place")
    )
    for placement in ranked:
        boxes[(placement.performance, placement.potential)].people.append(placement)
    grid = [[boxes[(perf, pot)] for perf in (1, 2, 3)] for pot in (3, 2, 1)]
    return grid, unplaced
