"""Charting a session. Entries are append-only; the session row changes only here, under a
row lock or a version check, so two staff at one session never lose each other's work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from remission.accounts.access import require
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.assessments.models import AssessmentContext, ScaleAdministration
from remission.assessments.services import record_scale
from remission.audit.services import audited_save
from remission.chairside import checklist, ports, rows
from remission.chairside.follow_up_services import schedule_follow_up
from remission.chairside.models import (
    AdministrationAction,
    AdministrationEvent,
    AdverseEvent,
    ChecklistEntry,
    DischargeChartingEntry,
    DoseOrder,
    DoseVerification,
    MissedCheck,
    NursingNote,
    SessionAlert,
    VitalSignEntry,
)
from remission.chairside.selectors import (
    administration_records,
    esketamine_patient_on_day,
    is_first_esketamine_dose,
    latest_measurement,
    session_drug,
    session_view,
    vital_signs,
)
from remission.clinical import administration as adm
from remission.clinical import dosing, session_rules
from remission.clinical.errors import ClinicalInputError
from remission.clinical.monitoring import (
    DischargeCharting,
    ScoreItem,
    Severity,
    VitalAlert,
    chosen_score,
    evaluate_sedation,
    evaluate_vitals,
)
from remission.clinical.monitoring.discharge_score import items_outside
from remission.clinical.routes import Drug, Route
from remission.patients.models import MeasurementKind
from remission.scheduling.models import SessionKind, SessionStatus, TreatmentSession
from remission.scheduling.services import end_without_dose, locked_session, set_status


@transaction.atomic
def stand_down(
    *, membership: Membership, session: TreatmentSession, reason: str
) -> TreatmentSession:
    """End a session at the chair before any dose (a pre-dose hold, the patient declines).

    A clinical call, so it needs the right to chart; the pre-dose entries stay on the record.
    """
    require(membership, Capability.CHART_SESSIONS)
    session = locked_session(membership, session)
    if session.status not in (SessionStatus.CHECKED_IN, SessionStatus.PRE_DOSE):
        raise ValidationError(
            "Only a checked-in session whose dose has not started can end without a dose."
        )
    reason = reason.strip()
    end_without_dose(
        membership, session, SessionStatus.CANCELLED, f"Not dosed: {reason}" if reason else ""
    )
    return session


# --- pre-dose ----------------------------------------------------------------------------


@transaction.atomic
def answer_checklist(
    *,
    membership: Membership,
    session: TreatmentSession,
    item: str,
    answer: str,
    note: str = "",
    drug: str = "",
    dose_mg: Decimal | None = None,
) -> ChecklistEntry:
    """Record one checklist answer. A today's-dose question that asks how much takes the drug
    (a catalogue benzodiazepine) and its mg with a 'yes'; the clinical core judges them."""
    require(membership, Capability.CHART_SESSIONS)
    session = locked_session(membership, session)
    definition = checklist.item(item)
    if definition is None:
        raise ValidationError(f"Unknown checklist item {item!r}.")
    if answer not in checklist.ANSWERS or (
        answer == "n/a" and not definition.allows_not_applicable
    ):
        raise ValidationError(f"{definition.label}: answer yes or no.")
    problems = checklist.amount_problems(definition, answer, drug, dose_mg)
    if problems:
        raise ValidationError(problems)
    entry = ChecklistEntry(
        session=session,
        recorded_by=membership.user,
        item=item,
        answer=answer,
        note=note,
        drug=drug if answer == "yes" else "",
        dose_mg=dose_mg if answer == "yes" else None,
    )
    amount = f" ({drug} {dose_mg} mg)" if entry.drug and entry.dose_mg is not None else ""
    audited_save(entry, actor=membership.user, summary=f"checklist {item}: {answer}{amount}")
    if session.status in (SessionStatus.SCHEDULED, SessionStatus.CHECKED_IN):
        set_status(membership, session, SessionStatus.PRE_DOSE)
    return entry


def _esketamine_order(
    membership: Membership, session: TreatmentSession, dose_mg: int | None
) -> DoseOrder:
    """Devices of 28 mg for the dose (the course's, unless the prescriber gives one)."""
    course = session.course
    assert course is not None
    plan = dosing.plan_esketamine_devices(
        dose_mg=Decimal(dose_mg or course.fixed_dose_mg or rows.DEFAULT_ESKETAMINE_DOSE_MG),
        first_induction_dose=is_first_esketamine_dose(session),
        patient=esketamine_patient_on_day(session),
        overrides=membership.clinic.clinical_overrides,
    )
    return rows.order(session, plan, recorded_by=membership.user)


def _weight_based_order(
    membership: Membership, session: TreatmentSession, route: Route, mg_per_kg: Decimal | None
) -> DoseOrder:
    """Racemic ketamine IV or IM by the latest charted weight (and height, for the basis)."""
    course = session.course
    assert course is not None
    weight = latest_measurement(session, MeasurementKind.WEIGHT)
    if weight is None:
        raise ValidationError("Chart today's weight before ordering a weight-based dose.")
    height = latest_measurement(session, MeasurementKind.HEIGHT)
    result = rows.weight_based_dose(
        route,
        course,
        actual_weight_kg=weight.value_si,
        height_cm=height.value_si if height else None,
        sex_at_birth=session.patient.sex_at_birth,
        overrides=membership.clinic.clinical_overrides,
        mg_per_kg=mg_per_kg,
    )
    return rows.order(
        session, result, weight_measured_on=weight.measured_on, recorded_by=membership.user
    )


@transaction.atomic
def order_dose(
    *,
    membership: Membership,
    session: TreatmentSession,
    acknowledge_warnings: bool = False,
    mg_per_kg: Decimal | None = None,
    dose_mg: int | None = None,
) -> DoseOrder:
    """The prescriber's order from the dosing calculator, on the latest charted weight."""
    require(membership, Capability.ORDER_DOSES)
    session = locked_session(membership, session)
    course = session.course
    if session.kind != SessionKind.DOSING or course is None:
        raise ValidationError("Only a dosing session of a course takes a dose order.")
    route = Route.of_family_code(course.route)
    if route is None:
        raise ValidationError("This course's protocol gives no drug, so there is no dose to order.")
    try:
        if route is Route.ESKETAMINE_NASAL:
            order = _esketamine_order(membership, session, dose_mg)
        else:
            order = _weight_based_order(membership, session, route, mg_per_kg)
    except ClinicalInputError as exc:
        raise ValidationError(str(exc)) from None
    if order.warnings and not acknowledge_warnings:
        messages = "; ".join(w["message"] for w in order.warnings)
        raise ValidationError(f"Acknowledge the warnings to order this dose: {messages}")
    order.warnings_acknowledged = bool(order.warnings)
    audited_save(order, actor=membership.user, summary=f"ordered {order}")
    return order


@transaction.atomic
def verify_dose(*, membership: Membership, order: DoseOrder) -> DoseVerification:
    require(membership, Capability.VERIFY_DOSES)
    session = locked_session(membership, order.session)
    latest = DoseOrder.objects.filter(session=session).order_by("-recorded_at", "-pk").first()
    if latest is None or latest.pk != order.pk:
        raise ValidationError("A newer order replaced this one; verify the newer order.")
    if order.recorded_by_id == membership.user_id:
        raise ValidationError("The second check must be done by someone other than the prescriber.")
    if DoseVerification.objects.filter(order=order).exists():
        raise ValidationError("This order is already verified.")
    verification = DoseVerification(session=session, order=order, recorded_by=membership.user)
    audited_save(verification, actor=membership.user, summary=f"verified {order}")
    return verification


# --- administration -----------------------------------------------------------------------


@transaction.atomic
def record_administration(
    *,
    membership: Membership,
    session: TreatmentSession,
    action: str,
    at: dt.datetime | None = None,
    rate_ml_per_h: Decimal | None = None,
    lot_number: str = "",
    expiry: dt.date | None = None,
    product: str = "",
    reason: str = "",
    stock_lot: ports.DispensableLot | None = None,
    confirm_over_delivery: bool = False,
) -> AdministrationEvent:
    """One line of the MAR. With a ``stock_lot`` from the controlled-substance log, the lot,
    expiry and product come from it and the dose is dispensed from it in the same transaction.

    An entry after which the record says more was given than the verified order allows is
    refused, unless ``confirm_over_delivery`` with a ``reason`` (the patient really received
    it): then it is charted and raises an urgent alert."""
    require(membership, Capability.CHART_SESSIONS)
    if stock_lot is not None:
        lot_number, expiry, product = (
            stock_lot.lot_number,
            stock_lot.expiry_date,
            stock_lot.product_name,
        )
    session = locked_session(membership, session)
    view = session_view(membership=membership, session_id=session.pk, record=False)
    order = view.order
    if order is None:
        raise ValidationError("There is no dose order for this session.")
    at = at or timezone.now()
    _refuse_charted_time(session, at)
    _refuse_other_drugs_lot(membership, stock_lot, view.drug)
    events = view.administration
    records = administration_records(events)
    if not events:  # the first event starts the dose: every hard stop applies
        facts = view.start_facts(lot_number=lot_number, lot_expiry=expiry, starts_at=at)
        problems = [p.message for p in session_rules.start_problems(facts, view.overrides)]
        if problems:
            raise ValidationError(["The dose cannot start yet:", *problems])
    record = _next_record(records, order, action=action, at=at, rate=rate_ml_per_h, reason=reason)
    over = adm.over_delivery(
        records,
        record,
        ordered_mg=order.dose_mg,
        concentration_mg_per_ml=order.concentration_mg_per_ml,
        overrides=view.overrides,
    )
    if over is not None and not (confirm_over_delivery and reason.strip()):
        raise ValidationError({"confirm_over_delivery": over.message})
    event = rows.administration(
        session,
        order,
        action=action,
        at=at,
        recorded_by=membership.user,
        rate_ml_per_h=record.rate_ml_per_h,
        dose_mg=record.dose_mg,
        product=product,
        lot_number=lot_number,
        expiry=expiry,
        reason=reason,
    )
    audited_save(event, actor=membership.user, summary=rows.administration_summary(event))
    if over is not None:
        _raise_over_delivery(session, event, over)
    _after_administration(membership, session, event, len(events) + 1, stock_lot)
    return event


def _refuse_other_drugs_lot(
    membership: Membership, stock_lot: ports.DispensableLot | None, drug: Drug | None
) -> None:
    """A dose is dispensed only from a lot of the session's own drug (no SPRAVATO lot for an
    IV dose), in stock, in date and at this clinic."""
    stock = ports.stock_source()
    if stock_lot is None or stock is None:
        return
    if stock.lot(membership=membership, lot_id=str(stock_lot.pk), drug=drug) is None:
        raise ValidationError(
            {
                "stock_lot": f"Lot {stock_lot.lot_number} ({stock_lot.product_name}) is not a lot "
                "of this session's drug in stock and in date here."
            }
        )


def _next_record(
    records: list[adm.AdministrationRecord],
    order: DoseOrder,
    *,
    action: str,
    at: dt.datetime,
    rate: Decimal | None,
    reason: str,
) -> adm.AdministrationRecord:
    """The MAR line about to be charted, refused unless it may follow ``records``: a device
    inside the device rules, a rate change with its reason; a start runs at the ordered rate
    unless another is charted."""
    dose_mg = None
    if action == AdministrationAction.DEVICE:
        dose_mg = Decimal(dosing.ESKETAMINE_MG_PER_DEVICE)
        device_problems = session_rules.device_problems(records, at, order.devices)
        if device_problems:
            raise ValidationError([p.message for p in device_problems])
    if action == AdministrationAction.INJECTION:
        dose_mg = order.dose_mg
    if action == AdministrationAction.RATE_CHANGE and not reason.strip():
        raise ValidationError("A rate change needs a reason.")
    if action == AdministrationAction.START and rate is None:
        rate = order.rate_ml_per_h
    record = adm.AdministrationRecord(
        action=adm.Action(action), at=at, rate_ml_per_h=rate, dose_mg=dose_mg
    )
    try:
        adm.check_next(records, record)
    except (ClinicalInputError, ValueError) as exc:
        raise ValidationError(str(exc)) from None
    return record


def _refuse_charted_time(
    session: TreatmentSession, at: dt.datetime, *, before_session: bool = False
) -> None:
    """Refuse a chart time in the future or (unless ``before_session`` may be charted, as a
    questionnaire answered at home) before the session began."""
    opened_at = (
        None
        if before_session
        else session_rules.session_opened_at(session.scheduled_start, session.checked_in_at)
    )
    problems = session_rules.charted_time_problems(at, now=timezone.now(), opened_at=opened_at)
    if problems:
        raise ValidationError([p.message for p in problems])


def _raise_over_delivery(
    session: TreatmentSession, event: AdministrationEvent, over: adm.OverDelivery
) -> SessionAlert:
    """The urgent alert a confirmed over-delivery raises (acknowledged like any other)."""
    alert = SessionAlert(
        session=session,
        code="over_delivery",
        severity=Severity.URGENT.value,
        message=(
            f"Over-delivery: {over.given_mg} mg given against {over.ordered_mg} mg ordered "
            f"({event.get_action_display().lower()} at "
            f"{event.at.astimezone(session.clinic.tzinfo):%H:%M}): {event.reason}"
        )[:300],
        source=adm.OVER_DELIVERY_TOLERANCE.evidence.citation[:300],
        raised_at=event.at,
    )
    audited_save(alert, actor=event.recorded_by, summary="alert raised over_delivery")
    return alert


def _after_administration(
    membership: Membership,
    session: TreatmentSession,
    event: AdministrationEvent,
    charted: int,
    stock_lot: ports.DispensableLot | None,
) -> None:
    """Dispense from the log when a dose entry names a lot; move the session to dosing, or to
    observing once the dose is complete (``charted`` entries so far, this one included)."""
    dispensing = (
        AdministrationAction.START,
        AdministrationAction.INJECTION,
        AdministrationAction.DEVICE,
    )
    stock = ports.stock_source()
    if stock_lot is not None and event.action in dispensing and stock is not None:
        stock.dispense(membership=membership, administration=event, lot=stock_lot)
    action, order = event.action, event.order
    finished = action in (AdministrationAction.STOP, AdministrationAction.INJECTION) or (
        action == AdministrationAction.DEVICE and charted >= (order.devices or 1)
    )
    if finished:
        set_status(membership, session, SessionStatus.OBSERVING)
    elif session.status != SessionStatus.DOSING:
        set_status(membership, session, SessionStatus.DOSING)


# --- monitoring ----------------------------------------------------------------------------


def _raise_alerts(
    membership: Membership,
    session: TreatmentSession,
    alerts: Iterable[VitalAlert],
    vital: VitalSignEntry | None,
) -> list[SessionAlert]:
    """The reading's one alert (every reason on it), attributed to whoever charted it."""
    reasons = list(alerts)
    if not reasons:
        return []
    row = rows.reading_alert(session, reasons, vital=vital)
    audited_save(row, actor=membership.user, summary=f"alert raised {', '.join(row.codes)}")
    return [row]


@transaction.atomic
def record_vitals(
    *,
    membership: Membership,
    session: TreatmentSession,
    measured_at: dt.datetime | None = None,
    check_id: str = "",
    **values: int | None,
) -> tuple[VitalSignEntry, list[SessionAlert]]:
    require(membership, Capability.CHART_SESSIONS)
    session = locked_session(membership, session)
    measured_at = measured_at or timezone.now()
    _refuse_charted_time(session, measured_at)
    view = session_view(membership=membership, session_id=session.pk, record=False)
    entry = VitalSignEntry(
        session=session,
        recorded_by=membership.user,
        measured_at=measured_at,
        check_id=check_id,
        **values,
    )
    try:
        reading = vital_signs(entry)
    except ClinicalInputError as exc:
        raise ValidationError(str(exc)) from None
    baseline = None
    if view.given and view.given.started_at and view.baseline:
        baseline = vital_signs(view.baseline)
    audited_save(entry, actor=membership.user, summary=f"vitals {check_id or ''}".strip())
    alerts = []
    if view.given and view.given.started_at:  # alerts watch the dose; pre-dose has the hold rule
        alerts = _raise_alerts(
            membership,
            session,
            evaluate_vitals(reading, baseline, membership.clinic.clinical_overrides, view.drug),
            entry,
        )
    if session.status in (SessionStatus.SCHEDULED, SessionStatus.CHECKED_IN):
        set_status(membership, session, SessionStatus.PRE_DOSE)
    return entry, alerts


@transaction.atomic
def record_session_scale(
    *,
    membership: Membership,
    session: TreatmentSession,
    instrument_id: str,
    answers: list[int | None],
    check_id: str = "",
    administered_at: dt.datetime | None = None,
    context: AssessmentContext = AssessmentContext.IN_SESSION,
) -> ScaleAdministration:
    require(membership, Capability.CHART_SESSIONS)
    session = locked_session(membership, session)
    administered_at = administered_at or timezone.now()
    # a pre-session questionnaire may be answered before the patient arrives (the day before)
    _refuse_charted_time(
        session, administered_at, before_session=context is AssessmentContext.PRE_SESSION
    )
    administration = record_scale(
        membership=membership,
        patient=session.patient,
        instrument_id=instrument_id,
        answers=answers,
        administered_at=administered_at,
        context=context,
        session=session,
        check_id=check_id,
    )
    if instrument_id == "moaas" and administration.total is not None:
        _raise_alerts(
            membership,
            session,
            evaluate_sedation(
                administration.total,
                administration.administered_at,
                membership.clinic.clinical_overrides,
                session_drug(session),
            ),
            None,
        )
    return administration


@transaction.atomic
def acknowledge_alert(
    *, membership: Membership, alert: SessionAlert, action_taken: str
) -> SessionAlert:
    require(membership, Capability.CHART_SESSIONS)
    locked_session(membership, alert.session)
    alert = SessionAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.acknowledged_at is not None:
        raise ValidationError(f"Already acknowledged by {alert.acknowledged_by}.")
    if not action_taken.strip():
        raise ValidationError("Record the action taken.")
    alert.acknowledged_by = membership.user
    alert.acknowledged_at = timezone.now()
    alert.action_taken = action_taken
    audited_save(
        alert, actor=membership.user, summary=f"acknowledged alert {', '.join(alert.codes)}"
    )
    return alert


@transaction.atomic
def record_adverse_event(
    *, membership: Membership, session: TreatmentSession, **data: Any
) -> AdverseEvent:
    require(membership, Capability.CHART_SESSIONS)
    session = locked_session(membership, session)
    grade = data.get("grade")
    if not isinstance(grade, int) or not 1 <= grade <= 5:
        raise ValidationError("Grade the event from 1 (mild) to 5 (death).")
    event = AdverseEvent(session=session, recorded_by=membership.user, **data)
    audited_save(event, actor=membership.user, summary=f"adverse event {event}")
    return event


@transaction.atomic
def add_note(*, membership: Membership, session: TreatmentSession, text: str) -> NursingNote:
    require(membership, Capability.CHART_SESSIONS)
    session = locked_session(membership, session)
    if not text.strip():
        raise ValidationError("The note is empty.")
    note = NursingNote(session=session, recorded_by=membership.user, text=text)
    audited_save(note, actor=membership.user, summary="nursing note")
    return note


# --- discharge and sign-off ----------------------------------------------------------------


@transaction.atomic
def chart_discharge(
    *,
    membership: Membership,
    session: TreatmentSession,
    points: dict[str, int | None],
    supplemental_oxygen: bool = False,
    oriented: bool = False,
    escort_present: bool = False,
    driving_advice_given: bool = False,
) -> DischargeChartingEntry:
    """Record the nurse's discharge assessment: the clinic's score items charted by hand (by
    item name, 0–2; None: not assessed) and the ketamine checks. Items of the other score are
    refused, so an entry holds only what the clinic's score asks."""
    require(membership, Capability.CHART_SESSIONS)
    session = locked_session(membership, session)
    if session.status == SessionStatus.DISCHARGED:
        raise ValidationError("The patient is already discharged.")
    view = session_view(membership=membership, session_id=session.pk, record=False)
    if view.discharge is None:
        raise ValidationError("The dose has not started; there is no recovery to assess.")
    score = chosen_score(membership.clinic.clinical_overrides)
    problems = items_outside(score, (name for name, value in points.items() if value is not None))
    if problems:
        raise ValidationError(problems)
    try:
        charting = DischargeCharting(
            charted_at=timezone.now(),
            points={ScoreItem(k): v for k, v in points.items() if v is not None},
            supplemental_oxygen=supplemental_oxygen,
            oriented=oriented,
            escort_present=escort_present,
            driving_advice_given=driving_advice_given,
        )
    except ClinicalInputError as exc:
        raise ValidationError(str(exc)) from None
    entry = rows.discharge_charting(
        session, charting, system=score.system, recorded_by=membership.user
    )
    audited_save(
        entry, actor=membership.user, summary=f"discharge assessment ({score.system.value})"
    )
    return entry


@transaction.atomic
def discharge(*, membership: Membership, session: TreatmentSession) -> TreatmentSession:
    """Discharge when the one readiness answer says ready; else refuse with every reason. The
    summary keeps the assessment, with the score and the nurse's charting it was read from."""
    require(membership, Capability.CHART_SESSIONS)
    session = locked_session(membership, session)
    view = session_view(membership=membership, session_id=session.pk, record=False)
    assessment = view.discharge
    if assessment is None:
        raise ValidationError("The dose has not started; nothing to discharge from.")
    if not assessment.ready:
        raise ValidationError(["Not ready for discharge:", *assessment.reasons])
    charted = view.discharge_charting
    assert charted is not None  # ready needs the assessment charted
    session.discharged_at = timezone.now()
    session.discharge_summary = rows.discharge_summary(assessment, rows.charting_of(charted))
    set_status(membership, session, SessionStatus.DISCHARGED)
    schedule_follow_up(membership=membership, session=session)
    return session


@transaction.atomic
def explain_missed_check(
    *, membership: Membership, session: TreatmentSession, check_id: str, reason: str
) -> MissedCheck:
    """Record why a planned check was not charted (it stays overdue on the board, explained)."""
    require(membership, Capability.CHART_SESSIONS)
    session = locked_session(membership, session)
    if session.is_locked:
        raise ValidationError("The session is signed and locked; add an addendum instead.")
    view = session_view(membership=membership, session_id=session.pk, record=False)
    if view.plan is None or check_id not in {c.check_id for c in view.plan.checks}:
        raise ValidationError("That check is not on this session's monitoring plan.")
    reason = reason.strip()
    if not reason:
        raise ValidationError("Say why the check was missed.")
    missed = MissedCheck(
        session=session, recorded_by=membership.user, check_id=check_id, reason=reason[:200]
    )
    audited_save(missed, actor=membership.user, summary=f"check {check_id} missed: {reason}")
    return missed


@transaction.atomic
def sign_off(*, membership: Membership, session: TreatmentSession) -> TreatmentSession:
    """Sign and lock the record (``session_rules.SIGN_OFF_ATTESTATION`` says what the
    signature attests); refused with every reason while an alert is open or a planned check
    is overdue with no reason recorded."""
    require(membership, Capability.SIGN_SESSIONS)
    session = locked_session(membership, session)
    if session.is_locked:
        raise ValidationError("The session is already signed.")
    if session.status not in (
        SessionStatus.DISCHARGED,
        SessionStatus.CANCELLED,
        SessionStatus.NO_SHOW,
    ):
        raise ValidationError("Discharge the patient before signing the session.")
    view = session_view(membership=membership, session_id=session.pk, record=False)
    problems = view.sign_off_problems if session.status == SessionStatus.DISCHARGED else []
    if session.status != SessionStatus.DISCHARGED and view.open_alerts:
        problems = ["Every alert must be acknowledged before sign-off."]
    if problems:
        raise ValidationError(["The session cannot be signed yet:", *problems])
    session.signed_off_at = timezone.now()
    session.signed_off_by = membership.user
    session.version += 1
    audited_save(session, actor=membership.user, summary="signed off and locked the session")
    return session
