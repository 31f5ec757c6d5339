"""Read-only admin for operators. Goals change through the app (services), so progress,
agreement and history stay consistent; the admin lists and inspects them."""

from __future__ import annotations

from django.contrib import admin

from perfmgmt.tenancy.admin import ReadOnlyTenantAdmin

from .models import Goal, GoalUpdate


@admin.register(Goal)
class GoalAdmin(ReadOnlyTenantAdmin):
    list_display = ("title", "organization", "owner_kind", "status", "progress", "due_date")
    list_filter = ("owner_kind", "status", "goal_type")
    search_fields = ("title",)


@admin.register(GoalUpdate)
class GoalUpdateAdmin(ReadOnlyTenantAdmin):
    list_display = ("goal", "organization", "confidence", "progress", "created_at")
    list_select_related = ("organization", "goal")  # type: ignore[assignment]
