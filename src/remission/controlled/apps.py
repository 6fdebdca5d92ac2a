from django.apps import AppConfig


class ControlledConfig(AppConfig):
    name = "remission.controlled"
    label = "controlled"
