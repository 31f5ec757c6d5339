"""Fail-closed tenant scoping for every tenant-owned model."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.db import models

from .context import current_organization, current_organization_or_none

M = TypeVar("M", bound="TenantModel")


class TenantManager(models.Manager[M], Generic[M]):
    """Default manager: only rows of the active organization; raises when none is active."""

    def get_queryset(self) -> models.QuerySet[M]:
        # By key, not instance: the same statement, built without checking an instance.
        return super().get_queryset().filter(organization_id=current_organization().pk)


class TenantModel(models.Model):
    """Base for every tenant-owned table: a non-null organization key and scoped managers.

    `unscoped` is the escape hatch for the few places that must cross organizations
    (sign-in, invitation links, the beat sweep, the admin); tests/test_isolation.py
    keeps the list of modules allowed to use it.

    Subclasses inherit both managers: do not redeclare `objects` (django-stubs then types
    `Goal.objects` as `TenantManager[Goal]` by itself; an annotated redeclaration fails mypy).
    """

    organization = models.ForeignKey(
        "tenancy.Organization", on_delete=models.CASCADE, related_name="+", editable=False
    )

    objects = TenantManager()
    unscoped = models.Manager()  # noqa: DJ012  (a manager, not a field; must stay second)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        active = current_organization_or_none()
        if self.organization_id is None:
            self.organization = current_organization()
        elif active is not None and active.pk != self.organization_id:
            raise PermissionError("Refusing to write a row of another organization.")
        super().save(*args, **kwargs)
