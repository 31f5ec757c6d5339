"""Fail-closed tenant scoping for every tenant-owned model."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from django.db import models

from .context import current_organization, current_organization_or_none

M = TypeVar("M", bound="TenantModel")


class TenantManager(models.Manager[M], Generic[M]):
    """Default manager: only rows of the active organization; raises when none is active."""

    def get_queryset(self) -> models.QuerySet[M]:
        return super().get_queryset().filter(organization=current_organization())


class TenantModel(models.Model):
    """Base for every tenant-owned table: a non-null organization key and scoped managers.

    `unscoped` is the escape hatch for the few places that must cross organizations
    (sign-in, invitation links, the beat sweep, the admin); tests/test_tenancy_isolation.py
    keeps the list of modules allowed to use it.
    """

    organization = models.ForeignKey(
        "tenancy.Organization", on_delete=models.CASCADE, related_name="+", editable=False
    )

    objects: ClassVar[TenantManager[Any]] = TenantManager()
    unscoped: ClassVar[models.Manager[Any]] = models.Manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        active = current_organization_or_none()
        if self.organization_id is None:
            self.organization = current_organization()
        elif active is not None and active.pk != self.organization_id:
            raise PermissionError("Refusing to write a row of another organization.")
        super().save(*args, **kwargs)
