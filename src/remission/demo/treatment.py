"""The demo clinic's treatment history: intakes, courses, charted sessions and today's board.

A share of the clinic's patients (40 % IV, 10 % IM, 15 % esketamine by default; the rest in
evaluation or intake only) gets an intake with an eligibility decision signed by the demo
prescriber, a course with its phase transitions, every past session charted in full — checklist,
dose order and an independent verification, the administration record, vital signs at the
monitoring plan's checks, CADSS-6 and MOAA/S, the pre-session PHQ-9, alerts with their
acknowledgements, adverse events, discharge and sign-off — and sessions booked on the chairs
today and for the next weeks. Esketamine patients are enrolled in the REMS, and the monitoring
forms of their sessions are recorded as sent (the last two days' still due). Today's sessions
are placed around the time the demo is built so the day board is alive whenever it is built:
some are finished, some checked in, dosing or observing, the rest still to come; each session's
status follows from its entries up to now. The controlled-substance log is seeded from the
charted doses by ``remission.demo.controlled``: lots received before the MAR names them,
dispensing and witnessed waste that account for every dose, and weekly counts.

The clinical content comes from ``remission.clinical.synthetic.sessions`` and the clinical core
(doses from ``dosing``, alerts and discharge readiness from ``monitoring``, scores from
``instruments``), so a demo chart looks exactly like one charted through the services. Rows are
written with ``bulk_create``, and every created row gets one "create" event in the audit chain,
appended in bulk. Everything is deterministic for a seed and a build time.

The day-by-day clinic simulation is plain Python (``_simulate``); only ``_write*`` touch the
database.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from remission.accounts.models import Membership, User
from remission.accounts.roles import Role
from remission.assessments.models import AssessmentContext, ScaleAdministration
from remission.chairside import checklist as sop
from remission.chairside.models import (
    AdministrationAction,
    AdministrationEvent,
    AdverseEvent,
    ChecklistEntry,
    DoseOrder,
    DoseVerification,
    NursingNote,
    SessionAlert,
    VitalSignEntry,
)
from remission.clinical import dosing, instruments
from remission.clinical import eligibility as el
from remission.clinical.demographics import age_years
from remission.clinical.protocols import MonitoringPlan, Protocol, get_protocol
from remission.clinical.protocols.monitoring_plan import PREDOSE_OFFSET_MIN
from remission.clinical.routes import Route
from remission.clinical.synthetic import sessions as syn
from remission.clinics.models import Clinic
from remission.demo.controlled import write_controlled_log
from remission.demo.shifts import write_shifts
from remission.demo.writer import BulkWriter
from remission.patients.models import BodyMeasurement, Consent, ConsentType, Patient
from remission.rems.forms_data import monitoring_form_for
from remission.rems.models import MonitoringFormSubmission, RemsEnrollment, SubmissionMethod
from remission.scheduling.models import (
    Chair,
    ClinicCalendarSettings,
    SessionKind,
    SessionStatus,
    TreatmentSession,
)
from remission.serialization import to_jsonable
from remission.treatment.models import (
    CoursePhase,
    CourseReevaluation,
    Decision,
    EligibilitySignature,
    Intake,
    PhaseTransition,
    TreatmentCourse,
)
from remission.treatment.services import build_intake

# --- The demo clinic's mix and practice (conventions for demo data, not estimates) ------------

# Share of the clinic's patients on each route; the rest are in evaluation or intake only.
ROUTE_SHARES: tuple[tuple[Route, float], ...] = (
    (Route.IV_RACEMIC, 0.40),
    (Route.IM_RACEMIC, 0.10),
    (Route.ESKETAMINE_NASAL, 0.15),
)
INDUCTION_PROTOCOLS: Mapping[Route, tuple[tuple[str, float], ...]] = {
    Route.IV_RACEMIC: (("iv-induction-3x-weekly", 0.7), ("iv-induction-2x-weekly", 0.3)),
    Route.IM_RACEMIC: (("im-induction", 1.0),),
    Route.ESKETAMINE_NASAL: (("esketamine-induction", 1.0),),
}
# Responders who go on to maintenance: the esketamine label continues treatment in responders
# (§2.1 [src]); for IV/IM no validated maintenance schedule exists (§1.3 [src]) — half [?].
MAINTENANCE_AFTER_RESPONSE: Mapping[Route, float] = {
    Route.IV_RACEMIC: 0.5,
    Route.IM_RACEMIC: 0.5,
    Route.ESKETAMINE_NASAL: 0.9,
}
# Maintenance: 4 weekly doses (Phillips 2019 IV; esketamine weeks 5–8 [src]), then every two
# weeks (esketamine week 9 on [src]; IV individualised [?]).
MAINTENANCE_WEEKLY_DOSES = 4
MAINTENANCE_INTERVAL_DAYS = 14
# Each maintenance dose ends maintenance with this chance (sustained response, cost, moving
# away) [?]; 60 % of those stops are a pause, the rest a discontinuation [?].
MAINTENANCE_STOP_PER_DOSE = 1 / 26
MAINTENANCE_STOP_AS_PAUSE = 0.6
# Stopped for adverse events during induction: TRANSFORM-2 7 % on esketamine (§2.4 [src]);
# IV/IM 3 % [?].
DROPOUT_FOR_ADVERSE_EVENTS: Mapping[Route, float] = {
    Route.IV_RACEMIC: 0.03,
    Route.IM_RACEMIC: 0.03,
    Route.ESKETAMINE_NASAL: 0.07,
}
# A paused responder whose PHQ-9 shows the response lost restarts maintenance half the time [?].
RESTART_AFTER_RELAPSE = 0.5
FOLLOW_UP_WEEKS = 8
NO_SHOW_RATE, CANCEL_RATE = 0.02, 0.015  # [?]
# Esketamine: 56 mg on day 1, then 56 or 84 mg (label §2.1 [src]); 84 mg for 60 % [?].
ESKETAMINE_LATER_84_MG = 0.6
# Of the patients not treated: intake signed eligible (planning), intake awaiting signature,
# intake signed "needs review" / "not eligible", or only registered [?].
EVALUATION_SPLIT = (("eligible", 0.4), ("unsigned", 0.2), ("review", 0.1), ("none", 0.3))
NOTE_RATE = 0.25
DEMO_CHAIRS = 4
CALENDAR_WEEKDAYS = "mon,tue,wed,thu,fri,sat,sun"  # open daily, so the board is never empty
OPENS, CLOSES = dt.time(8, 0), dt.time(18, 0)
SLOT_STEP_MIN = 15
# Today's sessions aim at these minutes from now, in turn, so some are finished, some under way
# and some to come.
TODAY_TARGETS_MIN = (-100, -60, -30, -5, 20, -150, 50, 90, -200, 130, 170, -250, 210, -300)
CHUNK_SESSIONS = 400

IV_PRODUCT = "Ketamine HCl 50 mg/mL (10 mL vial), diluted to 10 mg/mL"
IM_PRODUCT = "Ketamine HCl 50 mg/mL (10 mL vial)"
ESKETAMINE_PRODUCT = "SPRAVATO 28 mg nasal spray device"
NOTES = (
    "Tolerated the dose well; escort present at discharge.",
    "Patient calm throughout; music and eye mask used.",
    "Discussed the next session and the no-driving rule; patient understands.",
    "Mild anxiety before the dose, settled with reassurance.",
    "Escorted home by partner.",
)


@dataclass(frozen=True)
class TreatmentDemo:
    """What was built: row counts by model, and the build's own timings (seconds)."""

    counts: Mapping[str, int]
    timings: Mapping[str, float]


# --- Entry point ----------------------------------------------------------------------------


@transaction.atomic
def build_treatment(
    *,
    clinic: Clinic,
    seed: int,
    now: dt.datetime | None = None,
    history_days: int = 120,
    future_days: int = 21,
    chairs: int = DEMO_CHAIRS,
    audit: bool = True,
    rems_forms: bool = True,
    controlled_log: bool = True,
    route_shares: Sequence[tuple[Route, float]] = ROUTE_SHARES,
    maintenance_stop_per_dose: float = MAINTENANCE_STOP_PER_DOSE,
) -> TreatmentDemo:
    """Give ``clinic``'s registered patients a treatment history of ``history_days`` up to
    ``now`` (default: the current minute), and bookings ``future_days`` ahead."""
    clock = time.perf_counter()
    timings: dict[str, float] = {}
    _SCORES.clear()  # scores depend on the clinic's settings
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    staff = _staff(clinic)
    writer = BulkWriter(clinic=clinic, audit=audit)
    tz = clinic.tzinfo
    today = now.astimezone(tz).date()
    setup_at = now - dt.timedelta(days=history_days + 30)
    chair_rows = _write_clinic_setup(writer, clinic, staff, chairs, setup_at)
    write_shifts(writer, clinic, today=today, opens=OPENS, closes=CLOSES)
    patients = list(
        Patient.objects.filter(clinic=clinic)
        .order_by("mrn")
        .prefetch_related("diagnoses", "antidepressant_trials", "measurements")
    )
    rng = random.Random(f"demo-treatment:{seed}")
    plans, evaluations = _allocate(rng, patients, route_shares, now, today, history_days, tz)
    timings["plan"] = time.perf_counter() - clock
    _simulate(
        plans,
        now=now,
        today=today,
        tz=tz,
        chairs=chairs,
        future_days=future_days,
        maintenance_stop=maintenance_stop_per_dose,
    )
    timings["simulate"] = time.perf_counter() - clock - sum(timings.values())
    _write_intakes(writer, clinic, staff, plans, evaluations, now)
    courses = _write_courses(writer, clinic, staff, plans, now)
    timings["intakes_courses"] = time.perf_counter() - clock - sum(timings.values())
    _write_sessions(writer, clinic, staff, plans, courses, chair_rows, now=now, seed=seed)
    timings["sessions"] = time.perf_counter() - clock - sum(timings.values())
    if rems_forms:
        _write_rems_submissions(writer, clinic, staff, now)
    timings["rems_forms"] = time.perf_counter() - clock - sum(timings.values())
    if controlled_log:
        write_controlled_log(writer, clinic, staff, now=now, seed=seed, since=setup_at, lot_of=_lot)
    writer.flush()
    timings["controlled_log"] = time.perf_counter() - clock - sum(timings.values())
    return TreatmentDemo(counts=dict(writer.counts), timings=timings)


def _staff(clinic: Clinic) -> dict[str, User]:
    found: dict[str, User] = {}
    for role in (Role.PRESCRIBER, Role.NURSE, Role.FRONT_DESK, Role.MEDICAL_DIRECTOR):
        member = (
            Membership.objects.filter(clinic=clinic, role=role)
            .select_related("user")
            .order_by("user__username")
            .first()
        )
        if member is None:
            raise ValueError(f"the clinic needs a {Role(role).label} to build a treatment history")
        found[role] = member.user
    return found


def _write_clinic_setup(
    writer: BulkWriter, clinic: Clinic, staff: Mapping[str, User], chairs: int, since: dt.datetime
) -> dict[int, Chair]:
    admin = staff[Role.MEDICAL_DIRECTOR]
    calendar = ClinicCalendarSettings(
        clinic=clinic, open_weekdays=CALENDAR_WEEKDAYS, opens=OPENS, closes=CLOSES, holidays=[]
    )
    writer.create(
        [calendar],
        actor=lambda _: admin,
        summary=lambda _: "clinic calendar: open daily 08:00–18:00",
        patient=lambda _: None,
    )
    rows = [Chair(clinic=clinic, name=f"Chair {n}", position=n) for n in range(1, chairs + 1)]
    writer.create(
        rows, actor=lambda _: admin, summary=lambda c: f"{c.name} in use", patient=lambda _: None
    )
    return {c.position: c for c in rows}


# --- Plans: who is treated, how they respond ----------------------------------------------------


@dataclass
class _Booking:
    number: int  # sequence in the course
    dose_number: int
    chair: int
    start: dt.datetime  # scheduled start (UTC)
    duration_min: int
    outcome: str  # "dose", "no_show", "cancelled" or "booked" (from today on)
    dose_at: dt.datetime | None = None  # the dose started (outcome "dose")
    phase: str = CoursePhase.INDUCTION


@dataclass
class _Plan:
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
    bookings: list[_Booking] = field(default_factory=list)
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
class _Evaluation:
    patient: Patient
    kind: str  # "eligible", "unsigned", "review"
    intake_at: dt.datetime
    intake: el.Intake
    assessment: el.EligibilityAssessment
    profile: syn.ResponseProfile
    key: str


def _pick(rng: random.Random, options: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _allocate(
    rng: random.Random,
    patients: list[Patient],
    route_shares: Sequence[tuple[Route, float]],
    now: dt.datetime,
    today: dt.date,
    history_days: int,
    tz: dt.tzinfo,
) -> tuple[list[_Plan], list[_Evaluation]]:
    order = list(range(len(patients)))
    rng.shuffle(order)
    routes: dict[int, Route] = {}
    cursor = 0
    for shared_route, share in route_shares:
        count = round(share * len(patients))
        for i in order[cursor : cursor + count]:
            routes[i] = shared_route
        cursor += count
    plans: list[_Plan] = []
    evaluations: list[_Evaluation] = []
    for i, patient in enumerate(patients):
        key = f"{patient.mrn}"
        prng = random.Random(f"plan:{rng.random()}:{key}")
        route = routes.get(i)
        # Intakes spread over the history; course starts 3–10 days later (some in the future).
        intake_day = today - dt.timedelta(days=prng.randint(2, max(3, history_days)))
        intake_at = _local(intake_day, prng.choice((9, 10, 11, 13, 14, 15)) * 60, tz)
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
                    _Evaluation(patient, kind, intake_at, intake, assessment, profile, key)
                )
            continue
        protocol = get_protocol(_pick(prng, INDUCTION_PROTOCOLS[route]))
        plan = protocol.monitoring_plan(patient.clinic.clinical_overrides)
        signed_at = intake_at + dt.timedelta(hours=prng.randint(1, 30))
        start_day = intake_day + dt.timedelta(days=prng.randint(3, 10))
        course_at = min(signed_at + dt.timedelta(hours=prng.randint(1, 20)), now)
        routes_signed = [
            d.route.value
            for d in assessment.routes
            if d.status is not el.RouteStatus.CONTRAINDICATED
        ]
        review = [
            d.route.value for d in assessment.routes if d.status is el.RouteStatus.NEEDS_REVIEW
        ]
        series = protocol.dosing_sessions
        dropout = None
        if prng.random() < DROPOUT_FOR_ADVERSE_EVENTS[route]:
            dropout = prng.randint(1, series - 1)
        plans.append(
            _Plan(
                index=i,
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
        )
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
        "medications": {
            "maoi": False,
            "benzodiazepine": benzodiazepine,
            "lorazepam_equivalent_mg_per_day": 1 if benzodiazepine else None,
            "z_drug": rng.random() < 0.08,
            "opioid": False,
            "stimulant": rng.random() < 0.05,
            "lamotrigine": rng.random() < 0.04,
            "mood_stabiliser": any(c.startswith("F31") for c in codes) and rng.random() < 0.8,
            "other_blood_pressure_raising": False,
        },
        "ect_used_in_current_episode": rng.random() < 0.08,
        "current_episode_months": max(1, min(1200, (on - onset).days // 30)),
        "baseline_severity": (
            "severe_without_psychosis" if profile.phq9_baseline >= 20 else "moderate"
        ),
    }
    return build_intake(patient, answers, on)


_HISTORY_FLAGS = tuple(
    f.name
    for f in dataclasses.fields(el.MedicalHistory)
    if f.name not in {"bipolar_disorder", "substance_use_disorder", "substances"}
)


# --- The clinic, day by day -----------------------------------------------------------------


def _local(day: dt.date, minute: int, tz: dt.tzinfo) -> dt.datetime:
    local = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=tz)
    return local.astimezone(dt.UTC)


def _minute_of(at: dt.datetime, tz: dt.tzinfo) -> int:
    local = at.astimezone(tz)
    return local.hour * 60 + local.minute


class _Chairs:
    """Which chair is taken when, day by day, in clinic wall-clock minutes."""

    def __init__(self, chairs: int) -> None:
        self.chairs = chairs
        self.taken: dict[tuple[dt.date, int], list[tuple[int, int]]] = {}

    def free(self, day: dt.date, start: int, end: int) -> int | None:
        for chair in range(1, self.chairs + 1):
            spans = self.taken.get((day, chair), ())
            if all(end <= s or e <= start for s, e in spans):
                return chair
        return None

    def take(self, day: dt.date, chair: int, start: int, end: int) -> None:
        self.taken.setdefault((day, chair), []).append((start, end))


def _simulate(
    plans: list[_Plan],
    *,
    now: dt.datetime,
    today: dt.date,
    tz: dt.tzinfo,
    chairs: int,
    future_days: int,
    maintenance_stop: float = MAINTENANCE_STOP_PER_DOSE,
) -> None:
    """Book and run every course day by day on the clinic's chairs (pure Python)."""
    if not plans:
        return
    board = _Chairs(chairs)
    now_min = _minute_of(now, tz)
    opens, closes = OPENS.hour * 60 + OPENS.minute, CLOSES.hour * 60 + CLOSES.minute
    day = min(p.start_day for p in plans)
    last = today + dt.timedelta(days=future_days)
    waiting = sorted(plans, key=lambda p: (p.start_day, p.index))
    active: list[_Plan] = []
    while day <= last:
        while waiting and waiting[0].start_day <= day:
            plan = waiting.pop(0)
            plan.next_due = plan.start_day
            active.append(plan)
        for plan in active:
            _advance(plan, day, today, tz)
        active = [p for p in active if not p.finished]
        due = [p for p in active if _wants_dose(p, day)]
        due.sort(key=lambda p: (p.next_due or day, p.index))
        for turn, plan in enumerate(due):
            low, latest, target = opens, closes - plan.duration_min, plan.preferred_min
            if day == today:
                target = now_min + TODAY_TARGETS_MIN[turn % len(TODAY_TARGETS_MIN)]
                if not opens + 60 <= now_min <= closes - 30:
                    # Built outside the opening hours: today's sessions run around now (the
                    # last may end after midnight) so that the board shows a day under way.
                    low = max(0, now_min - 360)
                    latest = min(now_min + 240, 24 * 60 - SLOT_STEP_MIN)
            _book(plan, board, day, low, latest, target, now, today, tz, maintenance_stop)
        day += dt.timedelta(days=1)


def _wants_dose(plan: _Plan, day: dt.date) -> bool:
    if plan.next_due is None or plan.next_due > day or plan.stop_on is not None:
        return False
    if plan.phase == CoursePhase.INDUCTION:
        if len(plan.doses) >= plan.series or (
            plan.dropout_after is not None and len(plan.doses) >= plan.dropout_after
        ):
            return False
        week = day.isocalendar()[:2]
        this_week = sum(1 for d in plan.dose_days if d.isocalendar()[:2] == week)
        return this_week < plan.protocol.cadence.max_doses_per_week
    return plan.phase == CoursePhase.MAINTENANCE


def _book(
    plan: _Plan,
    board: _Chairs,
    day: dt.date,
    low: int,
    latest: int,
    target: int,
    now: dt.datetime,
    today: dt.date,
    tz: dt.tzinfo,
    maintenance_stop: float,
) -> None:
    duration = plan.duration_min
    interval = dt.timedelta(hours=plan.protocol.min_interval_hours())
    first = low + (-low % SLOT_STEP_MIN)
    starts = list(range(first, latest + 1, SLOT_STEP_MIN))
    starts.sort(key=lambda m: (abs(m - target), m))
    for minute in starts:
        chair = board.free(day, minute, minute + duration)
        if chair is None:
            continue
        start = _local(day, minute, tz)
        dose_at = start + dt.timedelta(minutes=-PREDOSE_OFFSET_MIN)
        if plan.doses and dose_at - plan.doses[-1] < interval:
            continue
        board.take(day, chair, minute, minute + duration)
        break
    else:
        return  # no chair today: try again tomorrow
    rng = random.Random(f"book:{plan.key}:{len(plan.bookings)}")
    if day < today:
        roll = rng.random()
        outcome = "dose"
        if roll < NO_SHOW_RATE:
            outcome = "no_show"
        elif roll < NO_SHOW_RATE + CANCEL_RATE:
            outcome = "cancelled"
    else:  # today's sessions are charted up to now; later ones are only booked
        outcome = "dose" if day == today else "booked"
    booking = _Booking(
        number=len(plan.bookings) + 1,
        dose_number=len(plan.doses) + 1,
        chair=chair,
        start=start,
        duration_min=duration,
        outcome=outcome,
        phase=plan.phase,
    )
    plan.bookings.append(booking)
    if outcome in ("no_show", "cancelled"):
        plan.next_due = day + dt.timedelta(days=1)
        return
    dose_at = start + dt.timedelta(minutes=rng.randint(10, 16))
    if outcome == "dose":
        booking.dose_at = dose_at
    plan.doses.append(dose_at)  # given, or planned (the interval and cadence count it)
    plan.dose_days.append(day)
    _after_dose(plan, day, rng, today, maintenance_stop)


def _after_dose(
    plan: _Plan, day: dt.date, rng: random.Random, today: dt.date, maintenance_stop: float
) -> None:
    if plan.phase == CoursePhase.INDUCTION:
        done = len(plan.doses)
        if plan.dropout_after is not None and done >= plan.dropout_after:
            plan.pending.append((day + dt.timedelta(days=1), "dropout"))
            plan.next_due = None
            return
        if done >= plan.series:
            plan.end_of_series_at = plan.doses[-1] + dt.timedelta(days=1)
            plan.pending.append((day + dt.timedelta(days=1), "end_of_series"))
            plan.next_due = None
            return
        cadence = plan.protocol.cadence
        nxt = day + dt.timedelta(days=cadence.target_gap_days)
        while (
            sum(1 for d in plan.dose_days if d.isocalendar()[:2] == nxt.isocalendar()[:2])
            >= cadence.max_doses_per_week
        ):
            nxt += dt.timedelta(days=1)
        plan.next_due = nxt
        return
    # maintenance
    if plan.weekly_left > 0:
        plan.weekly_left -= 1
        plan.next_due = day + dt.timedelta(days=7)
    else:
        plan.next_due = day + dt.timedelta(days=MAINTENANCE_INTERVAL_DAYS)
    if day < today and rng.random() < maintenance_stop:
        plan.stop_on = day + dt.timedelta(days=1)
        plan.pending.append((plan.stop_on, "stop_maintenance"))


def _advance(plan: _Plan, day: dt.date, today: dt.date, tz: dt.tzinfo) -> None:
    """Decisions dated ``day`` (only in the past: nobody decides tomorrow's phase today)."""
    if day >= today:
        return
    due = [event for on, event in plan.pending if on == day]
    if not due:
        return
    plan.pending = [(on, event) for on, event in plan.pending if on != day]
    rng = random.Random(f"decide:{plan.key}:{day}")
    at = _local(day, rng.randint(9 * 60, 16 * 60), tz)
    for event in due:
        if event == "dropout":
            codes = sorted(plan.adverse.first_session) or ["nausea"]
            reason = f"stopped for tolerability ({rng.choice(codes).replace('_', ' ')})"
            _transition(plan, at, CoursePhase.DISCONTINUED, reason)
            plan.discontinued_reason = reason
        elif event == "end_of_series":
            _end_of_series(plan, day, at, rng)
        elif event == "follow_up":
            _follow_up(plan, day, at, rng)
        elif event == "stop_maintenance":
            plan.stop_on = None
            if rng.random() < MAINTENANCE_STOP_AS_PAUSE:
                _transition(plan, at, CoursePhase.PAUSED, "sustained response: maintenance paused")
                _schedule_follow_ups(plan, day)
            else:
                reason = "patient's choice: maintenance stopped (travel, cost)"
                _transition(plan, at, CoursePhase.DISCONTINUED, reason)
                plan.discontinued_reason = reason


def _transition(plan: _Plan, at: dt.datetime, to: str, reason: str) -> None:
    plan.transitions.append((at, plan.phase, to, reason))
    plan.phase = to
    plan.next_due = None


def _end_of_series(plan: _Plan, day: dt.date, at: dt.datetime, rng: random.Random) -> None:
    profile = plan.profile
    summary = f"PHQ-9 {profile.phq9_baseline} → {profile.phq9_end_of_series}"
    if not profile.responder:
        reason = f"no response after {plan.series} doses ({summary})"
        _transition(plan, at, CoursePhase.DISCONTINUED, reason)
        plan.discontinued_reason = reason
    elif plan.maintain:
        _transition(plan, at, CoursePhase.MAINTENANCE, f"response ({summary}): maintenance")
        plan.weekly_left = MAINTENANCE_WEEKLY_DOSES - 1
        plan.next_due = plan.dose_days[-1] + dt.timedelta(days=7)
    else:
        _transition(
            plan, at, CoursePhase.PAUSED, f"series complete, response ({summary}): PHQ-9 follow-up"
        )
        _schedule_follow_ups(plan, day)


def _schedule_follow_ups(plan: _Plan, day: dt.date) -> None:
    for week in range(1, FOLLOW_UP_WEEKS + 1):
        plan.pending.append((day + dt.timedelta(weeks=week), "follow_up"))


def _follow_up(plan: _Plan, day: dt.date, at: dt.datetime, rng: random.Random) -> None:
    plan.follow_ups.append(at)
    if plan.phase != CoursePhase.PAUSED:
        return
    expected = plan.profile.expected_phq9(
        doses_before=len(plan.doses),
        days_since_last_dose=(at - plan.doses[-1]).total_seconds() / 86_400,
        series_doses=plan.series,
    )
    lost = expected > plan.profile.phq9_baseline * (1 - syn.RESPONSE_MIN_DROP)
    if lost:
        plan.pending = [(on, e) for on, e in plan.pending if e != "follow_up"]
        if rng.random() < RESTART_AFTER_RELAPSE:
            _transition(
                plan, at, CoursePhase.MAINTENANCE, f"response lost (PHQ-9 ~{round(expected)}): "
                "maintenance restarted",
            )  # fmt: skip
            plan.weekly_left = MAINTENANCE_WEEKLY_DOSES - 1
            plan.next_due = day + dt.timedelta(days=2)


# --- Intakes, eligibility, consents, courses ---------------------------------------------------


def _write_intakes(
    writer: BulkWriter,
    clinic: Clinic,
    staff: Mapping[str, User],
    plans: list[_Plan],
    evaluations: list[_Evaluation],
    now: dt.datetime,
) -> None:
    nurse, prescriber = staff[Role.NURSE], staff[Role.PRESCRIBER]
    intakes: list[Intake] = []
    signatures: list[EligibilitySignature] = []
    scales: list[ScaleAdministration] = []
    weights: list[BodyMeasurement] = []
    consents: list[Consent] = []
    enrollments: list[RemsEnrollment] = []
    entries: list[tuple[Patient, str, dt.datetime, el.Intake, el.EligibilityAssessment, Any]] = []
    for plan in plans:
        entries.append((plan.patient, "treat", plan.intake_at, plan.intake, plan.assessment, plan))
    for e in evaluations:
        entries.append((e.patient, e.kind, e.intake_at, e.intake, e.assessment, e))
    for patient, kind, at, intake, assessment, source in entries:
        rng = random.Random(f"intake:{patient.mrn}")
        record = Intake(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            patient=patient,
            clinic=clinic,
            recorded_by=nurse,
            recorded_at=at,
            answers=to_jsonable(intake),
            assessment=to_jsonable(assessment),
            notes="",
        )
        intakes.append(record)
        profile: syn.ResponseProfile = source.profile
        phq9 = syn.phq9_at(profile, rng, at=at, dose_starts=(), series_doses=0, exact=True)
        gad7 = syn.gad7_at(profile, rng, phq9_total=phq9.total, exact=True)
        for draw in (phq9, gad7):
            scales.append(
                _scale_row(
                    clinic, patient, nurse, draw.instrument_id, draw.answers,
                    at - dt.timedelta(minutes=20), AssessmentContext.INTAKE, None, "",
                )
            )  # fmt: skip
        weight = _latest(patient, "weight", at.date())
        if weight is not None:
            drift = Decimal(str(round(rng.gauss(0, 0.8), 1)))
            kg = (weight.value_si + drift).quantize(Decimal("0.1"))
            weights.append(
                measured := BodyMeasurement(
                    patient=patient, clinic=clinic, recorded_by=nurse, recorded_at=at,
                    kind="weight", measured_on=at.date(), value=kg, unit="kg", value_si=kg,
                )
            )  # fmt: skip
            if kind == "treat":
                source.intake_weight = measured
        signed_at = at + dt.timedelta(hours=rng.randint(1, 30))
        if kind == "unsigned" or signed_at > now:
            continue
        if kind == "treat":
            plan = source
            decision, routes, note = Decision.ELIGIBLE, plan.routes_signed, plan.review_note
            signed_at = plan.signed_at
        elif kind == "eligible":
            routes = [
                d.route.value
                for d in assessment.routes
                if d.status is not el.RouteStatus.CONTRAINDICATED
            ]
            decision = Decision.ELIGIBLE if routes else Decision.NOT_ELIGIBLE
            note = "Eligible; the patient is considering the options." if routes else ""
        else:
            statuses = {d.status for d in assessment.routes}
            if el.RouteStatus.ELIGIBLE in statuses:
                decision, routes = Decision.NEEDS_REVIEW, []
                note = "Awaiting records from the referring psychiatrist."
            else:
                decision, routes = Decision.NOT_ELIGIBLE, []
                note = "Contraindications or cautions outweigh the expected benefit for now."
        signatures.append(
            EligibilitySignature(
                intake=record, patient=patient, clinic=clinic, recorded_by=prescriber,
                recorded_at=signed_at, decision=decision, routes=routes, note=note,
            )
        )  # fmt: skip
        if kind == "treat" and plan.route is Route.ESKETAMINE_NASAL:
            enrollments.append(
                RemsEnrollment(
                    patient=patient, clinic=clinic, recorded_by=nurse, recorded_at=signed_at,
                    enrolled_on=signed_at.astimezone(clinic.tzinfo).date(),
                    rems_patient_id=f"DEMO-R{plan.index + 1:05d}", enrolled_by=prescriber,
                )
            )  # fmt: skip
        if kind == "treat":
            consent_types = (
                (ConsentType.ESKETAMINE_TREATMENT, ConsentType.REMS_ENROLLMENT)
                if plan.route is Route.ESKETAMINE_NASAL
                else (ConsentType.KETAMINE_TREATMENT,)
            )
            for consent_type in consent_types:
                consents.append(
                    Consent(
                        patient=patient, clinic=clinic, recorded_by=nurse,
                        recorded_at=signed_at, consent_type=consent_type, version="2025.1",
                        signed_at=signed_at, signed_by=f"{patient.legal_first_name} "
                        f"{patient.legal_last_name}",
                    )
                )  # fmt: skip
    by_nurse: Callable[[Any], User | None] = lambda _: nurse  # noqa: E731
    of_patient: Callable[[Any], uuid.UUID | None] = lambda row: row.patient_id  # noqa: E731
    writer.create(
        intakes, actor=by_nurse, summary=lambda _: "recorded an intake", patient=of_patient
    )
    writer.create(
        signatures,
        actor=lambda _: prescriber,
        summary=lambda s: f"signed eligibility: {s.decision}",
        patient=of_patient,
    )
    writer.create(scales, actor=by_nurse, summary=lambda s: f"recorded {s}", patient=of_patient)
    writer.create(weights, actor=by_nurse, summary=lambda m: f"recorded {m}", patient=of_patient)
    writer.create(consents, actor=by_nurse, summary=lambda c: f"recorded {c}", patient=of_patient)
    writer.create(
        enrollments, actor=by_nurse, summary=lambda e: f"recorded {e}", patient=of_patient
    )


def _latest(
    patient: Patient, kind: str, on: dt.date, extra: Sequence[BodyMeasurement] = ()
) -> BodyMeasurement | None:
    """The latest measurement of ``kind`` on or before ``on`` (else the earliest one)."""
    rows = sorted(
        (m for m in [*patient.measurements.all(), *extra] if m.kind == kind),
        key=lambda m: (m.measured_on, m.recorded_at),
    )
    before = [m for m in rows if m.measured_on <= on]
    if before:
        return before[-1]
    return rows[0] if rows else None


# Re-evaluations: the first four weeks after the start, then every four weeks while a course is
# being built up and every eight once it holds; a few are left overdue so the worklist has some.
FIRST_REEVALUATION = dt.timedelta(days=28)
REEVALUATION_EVERY = {
    CoursePhase.INDUCTION: dt.timedelta(days=28),
    CoursePhase.OPTIMISATION: dt.timedelta(days=28),
    CoursePhase.MAINTENANCE: dt.timedelta(days=56),
    CoursePhase.PAUSED: dt.timedelta(days=56),
}
REEVALUATION_LEFT_OVERDUE = 0.08
REEVALUATION_NOTES = {
    CoursePhase.INDUCTION: "Series under way and tolerated; scales reviewed. Continue as planned.",
    CoursePhase.OPTIMISATION: "Partial response; dose being optimised. Review side effects.",
    CoursePhase.MAINTENANCE: "Response holding on maintenance; scales reviewed. Continue.",
    CoursePhase.PAUSED: "Paused after the series; follow-up scales reviewed. Resume if relapse.",
}
REEVALUATION_AT = dt.time(16, 30)


def _phase_at(plan: _Plan, at: dt.datetime) -> str:
    phase: str = CoursePhase.INDUCTION
    for when, _, to_phase, _ in plan.transitions:
        if when <= at:
            phase = to_phase
    return phase


def _reevaluations(
    plan: _Plan, course: TreatmentCourse, by: User, now: dt.datetime, tz: dt.tzinfo
) -> list[CourseReevaluation]:
    """The prescriber's reviews of a course up to ``now``; sets the course's next due date."""
    rng = random.Random(f"reevaluation:{plan.key}")
    today = now.astimezone(tz).date()
    due = plan.start_day + FIRST_REEVALUATION
    reviews: list[CourseReevaluation] = []
    while due <= today and rng.random() >= REEVALUATION_LEFT_OVERDUE:
        at = dt.datetime.combine(due + dt.timedelta(days=rng.randint(0, 2)), REEVALUATION_AT, tz)
        phase = _phase_at(plan, at)
        if at > now or phase == CoursePhase.DISCONTINUED:
            break
        next_due = at.date() + REEVALUATION_EVERY[CoursePhase(phase)]
        reviews.append(
            CourseReevaluation(
                course=course, at=at, by=by, note=REEVALUATION_NOTES[CoursePhase(phase)],
                next_due=next_due,
            )
        )  # fmt: skip
        due = next_due
    course.reevaluation_due = due
    return reviews


def _write_courses(
    writer: BulkWriter,
    clinic: Clinic,
    staff: Mapping[str, User],
    plans: list[_Plan],
    now: dt.datetime,
) -> dict[int, TreatmentCourse]:
    prescriber = staff[Role.PRESCRIBER]
    courses: dict[int, TreatmentCourse] = {}
    transitions: list[PhaseTransition] = []
    reviews: list[CourseReevaluation] = []
    for plan in plans:
        rng = random.Random(f"course:{plan.key}")
        protocol = plan.protocol
        course = TreatmentCourse(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            patient=plan.patient,
            clinic=clinic,
            recorded_by=prescriber,
            recorded_at=plan.course_at,
            protocol_id=protocol.id,
            route=protocol.route.family.value if protocol.route else "none",
            phase=plan.phase,
            mg_per_kg=protocol.dose.mg_per_kg,
            fixed_dose_mg=protocol.dose.fixed_mg,
            weight_basis="actual",
            concentration_mg_per_ml=(
                Decimal("10") if plan.route is Route.IV_RACEMIC
                else Decimal("50") if plan.route is Route.IM_RACEMIC
                else None
            ),
            infusion_minutes=protocol.infusion_min,
            start_date=plan.start_day,
            discontinued_reason=plan.discontinued_reason,
        )  # fmt: skip
        reviews += _reevaluations(plan, course, prescriber, now, clinic.tzinfo)
        courses[plan.index] = course
        transitions.append(
            PhaseTransition(
                course=course,
                from_phase=CoursePhase.EVALUATION,
                to_phase=CoursePhase.INDUCTION,
                reason="course started",
                at=plan.course_at,
                by=prescriber,
            )
        )
        for at, from_phase, to_phase, reason in plan.transitions:
            transitions.append(
                PhaseTransition(
                    course=course, from_phase=from_phase, to_phase=to_phase,
                    reason=reason[:200], at=at, by=prescriber,
                )
            )  # fmt: skip
    rows = list(courses.values())
    writer.create(
        rows,
        actor=lambda _: prescriber,
        summary=lambda c: f"started course {get_protocol(c.protocol_id).title}",
        patient=lambda c: c.patient_id,
    )
    patient_of = {c.pk: c.patient_id for c in rows}
    writer.create(
        transitions,
        actor=lambda _: prescriber,
        summary=lambda t: f"phase → {t.to_phase}",
        patient=lambda t: patient_of[t.course_id],
    )
    writer.create(
        reviews,
        actor=lambda _: prescriber,
        summary=lambda r: f"re-evaluated; next due {r.next_due}",
        patient=lambda r: patient_of[r.course_id],
    )
    return courses


# --- Sessions and everything charted in them -----------------------------------------------------


@dataclass
class _Chunk:
    sessions: list[TreatmentSession] = field(default_factory=list)
    orders: list[DoseOrder] = field(default_factory=list)
    verifications: list[DoseVerification] = field(default_factory=list)
    administration: list[AdministrationEvent] = field(default_factory=list)
    checklist: list[ChecklistEntry] = field(default_factory=list)
    vitals: list[VitalSignEntry] = field(default_factory=list)
    alerts: list[SessionAlert] = field(default_factory=list)
    adverse: list[AdverseEvent] = field(default_factory=list)
    notes: list[NursingNote] = field(default_factory=list)
    scales: list[ScaleAdministration] = field(default_factory=list)


def _write_sessions(
    writer: BulkWriter,
    clinic: Clinic,
    staff: Mapping[str, User],
    plans: list[_Plan],
    courses: Mapping[int, TreatmentCourse],
    chairs: Mapping[int, Chair],
    *,
    now: dt.datetime,
    seed: int,
) -> None:
    chunk = _Chunk()
    dose_cache: dict[tuple[Any, ...], Any] = {}
    for plan in plans:
        course = courses[plan.index]
        rng = random.Random(f"chart:{seed}:{plan.key}")
        follow = [(plan.end_of_series_at, "end")] if plan.end_of_series_at else []
        follow += [(at, "follow") for at in plan.follow_ups]
        for at, kind in follow:
            if at is None or at > now:
                continue
            exact = kind == "end"
            draw = syn.phq9_at(
                plan.profile, rng, at=at, dose_starts=plan.doses, series_doses=plan.series
            )
            if exact and at - plan.doses[plan.series - 1] <= dt.timedelta(
                days=plan.profile.durability_days
            ):
                end = plan.profile.phq9_end_of_series
                draw = syn.ScaleDraw(
                    "phq9", syn.spread_total(rng, end, syn.PHQ9_ITEM_WEIGHTS, 3), end
                )
            gad7 = syn.gad7_at(plan.profile, rng, phq9_total=draw.total)
            for d in (draw, gad7):
                chunk.scales.append(
                    _scale_row(
                        clinic, plan.patient, staff[Role.NURSE], d.instrument_id, d.answers, at,
                        AssessmentContext.FOLLOW_UP, None, "",
                    )
                )  # fmt: skip
        dosed = 0
        for booking in plan.bookings:
            session = _session_row(clinic, plan, course, booking, chairs, now, rng)
            chunk.sessions.append(session)
            if booking.dose_at is not None:
                _chart(chunk, clinic, staff, plan, course, booking, session, dosed, now, dose_cache)
                dosed += 1
        if len(chunk.sessions) >= CHUNK_SESSIONS:
            _flush(writer, chunk, staff)
            chunk = _Chunk()
    _flush(writer, chunk, staff)


def _session_row(
    clinic: Clinic,
    plan: _Plan,
    course: TreatmentCourse,
    booking: _Booking,
    chairs: Mapping[int, Chair],
    now: dt.datetime,
    rng: random.Random,
) -> TreatmentSession:
    created = max(plan.course_at, booking.start - dt.timedelta(days=14))
    session = TreatmentSession(
        id=uuid.UUID(int=rng.getrandbits(128), version=4),
        clinic=clinic,
        patient=plan.patient,
        course=course,
        kind=SessionKind.DOSING,
        sequence=booking.number,
        dose_number=booking.dose_number,
        scheduled_start=booking.start,
        duration_min=booking.duration_min,
        chair=chairs[booking.chair],
        status=SessionStatus.SCHEDULED,
        created_at=min(created, now),
    )
    if booking.outcome == "no_show":
        session.status, session.status_reason, session.version = (
            SessionStatus.NO_SHOW, "did not attend; rebooked", 2,
        )  # fmt: skip
    elif booking.outcome == "cancelled":
        session.status, session.status_reason, session.version = (
            SessionStatus.CANCELLED, "patient unwell; rebooked", 2,
        )  # fmt: skip
    return session


_SCORES: dict[tuple[str, tuple[int, ...]], instruments.ScoreResult] = {}


def _scale_row(
    clinic: Clinic,
    patient: Patient,
    by: User,
    instrument_id: str,
    answers: Sequence[int],
    at: dt.datetime,
    context: AssessmentContext,
    session: TreatmentSession | None,
    check_id: str,
) -> ScaleAdministration:
    """Scored by the clinical core exactly as ``assessments.services.record_scale`` does."""
    key = (instrument_id, tuple(answers))
    result = _SCORES.get(key)
    if result is None:
        result = instruments.score(
            instrument_id, list(answers), overrides=clinic.clinical_overrides
        )
        _SCORES[key] = result
    return ScaleAdministration(
        patient=patient,
        clinic=clinic,
        recorded_by=by,
        recorded_at=at,
        instrument_id=instrument_id,
        answers=list(result.answers),
        total=result.total,
        maximum=result.maximum,
        severity=result.severity.label if result.severity else "",
        valid=result.valid,
        invalid_reason=result.reason or "",
        flags=[{"id": f.id, "message": f.message} for f in result.flags],
        administered_at=at,
        context=context,
        session=session,
        check_id=check_id,
    )


def _minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


def _lot(route: Route, at: dt.datetime) -> tuple[str, dt.date]:
    """The lot in use: a new one every 45 days, good for 18 months from receipt."""
    epoch = (at.date() - dt.date(2000, 1, 1)).days // 45
    received = dt.date(2000, 1, 1) + dt.timedelta(days=epoch * 45)
    prefix = {Route.IV_RACEMIC: "KH", Route.IM_RACEMIC: "KH", Route.ESKETAMINE_NASAL: "SPR"}[route]
    return f"{prefix}{received:%y}-{epoch % 1000:03d}", received + dt.timedelta(days=540)


def _order(
    plan: _Plan,
    course: TreatmentCourse,
    session: TreatmentSession,
    dosed_before: int,
    at: dt.datetime,
    prescriber: User,
    cache: dict[tuple[Any, ...], Any],
) -> DoseOrder:
    """The order ``chairside.services.order_dose`` writes, from the dosing calculator."""
    patient = plan.patient
    overrides = patient.clinic.clinical_overrides
    if plan.route is Route.ESKETAMINE_NASAL:
        first = dosed_before == 0
        dose = dosing.ESKETAMINE_FIRST_INDUCTION_DOSE_MG if first else plan.later_dose_mg
        key: tuple[Any, ...] = ("esk", dose, first)
        if key not in cache:
            cache[key] = dosing.plan_esketamine_devices(
                dose_mg=Decimal(dose), first_induction_dose=first, overrides=overrides
            )
        devices = cache[key]
        return DoseOrder(
            session=session,
            recorded_by=prescriber,
            recorded_at=at,
            drug="esketamine nasal spray (28 mg per device)",
            route=Route.ESKETAMINE_NASAL.value,
            dose_mg=devices.dose_mg,
            devices=devices.device_count,
            warnings=to_jsonable(devices.warnings),
            warnings_acknowledged=bool(devices.warnings),
            calculation=to_jsonable(devices),
        )
    extra = [plan.intake_weight] if plan.intake_weight else []
    weight = _latest(patient, "weight", at.date(), extra)
    height = _latest(patient, "height", at.date())
    assert weight is not None, "the demo patients all have a weight"
    sex = dosing.Sex(patient.sex_at_birth) if patient.sex_at_birth in ("female", "male") else None
    actual = weight.value_si.quantize(Decimal("0.1"))
    key = (plan.route, actual, height.value_si if height else None, sex)
    if key not in cache:
        common: dict[str, Any] = {
            "actual_weight_kg": actual,
            "mg_per_kg": course.mg_per_kg or Decimal("0.5"),
            "concentration_mg_per_ml": course.concentration_mg_per_ml or Decimal("10"),
            "basis": dosing.WeightBasis(course.weight_basis),
            "height_cm": height.value_si if height else None,
            "sex": sex,
            "overrides": overrides,
        }
        if plan.route is Route.IV_RACEMIC:
            cache[key] = dosing.calculate_iv_infusion(
                infusion_minutes=Decimal(course.infusion_minutes or 40), **common
            )
        else:
            cache[key] = dosing.calculate_im_injection(**common)
    result = cache[key]
    return DoseOrder(
        session=session,
        recorded_by=prescriber,
        recorded_at=at,
        drug="ketamine hydrochloride (racemic)",
        route=result.route.value,
        dose_mg=result.dose_mg,
        mg_per_kg=result.mg_per_kg,
        weight_kg=actual,
        weight_measured_on=weight.measured_on,
        weight_basis=result.basis.value,
        dosing_weight_kg=result.dosing_weight_kg,
        concentration_mg_per_ml=result.concentration_mg_per_ml,
        volume_ml=result.volume_ml,
        infusion_minutes=None if result.infusion_minutes is None else int(result.infusion_minutes),
        rate_ml_per_h=result.rate_ml_per_h,
        warnings=to_jsonable(result.warnings),
        warnings_acknowledged=bool(result.warnings),
        calculation=to_jsonable(result),
    )


def _chart(
    chunk: _Chunk,
    clinic: Clinic,
    staff: Mapping[str, User],
    plan: _Plan,
    course: TreatmentCourse,
    booking: _Booking,
    session: TreatmentSession,
    dosed_before: int,
    now: dt.datetime,
    cache: dict[tuple[Any, ...], Any],
) -> None:
    """Everything charted in one dosing session, up to ``now``; the session's status is the
    one the services would have set after those entries."""
    nurse, prescriber = staff[Role.NURSE], staff[Role.PRESCRIBER]
    director = staff[Role.MEDICAL_DIRECTOR]
    rng = random.Random(f"session:{plan.key}:{booking.number}")
    assert booking.dose_at is not None
    t0 = booking.dose_at
    devices = 2
    if plan.route is Route.ESKETAMINE_NASAL and dosed_before > 0:
        devices = plan.later_dose_mg // dosing.ESKETAMINE_MG_PER_DEVICE
    sim = syn.simulate_session(
        rng,
        route=plan.route,
        plan=plan.plan,
        physiology=plan.physiology,
        dose_started_at=t0,
        session_index=dosed_before,
        adverse_events=plan.adverse,
        devices=devices,
        overrides=clinic.clinical_overrides,
    )
    arrival = min(t0 - _minutes(rng.randint(22, 30)), booking.start)
    statuses: list[str] = []

    def upto(at: dt.datetime) -> bool:
        return at <= now

    if not upto(arrival):
        return
    session.checked_in_at = arrival
    statuses.append(SessionStatus.CHECKED_IN)

    # Pre-session PHQ-9 (and GAD-7 every third dose), scored by the clinical core.
    at = arrival + _minutes(2)
    if upto(at):
        phq9 = syn.phq9_at(
            plan.profile, rng, at=at, dose_starts=plan.doses, series_doses=plan.series
        )
        draws = [phq9]
        if dosed_before % 3 == 0:
            draws.append(syn.gad7_at(plan.profile, rng, phq9_total=phq9.total))
        for draw in draws:
            chunk.scales.append(
                _scale_row(
                    clinic, plan.patient, nurse, draw.instrument_id, draw.answers, at,
                    AssessmentContext.PRE_SESSION, session, "",
                )
            )  # fmt: skip

    # The pre-dose checklist.
    for offset, item in enumerate(sop.items_for(plan.route.family.value)):
        at = arrival + _minutes(3 + offset)
        if not upto(at):
            break
        answer = "yes"
        if item.code == "pregnancy_test":
            female = plan.patient.sex_at_birth == "female"
            answer = "yes" if female and plan.physiology.age_years < 52 else "n/a"
        chunk.checklist.append(
            ChecklistEntry(
                session=session, recorded_by=nurse, recorded_at=at, item=item.code, answer=answer
            )
        )
        if SessionStatus.PRE_DOSE not in statuses:
            statuses.append(SessionStatus.PRE_DOSE)

    # The order and the independent second check.
    order_at = arrival + _minutes(rng.randint(6, 10))
    order = None
    if upto(order_at):
        order = _order(plan, course, session, dosed_before, order_at, prescriber, cache)
        chunk.orders.append(order)
        verify_at = order_at + _minutes(rng.randint(2, 5))
        if upto(verify_at):
            chunk.verifications.append(
                DoseVerification(
                    session=session, order=order, recorded_by=nurse, recorded_at=verify_at
                )
            )

    # Vital signs, CADSS-6 and MOAA/S as the monitoring plan asks, alerts on the way.
    vital_rows: dict[int, VitalSignEntry] = {}
    for index, v in enumerate(sim.vitals):
        if not upto(v.measured_at):
            continue
        row = VitalSignEntry(
            session=session,
            recorded_by=nurse,
            recorded_at=v.measured_at + _minutes(1),
            measured_at=v.measured_at,
            check_id=v.check_id,
            systolic_mmhg=v.systolic_mmhg,
            diastolic_mmhg=v.diastolic_mmhg,
            heart_rate_bpm=v.heart_rate_bpm,
            spo2_percent=v.spo2_percent,
            respiratory_rate_per_min=v.respiratory_rate_per_min,
        )
        vital_rows[index] = row
        chunk.vitals.append(row)
        if SessionStatus.PRE_DOSE not in statuses:
            statuses.append(SessionStatus.PRE_DOSE)
    for s in sim.scales:
        if upto(s.administered_at):
            chunk.scales.append(
                _scale_row(
                    clinic, plan.patient, nurse, s.instrument_id, s.answers, s.administered_at,
                    AssessmentContext.IN_SESSION, session, s.check_id,
                )
            )  # fmt: skip
    for a in sim.alerts:
        if not upto(a.alert.measured_at):
            continue
        acknowledged = upto(a.acknowledged_at)
        chunk.alerts.append(
            SessionAlert(
                session=session,
                vital=vital_rows.get(a.vital_index) if a.vital_index is not None else None,
                code=a.alert.code,
                severity=a.alert.severity.value,
                message=f"{a.alert.message} {a.alert.advice}".strip()[:300],
                source=a.alert.evidence.label()[:300],
                raised_at=a.alert.measured_at,
                acknowledged_by=nurse if acknowledged else None,
                acknowledged_at=a.acknowledged_at if acknowledged else None,
                action_taken=a.action_taken if acknowledged else "",
            )
        )

    # The medication administration record.
    if order is not None and upto(t0):
        lot, expiry = _lot(plan.route, t0)
        events: list[AdministrationEvent] = []
        if plan.route is Route.IV_RACEMIC:
            events.append(
                _admin(session, order, nurse, AdministrationAction.START, t0,
                       rate=order.rate_ml_per_h, lot=lot, expiry=expiry, product=IV_PRODUCT)
            )  # fmt: skip
            if sim.rate_reduced_at and order.rate_ml_per_h:
                half = (order.rate_ml_per_h / 2).quantize(Decimal("0.01"))
                events.append(
                    _admin(session, order, nurse, AdministrationAction.RATE_CHANGE,
                           sim.rate_reduced_at, rate=half, reason=sim.rate_reduction_reason)
                )  # fmt: skip
            events.append(
                _admin(session, order, nurse, AdministrationAction.STOP, sim.dose_ended_at)
            )
        elif plan.route is Route.IM_RACEMIC:
            events.append(
                _admin(session, order, nurse, AdministrationAction.INJECTION, t0,
                       dose=order.dose_mg, lot=lot, expiry=expiry, product=IM_PRODUCT)
            )  # fmt: skip
        else:
            for at in sim.device_times:
                events.append(
                    _admin(session, order, nurse, AdministrationAction.DEVICE, at,
                           dose=Decimal(dosing.ESKETAMINE_MG_PER_DEVICE), lot=lot, expiry=expiry,
                           product=ESKETAMINE_PRODUCT)
                )  # fmt: skip
        charted = [e for e in events if upto(e.at)]
        chunk.administration.extend(charted)
        statuses.append(SessionStatus.DOSING)
        finished = charted[-1].action in (
            AdministrationAction.STOP, AdministrationAction.INJECTION,
        ) or (
            plan.route is Route.ESKETAMINE_NASAL and len(charted) == len(events)
        )  # fmt: skip
        if plan.route is Route.IM_RACEMIC:
            statuses.remove(SessionStatus.DOSING)  # the injection goes straight to observing
        if finished:
            statuses.append(SessionStatus.OBSERVING)

    for event in sim.adverse_events:
        if upto(event.onset_at + _minutes(5)):
            chunk.adverse.append(
                AdverseEvent(
                    session=session, recorded_by=nurse, recorded_at=event.onset_at + _minutes(5),
                    event_type=event.event_type, description=event.description[:200],
                    grade=event.grade, onset_at=event.onset_at, action=event.action,
                    outcome=event.outcome, serious=event.serious,
                )
            )  # fmt: skip

    if upto(sim.discharge_at):
        session.discharged_at = sim.discharge_at
        session.discharge_summary = to_jsonable(sim.discharge)
        statuses.append(SessionStatus.DISCHARGED)
        if rng.random() < NOTE_RATE:
            chunk.notes.append(
                NursingNote(
                    session=session, recorded_by=nurse,
                    recorded_at=sim.discharge_at - _minutes(1), text=rng.choice(NOTES),
                )
            )  # fmt: skip
        signed = sim.discharge_at + _minutes(rng.randint(20, 240))
        if upto(signed):
            session.signed_off_at = signed
            session.signed_off_by = prescriber if rng.random() < 0.8 else director
    session.status = statuses[-1]
    session.version = 1 + len(statuses) + (1 if session.signed_off_at else 0)


def _admin(
    session: TreatmentSession,
    order: DoseOrder,
    nurse: User,
    action: str,
    at: dt.datetime,
    *,
    rate: Decimal | None = None,
    dose: Decimal | None = None,
    lot: str = "",
    expiry: dt.date | None = None,
    product: str = "",
    reason: str = "",
) -> AdministrationEvent:
    return AdministrationEvent(
        session=session,
        order=order,
        recorded_by=nurse,
        recorded_at=at + _minutes(1),
        action=action,
        at=at,
        rate_ml_per_h=rate,
        dose_mg=dose,
        product=product,
        lot_number=lot,
        expiry=expiry,
        reason=reason,
    )


def _flush(writer: BulkWriter, chunk: _Chunk, staff: Mapping[str, User]) -> None:
    """Create a chunk's rows in dependency order, each with its audit event."""
    if not chunk.sessions:
        return
    nurse, prescriber, front = staff[Role.NURSE], staff[Role.PRESCRIBER], staff[Role.FRONT_DESK]
    patient_of = {s.pk: s.patient_id for s in chunk.sessions}

    def of_session(row: Any) -> uuid.UUID | None:
        return patient_of[row.session_id]

    def recorder(row: Any) -> User | None:
        return nurse if row.recorded_by_id == nurse.pk else prescriber

    writer.create(
        chunk.sessions,
        actor=lambda s: s.signed_off_by or (nurse if s.checked_in_at else front),
        summary=lambda s: f"session {s} ({s.get_status_display().lower()})",
        patient=lambda s: s.patient_id,
    )
    writer.create(
        chunk.orders, actor=recorder, summary=lambda o: f"ordered {o}", patient=of_session
    )
    for group, summary in (
        (chunk.verifications, lambda v: f"verified {v.order}"),
        (chunk.administration, lambda e: f"{e.get_action_display()} {e.order}"),
        (chunk.checklist, lambda c: f"checklist {c.item}: {c.answer}"),
        (chunk.vitals, lambda v: f"vitals {v.check_id}".strip()),
    ):
        writer.create(group, actor=recorder, summary=summary, patient=of_session)
    writer.create(
        chunk.alerts,
        actor=lambda a: nurse if a.acknowledged_by_id else None,
        summary=lambda a: f"alert {a.code}" + (" acknowledged" if a.acknowledged_at else " raised"),
        patient=of_session,
    )
    writer.create(
        chunk.adverse, actor=recorder, summary=lambda e: f"adverse event {e}", patient=of_session
    )
    writer.create(chunk.notes, actor=recorder, summary=lambda _: "nursing note", patient=of_session)
    writer.create(
        chunk.scales,
        actor=recorder,
        summary=lambda s: f"recorded {s}",
        patient=lambda s: s.patient_id,
    )


# REMS monitoring forms are sent within 7 days; the demo has sent those of sessions more than
# two days old, 1–48 h after discharge, so the dashboard shows a few still due [?].
REMS_FORM_SENT_AFTER_DAYS = 2


def _write_rems_submissions(
    writer: BulkWriter, clinic: Clinic, staff: Mapping[str, User], now: dt.datetime
) -> None:
    """The monitoring-form submissions ``rems.services.record_submission`` would record,
    with ``incomplete_acknowledged`` from the form the chart actually yields."""
    nurse = staff[Role.NURSE]
    sessions = TreatmentSession.objects.filter(
        clinic=clinic,
        course__route=Route.ESKETAMINE_NASAL.value,
        status=SessionStatus.DISCHARGED,
        discharged_at__lte=now - dt.timedelta(days=REMS_FORM_SENT_AFTER_DAYS),
    ).order_by("scheduled_start")
    rows = []
    for session in sessions.select_related("patient", "course", "clinic"):
        assert session.discharged_at is not None
        rng = random.Random(f"rems:{session.pk}")
        form = monitoring_form_for(session)
        rows.append(
            MonitoringFormSubmission(
                session=session,
                clinic=clinic,
                patient=session.patient,
                submitted_at=session.discharged_at + dt.timedelta(minutes=rng.randint(60, 2880)),
                submitted_by=nurse,
                method=SubmissionMethod.PORTAL,
                confirmation_number=f"SPV{rng.randint(10**6, 10**7 - 1)}",
                incomplete_acknowledged=bool(form.missing),
                recorded_at=session.discharged_at + dt.timedelta(minutes=rng.randint(60, 2880)),
            )
        )
    for row in rows:
        row.recorded_at = row.submitted_at
    writer.create(
        rows,
        actor=lambda _: nurse,
        summary=lambda r: f"REMS monitoring form of {r.session.scheduled_start:%Y-%m-%d} sent",
        patient=lambda r: r.patient_id,
    )
