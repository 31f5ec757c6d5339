"""Reads of the review set-up: what every member may see (policies.can_view_review_setup)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from perfmgmt.errors import NotFoundError
from perfmgmt.ids import object_id

from .models import RatingLevel, RatingScale


def rating_scale_list(*, include_archived: bool = False) -> QuerySet[RatingScale]:
    scales = RatingScale.objects.annotate(level_count=Count("levels")).prefetch_related(
        Prefetch("levels", queryset=RatingLevel.objects.order_by("value"))
    )
    return scales if include_archived else scales.filter(archived_at__isnull=True)


def rating_scale_get(*, scale_id: object) -> RatingScale:
    scale = rating_scale_list(include_archived=True).filter(pk=object_id(scale_id)).first()
    if scale is None:
        raise NotFoundError("No such rating scale.")
    return scale
