from django.apps import AppConfig


class StubAppConfig(AppConfig):
    name = "tests.stub_app"
    label = "stub_app"
