from django.apps import AppConfig
from django.core import checks


class TenancyConfig(AppConfig):
    name = "perfmgmt.tenancy"
    label = "tenancy"

    def ready(self) -> None:
        from .checks import TAG, check_tenant_models

        checks.register(check_tenant_models, TAG)
