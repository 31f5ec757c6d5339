from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "perfmgmt.accounts"
    label = "accounts"
