"""Review set-up objects for tests/test_isolation.py (made by the owner's HR rights)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

from perfmgmt.tenancy.context import organization_scope
from reviews import services
from reviews.models import RatingScale
from reviews.services import LevelInput
from tests.conftest import OrgPeople


def make_isolation_scale(people: OrgPeople) -> RatingScale:
    with organization_scope(people.organization):
        number = RatingScale.objects.count()
        return services.rating_scale_create(
            actor=people.owner,
            name=f"Scale {number}",
            levels=[LevelInput(1, "Low"), LevelInput(2, "High")],
        )


REVIEWS_OBJECT_KWARGS: dict[str, type[models.Model]] = {"scale_id": RatingScale}

REVIEWS_MAKERS: dict[type[models.Model], Callable[[OrgPeople], models.Model]] = {
    RatingScale: make_isolation_scale,
}
