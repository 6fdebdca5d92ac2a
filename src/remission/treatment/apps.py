from django.apps import AppConfig


class TreatmentConfig(AppConfig):
    name = "remission.treatment"
    label = "treatment"
