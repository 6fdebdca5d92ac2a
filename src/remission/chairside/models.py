"""A treatment session: the booking on the calendar and the chair-side record.

Everything charted during a session is an append-only entry stamped with who and when, so two
staff charting the same session at once can never overwrite each other. The session row itself
changes only through services that check a version number (optimistic concurrency).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from remission.patients.models import Patient

_LAST = dt.time(23, 59)  # the end of a clinic day, for a booking that runs past midnight


class SessionKind(models.TextChoices):
    DOSING = "dosing", "Dosing session"
    PREPARATION = "preparation", "Preparation (therapy)"
    INTEGRATION = "integration", "Integration (therapy)"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CHECKED_IN = "checked_in", "Checked in"
    PRE_DOSE = "pre_dose", "Pre-dose"
    DOSING = "dosing", "Dosing"
    OBSERVING = "observing", "Observing"
    READY = "ready", "Ready for discharge"
    DISCHARGED = "discharged", "Discharged"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"


ACTIVE_STATUSES = (
    SessionStatus.CHECKED_IN,
    SessionStatus.PRE_DOSE,
    SessionStatus.DOSING,
    SessionStatus.OBSERVING,
    SessionStatus.READY,
)


class TreatmentSession(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="sessions")
    course = models.ForeignKey(
        "treatment.TreatmentCourse",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sessions",
    )
    kind = models.CharField(max_length=12, choices=SessionKind.choices)
    sequence = models.PositiveSmallIntegerField(default=1)
    dose_number = models.PositiveSmallIntegerField(null=True, blank=True)
    scheduled_start = models.DateTimeField(db_index=True)
    duration_min = models.PositiveSmallIntegerField()
    chair = models.ForeignKey(
        "treatment.Chair", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    status_reason = models.CharField(max_length=200, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    discharged_at = models.DateTimeField(null=True, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    discharge_summary = models.JSONField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheduled_start"]
        indexes = [models.Index(fields=["clinic", "scheduled_start"])]

    def __str__(self) -> str:
        # in the active zone: the clinic's, inside a clinic's pages (``clinic_member``)
        when = timezone.localtime(self.scheduled_start)
        return f"{self.get_kind_display()} {when:%Y-%m-%d %H:%M}"

    def wall_clock(self, tz: dt.tzinfo) -> tuple[dt.date, dt.time, dt.time]:
        """Day, start and end on the clinic's clock; a session past midnight ends at 23:59."""
        begins = self.scheduled_start.astimezone(tz)
        ends = begins + dt.timedelta(minutes=self.duration_min)
        return begins.date(), begins.time(), ends.time() if ends.date() == begins.date() else _LAST

    @property
    def is_locked(self) -> bool:
        return self.signed_off_at is not None


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


class SessionAlert(models.Model):
    """A threshold alert raised by the clinical core; a person must acknowledge it."""

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

    class Meta:
        ordering = ["raised_at", "id"]

    def __str__(self) -> str:
        return self.message


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


class NursingNote(SessionEntry):
    session = models.ForeignKey(TreatmentSession, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()

    class Meta:
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return self.text[:40]
