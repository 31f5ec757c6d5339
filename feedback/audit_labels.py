"""What the audit page calls this app's recorded actions and the objects they are about
(registered with the audit app; see perfmgmt/audit/actions.py)."""

from django.utils.translation import gettext_lazy as _

from perfmgmt.audit.actions import register

register(
    labels={
        "one_on_one.series_started": _("1:1 series started"),
        "one_on_one.cadence_changed": _("1:1 cadence changed"),
        "one_on_one.meeting_held": _("1:1 meeting held"),
        "one_on_one.meeting_cancelled": _("1:1 meeting cancelled"),
        "one_on_one.shared_notes_changed": _("1:1 shared notes changed"),
        "one_on_one.action_item_created": _("1:1 action item agreed"),
        "one_on_one.action_item_done": _("1:1 action item done"),
        "one_on_one.action_item_reopened": _("1:1 action item reopened"),
        "checkin.submitted": _("Check-in submitted"),
        "checkin.reviewed": _("Check-in reviewed"),
        "feedback.manager_content_read": _("Manager read a report's private content"),
        "export.checkin-coverage": _("Check-in coverage exported"),
        "export.one-on-one-coverage": _("1:1 coverage exported"),
    },
    target_types={
        "meetings.OneOnOneSeries": _("1:1 series"),
        "meetings.Meeting": _("1:1 meeting"),
        "meetings.ActionItem": _("1:1 action item"),
        "meetings.TalkingPoint": _("1:1 talking point"),
        "feedback.CheckIn": _("Check-in"),
    },
)
