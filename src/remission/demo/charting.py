"""Sessions and everything charted in them, written in bulk: checklist, order and its second
check, the administration record, vitals, scales, alerts, adverse events, discharge, sign-off."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from remission.accounts.models import User
from remission.accounts.roles import Role
from remission.assessments.models import AssessmentContext, ScaleAdministration
from remission.chairside import checklist as sop
from remission.chairside import rows
from remission.chairside.models import (
    AdministrationAction,
    AdministrationEvent,
    AdverseEvent,
    ChecklistEntry,
    DischargeChartingEntry,
    DoseOrder,
    DoseVerification,
    FollowUpAttempt,
    FollowUpCall,
    FollowUpOutcome,
    NursingNote,
    SessionAlert,
    VitalSignEntry,
)
from remission.clinical import dosing, esketamine
from remission.clinical.demographics import age_years
from remission.clinical.monitoring.follow_up import follow_up_due
from remission.clinical.routes import Route
from remission.clinical.synthetic import sessions as syn
from remission.clinics.models import Clinic
from remission.demo.courses import latest_measurement_on, scale_row
from remission.demo.plans import Booking, Plan
from remission.demo.practice import (
    CHUNK_SESSIONS,
    ESKETAMINE_PRODUCT,
    IM_PRODUCT,
    IV_PRODUCT,
    NOTE_RATE,
    NOTES,
)
from remission.demo.writer import BulkWriter
from remission.scheduling.models import (
    Chair,
    SessionKind,
    SessionStatus,
    TreatmentSession,
)
from remission.treatment.models import (
    TreatmentCourse,
)

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
    discharge: list[DischargeChartingEntry] = field(default_factory=list)
    calls: list[FollowUpCall] = field(default_factory=list)
    attempts: list[FollowUpAttempt] = field(default_factory=list)


def write_sessions(
    writer: BulkWriter,
    clinic: Clinic,
    staff: Mapping[str, User],
    plans: list[Plan],
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
                    scale_row(
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
    plan: Plan,
    course: TreatmentCourse,
    booking: Booking,
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


def _minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


def lot_of(route: Route, at: dt.datetime) -> tuple[str, dt.date]:
    """The lot in use: a new one every 45 days, good for 18 months from receipt."""
    epoch = (at.date() - dt.date(2000, 1, 1)).days // 45
    received = dt.date(2000, 1, 1) + dt.timedelta(days=epoch * 45)
    prefix = {Route.IV_RACEMIC: "KH", Route.IM_RACEMIC: "KH", Route.ESKETAMINE_NASAL: "SPR"}[route]
    return f"{prefix}{received:%y}-{epoch % 1000:03d}", received + dt.timedelta(days=540)


def _order(
    plan: Plan,
    course: TreatmentCourse,
    session: TreatmentSession,
    dosed_before: int,
    at: dt.datetime,
    prescriber: User,
    cache: dict[tuple[Any, ...], Any],
) -> DoseOrder:
    """The order ``chairside.services.order_dose`` writes, from the dosing calculator (its
    warnings acknowledged, as the prescriber does to sign it)."""
    patient = plan.patient
    overrides = patient.clinic.clinical_overrides
    if plan.route is Route.ESKETAMINE_NASAL:
        first = dosed_before == 0
        who = esketamine.EsketaminePatient(
            indication=esketamine.Indication(course.indication or "trd"),
            age_years=age_years(patient.date_of_birth, at.date()),
            japanese_ancestry=patient.japanese_ancestry,
        )
        start = esketamine.start_dose(who, esketamine.clinic_label(overrides)).dose_mg
        dose = (start or plan.later_dose_mg) if first else plan.later_dose_mg
        key: tuple[Any, ...] = ("esk", dose, first, who)
        if key not in cache:
            cache[key] = dosing.plan_esketamine_devices(
                dose_mg=Decimal(dose), first_induction_dose=first, patient=who, overrides=overrides
            )
        devices = cache[key]
        return rows.order(
            session,
            devices,
            recorded_by=prescriber,
            recorded_at=at,
            warnings_acknowledged=bool(devices.warnings),
        )
    extra = [plan.intake_weight] if plan.intake_weight else []
    weight = latest_measurement_on(patient, "weight", at.date(), extra)
    height = latest_measurement_on(patient, "height", at.date())
    assert weight is not None, "the demo patients all have a weight"
    height_cm = height.value_si if height else None
    key = (
        plan.route,
        weight.value_si.quantize(rows.WEIGHT_PRECISION),
        height_cm,
        patient.sex_at_birth,
    )
    if key not in cache:
        cache[key] = rows.weight_based_dose(
            plan.route,
            course,
            actual_weight_kg=weight.value_si,
            height_cm=height_cm,
            sex_at_birth=patient.sex_at_birth,
            overrides=overrides,
        )
    result = cache[key]
    return rows.order(
        session,
        result,
        weight_measured_on=weight.measured_on,
        recorded_by=prescriber,
        recorded_at=at,
        warnings_acknowledged=bool(result.warnings),
    )


@dataclass
class _Charting:
    """One dosing session being charted: where its rows go, and what is charted by ``now``."""

    chunk: _Chunk
    clinic: Clinic
    plan: Plan
    session: TreatmentSession
    nurse: User
    now: dt.datetime
    rng: random.Random
    statuses: list[str] = field(default_factory=list)

    def upto(self, at: dt.datetime) -> bool:
        return at <= self.now


def _chart(
    chunk: _Chunk,
    clinic: Clinic,
    staff: Mapping[str, User],
    plan: Plan,
    course: TreatmentCourse,
    booking: Booking,
    session: TreatmentSession,
    dosed_before: int,
    now: dt.datetime,
    cache: dict[tuple[Any, ...], Any],
) -> None:
    """Everything charted in one dosing session, up to ``now``; the session's status is the
    one the services would have set after those entries. The steps draw from the session's
    own random stream in a fixed order."""
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
    c = _Charting(chunk, clinic, plan, session, staff[Role.NURSE], now, rng)
    if not c.upto(arrival):
        return
    session.checked_in_at = arrival
    c.statuses.append(SessionStatus.CHECKED_IN)
    _pre_session_scales(c, arrival, dosed_before)
    _checklist(c, arrival)
    order = _order_and_check(c, course, dosed_before, arrival, staff[Role.PRESCRIBER], cache)
    _monitoring(c, sim)
    if order is not None and c.upto(t0):
        _administration(c, sim, order, t0)
    _adverse_events(c, sim)
    _discharge_and_sign(c, sim, staff)
    session.status = c.statuses[-1]
    session.version = 1 + len(c.statuses) + (1 if session.signed_off_at else 0)


def _pre_session_scales(c: _Charting, arrival: dt.datetime, dosed_before: int) -> None:
    # Pre-session PHQ-9 (and GAD-7 every third dose), scored by the clinical core.
    at = arrival + _minutes(2)
    if c.upto(at):
        phq9 = syn.phq9_at(
            c.plan.profile, c.rng, at=at, dose_starts=c.plan.doses, series_doses=c.plan.series
        )
        draws = [phq9]
        if dosed_before % 3 == 0:
            draws.append(syn.gad7_at(c.plan.profile, c.rng, phq9_total=phq9.total))
        for draw in draws:
            c.chunk.scales.append(
                scale_row(
                    c.clinic, c.plan.patient, c.nurse, draw.instrument_id, draw.answers, at,
                    AssessmentContext.PRE_SESSION, c.session, "",
                )
            )  # fmt: skip


def _checklist(c: _Charting, arrival: dt.datetime) -> None:
    # The pre-dose checklist.
    for offset, item in enumerate(sop.items_for(c.plan.route.family.value)):
        at = arrival + _minutes(3 + offset)
        if not c.upto(at):
            break
        answer = "no" if item.question else "yes"  # the demo has no same-day doses to report
        if item.code == "pregnancy_test":
            female = c.plan.patient.sex_at_birth == "female"
            answer = "yes" if female and c.plan.physiology.age_years < 52 else "n/a"
        c.chunk.checklist.append(
            ChecklistEntry(
                session=c.session,
                recorded_by=c.nurse,
                recorded_at=at,
                item=item.code,
                answer=answer,
            )
        )
        if SessionStatus.PRE_DOSE not in c.statuses:
            c.statuses.append(SessionStatus.PRE_DOSE)


def _order_and_check(
    c: _Charting,
    course: TreatmentCourse,
    dosed_before: int,
    arrival: dt.datetime,
    prescriber: User,
    cache: dict[tuple[Any, ...], Any],
) -> DoseOrder | None:
    # The order and the independent second check.
    order_at = arrival + _minutes(c.rng.randint(6, 10))
    order = None
    if c.upto(order_at):
        order = _order(c.plan, course, c.session, dosed_before, order_at, prescriber, cache)
        c.chunk.orders.append(order)
        verify_at = order_at + _minutes(c.rng.randint(2, 5))
        if c.upto(verify_at):
            c.chunk.verifications.append(
                DoseVerification(
                    session=c.session, order=order, recorded_by=c.nurse, recorded_at=verify_at
                )
            )
    return order


def _monitoring(c: _Charting, sim: syn.SimulatedSession) -> None:
    # Vital signs, CADSS-6 and MOAA/S as the monitoring plan asks, alerts on the way.
    vital_rows: dict[int, VitalSignEntry] = {}
    for index, v in enumerate(sim.vitals):
        if not c.upto(v.measured_at):
            continue
        row = VitalSignEntry(
            session=c.session,
            recorded_by=c.nurse,
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
        c.chunk.vitals.append(row)
        if SessionStatus.PRE_DOSE not in c.statuses:
            c.statuses.append(SessionStatus.PRE_DOSE)
    for s in sim.scales:
        if c.upto(s.administered_at):
            c.chunk.scales.append(
                scale_row(
                    c.clinic, c.plan.patient, c.nurse, s.instrument_id, s.answers,
                    s.administered_at, AssessmentContext.IN_SESSION, c.session, s.check_id,
                )
            )  # fmt: skip
    by_reading: dict[tuple[int | None, int | None, dt.datetime], list[syn.AlertDraw]] = {}
    for a in sim.alerts:
        if c.upto(a.alert.measured_at):
            key = (a.vital_index, a.scale_index, a.alert.measured_at)
            by_reading.setdefault(key, []).append(a)
    for (vital_index, _, _), draws in by_reading.items():
        first = draws[0]  # one reading's reasons are acknowledged together
        acknowledged = c.upto(first.acknowledged_at)
        alert = rows.reading_alert(
            c.session,
            [d.alert for d in draws],
            vital=vital_rows.get(vital_index) if vital_index is not None else None,
        )
        alert.acknowledged_by = c.nurse if acknowledged else None
        alert.acknowledged_at = first.acknowledged_at if acknowledged else None
        alert.action_taken = first.action_taken if acknowledged else ""
        c.chunk.alerts.append(alert)


def _administration(
    c: _Charting, sim: syn.SimulatedSession, order: DoseOrder, t0: dt.datetime
) -> None:
    """The medication administration record of the dose, as far as it is charted."""
    lot, expiry = lot_of(c.plan.route, t0)
    events: list[AdministrationEvent] = []
    if c.plan.route is Route.IV_RACEMIC:
        events.append(
            _admin(c.session, order, c.nurse, AdministrationAction.START, t0,
                   rate=order.rate_ml_per_h, lot=lot, expiry=expiry, product=IV_PRODUCT)
        )  # fmt: skip
        if sim.rate_reduced_at and order.rate_ml_per_h:
            half = (order.rate_ml_per_h / 2).quantize(Decimal("0.01"))
            events.append(
                _admin(c.session, order, c.nurse, AdministrationAction.RATE_CHANGE,
                       sim.rate_reduced_at, rate=half, reason=sim.rate_reduction_reason)
            )  # fmt: skip
        events.append(
            _admin(c.session, order, c.nurse, AdministrationAction.STOP, sim.dose_ended_at)
        )
    elif c.plan.route is Route.IM_RACEMIC:
        events.append(
            _admin(c.session, order, c.nurse, AdministrationAction.INJECTION, t0,
                   dose=order.dose_mg, lot=lot, expiry=expiry, product=IM_PRODUCT)
        )  # fmt: skip
    else:
        for at in sim.device_times:
            events.append(
                _admin(c.session, order, c.nurse, AdministrationAction.DEVICE, at,
                       dose=Decimal(dosing.ESKETAMINE_MG_PER_DEVICE), lot=lot, expiry=expiry,
                       product=ESKETAMINE_PRODUCT)
            )  # fmt: skip
    charted = [e for e in events if c.upto(e.at)]
    c.chunk.administration.extend(charted)
    c.statuses.append(SessionStatus.DOSING)
    finished = charted[-1].action in (
        AdministrationAction.STOP, AdministrationAction.INJECTION,
    ) or (
        c.plan.route is Route.ESKETAMINE_NASAL and len(charted) == len(events)
    )  # fmt: skip
    if c.plan.route is Route.IM_RACEMIC:
        c.statuses.remove(SessionStatus.DOSING)  # the injection goes straight to observing
    if finished:
        c.statuses.append(SessionStatus.OBSERVING)


def _adverse_events(c: _Charting, sim: syn.SimulatedSession) -> None:
    for event in sim.adverse_events:
        if c.upto(event.onset_at + _minutes(5)):
            c.chunk.adverse.append(
                AdverseEvent(
                    session=c.session, recorded_by=c.nurse,
                    recorded_at=event.onset_at + _minutes(5),
                    event_type=event.event_type, description=event.description[:200],
                    grade=event.grade, onset_at=event.onset_at, action=event.action,
                    outcome=event.outcome, serious=event.serious,
                )
            )  # fmt: skip


def _discharge_and_sign(c: _Charting, sim: syn.SimulatedSession, staff: Mapping[str, User]) -> None:
    if c.upto(sim.discharge_at):
        assert sim.discharge.score is not None
        c.chunk.discharge.append(
            rows.discharge_charting(
                c.session,
                sim.discharge_charting,
                system=sim.discharge.score.system,
                recorded_by=c.nurse,
            )
        )
        c.session.discharged_at = sim.discharge_at
        c.session.discharge_summary = rows.discharge_summary(sim.discharge, sim.discharge_charting)
        _follow_up_call(c, sim.discharge_at)
        c.statuses.append(SessionStatus.DISCHARGED)
        if c.rng.random() < NOTE_RATE:
            c.chunk.notes.append(
                NursingNote(
                    session=c.session, recorded_by=c.nurse,
                    recorded_at=sim.discharge_at - _minutes(1), text=c.rng.choice(NOTES),
                )
            )  # fmt: skip
        signed = sim.discharge_at + _minutes(c.rng.randint(20, 240))
        if c.upto(signed):
            c.session.signed_off_at = signed
            prescriber, director = staff[Role.PRESCRIBER], staff[Role.MEDICAL_DIRECTOR]
            c.session.signed_off_by = prescriber if c.rng.random() < 0.8 else director


FOLLOW_UP_CALLED_AFTER = dt.timedelta(hours=2)  # the demo's calls are made 2 h after they fall due


def _follow_up_call(c: _Charting, discharged_at: dt.datetime) -> None:
    """The call the discharge schedules; those due long enough before ``now`` were made (the
    patient reached, well), the rest are still to make. No random draw, so the sessions of a
    seed stay as they were."""
    due = follow_up_due(discharged_at, c.clinic.tzinfo, c.clinic.clinical_overrides)
    called = due + FOLLOW_UP_CALLED_AFTER
    done = c.upto(called)
    call = FollowUpCall(
        clinic=c.clinic,
        patient_id=c.session.patient_id,
        session=c.session,
        due_at=due,
        created_at=discharged_at,
        done_at=called if done else None,
        done_by=c.nurse if done else None,
    )
    c.chunk.calls.append(call)
    if done:
        c.chunk.attempts.append(
            FollowUpAttempt(
                call=call, recorded_by=c.nurse, recorded_at=called,
                outcome=FollowUpOutcome.REACHED, patient_status="Well; slept; no concerns.",
                closed_call=True,
            )
        )  # fmt: skip


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
    return rows.administration(
        session,
        order,
        action=action,
        at=at,
        recorded_by=nurse,
        rate_ml_per_h=rate,
        dose_mg=dose,
        product=product,
        lot_number=lot,
        expiry=expiry,
        reason=reason,
        recorded_at=at + _minutes(1),
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
        (chunk.administration, rows.administration_summary),
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
        chunk.calls,
        actor=lambda _: nurse,
        summary=lambda _: "follow-up call scheduled",
        patient=lambda call: call.patient_id,
    )
    writer.create(
        chunk.attempts,
        actor=recorder,
        summary=lambda a: f"follow-up call: {a.get_outcome_display().lower()}",
        patient=lambda a: a.call.patient_id,
    )
    writer.create(
        chunk.discharge,
        actor=recorder,
        summary=lambda d: f"discharge assessment ({d.score_system})",
        patient=of_session,
    )
    writer.create(
        chunk.scales,
        actor=recorder,
        summary=lambda s: f"recorded {s}",
        patient=lambda s: s.patient_id,
    )
