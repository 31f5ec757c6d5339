from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    """Development plans and the competency framework, inside the goals package."""

    name = "goals.development"
    label = "development"
    verbose_name = "Development"
