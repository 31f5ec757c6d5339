from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "perfmgmt.integrations"
    label = "integrations"
