"""Helpers shared by the development plan services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from perfmgmt.errors import DomainError
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.policies import Actor

_UNSET: Any = object()


def _full_clean(instance: models.Model, **kwargs: Any) -> None:
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        raise DomainError.from_validation_error(error) from None


def _same_organization(obj: models.Model | None, field: str, message: str) -> None:
    """Refuse an object of another organization exactly like an unknown one."""
    if obj is not None and getattr(obj, "organization_id", None) != current_organization().pk:
        raise DomainError(message, fields={field: [message]})


def _person(actor: Actor) -> Membership | None:
    return actor if isinstance(actor, Membership) else None


def _page_url(name: str, **kwargs: Any) -> str:
    from perfmgmt.web.links import optional_reverse

    return optional_reverse(name, org_slug=current_organization().slug, **kwargs)
