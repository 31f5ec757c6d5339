from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    """Development plans and the competency framework, inside the goals package."""

    name = "goals.development"
    label = "development"
    verbose_name = "Development"

    def ready(self) -> None:
        # Development plans follow their goals through the hooks goals offers.
        from . import hooks  # noqa: F401
