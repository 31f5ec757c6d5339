from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "goals"

    def ready(self) -> None:
        # Development plans register on goals' hooks; this line moves to the development
        # app's own ready() once goals/development is a Django app of its own.
        from goals.development import hooks  # noqa: F401
