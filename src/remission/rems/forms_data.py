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
from remission.clinical import labels
from remission.clinical.dosing import ESKETAMINE_MG_PER_DEVICE
from remission.clinical.protocols import MonitoringPlan
from remission.clinical.protocols.monitoring_plan import (
    esketamine_plan,
)
from remission.patients.models import SexAtBirth
from remission.rems.form_rules import (
    after_dose,
    baseline_reading,
    blood_pressures,
    contact,
    dissociation,
    end_acceptable,
    enrollment_of,
    medications_at,
    predose_acceptable,
    respiratory,
    sedation,
    serious,
    vital_changes,
)
from remission.rems.form_values import (
    ESKETAMINE_ROUTE,
    FORM_DUE_DAYS,
    NOT_RECORDED,
    Answer,
    BloodPressure,
    FormRow,
    FormSection,
    SessionRecords,
    StaffContact,
    mg,
)
from remission.rems.models import RemsEnrollment
from remission.scheduling.models import SessionKind, SessionStatus, TreatmentSession
from remission.treatment.models import Intake


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
        return f"Other: {mg(self.dose_given_mg)} mg"

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


# --- reading the chart ----------------------------------------------------------------------


def is_rems_session(session: TreatmentSession) -> bool:
    course = session.course
    return (
        course is not None
        and course.route == ESKETAMINE_ROUTE
        and session.kind == SessionKind.DOSING
    )


def _monitoring_nurse(vitals: list[VitalSignEntry]) -> User | None:
    """Who monitored the patient: the member who charted most of the session's vital signs
    (on a tie, the one who charted first)."""
    counts: dict[object, int] = {}
    first: dict[object, User] = {}
    for entry in vitals:
        if entry.recorded_by is not None:
            counts[entry.recorded_by_id] = counts.get(entry.recorded_by_id, 0) + 1
            first.setdefault(entry.recorded_by_id, entry.recorded_by)
    if not counts:
        return None
    most = max(counts.values())
    return next(user for key, user in first.items() if counts[key] == most)


def gather_records(session: TreatmentSession, *, hcp: User | None = None) -> SessionRecords:
    """Load the session's records. ``hcp`` overrides the monitoring provider (default: the
    nurse who charted the session's vital signs, else the clinician who signed it off)."""
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
    vitals = list(
        VitalSignEntry.objects.filter(session=session)
        .select_related("recorded_by")
        .order_by("measured_at", "id")
    )
    charted_by = _monitoring_nurse(vitals)
    if hcp is not None:
        source = "chosen when the form was generated"
    elif charted_by is not None:
        hcp, source = charted_by, "charted the session's vital signs"
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
        vitals=vitals,
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

    enrolled, enrollment = enrollment_of(records.enrollments, treatment_date, warnings)
    medications, medications_source = medications_at(records.intakes, treatment_date, tz)

    dose_given, ordered = _dose_given_and_ordered(records, warnings)
    lots = tuple(dict.fromkeys(e.lot_number.strip() for e in records.devices if e.lot_number))
    without_lot = sum(1 for e in records.devices if not e.lot_number.strip())

    ended_at = session.discharged_at
    total_min = _monitoring_minutes(first_device_at, ended_at, plan, warnings)
    summary: dict[str, Any] = session.discharge_summary or {}
    ready_min = summary.get("clinically_ready_min_from_dose_start")

    baseline = baseline_reading(records.vitals, first_device_at)
    bp_before, bp_40, bp_end = blood_pressures(records.vitals, plan, first_device_at, ended_at)
    after = after_dose(first_device_at)

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
        else (patient.get_sex_at_birth_display()),
        first_treatment=_first_treatment(records.earlier_treatments),
        enrolled=enrolled,
        enrollment_date=enrollment.enrolled_on if enrollment else None,
        rems_patient_id=enrollment.rems_patient_id if enrollment else "",
        concomitant_medications=medications,
        medications_source=medications_source,
        hcp=contact(records.hcp, records.hcp_source, clinic),
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
        vitals_acceptable_before=predose_acceptable(baseline, clinic),
        vitals_acceptable_at_end=end_acceptable(summary),
        bp_before=bp_before,
        bp_at_40_min=bp_40,
        bp_before_end=bp_end,
        sedation=sedation(records, after),
        dissociation=dissociation(records, first_device_at),
        respiratory_depression=respiratory(records, after),
        vital_sign_changes=vital_changes(records, after),
        serious_adverse_event=serious(records.adverse_events),
        warnings=tuple(warnings),
    )


def _dose_given_and_ordered(
    records: SessionRecords, warnings: list[str]
) -> tuple[Decimal | None, Decimal | None]:
    """The dose the devices charted, and the dose ordered; a warning when they differ."""
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
        warnings.append(f"{mg(dose_given)} mg was given but {mg(ordered)} mg was ordered.")
    return dose_given, ordered


def _monitoring_minutes(
    first_device_at: dt.datetime | None,
    ended_at: dt.datetime | None,
    plan: MonitoringPlan,
    warnings: list[str],
) -> int | None:
    """Minutes from the first device to discharge; a warning when under the REMS minimum."""
    if first_device_at is None or ended_at is None:
        return None
    total_min = int((ended_at - first_device_at).total_seconds() // 60)
    if total_min < plan.min_observation_min:
        warnings.append(
            f"Monitoring lasted {total_min} min, less than the required "
            f"{plan.min_observation_min} min from the first device."
        )
    return total_min


def _first_treatment(earlier_treatments: int) -> Answer:
    if earlier_treatments == 0:
        return Answer(True, "no earlier discharged esketamine session in this clinic's records")
    plural = "s" if earlier_treatments != 1 else ""
    return Answer(False, f"{earlier_treatments} earlier esketamine session{plural} on record")


def monitoring_form_for(
    session: TreatmentSession, *, hcp: User | None = None
) -> MonitoringFormData:
    """Gather and build in one call (the selectors authorise and audit before calling it)."""
    return build_monitoring_form(gather_records(session, hcp=hcp))


# --- layout ---------------------------------------------------------------------------------


def _row(label: str, value: str | None, detail: str = "", *, required: bool = True) -> FormRow:
    if value is None or value == "":
        return FormRow(label, NOT_RECORDED if required else "—", missing=required, detail=detail)
    return FormRow(label, value, detail=detail)


def _answer_row(label: str, answer: Answer) -> FormRow:
    return FormRow(label, answer.text, missing=not answer.recorded, detail=answer.detail)


def _bp_row(label: str, bp: BloodPressure | None, tz: dt.tzinfo) -> FormRow:
    if bp is None:
        return FormRow(label, NOT_RECORDED, missing=True)
    how = (
        f"the planned check: {labels.label(bp.check_id)}"
        if bp.matched_by == "check id"
        else "nearest reading in time"
    )
    return FormRow(label, bp.text, detail=f"{bp.when(tz)}; {how}")


def _time(value: dt.datetime | None, tz: dt.tzinfo) -> str | None:
    return None if value is None else f"{value.astimezone(tz):%Y-%m-%d %H:%M}"


def _sections(d: MonitoringFormData) -> tuple[FormSection, ...]:
    return (*_who_and_where(d), *_the_session(d))


def _who_and_where(d: MonitoringFormData) -> tuple[FormSection, ...]:
    """Sections 1–4: the patient, their medication, who monitored them, the setting."""
    hcp = d.hcp
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
    )


def _the_session(d: MonitoringFormData) -> tuple[FormSection, ...]:
    """Sections 5–8: the dose and its monitoring, vital signs, blood pressure, adverse events."""
    tz = d.tz
    lots = ", ".join(d.lot_numbers)
    lot_detail = ""
    if d.devices_without_lot:
        lot_detail = f"{d.devices_without_lot} device(s) charted without a lot number"
    return (
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
                        f"; ordered {mg(d.dose_ordered_mg)} mg"
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
