"""Eligibility, a course and its booked sessions, through the treatment and scheduling services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.assessments.models import AssessmentContext
from remission.assessments.services import record_scale
from remission.chairside import services as chairside
from remission.chairside.models import FollowUpCall, SessionAlert
from remission.clinical.eligibility import ALL_ROUTES
from remission.patients import services as patients
from remission.patients.models import Patient
from remission.patients.records import RECORD_KINDS
from remission.scheduling import services as scheduling
from remission.scheduling.models import Chair, ClinicCalendarSettings, TreatmentSession
from remission.treatment import services as treatment
from remission.treatment.models import TreatmentCourse

INTAKE_ANSWERS = {
    "sex": "female",
    "pregnancy": "not_pregnant",
    "breastfeeding": False,
    "blood_pressure_today": {"systolic_mmhg": 122, "diastolic_mmhg": 78},
    "history": {
        **dict.fromkeys(
            [
                "aneurysmal_vascular_disease",
                "arteriovenous_malformation",
                "intracerebral_haemorrhage",
                "hypersensitivity_to_ketamine_or_esketamine",
                "uncontrolled_hypertension",
                "recent_myocardial_infarction",
                "unstable_angina",
                "significant_arrhythmia",
                "heart_failure",
                "hypertensive_encephalopathy_history",
                "recent_stroke",
                "raised_intracranial_pressure",
                "recent_head_injury",
                "psychosis_history",
                "current_psychotic_features",
                "current_mania",
                "bipolar_disorder",
                "obstructive_sleep_apnoea",
                "copd",
                "cystitis_or_lower_urinary_tract_symptoms",
                "moderate_hepatic_impairment",
                "severe_hepatic_impairment",
                "cognitive_impairment",
                "unable_to_consent",
                "glaucoma_or_raised_intraocular_pressure",
                "hyperthyroidism",
                "acute_suicidality",
            ],
            False,
        ),
        "substance_use_disorder": "none",
        "substances": [],
    },
    "medications": [
        {
            "drug": "sertraline",
            "name": "",
            "dose": 100,
            "unit": "mg",
            "frequency": "once_daily",
            "last_taken": "today",
        }
    ],
    "alcohol": "none",
    "presedation": {
        "asa_class": "II",
        "stop_bang": dict.fromkeys(
            [
                "snores_loudly",
                "tired_during_the_day",
                "observed_apnoea",
                "high_blood_pressure",
                "neck_over_40_cm",
            ],
            False,
        ),
        "bmi_kg_per_m2": None,
        "mallampati": None,
        "ecg": "not_done",
        "liver_tests": "not_done",
        "urine_drug_screen": "not_done",
    },
    "legacy_medication_boxes": None,
    "ect_used_in_current_episode": False,
    "current_episode_months": 18,
    "baseline_severity": "severe_without_psychosis",
}


def prepare_clinic(members: dict[str, Membership], chairs: int = 2) -> None:
    """A calendar open every day and ``chairs`` chairs.

    Written directly: no service adds a chair, and ``scheduling.services.update_calendar``
    would replace the default opening hours and write an audited change the tests do not
    expect; ``get_or_create`` keeps an existing calendar or chair as it is."""
    clinic = members[Role.MEDICAL_DIRECTOR].clinic
    ClinicCalendarSettings.objects.get_or_create(
        clinic=clinic, defaults={"open_weekdays": "mon,tue,wed,thu,fri,sat,sun"}
    )
    for position in range(1, chairs + 1):
        Chair.objects.get_or_create(
            clinic=clinic, position=position, defaults={"name": f"Chair {position}"}
        )


def make_eligible(
    members: dict[str, Membership],
    patient: Patient,
    consent_type: str = "ketamine_treatment",
    answers: Mapping[str, Any] = INTAKE_ANSWERS,
) -> None:
    """Today's weight and a consent signed yesterday (charted by the director), a clean intake
    (nurse) and eligibility for every route (prescriber)."""
    director = members[Role.MEDICAL_DIRECTOR]
    patients.add_record(
        membership=director,
        patient=patient,
        kind=RECORD_KINDS["measurements"],
        data={
            "kind": "weight",
            "measured_on": timezone.localdate(),
            "value": Decimal("82.4"),
            "unit": "kg",
        },
    )
    patients.add_record(
        membership=director,
        patient=patient,
        kind=RECORD_KINDS["consents"],
        data={
            "consent_type": consent_type,
            "version": "1",
            "signed_at": timezone.now() - dt.timedelta(days=1),
            "signed_by": "the patient",
        },
    )
    intake = treatment.record_intake(
        membership=members[Role.NURSE], patient=patient, answers=answers
    )
    treatment.sign_eligibility(
        membership=members[Role.PRESCRIBER],
        intake=intake,
        decision="eligible",
        routes=[r.value for r in ALL_ROUTES],
        note="",
    )


def start_course(
    members: dict[str, Membership], patient: Patient, protocol_id: str = "iv-induction-3x-weekly"
) -> tuple[TreatmentCourse, list[TreatmentSession]]:
    prepare_clinic(members)
    course = treatment.start_course(
        membership=members[Role.PRESCRIBER],
        patient=patient,
        data={"protocol_id": protocol_id, "start_date": timezone.localdate()},
    )
    scheduling.schedule_course(
        membership=members[Role.FRONT_DESK], course=course, preferred_time=dt.time(9, 0)
    )
    return course, list(course.sessions.order_by("scheduled_start"))


def treatment_world(members: dict[str, Membership], patient: Patient) -> TreatmentSession:
    """Every kind of treatment record on one patient: a signed consent file (store it under a
    temporary MEDIA_ROOT), a signed intake, a course with its sessions, a dose order on the
    first, a follow-up call, an open urgent alert and a safety escalation from a positive PHQ-9 item 9."""
    consent = patient.consents.get()
    consent.file.save("signed.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    make_eligible(members, patient, consent_type="ketamine_treatment")
    _, sessions = start_course(members, patient)
    chairside.order_dose(membership=members[Role.PRESCRIBER], session=sessions[0])
    FollowUpCall.objects.create(  # as a discharge schedules it
        clinic=patient.clinic, patient=patient, session=sessions[0], due_at=timezone.now()
    )
    SessionAlert.objects.create(
        session=sessions[0],
        code="BP_SYSTOLIC_HIGH",
        severity="urgent",
        message="matrix",
        raised_at=timezone.now(),
    )
    record_scale(
        membership=members[Role.PRESCRIBER],
        patient=patient,
        instrument_id="phq9",
        answers=[1, 1, 1, 1, 1, 1, 1, 1, 1],
        administered_at=timezone.now(),
        context=AssessmentContext.FOLLOW_UP,
    )
    return sessions[0]
