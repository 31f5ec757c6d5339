"""Reminders of the feedback app, discovered by the notifications sweep at start-up."""

from feedback.meetings import reminders as meetings_reminders  # noqa: F401  (1:1 reminders)
