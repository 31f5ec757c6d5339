from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "perfmgmt.api"
    label = "api"
