"""The REMS Patient Monitoring Form of one esketamine session, filled in from the chart.

``gather_records`` reads what the form needs from the database (one place for the queries);
``build_monitoring_form`` turns those records into a typed ``MonitoringFormData`` without any
further I/O, so the mapping can be reviewed and tested on its own. Nothing is guessed: a field
the chart does not answer is "Not recorded" and is listed in ``MonitoringFormData.missing``.

The labels below paraphrase the form's fields (reference: clinical.md §2.2, anchors.md §6.3);
they are not the manufacturer's wording.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from remission.accounts.models import User
from remission.assessments.models import ScaleAdministration
from remission.chairside.models import (
    AdministrationAction,
    AdministrationEvent,
    AdverseEvent,
    DoseOrder,
    SessionAlert,
    VitalSignEntry,
)
from remission.clinical.dosing import ESKETAMINE_MG_PER_DEVICE
from remission.clinical.errors import ClinicalInputError
from remission.clinical.monitoring import PredoseStatus, VitalSigns, predose_check
from remission.clinical.monitoring.vitals import MOAAS_AWAKE
from remission.clinical.protocols import CheckPhase, MonitoringPlan
from remission.clinical.protocols.monitoring_plan import (
    ESKETAMINE_BP_CHECK_MIN,
    VITALS,
    esketamine_plan,
)
from remission.clinical.routes import RouteFamily
from remission.clinics.models import Clinic
from remission.patients.models import Patient, SexAtBirth
from remission.rems.models import RemsEnrollment
from remission.scheduling.models import SessionKind, SessionStatus, TreatmentSession
from remission.treatment.models import Intake

# the code a course of esketamine nasal spray stores (``TreatmentCourse.route``)
ESKETAMINE_ROUTE = RouteFamily.ESKETAMINE_NASAL.value
FORM_DUE_DAYS = 7  # the form is due within 7 days of the session (REMS, clinical.md §2.2)
NOT_RECORDED = "Not recorded"
# When no reading carries the ~40-min check id, the nearest reading within this window counts.
BP_40_MIN_TOLERANCE_MIN = 15

# Concomitant-medication classes the form asks about, keyed as the intake stores them
# (remission.clinical.eligibility.CurrentMedications).
MEDICATION_CLASSES: tuple[tuple[str, str], ...] = (
    ("benzodiazepine", "Benzodiazepines"),
    ("z_drug", "Non-benzodiazepine sedative hypnotics"),
    ("stimulant", "Psychostimulants"),
    ("maoi", "MAO inhibitors"),
    ("opioid", "Opioids"),
)

_SEDATION_ALERTS = frozenset({"SEDATION_DEEP"})
_RESPIRATORY_ALERTS = frozenset({"SPO2_LOW", "RR_LOW"})
_VITAL_CHANGE_ALERTS = frozenset(
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
_VITAL_CHANGE_EVENTS = frozenset({"hypertension", "tachycardia"})


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
            when += f" ({_signed_minutes(self.minutes_from_first_device)} from the first device)"
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


@dataclass(frozen=True, slots=True)
class MonitoringFormData:
    """Every field of the monitoring form for one session, as the chart answers it."""

    session_id: uuid.UUID
    time_zone: str
    signed_off: bool
    # 1. patient
    first_name: str
    middle_initial: str
    last_name: str
    date_of_birth: dt.date
    sex: str | None
    first_treatment: Answer
    enrolled: Answer
    enrollment_date: dt.date | None
    rems_patient_id: str
    # 2. concomitant medication
    concomitant_medications: tuple[tuple[str, Answer], ...]
    medications_source: str
    # 3. healthcare provider who monitored
    hcp: StaffContact | None
    # 4. setting
    setting_name: str
    setting_address: str
    certification_number: str
    # 5. session
    treatment_date: dt.date
    dose_given_mg: Decimal | None
    dose_ordered_mg: Decimal | None
    devices_given: int
    lot_numbers: tuple[str, ...]
    devices_without_lot: int
    first_device_at: dt.datetime | None
    monitoring_ended_at: dt.datetime | None
    total_monitoring_min: int | None
    ready_to_leave_min: int | None
    # 6. vital signs acceptable
    vitals_acceptable_before: Answer
    vitals_acceptable_at_end: Answer
    # 7. blood pressure
    bp_before: BloodPressure | None
    bp_at_40_min: BloodPressure | None
    bp_before_end: BloodPressure | None
    # 8. adverse events
    sedation: Answer
    dissociation: Answer
    respiratory_depression: Answer
    vital_sign_changes: Answer
    serious_adverse_event: Answer
    warnings: tuple[str, ...] = field(default=())

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def due_on(self) -> dt.date:
        return self.treatment_date + dt.timedelta(days=FORM_DUE_DAYS)

    @property
    def dose_choice(self) -> str:
        if self.dose_given_mg is None:
            return NOT_RECORDED
        if self.dose_given_mg in (Decimal(56), Decimal(84)):
            return f"{self.dose_given_mg:.0f} mg"
        return f"Other: {_mg(self.dose_given_mg)} mg"

    @property
    def sections(self) -> tuple[FormSection, ...]:
        return _sections(self)

    @property
    def missing(self) -> tuple[str, ...]:
        """The fields the chart does not answer, as "Section: field"."""
        return tuple(
            f"{section.title}: {row.label}"
            for section in self.sections
            for row in section.rows
            if row.missing
        )

    @property
    def complete(self) -> bool:
        return not self.missing


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


# --- reading the chart ----------------------------------------------------------------------


def is_rems_session(session: TreatmentSession) -> bool:
    course = session.course
    return (
        course is not None
        and course.route == ESKETAMINE_ROUTE
        and session.kind == SessionKind.DOSING
    )


def gather_records(session: TreatmentSession, *, hcp: User | None = None) -> SessionRecords:
    """Load the session's records. ``hcp`` overrides the monitoring provider (default: the
    clinician who signed the session off)."""
    patient = session.patient
    earlier = (
        TreatmentSession.objects.filter(
            patient=patient,
            course__route=ESKETAMINE_ROUTE,
            kind=SessionKind.DOSING,
            status=SessionStatus.DISCHARGED,
            scheduled_start__lt=session.scheduled_start,
        )
        .exclude(pk=session.pk)
        .count()
    )
    if hcp is not None:
        source = "chosen when the form was generated"
    elif session.signed_off_by is not None:
        hcp, source = session.signed_off_by, "signed the session off"
    else:
        source = ""
    return SessionRecords(
        session=session,
        patient=patient,
        clinic=session.clinic,
        orders=list(DoseOrder.objects.filter(session=session)),
        devices=list(
            AdministrationEvent.objects.filter(
                session=session, action=AdministrationAction.DEVICE
            ).order_by("at", "id")
        ),
        vitals=list(VitalSignEntry.objects.filter(session=session).order_by("measured_at", "id")),
        scales=list(
            ScaleAdministration.objects.filter(
                session=session, instrument_id__in=("moaas", "cadss6")
            ).order_by("administered_at", "id")
        ),
        alerts=list(SessionAlert.objects.filter(session=session).order_by("raised_at", "id")),
        adverse_events=list(AdverseEvent.objects.filter(session=session).order_by("onset_at")),
        enrollments=list(
            RemsEnrollment.objects.filter(patient=patient, clinic_id=session.clinic_id).order_by(
                "enrolled_on", "recorded_at"
            )
        ),
        intakes=list(Intake.objects.filter(patient=patient).order_by("recorded_at")),
        earlier_treatments=earlier,
        hcp=hcp,
        hcp_source=source,
    )


# --- building the form ----------------------------------------------------------------------


def build_monitoring_form(records: SessionRecords) -> MonitoringFormData:
    """Map the session's records onto the form's fields (no database access)."""
    session, patient, clinic = records.session, records.patient, records.clinic
    tz = clinic.tzinfo
    plan = esketamine_plan(clinic.clinical_overrides)
    warnings: list[str] = []
    first_device_at = records.devices[0].at if records.devices else None
    treatment_date = (first_device_at or session.scheduled_start).astimezone(tz).date()
    if not session.signed_off_at:
        warnings.append("The session is not signed off yet; the chart may still change.")

    enrolled, enrollment = _enrollment(records.enrollments, treatment_date, warnings)
    medications, medications_source = _medications(records.intakes, treatment_date, tz)

    dose_given: Decimal | None = None
    if records.devices:
        dose_given = sum(
            (
                e.dose_mg if e.dose_mg is not None else Decimal(ESKETAMINE_MG_PER_DEVICE)
                for e in records.devices
            ),
            Decimal(0),
        )
    ordered = records.orders[-1].dose_mg if records.orders else None
    if dose_given is not None and ordered is not None and dose_given != ordered:
        warnings.append(f"{_mg(dose_given)} mg was given but {_mg(ordered)} mg was ordered.")
    lots = tuple(dict.fromkeys(e.lot_number.strip() for e in records.devices if e.lot_number))
    without_lot = sum(1 for e in records.devices if not e.lot_number.strip())

    ended_at = session.discharged_at
    total_min = None
    if first_device_at is not None and ended_at is not None:
        total_min = int((ended_at - first_device_at).total_seconds() // 60)
        if total_min < plan.min_observation_min:
            warnings.append(
                f"Monitoring lasted {total_min} min, less than the required "
                f"{plan.min_observation_min} min from the first device."
            )
    summary: dict[str, Any] = session.discharge_summary or {}
    ready_min = summary.get("clinically_ready_min_from_dose_start")

    baseline = _baseline(records.vitals, first_device_at)
    bp_before, bp_40, bp_end = _blood_pressures(records.vitals, plan, first_device_at, ended_at)
    after = _after_dose(first_device_at)

    return MonitoringFormData(
        session_id=session.pk,
        time_zone=clinic.time_zone,
        signed_off=session.signed_off_at is not None,
        first_name=patient.legal_first_name,
        middle_initial=patient.legal_middle_name.strip()[:1].upper(),
        last_name=patient.legal_last_name,
        date_of_birth=patient.date_of_birth,
        sex=None
        if patient.sex_at_birth in ("", SexAtBirth.UNKNOWN)
        else patient.get_sex_at_birth_display(),
        first_treatment=(
            Answer(True, "no earlier discharged esketamine session in this clinic's records")
            if records.earlier_treatments == 0
            else Answer(
                False,
                f"{records.earlier_treatments} earlier esketamine session"
                f"{'s' if records.earlier_treatments != 1 else ''} on record",
            )
        ),
        enrolled=enrolled,
        enrollment_date=enrollment.enrolled_on if enrollment else None,
        rems_patient_id=enrollment.rems_patient_id if enrollment else "",
        concomitant_medications=medications,
        medications_source=medications_source,
        hcp=_contact(records.hcp, records.hcp_source, clinic),
        setting_name=clinic.name,
        setting_address=clinic.address,
        certification_number=clinic.rems_certification_number.strip(),
        treatment_date=treatment_date,
        dose_given_mg=dose_given,
        dose_ordered_mg=ordered,
        devices_given=len(records.devices),
        lot_numbers=lots,
        devices_without_lot=without_lot,
        first_device_at=first_device_at,
        monitoring_ended_at=ended_at,
        total_monitoring_min=total_min,
        ready_to_leave_min=ready_min if isinstance(ready_min, int) else None,
        vitals_acceptable_before=_predose_acceptable(baseline, clinic),
        vitals_acceptable_at_end=_end_acceptable(summary),
        bp_before=bp_before,
        bp_at_40_min=bp_40,
        bp_before_end=bp_end,
        sedation=_sedation(records, after),
        dissociation=_dissociation(records, first_device_at),
        respiratory_depression=_respiratory(records, after),
        vital_sign_changes=_vital_changes(records, after),
        serious_adverse_event=_serious(records.adverse_events),
        warnings=tuple(warnings),
    )


def monitoring_form_for(
    session: TreatmentSession, *, hcp: User | None = None
) -> MonitoringFormData:
    """Gather and build in one call (the selectors authorise and audit before calling it)."""
    return build_monitoring_form(gather_records(session, hcp=hcp))


# --- field rules ----------------------------------------------------------------------------


def _enrollment(
    enrollments: Sequence[RemsEnrollment], treatment_date: dt.date, warnings: list[str]
) -> tuple[Answer, RemsEnrollment | None]:
    before = [e for e in enrollments if e.enrolled_on <= treatment_date]
    if before:
        latest = before[-1]
        ref = f", REMS ID {latest.rems_patient_id}" if latest.rems_patient_id else ""
        return Answer(True, f"enrolled {latest.enrolled_on:%Y-%m-%d}{ref}"), latest
    later = [e for e in enrollments if e.enrolled_on > treatment_date]
    if later:
        warnings.append(
            f"The enrollment on record ({later[0].enrolled_on:%Y-%m-%d}) is after the treatment; "
            "the REMS requires enrollment before the first treatment."
        )
        return Answer(False, f"enrollment recorded for {later[0].enrolled_on:%Y-%m-%d}"), None
    warnings.append("No REMS enrollment is on record for this patient.")
    return Answer(False, "no enrollment on record"), None


def _medications(
    intakes: Sequence[Intake], treatment_date: dt.date, tz: dt.tzinfo
) -> tuple[tuple[tuple[str, Answer], ...], str]:
    """From the latest intake recorded by the end of the treatment day."""
    usable = [i for i in intakes if i.recorded_at.astimezone(tz).date() <= treatment_date]
    if not usable:
        return tuple((label, Answer(None)) for _, label in MEDICATION_CLASSES), ""
    intake = max(usable, key=lambda i: i.recorded_at)
    answers = intake.answers if isinstance(intake.answers, dict) else {}
    meds = answers.get("medications")
    meds = meds if isinstance(meds, dict) else {}
    rows = []
    for key, label in MEDICATION_CLASSES:
        value = meds.get(key)
        rows.append((label, Answer(value) if isinstance(value, bool) else Answer(None)))
    when = intake.recorded_at.astimezone(tz)
    return tuple(rows), f"intake of {when:%Y-%m-%d}"


def _contact(user: User | None, source: str, clinic: Clinic) -> StaffContact | None:
    if user is None:
        return None
    name = user.get_full_name().strip() or str(user)
    # Staff records hold no direct telephone number; the clinic's line is the contact.
    return StaffContact(name=name, phone=clinic.phone.strip(), email=user.email, source=source)


def _minutes_from(start: dt.datetime | None, at: dt.datetime) -> int | None:
    if start is None:
        return None
    return round((at - start).total_seconds() / 60)


def _bp(entry: VitalSignEntry, first: dt.datetime | None, matched_by: str) -> BloodPressure:
    assert entry.systolic_mmhg is not None
    assert entry.diastolic_mmhg is not None
    return BloodPressure(
        systolic_mmhg=entry.systolic_mmhg,
        diastolic_mmhg=entry.diastolic_mmhg,
        measured_at=entry.measured_at,
        minutes_from_first_device=_minutes_from(first, entry.measured_at),
        check_id=entry.check_id,
        matched_by=matched_by,
    )


def _check_id(plan: MonitoringPlan, phase: CheckPhase, offset_min: int | None = None) -> str:
    for check in plan.checks:
        if check.instrument != VITALS or check.phase != phase:
            continue
        if offset_min is None or check.offset_min == offset_min:
            return check.check_id
    return ""


def _blood_pressures(
    vitals: Sequence[VitalSignEntry],
    plan: MonitoringPlan,
    first: dt.datetime | None,
    ended_at: dt.datetime | None,
) -> tuple[BloodPressure | None, BloodPressure | None, BloodPressure | None]:
    with_bp = [v for v in vitals if v.systolic_mmhg is not None and v.diastolic_mmhg is not None]

    def by_check(check_id: str) -> VitalSignEntry | None:
        tagged = [v for v in with_bp if check_id and v.check_id == check_id]
        return tagged[-1] if tagged else None

    # before administration: the pre-dose check, else the last reading before the first device
    pre_id = _check_id(plan, CheckPhase.PRE_DOSE)
    before_entry, how = by_check(pre_id), "check id"
    if before_entry is None and first is not None:
        earlier = [v for v in with_bp if v.measured_at <= first]
        before_entry, how = (earlier[-1] if earlier else None), "nearest time"
    bp_before = _bp(before_entry, first, how) if before_entry else None

    # ~40 minutes after: the planned check, else the nearest reading within the tolerance
    forty_id = _check_id(plan, CheckPhase.POST_DOSE, ESKETAMINE_BP_CHECK_MIN)
    forty_entry, how = by_check(forty_id), "check id"
    if forty_entry is None and first is not None:
        target = first + dt.timedelta(minutes=ESKETAMINE_BP_CHECK_MIN)
        window = dt.timedelta(minutes=BP_40_MIN_TOLERANCE_MIN)
        near = [v for v in with_bp if abs(v.measured_at - target) <= window]
        forty_entry = min(near, key=lambda v: abs(v.measured_at - target)) if near else None
        how = "nearest time"
    bp_40 = _bp(forty_entry, first, how) if forty_entry else None

    # before the end: the discharge check, else the last reading after the dose (not the 40-min)
    end_id = _check_id(plan, CheckPhase.DISCHARGE)
    end_entry, how = by_check(end_id), "check id"
    if end_entry is None and first is not None:
        later = [
            v
            for v in with_bp
            if v.measured_at > first
            and (ended_at is None or v.measured_at <= ended_at)
            and v is not forty_entry
            and (forty_entry is None or v.measured_at > forty_entry.measured_at)
        ]
        end_entry, how = (later[-1] if later else None), "nearest time"
    bp_end = _bp(end_entry, first, how) if end_entry else None
    return bp_before, bp_40, bp_end


def _baseline(vitals: Sequence[VitalSignEntry], first: dt.datetime | None) -> VitalSignEntry | None:
    if first is None:
        return None
    before = [v for v in vitals if v.measured_at <= first]
    return before[-1] if before else None


def _predose_acceptable(entry: VitalSignEntry | None, clinic: Clinic) -> Answer:
    if entry is None:
        return Answer(None, "no vital signs before the first device")
    try:
        decision = predose_check(
            VitalSigns(
                measured_at=entry.measured_at,
                systolic_mmhg=entry.systolic_mmhg,
                diastolic_mmhg=entry.diastolic_mmhg,
                heart_rate_bpm=entry.heart_rate_bpm,
                spo2_percent=entry.spo2_percent,
                respiratory_rate_per_min=entry.respiratory_rate_per_min,
            ),
            clinic.clinical_overrides,
        )
    except ClinicalInputError as exc:
        return Answer(None, f"the pre-dose reading could not be evaluated: {exc}")
    if decision.status is PredoseStatus.PROCEED:
        return Answer(True, decision.message)
    findings = "; ".join(f.message for f in decision.findings)
    if decision.status is PredoseStatus.CAUTION:
        return Answer(False, f"{findings} (dosed after prescriber review)")
    return Answer(False, findings)


def _end_acceptable(summary: dict[str, Any]) -> Answer:
    criteria = summary.get("criteria")
    if not isinstance(criteria, list):
        return Answer(None, "no discharge assessment stored with the session")
    for criterion in criteria:
        if isinstance(criterion, dict) and criterion.get("criterion") == "vitals":
            return Answer(bool(criterion.get("met")), str(criterion.get("reason", "")))
    return Answer(None, "the discharge assessment has no vital-sign criterion")


After = Callable[[dt.datetime], bool]


def _after_dose(first: dt.datetime | None) -> After:
    def after(at: dt.datetime) -> bool:
        return first is None or at >= first

    return after


def _events(records: SessionRecords, types: Iterable[str]) -> list[AdverseEvent]:
    wanted = set(types)
    return [e for e in records.adverse_events if e.event_type in wanted]


def _alerts(records: SessionRecords, codes: frozenset[str], after: After) -> list[SessionAlert]:
    return [a for a in records.alerts if a.code in codes and after(a.raised_at)]


def _yes(evidence: list[str]) -> Answer:
    return Answer(True, "; ".join(dict.fromkeys(evidence)))


def _sedation(records: SessionRecords, after: After) -> Answer:
    evidence = [f"adverse event: {e}" for e in _events(records, ["sedation"])]
    evidence += [a.message for a in _alerts(records, _SEDATION_ALERTS, after)]
    scores = [
        s
        for s in records.scales
        if s.instrument_id == "moaas" and s.total is not None and after(s.administered_at)
    ]
    low = [s.total for s in scores if s.total is not None and s.total < MOAAS_AWAKE]
    if low:
        evidence.append(f"lowest MOAA/S {min(low)} (5 = awake)")
    if evidence:
        return _yes(evidence)
    if scores:
        return Answer(False, f"MOAA/S 5 (awake) at all {len(scores)} checks after the dose")
    return Answer(None, "no MOAA/S score after the dose")


def _dissociation(records: SessionRecords, first: dt.datetime | None) -> Answer:
    evidence = [f"adverse event: {e}" for e in _events(records, ["dissociation"])]
    cadss = [
        (s.administered_at, s.total)
        for s in records.scales
        if s.instrument_id == "cadss6" and s.total is not None
    ]
    before = [total for at, total in cadss if first is not None and at < first]
    after = [total for at, total in cadss if first is None or at >= first]
    baseline = before[-1] if before else 0
    above = [total for total in after if total > baseline]
    if above:
        evidence.append(f"CADSS-6 up to {max(above)} (before the dose {baseline})")
    if evidence:
        return _yes(evidence)
    if after:
        return Answer(False, f"CADSS-6 at or below {baseline} at all {len(after)} checks")
    return Answer(None, "no CADSS-6 score after the dose")


def _respiratory(records: SessionRecords, after: After) -> Answer:
    evidence = [f"adverse event: {e}" for e in _events(records, ["desaturation"])]
    evidence += [a.message for a in _alerts(records, _RESPIRATORY_ALERTS, after)]
    if evidence:
        return _yes(evidence)
    spo2 = [
        v.spo2_percent
        for v in records.vitals
        if v.spo2_percent is not None and after(v.measured_at)
    ]
    if spo2:
        return Answer(False, f"lowest SpO2 {min(spo2)}% after the dose, no respiratory alert")
    return Answer(None, "no pulse oximetry after the dose")


def _vital_changes(records: SessionRecords, after: After) -> Answer:
    evidence = [f"adverse event: {e}" for e in _events(records, _VITAL_CHANGE_EVENTS)]
    evidence += [a.message for a in _alerts(records, _VITAL_CHANGE_ALERTS, after)]
    if evidence:
        return _yes(evidence)
    readings = [v for v in records.vitals if v.systolic_mmhg is not None and after(v.measured_at)]
    if readings:
        return Answer(False, f"no vital-sign alert in {len(readings)} readings after the dose")
    return Answer(None, "no vital signs after the dose")


def _serious(events: Sequence[AdverseEvent]) -> Answer:
    serious = [e for e in events if e.serious]
    if serious:
        return Answer(True, "; ".join(str(e) for e in serious) + " (report separately)")
    return Answer(False, "none charted")


# --- layout ---------------------------------------------------------------------------------


def _mg(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _signed_minutes(minutes: int) -> str:
    return f"−{-minutes} min" if minutes < 0 else f"+{minutes} min"


def _row(label: str, value: str | None, detail: str = "", *, required: bool = True) -> FormRow:
    if value is None or value == "":
        return FormRow(label, NOT_RECORDED if required else "—", missing=required, detail=detail)
    return FormRow(label, value, detail=detail)


def _answer_row(label: str, answer: Answer) -> FormRow:
    return FormRow(label, answer.text, missing=not answer.recorded, detail=answer.detail)


def _bp_row(label: str, bp: BloodPressure | None, tz: dt.tzinfo) -> FormRow:
    if bp is None:
        return FormRow(label, NOT_RECORDED, missing=True)
    how = f"check {bp.check_id}" if bp.matched_by == "check id" else "nearest reading in time"
    return FormRow(label, bp.text, detail=f"{bp.when(tz)}; {how}")


def _time(value: dt.datetime | None, tz: dt.tzinfo) -> str | None:
    return None if value is None else f"{value.astimezone(tz):%Y-%m-%d %H:%M}"


def _sections(d: MonitoringFormData) -> tuple[FormSection, ...]:
    tz = d.tz
    hcp = d.hcp
    lots = ", ".join(d.lot_numbers)
    lot_detail = ""
    if d.devices_without_lot:
        lot_detail = f"{d.devices_without_lot} device(s) charted without a lot number"
    return (
        FormSection(
            1,
            "Patient",
            (
                _row("First name", d.first_name),
                _row("Middle initial", d.middle_initial, required=False),
                _row("Last name", d.last_name),
                _row("Date of birth", f"{d.date_of_birth:%Y-%m-%d}"),
                _row("Sex", d.sex),
                _answer_row("First esketamine treatment?", d.first_treatment),
                _answer_row("Enrolled in the REMS?", d.enrolled),
                _row(
                    "Enrollment date",
                    None if d.enrollment_date is None else f"{d.enrollment_date:%Y-%m-%d}",
                ),
                _row("REMS patient ID / reference", d.rems_patient_id, required=False),
            ),
        ),
        FormSection(
            2,
            "Concomitant medication at the time of treatment",
            (
                *(_answer_row(label, answer) for label, answer in d.concomitant_medications),
                _row(
                    "Source",
                    d.medications_source,
                    "latest intake by the treatment date",
                    required=False,
                ),
            ),
        ),
        FormSection(
            3,
            "Healthcare provider who monitored the patient",
            (
                _row("Name", hcp.name if hcp else None, hcp.source if hcp else ""),
                _row(
                    "Telephone",
                    hcp.phone if hcp else None,
                    "clinic telephone line" if hcp and hcp.phone else "",
                ),
                _row("Email", hcp.email if hcp else None),
            ),
        ),
        FormSection(
            4,
            "Healthcare setting",
            (
                _row("Name", d.setting_name),
                _row("Address", d.setting_address),
                _row("REMS certification number", d.certification_number),
            ),
        ),
        FormSection(
            5,
            "Treatment session",
            (
                _row("Treatment date", f"{d.treatment_date:%Y-%m-%d}"),
                _row(
                    "Dose given",
                    None if d.dose_given_mg is None else d.dose_choice,
                    f"{d.devices_given} device(s) of {ESKETAMINE_MG_PER_DEVICE} mg"
                    + (
                        f"; ordered {_mg(d.dose_ordered_mg)} mg"
                        if d.dose_ordered_mg is not None
                        else ""
                    )
                    if d.devices_given
                    else "",
                ),
                _row("Lot number(s)", None if d.devices_without_lot else lots, lot_detail),
                _row("First device given at", _time(d.first_device_at, tz)),
                _row("Monitoring ended (discharge) at", _time(d.monitoring_ended_at, tz)),
                _row(
                    "Total monitoring time",
                    None if d.total_monitoring_min is None else f"{d.total_monitoring_min} min",
                    "from the first device to the end of monitoring",
                ),
                _row(
                    "Could have left after",
                    None if d.ready_to_leave_min is None else f"{d.ready_to_leave_min} min",
                    "minutes from the first device until the patient was clinically ready, "
                    "leaving the 2-hour minimum aside",
                ),
            ),
        ),
        FormSection(
            6,
            "Vital signs",
            (
                _answer_row("Acceptable before administration?", d.vitals_acceptable_before),
                _answer_row("Acceptable before the end of monitoring?", d.vitals_acceptable_at_end),
            ),
        ),
        FormSection(
            7,
            "Blood pressure",
            (
                _bp_row("Before administration", d.bp_before, tz),
                _bp_row("About 40 minutes after the dose", d.bp_at_40_min, tz),
                _bp_row("Before the end of monitoring", d.bp_before_end, tz),
            ),
        ),
        FormSection(
            8,
            "Adverse events in this session",
            (
                _answer_row("Sedation?", d.sedation),
                _answer_row("Dissociation?", d.dissociation),
                _answer_row("Respiratory depression?", d.respiratory_depression),
                _answer_row("Changes in vital signs?", d.vital_sign_changes),
                _answer_row("Serious adverse event?", d.serious_adverse_event),
            ),
        ),
    )
