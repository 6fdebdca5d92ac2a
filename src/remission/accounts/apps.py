from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "remission.accounts"
    label = "accounts"
