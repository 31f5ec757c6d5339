from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "perfmgmt.web"
    label = "web"
