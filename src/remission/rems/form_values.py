"""The values the REMS monitoring form is made of, and the records it reads (no I/O)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from remission.accounts.models import User
from remission.assessments.models import ScaleAdministration
from remission.chairside.models import (
    AdministrationEvent,
    AdverseEvent,
    DoseOrder,
    SessionAlert,
    VitalSignEntry,
)
from remission.clinical.routes import RouteFamily
from remission.clinics.models import Clinic
from remission.patients.models import Patient
from remission.rems.models import RemsEnrollment
from remission.scheduling.models import TreatmentSession
from remission.treatment.models import Intake

# the code a course of esketamine nasal spray stores (``TreatmentCourse.route``)
ESKETAMINE_ROUTE = RouteFamily.ESKETAMINE_NASAL.value
FORM_DUE_DAYS = 7  # the form is due within 7 days of the session (REMS, clinical.md §2.2)
NOT_RECORDED = "Not recorded"
# When no reading carries the ~40-min check id, the nearest reading within this window counts.
BP_40_MIN_TOLERANCE_MIN = 15

# Concomitant-medication classes the form asks about, keyed by medicine class
# (remission.clinical.medications.DrugClass; the older intake boxes used the same names).
MEDICATION_CLASSES: tuple[tuple[str, str], ...] = (
    ("benzodiazepine", "Benzodiazepines"),
    ("z_drug", "Non-benzodiazepine sedative hypnotics"),
    ("stimulant", "Psychostimulants"),
    ("maoi", "MAO inhibitors"),
    ("opioid", "Opioids"),
)

SEDATION_ALERTS = frozenset({"SEDATION_DEEP"})
RESPIRATORY_ALERTS = frozenset({"SPO2_LOW", "RR_LOW"})
VITAL_CHANGE_ALERTS = frozenset(
    {
        "BP_SYSTOLIC_HIGH",
        "BP_DIASTOLIC_HIGH",
        "BP_SYSTOLIC_RISE",
        "BP_DIASTOLIC_RISE",
        "HR_HIGH",
        "HR_LOW",
        "RR_HIGH",
    }
)
VITAL_CHANGE_EVENTS = frozenset({"hypertension", "tachycardia"})


# --- value types ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Answer:
    """A yes/no answer with the chart evidence behind it; ``value`` None is "not recorded"."""

    value: bool | None
    detail: str = ""

    @property
    def recorded(self) -> bool:
        return self.value is not None

    @property
    def text(self) -> str:
        if self.value is None:
            return NOT_RECORDED
        return "Yes" if self.value else "No"


@dataclass(frozen=True, slots=True)
class BloodPressure:
    systolic_mmhg: int
    diastolic_mmhg: int
    measured_at: dt.datetime
    minutes_from_first_device: int | None
    check_id: str
    matched_by: str  # "check id" or "nearest time"

    @property
    def text(self) -> str:
        return f"{self.systolic_mmhg}/{self.diastolic_mmhg} mmHg"

    def when(self, tz: dt.tzinfo) -> str:
        when = f"at {self.measured_at.astimezone(tz):%H:%M}"
        if self.minutes_from_first_device is not None:
            when += f" ({signed_minutes(self.minutes_from_first_device)} from the first device)"
        return when


@dataclass(frozen=True, slots=True)
class StaffContact:
    name: str
    phone: str
    email: str
    source: str  # why this person: signed the session, or chosen


@dataclass(frozen=True, slots=True)
class FormRow:
    label: str
    value: str
    missing: bool = False
    detail: str = ""


@dataclass(frozen=True, slots=True)
class FormSection:
    number: int
    title: str
    rows: tuple[FormRow, ...]


@dataclass(frozen=True)
class SessionRecords:
    """What the form reads about one session, loaded by ``gather_records``."""

    session: TreatmentSession
    patient: Patient
    clinic: Clinic
    orders: Sequence[DoseOrder]
    devices: Sequence[AdministrationEvent]
    vitals: Sequence[VitalSignEntry]
    scales: Sequence[ScaleAdministration]
    alerts: Sequence[SessionAlert]
    adverse_events: Sequence[AdverseEvent]
    enrollments: Sequence[RemsEnrollment]
    intakes: Sequence[Intake]
    earlier_treatments: int
    hcp: User | None = None
    hcp_source: str = ""


def mg(value: Decimal) -> str:
    return f"{value.normalize():f}"


def signed_minutes(minutes: int) -> str:
    return f"−{-minutes} min" if minutes < 0 else f"+{minutes} min"
