from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "remission.scheduling"
    label = "scheduling"
