from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "remission.audit"
    label = "audit"
