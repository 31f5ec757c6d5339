"""Helpers shared by the development plan services."""

from __future__ import annotations

from typing import Any

from django.db import models

from perfmgmt.errors import DomainError
from perfmgmt.tenancy.context import current_organization

_UNSET: Any = object()


def _same_organization(obj: models.Model | None, field: str, message: str) -> None:
    """Refuse an object of another organization exactly like an unknown one."""
    if obj is not None and getattr(obj, "organization_id", None) != current_organization().pk:
        raise DomainError(message, fields={field: [message]})


def _page_url(name: str, **kwargs: Any) -> str:
    from perfmgmt.web.links import optional_reverse

    return optional_reverse(name, org_slug=current_organization().slug, **kwargs)
