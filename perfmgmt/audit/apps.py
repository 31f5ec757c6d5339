from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class AuditConfig(AppConfig):
    name = "perfmgmt.audit"
    label = "audit"

    def ready(self) -> None:
        # Each app names its own actions and objects (perfmgmt/audit/actions.register).
        autodiscover_modules("audit_labels")
