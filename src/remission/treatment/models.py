"""Intake and eligibility, treatment courses with their phases and re-evaluations."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from remission.clinical.esketamine import Indication
from remission.patients.models import Patient, PatientRecord


class Intake(PatientRecord):
    """A clinical intake: the answers the eligibility rules read, and the result they gave."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="intakes")
    answers = models.JSONField(help_text="The intake as remission.clinical.eligibility reads it.")
    assessment = models.JSONField(help_text="The decision-support record computed from it.")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"intake of {self.recorded_at:%Y-%m-%d}"


class Decision(models.TextChoices):
    ELIGIBLE = "eligible", "Eligible"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    NEEDS_REVIEW = "needs_review", "Needs review"


class EligibilitySignature(PatientRecord):
    """A prescriber's signed decision on an intake. Signed records are locked; later
    changes are addenda."""

    intake = models.OneToOneField(Intake, on_delete=models.PROTECT, related_name="signature")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=16, choices=Decision.choices)
    routes = models.JSONField(default=list, help_text="Routes the decision covers.")
    note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.recorded_at:%Y-%m-%d})"


class Addendum(PatientRecord):
    """A dated note appended to a locked record (a signed eligibility or session)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="addenda")
    intake = models.ForeignKey(
        Intake, on_delete=models.CASCADE, null=True, blank=True, related_name="addenda"
    )
    session = models.ForeignKey(
        "scheduling.TreatmentSession",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="addenda",
    )
    reason = models.CharField(max_length=200)
    text = models.TextField()

    class Meta:
        ordering = ["recorded_at"]
        verbose_name_plural = "addenda"

    def __str__(self) -> str:
        return f"addendum: {self.reason}"


class CoursePhase(models.TextChoices):
    EVALUATION = "evaluation", "Evaluation"
    INDUCTION = "induction", "Induction"
    OPTIMISATION = "optimisation", "Optimisation"
    MAINTENANCE = "maintenance", "Maintenance"
    PAUSED = "paused", "Paused"
    DISCONTINUED = "discontinued", "Discontinued"


class WeightBasis(models.TextChoices):
    ACTUAL = "actual", "Actual body weight"
    IDEAL = "ideal", "Ideal body weight (Devine)"
    ADJUSTED = "adjusted", "Adjusted body weight"


INDICATION_CHOICES = [(i.value, i.label) for i in Indication]


class TreatmentCourse(PatientRecord):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="courses")
    protocol_id = models.CharField(max_length=40)
    route = models.CharField(max_length=20)
    phase = models.CharField(
        max_length=16, choices=CoursePhase.choices, default=CoursePhase.EVALUATION
    )
    mg_per_kg = models.DecimalField(max_digits=5, decimal_places=3, null=True, blank=True)
    fixed_dose_mg = models.PositiveSmallIntegerField(null=True, blank=True)
    weight_basis = models.CharField(
        max_length=10, choices=WeightBasis.choices, default=WeightBasis.ACTUAL
    )
    concentration_mg_per_ml = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True
    )
    infusion_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    indication = models.CharField(
        max_length=8,
        choices=INDICATION_CHOICES,
        blank=True,
        help_text="Esketamine: the labelled indication the course treats (blank for other "
        "routes). It sets the label's day-1 dose and whether an oral antidepressant is needed.",
    )
    start_date = models.DateField()
    reevaluation_due = models.DateField(null=True, blank=True)
    discontinued_reason = models.CharField(max_length=200, blank=True)
    concurrent_reason = models.CharField(
        "reason to run beside another active course of the route",
        max_length=300,
        blank=True,
    )

    class Meta:
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"{self.protocol_id} from {self.start_date}"


class PhaseTransition(models.Model):
    course = models.ForeignKey(TreatmentCourse, on_delete=models.CASCADE, related_name="phases")
    from_phase = models.CharField(max_length=16, choices=CoursePhase.choices, blank=True)
    to_phase = models.CharField(max_length=16, choices=CoursePhase.choices)
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.from_phase or 'start'} → {self.to_phase}"


class CourseReevaluation(models.Model):
    """A prescriber's review of a course, and the date of the next one."""

    course = models.ForeignKey(
        TreatmentCourse, on_delete=models.CASCADE, related_name="reevaluations"
    )
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500)
    next_due = models.DateField()

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"re-evaluated {self.at:%Y-%m-%d}, next {self.next_due}"
