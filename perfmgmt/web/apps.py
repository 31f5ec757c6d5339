from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class WebConfig(AppConfig):
    name = "perfmgmt.web"
    label = "web"

    def ready(self) -> None:
        # Every app's navigation.py and whats_next.py register their menu entries and
        # home page providers (perfmgmt/web/menu.py, perfmgmt/web/whats_next.py).
        autodiscover_modules("navigation", "whats_next", "person_page")

        from django_structlog.signals import bind_extra_request_metadata

        from perfmgmt.logs import bind_client_address

        bind_extra_request_metadata.connect(bind_client_address, dispatch_uid="client_address")
