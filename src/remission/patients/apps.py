from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "remission.patients"
    label = "patients"
