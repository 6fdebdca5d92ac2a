from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "remission.api"
    label = "api"
