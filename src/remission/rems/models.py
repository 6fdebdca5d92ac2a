"""Esketamine (SPRAVATO) REMS records: patient enrollments and monitoring-form submissions.

Both are append-only: a correction is a new enrollment row (the latest counts), and a
submission is recorded once per session. Persistence only; the rules live in ``services``,
``selectors`` and ``forms_data``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from remission.patients.models import Patient, PatientRecord


class RemsEnrollment(PatientRecord):
    """The patient's enrollment in the REMS, as the clinic recorded it."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="rems_enrollments")
    enrolled_on = models.DateField("date enrolled")
    rems_patient_id = models.CharField(
        "REMS patient ID or reference",
        max_length=60,
        blank=True,
        help_text="The identifier or confirmation the REMS gave for the enrollment.",
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The prescriber or staff member who completed the enrollment.",
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-enrolled_on", "-recorded_at"]
        indexes = [models.Index(fields=["clinic", "patient"])]

    def __str__(self) -> str:
        ref = f" ({self.rems_patient_id})" if self.rems_patient_id else ""
        return f"REMS enrollment of {self.enrolled_on:%Y-%m-%d}{ref}"


class SubmissionMethod(models.TextChoices):
    PORTAL = "portal", "REMS portal (online)"
    FAX = "fax", "Fax"


class MonitoringFormSubmission(models.Model):
    """The clinic's record that it sent the Patient Monitoring Form of one session."""

    session = models.OneToOneField(
        "scheduling.TreatmentSession", on_delete=models.PROTECT, related_name="rems_submission"
    )
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(max_length=8, choices=SubmissionMethod.choices)
    confirmation_number = models.CharField(max_length=60, blank=True)
    note = models.TextField(blank=True)
    incomplete_acknowledged = models.BooleanField(
        default=False,
        help_text="Fields were missing in the generated form and a person confirmed sending it.",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["clinic", "submitted_at"])]

    def __str__(self) -> str:
        ref = f" #{self.confirmation_number}" if self.confirmation_number else ""
        return f"monitoring form sent by {self.get_method_display()}{ref}"
