"""The chair-side record of a booked session (``scheduling.TreatmentSession``).

Everything charted during a session is an append-only entry stamped with who and when, so two
staff charting the same session at once can never overwrite each other. The session row itself
changes only through services that check a version number (optimistic concurrency).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from remission.clinical.monitoring.adverse_grades import grade_label
from remission.scheduling.models import TreatmentSession


class SessionEntry(models.Model):
    """Base of every charted entry: which session, who, when (charted) and about when."""

    session = models.ForeignKey(TreatmentSession, on_delete=models.CASCADE, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class ChecklistEntry(SessionEntry):
    session = models.ForeignKey(
        TreatmentSession, on_delete=models.CASCADE, related_name="checklist"
    )
    item = models.CharField(max_length=40)
    answer = models.CharField(max_length=8)  # yes / no / n/a
    note = models.CharField(max_length=200, blank=True)
    # a today's-dose question that asks how much (clinical.monitoring.checklist.asks_amount)
    drug = models.CharField(max_length=40, blank=True, help_text="catalogue key of the drug taken")
    dose_mg = models.DecimalField(max_digits=8, decimal_places=3, null=True, blank=True)

    class Meta:
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return f"{self.item}: {self.answer}"


class DoseOrder(SessionEntry):
    """The prescriber's order, computed by ``remission.clinical.dosing``. A new order
    supersedes the previous one; both stay on record."""

    session = models.ForeignKey(TreatmentSession, on_delete=models.CASCADE, related_name="orders")
    drug = models.CharField(max_length=60)
    route = models.CharField(max_length=20)
    dose_mg = models.DecimalField(max_digits=7, decimal_places=1)
    mg_per_kg = models.DecimalField(max_digits=5, decimal_places=3, null=True, blank=True)
    weight_kg = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    weight_measured_on = models.DateField(null=True, blank=True)
    weight_basis = models.CharField(max_length=10, blank=True)
    dosing_weight_kg = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    concentration_mg_per_ml = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True
    )
    volume_ml = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    infusion_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    rate_ml_per_h = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    devices = models.PositiveSmallIntegerField(null=True, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    warnings_acknowledged = models.BooleanField(default=False)
    calculation = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return f"{self.drug} {self.dose_mg} mg {self.route}"


class DoseVerification(SessionEntry):
    """The independent check by a second person before the dose starts."""

    session = models.ForeignKey(
        TreatmentSession, on_delete=models.CASCADE, related_name="verifications"
    )
    order = models.OneToOneField(DoseOrder, on_delete=models.CASCADE, related_name="verification")

    def __str__(self) -> str:
        return f"verified by {self.recorded_by}"


class AdministrationAction(models.TextChoices):
    START = "start", "Start infusion"
    PAUSE = "pause", "Pause"
    RESUME = "resume", "Resume"
    RATE_CHANGE = "rate_change", "Change rate"
    STOP = "stop", "Stop infusion"
    INJECTION = "injection", "Injection given"
    DEVICE = "device", "Nasal device given"


class AdministrationEvent(SessionEntry):
    """One line of the medication administration record."""

    session = models.ForeignKey(
        TreatmentSession, on_delete=models.CASCADE, related_name="administration"
    )
    order = models.ForeignKey(DoseOrder, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=12, choices=AdministrationAction.choices)
    at = models.DateTimeField()
    rate_ml_per_h = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    dose_mg = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    product = models.CharField(max_length=100, blank=True)
    lot_number = models.CharField(max_length=40, blank=True)
    expiry = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {self.at:%H:%M}"


class VitalSignEntry(SessionEntry):
    session = models.ForeignKey(TreatmentSession, on_delete=models.CASCADE, related_name="vitals")
    measured_at = models.DateTimeField()
    check_id = models.CharField(max_length=40, blank=True)
    systolic_mmhg = models.PositiveSmallIntegerField(null=True, blank=True)
    diastolic_mmhg = models.PositiveSmallIntegerField(null=True, blank=True)
    heart_rate_bpm = models.PositiveSmallIntegerField(null=True, blank=True)
    spo2_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    respiratory_rate_per_min = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["measured_at", "id"]

    def __str__(self) -> str:
        return f"vitals at {self.measured_at:%H:%M}"


class MissedCheck(SessionEntry):
    """Why a planned check was not charted (the patient asleep, off the chair, declined):
    an overdue check explained here no longer holds the sign-off."""

    session = models.ForeignKey(
        TreatmentSession, on_delete=models.CASCADE, related_name="missed_checks"
    )
    check_id = models.CharField(max_length=40)
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.check_id} missed: {self.reason}"


class SessionAlert(models.Model):
    """What one reading (or scale, or over-delivery) raised: one alert with every reason the
    clinical core gave, acknowledged once. ``code`` and ``severity`` are the most severe
    reason's; ``reasons`` keeps each reason's code, severity, message, advice and source."""

    session = models.ForeignKey(TreatmentSession, on_delete=models.CASCADE, related_name="alerts")
    vital = models.ForeignKey(
        VitalSignEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    code = models.CharField(max_length=60)
    severity = models.CharField(max_length=12)
    message = models.CharField(max_length=300)
    source = models.CharField(max_length=300, blank=True)
    raised_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    action_taken = models.CharField(max_length=300, blank=True)
    reasons = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["raised_at", "id"]

    def __str__(self) -> str:
        return self.message

    @property
    def codes(self) -> tuple[str, ...]:
        """Every reason's code (an alert written before reasons were kept: its one code)."""
        return tuple(r["code"] for r in self.reasons) or (self.code,)

    @property
    def reason_rows(self) -> list[dict[str, str]]:
        """The reasons to show; an older alert shows its one message and source."""
        if self.reasons:
            return list(self.reasons)
        return [
            {"code": self.code, "severity": self.severity, "message": self.message,
             "advice": "", "source": self.source}
        ]  # fmt: skip


class AdverseEventType(models.TextChoices):
    NAUSEA = "nausea", "Nausea"
    VOMITING = "vomiting", "Vomiting"
    DIZZINESS = "dizziness", "Dizziness"
    DISSOCIATION = "dissociation", "Dissociation beyond expected"
    HYPERTENSION = "hypertension", "Hypertension"
    TACHYCARDIA = "tachycardia", "Tachycardia"
    DESATURATION = "desaturation", "Desaturation"
    AGITATION = "agitation", "Agitation"
    HEADACHE = "headache", "Headache"
    SEDATION = "sedation", "Sedation"
    OTHER = "other", "Other"


class AdverseEvent(SessionEntry):
    session = models.ForeignKey(
        TreatmentSession, on_delete=models.CASCADE, related_name="adverse_events"
    )
    event_type = models.CharField(max_length=16, choices=AdverseEventType.choices)
    description = models.CharField(max_length=200, blank=True)
    grade = models.PositiveSmallIntegerField(help_text="Severity grade 1 (mild) to 5 (death).")
    onset_at = models.DateTimeField()
    action = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=200, blank=True)
    serious = models.BooleanField(default=False)

    class Meta:
        ordering = ["onset_at"]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} grade {self.grade}"

    @property
    def grade_label(self) -> str:
        return grade_label(self.grade)


class NursingNote(SessionEntry):
    session = models.ForeignKey(TreatmentSession, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()

    class Meta:
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return self.text[:40]


class DischargeChartingEntry(SessionEntry):
    """The nurse's discharge assessment (``clinical.monitoring.discharge_score``): the score's
    hand-charted items, 0–2 each (blank: not charted), and the ketamine-specific checks. The
    vital-sign items are computed from the vitals, never stored here. Append-only: the latest
    entry is the one the readiness reads; the one in force at discharge is kept in the
    session's ``discharge_summary``."""

    session = models.ForeignKey(
        TreatmentSession, on_delete=models.CASCADE, related_name="discharge_chartings"
    )
    score_system = models.CharField(max_length=12)  # the clinic's score when charted
    ambulation = models.PositiveSmallIntegerField(null=True, blank=True)
    nausea_vomiting = models.PositiveSmallIntegerField(null=True, blank=True)
    pain = models.PositiveSmallIntegerField(null=True, blank=True)
    bleeding = models.PositiveSmallIntegerField(null=True, blank=True)
    activity = models.PositiveSmallIntegerField(null=True, blank=True)
    respiration = models.PositiveSmallIntegerField(null=True, blank=True)
    consciousness = models.PositiveSmallIntegerField(null=True, blank=True)
    supplemental_oxygen = models.BooleanField(default=False)
    oriented = models.BooleanField(default=False)
    escort_present = models.BooleanField(default=False)
    driving_advice_given = models.BooleanField(default=False)

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"discharge assessment at {self.recorded_at:%H:%M}"


class FollowUpOutcome(models.TextChoices):
    REACHED = "reached", "Reached"
    NO_ANSWER = "no_answer", "No answer"
    LEFT_MESSAGE = "left_message", "Left message"


class FollowUpCall(models.Model):
    """The call to the patient after discharge (``clinical.monitoring.follow_up``): created at
    discharge, due on the clinic's wall clock, open until an attempt closes it."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="follow_up_calls"
    )
    session = models.OneToOneField(
        TreatmentSession, on_delete=models.CASCADE, related_name="follow_up_call"
    )
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["clinic", "done_at", "due_at"])]

    def __str__(self) -> str:
        return f"follow-up call due {self.due_at:%Y-%m-%d %H:%M}"


class FollowUpAttempt(models.Model):
    """One attempt at the call, append-only: the outcome, how the patient is, any concerns
    (the note) and the adverse event the call reported, if any."""

    call = models.ForeignKey(FollowUpCall, on_delete=models.CASCADE, related_name="attempts")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=16, choices=FollowUpOutcome.choices)
    patient_status = models.CharField(max_length=300, blank=True)
    concerns = models.TextField(blank=True)
    closed_call = models.BooleanField(default=False)
    adverse_event = models.OneToOneField(
        AdverseEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} at {self.recorded_at:%H:%M}"
