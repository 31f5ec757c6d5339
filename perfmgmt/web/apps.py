from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class WebConfig(AppConfig):
    name = "perfmgmt.web"
    label = "web"

    def ready(self) -> None:
        # Every app's navigation.py, whats_next.py and exports.py register their menu
        # entries, home page providers and exports (perfmgmt/web/menu.py,
        # perfmgmt/web/whats_next.py, perfmgmt/exports.py).
        autodiscover_modules("navigation", "whats_next", "person_page", "exports")

        from django_structlog.signals import bind_extra_request_metadata

        from perfmgmt.logs import bind_client_address

        bind_extra_request_metadata.connect(bind_client_address, dispatch_uid="client_address")
