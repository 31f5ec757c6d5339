"""Read-only admin for operators of the deployment.

Check-ins, feedback and coaching records are personal: the admin shows who, when and
with which visibility, never what was written (private notes stay private, even from the
people running the deployment). Changes go through the app's services.
"""

from __future__ import annotations

from django.contrib import admin

from perfmgmt.tenancy.admin import ReadOnlyTenantAdmin

from .models import CheckIn, CheckInCadence, CoachingRecord, Feedback, FeedbackRequest


@admin.register(CheckInCadence)
class CheckInCadenceAdmin(ReadOnlyTenantAdmin):
    list_display = ("organization", "team", "frequency", "due_weekday", "remind_again_after_days")
    list_select_related = ("organization", "team")  # type: ignore[assignment]


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyTenantAdmin):
    list_display = ("organization", "person", "period_start", "period_end", "status")
    list_filter = ("status",)
    list_select_related = ("organization", "person__user")  # type: ignore[assignment]
    fields = ("person", "period_start", "period_end", "due_on", "status", "submitted_at")


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyTenantAdmin):
    list_display = ("organization", "giver", "recipient", "visibility", "created_at")
    list_filter = ("visibility",)
    list_select_related = ("organization", "giver__user", "recipient__user")  # type: ignore[assignment]
    fields = ("giver", "recipient", "visibility", "request", "created_at")


@admin.register(FeedbackRequest)
class FeedbackRequestAdmin(ReadOnlyTenantAdmin):
    list_display = ("organization", "requester", "subject", "due_on", "created_at")
    list_select_related = ("organization", "requester__user", "subject__user")  # type: ignore[assignment]
    fields = ("requester", "subject", "due_on", "created_at")


@admin.register(CoachingRecord)
class CoachingRecordAdmin(ReadOnlyTenantAdmin):
    list_display = ("organization", "manager", "person", "held_on", "follow_up_on")
    list_select_related = ("organization", "manager__user", "person__user")  # type: ignore[assignment]
    fields = ("manager", "person", "held_on", "follow_up_on", "created_at")
