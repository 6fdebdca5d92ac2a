"""An esketamine course with a fully charted, discharged session, for the REMS tests.

Every row here is written directly with the ORM, not through the treatment, chair-side or REMS
services, and writes no audit events: the services stamp "now" (or refuse past and future
times), and these tests control every timestamp of a session charted on 10 March 2026. The
REMS services themselves are the subject of ``tests/rems/test_services.py``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.assessments.models import ScaleAdministration
from remission.chairside.models import (
    AdministrationEvent,
    AdverseEvent,
    DoseOrder,
    SessionAlert,
    VitalSignEntry,
)
from remission.clinics.models import Clinic
from remission.patients.models import Patient
from remission.rems import services as rems_services
from remission.rems.models import RemsEnrollment
from remission.scheduling.models import SessionKind, SessionStatus, TreatmentSession
from remission.treatment.models import Intake, TreatmentCourse

# 10:00 in New York (EDT, UTC-4) on Tuesday 10 March 2026.
FIRST_DEVICE = dt.datetime(2026, 3, 10, 14, 0, tzinfo=dt.UTC)
CERTIFICATION = "CERT-12345"
LOT = "LOT-A1"


def certify(clinic: Clinic) -> Clinic:
    clinic.rems_certification_number = CERTIFICATION
    clinic.address_line1 = "12 Harbor Street"
    clinic.city = "Portland"
    clinic.region = "ME"
    clinic.postal_code = "04101"
    clinic.phone = "(207) 555-0142"
    clinic.save()
    return clinic


def esketamine_course(
    members: dict[str, Membership], patient: Patient, route: str = "esketamine_nasal"
) -> TreatmentCourse:
    return TreatmentCourse.objects.create(
        patient=patient,
        clinic=patient.clinic,
        recorded_by=members[Role.PRESCRIBER].user,
        protocol_id="esketamine-induction" if route == "esketamine_nasal" else "iv-induction",
        route=route,
        phase="induction",
        fixed_dose_mg=56,
        start_date=FIRST_DEVICE.date() - dt.timedelta(days=7),
    )


def enroll(
    members: dict[str, Membership], patient: Patient, on: dt.date, rems_id: str = "RP-778"
) -> RemsEnrollment:
    return RemsEnrollment.objects.create(
        patient=patient,
        clinic=patient.clinic,
        recorded_by=members[Role.NURSE].user,
        enrolled_on=on,
        rems_patient_id=rems_id,
        enrolled_by=members[Role.PRESCRIBER].user,
    )


def record_intake(
    members: dict[str, Membership], patient: Patient, at: dt.datetime, **taken: bool
) -> Intake:
    medications: dict[str, Any] = dict.fromkeys(
        ("maoi", "benzodiazepine", "z_drug", "opioid", "stimulant", "lamotrigine"), False
    )
    medications.update(taken)
    intake = Intake.objects.create(
        patient=patient,
        clinic=patient.clinic,
        recorded_by=members[Role.NURSE].user,
        answers={"medications": medications},
        assessment={},
    )
    Intake.objects.filter(pk=intake.pk).update(recorded_at=at)  # auto_now_add: set afterwards
    intake.refresh_from_db()
    return intake


def discharge_summary(ready_min: int | None = 75, vitals_met: bool = True) -> dict[str, Any]:
    return {
        "ready": vitals_met,
        "criteria": [
            {"criterion": "min_observation", "met": True, "reason": "done"},
            {
                "criterion": "vitals",
                "met": vitals_met,
                "reason": "vital signs acceptable for discharge"
                if vitals_met
                else "BP 168/102 mmHg is neither below 160/100 mmHg nor back near the baseline",
            },
        ],
        "clinically_ready_min_from_dose_start": ready_min,
        "observation_ends_at": (FIRST_DEVICE + dt.timedelta(minutes=120)).isoformat(),
    }


def scale(
    session: TreatmentSession, instrument: str, total: int, at: dt.datetime, check_id: str = ""
) -> ScaleAdministration:
    return ScaleAdministration.objects.create(
        patient=session.patient,
        clinic=session.clinic,
        recorded_by=None,
        instrument_id=instrument,
        answers=[total],
        total=total,
        maximum=5 if instrument == "moaas" else 24,
        valid=True,
        administered_at=at,
        context="in_session",
        session=session,
        check_id=check_id,
    )


def vitals(
    session: TreatmentSession,
    nurse: Any,
    at: dt.datetime,
    bp: tuple[int, int] | None,
    check_id: str = "",
    spo2: int | None = 98,
) -> VitalSignEntry:
    return VitalSignEntry.objects.create(
        session=session,
        recorded_by=nurse,
        measured_at=at,
        check_id=check_id,
        systolic_mmhg=bp[0] if bp else None,
        diastolic_mmhg=bp[1] if bp else None,
        heart_rate_bpm=74,
        spo2_percent=spo2,
        respiratory_rate_per_min=14,
    )


@dataclass
class EsketamineSession:
    session: TreatmentSession
    order: DoseOrder
    course: TreatmentCourse


def esketamine_session(
    members: dict[str, Membership],
    patient: Patient,
    course: TreatmentCourse,
    first_device: dt.datetime = FIRST_DEVICE,
    *,
    devices: int = 2,
    lot: str = LOT,
    charted: bool = True,
    discharged: bool = True,
    signed: bool = True,
) -> EsketamineSession:
    """A dosing session: order (56 mg, 2 devices), devices 5 min apart, vitals at -10/+40/+120,
    MOAA/S and CADSS-6, discharged after 125 min and signed off by the prescriber."""
    nurse = members[Role.NURSE].user
    prescriber = members[Role.PRESCRIBER].user
    minutes = dt.timedelta(minutes=1)
    session = TreatmentSession.objects.create(
        clinic=patient.clinic,
        patient=patient,
        course=course,
        kind=SessionKind.DOSING,
        scheduled_start=first_device - 15 * minutes,
        duration_min=150,
        status=SessionStatus.DISCHARGED if discharged else SessionStatus.OBSERVING,
        discharged_at=first_device + 125 * minutes if discharged else None,
        signed_off_at=first_device + 130 * minutes if signed else None,
        signed_off_by=prescriber if signed else None,
        discharge_summary=discharge_summary() if discharged else None,
    )
    order = DoseOrder.objects.create(
        session=session,
        recorded_by=prescriber,
        drug="esketamine nasal spray (28 mg per device)",
        route="esketamine_nasal",
        dose_mg=Decimal(28 * devices),
        devices=devices,
    )
    for n in range(devices):
        AdministrationEvent.objects.create(
            session=session,
            recorded_by=nurse,
            order=order,
            action="device",
            at=first_device + 5 * n * minutes,
            dose_mg=Decimal(28),
            lot_number=lot,
        )
    if charted:
        vitals(session, nurse, first_device - 10 * minutes, (128, 82), "vitals@-10")
        vitals(session, nurse, first_device + 40 * minutes, (146, 90), "vitals@+40", spo2=97)
        vitals(session, nurse, first_device + 120 * minutes, (131, 80), "vitals@+120")
        scale(session, "cadss6", 0, first_device - 12 * minutes)
        scale(session, "moaas", 5, first_device + 30 * minutes, "moaas@+30")
        scale(session, "cadss6", 6, first_device + 40 * minutes, "cadss6@+40")
        scale(session, "moaas", 5, first_device + 120 * minutes, "moaas@+120")
        scale(session, "cadss6", 0, first_device + 120 * minutes, "cadss6@+120")
    return EsketamineSession(session=session, order=order, course=course)


def adverse_event(
    session: TreatmentSession, nurse: Any, event_type: str, serious: bool = False
) -> AdverseEvent:
    return AdverseEvent.objects.create(
        session=session,
        recorded_by=nurse,
        event_type=event_type,
        grade=3 if serious else 1,
        onset_at=FIRST_DEVICE + dt.timedelta(minutes=20),
        serious=serious,
    )


def alert(session: TreatmentSession, code: str, message: str, minutes: int = 20) -> SessionAlert:
    return SessionAlert.objects.create(
        session=session,
        code=code,
        severity="urgent",
        message=message,
        raised_at=FIRST_DEVICE + dt.timedelta(minutes=minutes),
    )


def full_world(members: dict[str, Membership], patient: Patient) -> EsketamineSession:
    """Certified clinic, enrolled patient with an intake (takes a benzodiazepine), one
    complete esketamine session."""
    certify(patient.clinic)
    course = esketamine_course(members, patient)
    enroll(members, patient, FIRST_DEVICE.date() - dt.timedelta(days=3))
    record_intake(members, patient, FIRST_DEVICE - dt.timedelta(days=10), benzodiazepine=True)
    return esketamine_session(members, patient, course)


def submit_monitoring_form(
    membership: Membership, session: TreatmentSession, **kwargs: object
) -> object:
    """A monitoring form sent two days after the first device, through
    ``rems.services.record_submission`` (``kwargs`` override the defaults)."""
    values: dict[str, object] = {
        "submitted_at": FIRST_DEVICE + dt.timedelta(days=2),
        "method": "portal",
        "confirmation_number": "C-991",
    }
    values.update(kwargs)
    return rems_services.record_submission(membership=membership, session=session, **values)  # type: ignore[arg-type]
