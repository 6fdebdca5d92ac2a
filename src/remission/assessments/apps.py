from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "remission.assessments"
    label = "assessments"
