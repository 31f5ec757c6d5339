from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "perfmgmt.api"
    label = "api"

    def ready(self) -> None:
        # Registers the OpenAPI extensions defined there.
        from . import schema  # noqa: F401
