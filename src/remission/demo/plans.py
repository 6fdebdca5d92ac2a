"""Who is treated and how they respond: each demo patient's plan and intake answers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from remission.clinical import eligibility as el
from remission.clinical.demographics import age_years
from remission.clinical.protocols import MonitoringPlan, Protocol, get_protocol
from remission.clinical.routes import Route
from remission.clinical.synthetic import sessions as syn
from remission.demo.practice import (
    DROPOUT_FOR_ADVERSE_EVENTS,
    ESKETAMINE_LATER_84_MG,
    EVALUATION_SPLIT,
    INDUCTION_PROTOCOLS,
    MAINTENANCE_AFTER_RESPONSE,
    MAINTENANCE_WEEKLY_DOSES,
)
from remission.patients.models import BodyMeasurement, Patient
from remission.treatment.models import (
    CoursePhase,
)
from remission.treatment.services import build_intake

# --- Plans: who is treated, how they respond ----------------------------------------------------


@dataclass
class Booking:
    number: int  # sequence in the course
    dose_number: int
    chair: int
    start: dt.datetime  # scheduled start (UTC)
    duration_min: int
    outcome: str  # "dose", "no_show", "cancelled" or "booked" (from today on)
    dose_at: dt.datetime | None = None  # the dose started (outcome "dose")
    phase: str = CoursePhase.INDUCTION


@dataclass
class Plan:
    index: int
    patient: Patient
    key: str  # seeds this patient's random streams
    route: Route
    protocol: Protocol
    plan: MonitoringPlan
    profile: syn.ResponseProfile
    physiology: syn.Physiology
    adverse: syn.AdverseEventProfile
    intake_at: dt.datetime
    signed_at: dt.datetime
    course_at: dt.datetime
    start_day: dt.date
    preferred_min: int
    duration_min: int
    series: int
    later_dose_mg: int
    dropout_after: int | None
    maintain: bool
    routes_signed: list[str]
    review_note: str
    intake: el.Intake
    assessment: el.EligibilityAssessment
    # simulation state
    phase: str = CoursePhase.INDUCTION
    next_due: dt.date | None = None
    doses: list[dt.datetime] = field(default_factory=list)
    dose_days: list[dt.date] = field(default_factory=list)  # clinic-local
    bookings: list[Booking] = field(default_factory=list)
    transitions: list[tuple[dt.datetime, str, str, str]] = field(default_factory=list)
    follow_ups: list[dt.datetime] = field(default_factory=list)
    end_of_series_at: dt.datetime | None = None
    weekly_left: int = MAINTENANCE_WEEKLY_DOSES
    stop_on: dt.date | None = None
    pending: list[tuple[dt.date, str]] = field(default_factory=list)  # (day, event)
    discontinued_reason: str = ""
    intake_weight: BodyMeasurement | None = None

    @property
    def finished(self) -> bool:
        return self.phase == CoursePhase.DISCONTINUED or (
            self.phase == CoursePhase.PAUSED and not self.pending
        )


@dataclass
class Evaluation:
    patient: Patient
    kind: str  # "eligible", "unsigned", "review"
    intake_at: dt.datetime
    intake: el.Intake
    assessment: el.EligibilityAssessment
    profile: syn.ResponseProfile
    key: str


def _pick(rng: random.Random, options: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def signable_routes(assessment: el.EligibilityAssessment) -> list[str]:
    """The routes a prescriber may sign as eligible: every one the rules do not rule out."""
    return [
        d.route.value for d in assessment.routes if d.status is not el.RouteStatus.CONTRAINDICATED
    ]


def _route_of_each(
    rng: random.Random, n_patients: int, route_shares: Sequence[tuple[Route, float]]
) -> dict[int, Route]:
    """Which patients (by index) take which route, in the clinic's shares; the rest none."""
    order = list(range(n_patients))
    rng.shuffle(order)
    routes: dict[int, Route] = {}
    cursor = 0
    for shared_route, share in route_shares:
        count = round(share * n_patients)
        for i in order[cursor : cursor + count]:
            routes[i] = shared_route
        cursor += count
    return routes


def _treatment_plan(
    prng: random.Random,
    index: int,
    patient: Patient,
    key: str,
    route: Route,
    intake_day: dt.date,
    intake_at: dt.datetime,
    now: dt.datetime,
    physiology: syn.Physiology,
    profile: syn.ResponseProfile,
    intake: el.Intake,
    assessment: el.EligibilityAssessment,
) -> Plan:
    """The course a patient to treat gets: protocol, dates, series, dropout, maintenance."""
    protocol = get_protocol(_pick(prng, INDUCTION_PROTOCOLS[route]))
    plan = protocol.monitoring_plan(patient.clinic.clinical_overrides)
    signed_at = intake_at + dt.timedelta(hours=prng.randint(1, 30))
    start_day = intake_day + dt.timedelta(days=prng.randint(3, 10))
    course_at = min(signed_at + dt.timedelta(hours=prng.randint(1, 20)), now)
    routes_signed = signable_routes(assessment)
    review = [d.route.value for d in assessment.routes if d.status is el.RouteStatus.NEEDS_REVIEW]
    series = protocol.dosing_sessions
    dropout = None
    if prng.random() < DROPOUT_FOR_ADVERSE_EVENTS[route]:
        dropout = prng.randint(1, series - 1)
    return Plan(
        index=index,
        patient=patient,
        key=key,
        route=route,
        protocol=protocol,
        plan=plan,
        profile=dataclasses.replace(profile, route=route),
        physiology=physiology,
        adverse=syn.draw_adverse_event_profile(prng, route, series_sessions=series),
        intake_at=intake_at,
        signed_at=signed_at,
        course_at=course_at,
        start_day=start_day,
        preferred_min=prng.choice(range(8 * 60, 14 * 60 + 1, 30)),
        duration_min=protocol.chair_occupancy_min(patient.clinic.clinical_overrides),
        series=series,
        later_dose_mg=84 if prng.random() < ESKETAMINE_LATER_84_MG else 56,
        dropout_after=dropout,
        maintain=prng.random() < MAINTENANCE_AFTER_RESPONSE[route],
        routes_signed=routes_signed,
        review_note=(
            "Reviewed the flagged cautions ("
            + ", ".join(r.replace("_", " ") for r in review)
            + ") with the patient; proceed with monitoring."
            if review
            else ""
        ),
        intake=intake,
        assessment=assessment,
    )


def allocate(
    rng: random.Random,
    patients: list[Patient],
    route_shares: Sequence[tuple[Route, float]],
    now: dt.datetime,
    today: dt.date,
    history_days: int,
    tz: dt.tzinfo,
) -> tuple[list[Plan], list[Evaluation]]:
    routes = _route_of_each(rng, len(patients), route_shares)
    plans: list[Plan] = []
    evaluations: list[Evaluation] = []
    for i, patient in enumerate(patients):
        key = f"{patient.mrn}"
        prng = random.Random(f"plan:{rng.random()}:{key}")
        route = routes.get(i)
        # Intakes spread over the history; course starts 3–10 days later (some in the future).
        intake_day = today - dt.timedelta(days=prng.randint(2, max(3, history_days)))
        intake_at = utc_of_clinic_minute(intake_day, prng.choice((9, 10, 11, 13, 14, 15)) * 60, tz)
        age = (
            age_years(patient.date_of_birth, intake_day)
            if patient.date_of_birth < intake_day
            else 30
        )
        physiology = syn.draw_physiology(prng, age_years=max(18, age))
        profile = syn.draw_response(prng, route or Route.IV_RACEMIC)
        intake = _intake(prng, patient, physiology, profile, intake_day)
        assessment = el.assess_eligibility(intake, overrides=patient.clinic.clinical_overrides)
        if route is not None:
            wanted = route
            if (
                wanted is not None
                and assessment.decision_for(wanted).status is el.RouteStatus.CONTRAINDICATED
            ):
                route = None  # the rules rule this route out: the patient stays in evaluation
        if route is None:
            kind = _pick(prng, EVALUATION_SPLIT)
            if kind != "none":
                evaluations.append(
                    Evaluation(patient, kind, intake_at, intake, assessment, profile, key)
                )
            continue
        plans.append(
            _treatment_plan(
                prng, i, patient, key, route, intake_day, intake_at, now,
                physiology, profile, intake, assessment,
            )
        )  # fmt: skip
    return plans, evaluations


def _intake(
    rng: random.Random,
    patient: Patient,
    physiology: syn.Physiology,
    profile: syn.ResponseProfile,
    on: dt.date,
) -> el.Intake:
    """The intake answers for ``patient`` (history from the chart, the rest drawn)."""
    codes = {d.code for d in patient.diagnoses.all()}
    female = patient.sex_at_birth == "female"
    age = physiology.age_years
    onset = min(
        (d.onset_date for d in patient.diagnoses.all() if d.is_primary and d.onset_date),
        default=on - dt.timedelta(days=540),
    )
    benzodiazepine = rng.random() < 0.12
    alcohol = "F10.21" in codes
    answers = {
        "sex": "female" if female else "male",
        "pregnancy": ("not_pregnant" if age < 55 else "not_applicable")
        if female
        else "not_applicable",
        "breastfeeding": False,
        "blood_pressure_today": {
            "systolic_mmhg": round(physiology.systolic_mmhg),
            "diastolic_mmhg": round(physiology.diastolic_mmhg),
        },
        "history": {
            **dict.fromkeys(_HISTORY_FLAGS, False),
            "bipolar_disorder": any(c.startswith("F31") for c in codes),
            "substance_use_disorder": "in_remission" if alcohol else "none",
            "substances": ["alcohol"] if alcohol else [],
        },
        "medications": _medication_list(
            benzodiazepine=benzodiazepine,
            z_drug=rng.random() < 0.08,
            stimulant=rng.random() < 0.05,
            lamotrigine=rng.random() < 0.04,
            mood_stabiliser=any(c.startswith("F31") for c in codes) and rng.random() < 0.8,
        ),
        "alcohol": "none" if alcohol else "occasional",
        "presedation": {
            "asa_class": "II" if age >= 50 else "I",
            "stop_bang": {
                "snores_loudly": False,
                "tired_during_the_day": True,
                "observed_apnoea": False,
                "high_blood_pressure": physiology.systolic_mmhg >= 140,
                "neck_over_40_cm": not female and age >= 50,
            },
            "bmi_kg_per_m2": None,  # from the chart (build_intake)
            "mallampati": None,
            "ecg": "normal" if age >= 65 else "not_done",
            "liver_tests": "not_done",
            "urine_drug_screen": "normal" if alcohol else "not_done",
        },
        "legacy_medication_boxes": None,
        "ect_used_in_current_episode": rng.random() < 0.08,
        "current_episode_months": max(1, min(1200, (on - onset).days // 30)),
        "baseline_severity": (
            "severe_without_psychosis" if profile.phq9_baseline >= 20 else "moderate"
        ),
    }
    return build_intake(patient, answers, on)


def _row(drug: str, dose: float, frequency: str) -> dict[str, object]:
    return {
        "drug": drug,
        "name": "",
        "dose": dose,
        "unit": "mg",
        "frequency": frequency,
        "last_taken": "today",
    }


def _medication_list(
    *, benzodiazepine: bool, z_drug: bool, stimulant: bool, lamotrigine: bool, mood_stabiliser: bool
) -> list[dict[str, object]]:
    """A synthetic medication list: an oral antidepressant for everyone, and the classes drawn
    (lorazepam 1 mg/day keeps the benzodiazepine dose the older demo recorded)."""
    rows = [_row("sertraline", 100, "once_daily")]
    for taken, row in (
        (benzodiazepine, _row("lorazepam", 1, "once_daily")),
        (z_drug, _row("zolpidem", 5, "at_night")),
        (stimulant, _row("methylphenidate", 10, "twice_daily")),
        (lamotrigine, _row("lamotrigine", 100, "once_daily")),
        (mood_stabiliser, _row("lithium", 600, "at_night")),
    ):
        if taken:
            rows.append(row)
    return rows


_HISTORY_FLAGS = tuple(
    f.name
    for f in dataclasses.fields(el.MedicalHistory)
    if f.name not in {"bipolar_disorder", "substance_use_disorder", "substances"}
)


def utc_of_clinic_minute(day: dt.date, minute: int, tz: dt.tzinfo) -> dt.datetime:
    local = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=tz)
    return local.astimezone(dt.UTC)
