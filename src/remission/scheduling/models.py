"""Booking: chairs, the clinic's calendar, staff on shift, and the session as it is booked.

The session row is the appointment every chair-side entry hangs on. Booking writes its time,
chair and status up to check-in; charting (``remission.chairside``) moves it on from there and
records discharge and sign-off. Tables moved here from ``treatment`` and ``chairside`` keep
their data (migrations ``scheduling.0001`` and the renames before it).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from remission.clinical.protocols import StaffShift as ShiftOnCalendar
from remission.patients.models import Patient


class Chair(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="chairs")
    name = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField(default=1)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "position"], name="chair_position_per_clinic")
        ]

    def __str__(self) -> str:
        return self.name


class ClinicCalendarSettings(models.Model):
    """When the clinic doses: open weekdays, hours and holidays (read by the scheduler)."""

    clinic = models.OneToOneField(
        "clinics.Clinic", on_delete=models.CASCADE, related_name="calendar"
    )
    open_weekdays = models.CharField(max_length=30, default="mon,tue,wed,thu,fri")
    opens = models.TimeField(default=dt.time(8, 0))
    closes = models.TimeField(default=dt.time(18, 0))
    holidays = models.JSONField(default=list, blank=True, help_text="ISO dates.")

    def __str__(self) -> str:
        return f"calendar of {self.clinic}"


class StaffShift(models.Model):
    """A nurse, prescriber or medical director on shift: who can monitor dosing sessions.

    Times are the clinic's wall-clock times. The scheduler reads a clinic's shifts only once it
    records any (see ``services.schedule_course``).
    """

    clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.CASCADE, related_name="staff_shifts"
    )
    member = models.ForeignKey(
        "accounts.Membership", on_delete=models.CASCADE, related_name="shifts"
    )
    on = models.DateField()
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta:
        ordering = ["on", "starts", "member_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__gt=models.F("starts")), name="shift_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["clinic", "on"], name="shift_clinic_day")]

    def __str__(self) -> str:
        return f"{self.member.user} on {self.on} {self.starts:%H:%M}–{self.ends:%H:%M}"

    def on_calendar(self) -> ShiftOnCalendar:
        """This shift as the clinical core's staffing rule reads it."""
        return ShiftOnCalendar(on=self.on, starts=self.starts, ends=self.ends)


_LAST = dt.time(23, 59)  # the end of a clinic day, for a booking that runs past midnight


class SessionKind(models.TextChoices):
    DOSING = "dosing", "Dosing session"
    PREPARATION = "preparation", "Preparation (therapy)"
    INTEGRATION = "integration", "Integration (therapy)"
    CONSULT = "consult", "Consultation or screening visit"


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
        Chair, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
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
        # the name it was given when the table belonged to chairside
        indexes = [
            models.Index(
                fields=["clinic", "scheduled_start"], name="chairside_t_clinic__f67146_idx"
            )
        ]

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
