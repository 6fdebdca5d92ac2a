from django.apps import AppConfig


class RemsConfig(AppConfig):
    name = "remission.rems"
    label = "rems"
