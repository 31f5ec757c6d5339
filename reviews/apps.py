from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"

    def ready(self) -> None:
        # An open manager review follows the org chart (perfmgmt.tenancy.hooks).
        from perfmgmt.tenancy.hooks import managers_changed

        from .services.cycles.people import on_managers_changed

        managers_changed.register(on_managers_changed)
