from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """1:1 meetings, inside the feedback package."""

    name = "feedback.meetings"
    label = "meetings"
    verbose_name = "1:1 meetings"
