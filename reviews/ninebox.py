"""The 9-box: performance by potential, each read in three bands of its scale.

Pure functions over level values. A value's position on its scale (lowest 0, highest 1) is
low below one third, high above two thirds, medium between (both thirds included), so a
five-point scale reads 1-2 low, 3 medium, 4-5 high, and a three-point scale one band a level.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from .models import Band

# Box names, by (performance, potential); the classic names HR knows.
BOX_NAMES = {
    (Band.LOW, Band.LOW): _("Underperformer"),
    (Band.MEDIUM, Band.LOW): _("Effective"),
    (Band.HIGH, Band.LOW): _("Trusted professional"),
    (Band.LOW, Band.MEDIUM): _("Inconsistent"),
    (Band.MEDIUM, Band.MEDIUM): _("Core player"),
    (Band.HIGH, Band.MEDIUM): _("High performer"),
    (Band.LOW, Band.HIGH): _("Rough diamond"),
    (Band.MEDIUM, Band.HIGH): _("Growth employee"),
    (Band.HIGH, Band.HIGH): _("Future leader"),
}


def band_of(value: Decimal | None, levels: Sequence[Decimal]) -> int | None:
    """The band of `value` on a scale of `levels`; None without a value or a real scale."""
    if value is None or len(set(levels)) < 2:
        return None
    lowest, highest = min(levels), max(levels)
    position = Fraction(Decimal(value) - lowest) / Fraction(highest - lowest)
    if position < Fraction(1, 3):
        return Band.LOW
    if position <= Fraction(2, 3):
        return Band.MEDIUM
    return Band.HIGH


def rating_for_band(
    band: int, levels: Sequence[Decimal], current: Decimal | None
) -> Decimal | None:
    """The level a move into `band` gives: the current rating when it is in that band
    already, else the band's level nearest to it (the band's middle level without one)."""
    if band_of(current, levels) == band:
        return current
    inside = sorted(level for level in levels if band_of(level, levels) == band)
    if not inside:
        return None
    if current is None:
        return inside[(len(inside) - 1) // 2]
    return min(inside, key=lambda level: (abs(level - current), level))


def box_name(performance: int | None, potential: int | None) -> str:
    if performance is None or potential is None:
        return str(_("Not placed"))
    return str(BOX_NAMES[(Band(performance), Band(potential))])
