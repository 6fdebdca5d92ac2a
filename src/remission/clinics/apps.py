from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "remission.clinics"
    label = "clinics"
