"""A safety escalation: a suicide item or screen that a clinician must act on, open until a
clinician records a suicide-risk screen and a disposition."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from remission.assessments.models import ScaleAdministration
from remission.clinical.outcomes.escalation import Disposition, Urgency
from remission.patients.models import Patient, PatientRecord


class EscalationStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class SafetyEscalation(PatientRecord):
    """Raised by a scored scale (``source``); closed with a screen and a disposition."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="escalations")
    source = models.ForeignKey(
        ScaleAdministration, on_delete=models.PROTECT, related_name="escalations"
    )
    session = models.ForeignKey(
        "scheduling.TreatmentSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escalations",
    )
    flag = models.CharField(max_length=60)
    value = models.SmallIntegerField(null=True, blank=True)  # the item's answer
    urgency = models.CharField(
        max_length=12, choices=[(u.value, u.value.replace("_", " ").capitalize()) for u in Urgency]
    )
    message = models.CharField(max_length=300)
    action = models.CharField(max_length=300)
    notify_roles = models.CharField(max_length=120)
    notified = models.CharField(max_length=500, blank=True)  # who was e-mailed
    status = models.CharField(
        max_length=8, choices=EscalationStatus.choices, default=EscalationStatus.OPEN
    )
    screen = models.ForeignKey(
        ScaleAdministration,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    disposition = models.CharField(
        max_length=40, blank=True, choices=[(d.value, d.label) for d in Disposition]
    )
    note = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["clinic", "status"]),
            models.Index(fields=["patient", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} escalation: {self.message}"

    @property
    def is_open(self) -> bool:
        return self.status == EscalationStatus.OPEN

    @property
    def disposition_label(self) -> str:
        return Disposition(self.disposition).label if self.disposition else ""
