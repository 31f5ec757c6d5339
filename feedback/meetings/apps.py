from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """1:1 meetings, inside the feedback package."""

    name = "feedback.meetings"
    label = "meetings"
    verbose_name = _("1:1 meetings")
