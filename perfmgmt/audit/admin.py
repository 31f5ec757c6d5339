"""The audit trail in the Django admin: read-only, like every tenant table (and the database
refuses changes anyway, see services.py)."""

from django.contrib import admin

from perfmgmt.tenancy.admin import ReadOnlyTenantAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyTenantAdmin):
    list_display = ("created_at", "organization", "actor_label", "action", "target_type")
    list_filter = ("organization",)
    search_fields = ("action", "actor_label", "target_id")
