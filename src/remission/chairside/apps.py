from django.apps import AppConfig


class ChairsideConfig(AppConfig):
    name = "remission.chairside"
    label = "chairside"
