"""Django admin for operators of the deployment.

The admin crosses organizations by nature, so it reads through the audited `unscoped`
manager. Tenant rows are read-only here: changes to people go through the services (and
their audit entries) from the pages or the API.

Every admin of a tenant model derives from `ReadOnlyTenantAdmin` (tests/tenancy/test_admin.py
checks it): lists and lookups go through `unscoped`, and one object's page is built inside
that object's organization scope, so whatever the form reads through a default (scoped)
manager, such as the choices of a foreign key, is that organization's and nobody else's.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from .context import organization_scope
from .models import Invitation, Membership, Organization, Team


class ReadOnlyTenantAdmin(admin.ModelAdmin):
    list_select_related = ("organization",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.model.unscoped.select_related(*self.list_select_related)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        found = self.get_object(request, unquote(object_id)) if object_id else None
        if found is None:  # the add page, or an unknown id: Django answers either one
            return super().changeform_view(request, object_id, form_url, extra_context)
        with organization_scope(found.organization):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if isinstance(response, TemplateResponse):
                response.render()  # inside the scope: the template reads the form's fields
        return response

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "time_zone", "created_at")
    search_fields = ("name", "slug")
    readonly_fields = ("slug", "created_at")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Team)
class TeamAdmin(ReadOnlyTenantAdmin):
    list_display = ("name", "kind", "organization")
    list_filter = ("organization",)
    search_fields = ("name",)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyTenantAdmin):
    list_display = ("user", "organization", "role", "status", "job_title")
    list_filter = ("organization", "role", "status")
    search_fields = ("user__email", "full_name", "external_id")
    list_select_related = ("organization", "user")  # type: ignore[assignment]
    exclude = ("manager", "team")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyTenantAdmin):
    list_display = (
        "email",
        "organization",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    )
    list_filter = ("organization",)
    search_fields = ("email",)
    exclude = ("token_hash", "membership", "invited_by")
