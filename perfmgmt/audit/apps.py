from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "perfmgmt.audit"
    label = "audit"
