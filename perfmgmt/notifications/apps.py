from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "perfmgmt.notifications"
    label = "notifications"
