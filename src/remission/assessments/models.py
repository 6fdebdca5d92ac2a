"""Administrations of rating scales, scored by ``remission.clinical.instruments``.

One table for every context (intake, before/within/after a session, the portal later), so a
patient's trajectory is a single query.
"""

from __future__ import annotations

from django.db import models

from remission.patients.models import Patient, PatientRecord


class AssessmentContext(models.TextChoices):
    INTAKE = "intake", "Intake / baseline"
    PRE_SESSION = "pre_session", "Before a session"
    IN_SESSION = "in_session", "During a session"
    POST_SESSION = "post_session", "After a session"
    FOLLOW_UP = "follow_up", "Between sessions"
    PORTAL = "portal", "Patient portal"


class ScaleAdministration(PatientRecord):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="scales")
    instrument_id = models.CharField(max_length=20)
    answers = models.JSONField(help_text="Item answers in order; null marks a missing item.")
    total = models.IntegerField(null=True, blank=True)
    maximum = models.IntegerField()
    severity = models.CharField(max_length=40, blank=True)
    valid = models.BooleanField()
    invalid_reason = models.CharField(max_length=200, blank=True)
    flags = models.JSONField(default=list, blank=True)
    administered_at = models.DateTimeField(db_index=True)
    context = models.CharField(max_length=16, choices=AssessmentContext.choices)
    session = models.ForeignKey(
        "scheduling.TreatmentSession",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scales",
    )
    check_id = models.CharField(
        max_length=40, blank=True, help_text="The monitoring-plan check this answers."
    )

    class Meta:
        ordering = ["-administered_at"]
        indexes = [
            models.Index(fields=["patient", "instrument_id", "administered_at"]),
            # The latest scale of any instrument (the chair-side pre-session check).
            models.Index(fields=["patient", "administered_at"]),
        ]

    def __str__(self) -> str:
        total = "incomplete" if self.total is None else f"{self.total}/{self.maximum}"
        return f"{self.instrument_id} {total}"
