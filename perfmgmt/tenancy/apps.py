from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "perfmgmt.tenancy"
    label = "tenancy"
