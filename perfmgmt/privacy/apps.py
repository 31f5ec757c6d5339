from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PrivacyConfig(AppConfig):
    name = "perfmgmt.privacy"
    label = "privacy"

    def ready(self) -> None:
        # Every app's personal_data.py declares the models that hold a person key
        # (perfmgmt/privacy/registry.py); the foundation names none of them.
        autodiscover_modules("personal_data")
