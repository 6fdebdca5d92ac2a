"""Reading sessions: the chair-side view (audited), the calendar and the day board."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.assessments.models import AssessmentContext, ScaleAdministration
from remission.audit.models import AuditAction
from remission.audit.services import record_access
from remission.chairside import checklist, ports
from remission.chairside.models import (
    AdministrationEvent,
    ChecklistEntry,
    DischargeChartingEntry,
    DoseOrder,
    MissedCheck,
    SessionAlert,
    VitalSignEntry,
)
from remission.chairside.rows import charting_of
from remission.clinical import administration as adm
from remission.clinical import esketamine, labels, session_rules
from remission.clinical.monitoring import (
    CheckStatus,
    DischargeAssessment,
    DischargeFacts,
    PredoseDecision,
    ScoredCheck,
    VitalSigns,
    due_checks,
    evaluate_discharge,
    predose_check,
)
from remission.clinical.monitoring import todays_doses as dose_day
from remission.clinical.protocols import MonitoringPlan, get_protocol
from remission.clinical.routes import Drug, Route, RouteFamily
from remission.patients.models import BodyMeasurement, ConsentType, MeasurementKind
from remission.scheduling.models import SessionKind, SessionStatus, TreatmentSession
from remission.scheduling.selectors import get_session
from remission.treatment.models import Intake
from remission.treatment.selectors import esketamine_patient


def vital_signs(entry: VitalSignEntry) -> VitalSigns:
    return VitalSigns(
        measured_at=entry.measured_at,
        systolic_mmhg=entry.systolic_mmhg,
        diastolic_mmhg=entry.diastolic_mmhg,
        heart_rate_bpm=entry.heart_rate_bpm,
        spo2_percent=entry.spo2_percent,
        respiratory_rate_per_min=entry.respiratory_rate_per_min,
    )


def administration_records(events: list[AdministrationEvent]) -> list[adm.AdministrationRecord]:
    return [
        adm.AdministrationRecord(
            action=adm.Action(e.action), at=e.at, rate_ml_per_h=e.rate_ml_per_h, dose_mg=e.dose_mg
        )
        for e in events
    ]


DOSE_COMPLETE_STATUSES = (
    SessionStatus.OBSERVING,
    SessionStatus.READY,
    SessionStatus.DISCHARGED,
)


def administered_mg(sessions: list[TreatmentSession]) -> dict[Any, Decimal | None]:
    """The dose each session's record says was given, once dosing is over (``None`` before).
    Not an audited read: callers that show it with a patient audit their own read."""
    ids = [s.pk for s in sessions]
    orders: dict[Any, DoseOrder] = {}
    for order in DoseOrder.objects.filter(session_id__in=ids).order_by("recorded_at"):
        orders[order.session_id] = order  # the latest order is the one in force
    events: dict[Any, list[AdministrationEvent]] = {}
    for event in AdministrationEvent.objects.filter(session_id__in=ids):
        events.setdefault(event.session_id, []).append(event)
    given: dict[Any, Decimal | None] = {}
    for session in sessions:
        if session.status not in DOSE_COMPLETE_STATUSES:
            given[session.pk] = None
            continue
        records = administration_records(events.get(session.pk, []))
        in_force = orders.get(session.pk)
        given[session.pk] = adm.given_so_far(
            records,
            concentration_mg_per_ml=in_force.concentration_mg_per_ml if in_force else None,
            now=records[-1].at if records else session.scheduled_start,
        ).dose_mg
    return given


PREDOSE_VITALS_LINE = "predose_vitals"  # a computed checklist line
_ACTION_LABELS = {
    adm.Action.START: "Start infusion",
    adm.Action.PAUSE: "Pause",
    adm.Action.RESUME: "Resume",
    adm.Action.RATE_CHANGE: "Change rate",
    adm.Action.STOP: "Stop infusion",
    adm.Action.INJECTION: "Injection given",
    adm.Action.DEVICE: "Nasal device given",
}


@dataclass
class ChecklistLine:
    code: str
    label: str
    answer: str | None  # yes / no / n/a / None (not answered)
    computed: bool = False
    detail: str = ""
    allows_not_applicable: bool = False
    question: bool = False  # a today's-dose question: any answer completes it; the core judges
    asks_amount: bool = False

    @property
    def ok(self) -> bool:
        if self.question:
            return self.answer in ("yes", "no")
        return self.answer == "yes" or (self.answer == "n/a" and self.allows_not_applicable)


@dataclass
class SessionView:
    """Everything the chair-side screen shows, computed once per request."""

    session: TreatmentSession
    now: dt.datetime
    route: str
    plan: MonitoringPlan | None
    checklist: list[ChecklistLine] = field(default_factory=list)
    order: DoseOrder | None = None
    orders: list[DoseOrder] = field(default_factory=list)
    verified: bool = False
    administration: list[AdministrationEvent] = field(default_factory=list)
    given: adm.GivenSoFar | None = None
    vitals: list[VitalSignEntry] = field(default_factory=list)
    baseline: VitalSignEntry | None = None
    predose: PredoseDecision | None = None
    scales: list[ScaleAdministration] = field(default_factory=list)
    alerts: list[SessionAlert] = field(default_factory=list)
    checks: tuple[CheckStatus, ...] = ()
    discharge: DischargeAssessment | None = None
    discharge_charting: DischargeChartingEntry | None = None  # the latest assessment charted
    adverse_events: list[Any] = field(default_factory=list)
    notes: list[Any] = field(default_factory=list)
    addenda: list[Any] = field(default_factory=list)
    programme_stops: list[ports.Stop] = field(default_factory=list)
    prior_doses: tuple[session_rules.PriorDose, ...] = ()
    todays_doses: dose_day.DayDecision | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    esketamine_start: esketamine.StartDose | None = None  # the label's doses for this patient
    first_esketamine_dose: bool = False
    missed: dict[str, MissedCheck] = field(default_factory=dict)  # by check id, the latest
    allergies: list[Any] = field(default_factory=list)
    weight: BodyMeasurement | None = None  # the latest charted weight

    @property
    def elapsed_min(self) -> int | None:
        """Whole minutes since the dose started (None before it has)."""
        started = self.dose_started_at
        if started is None:
            return None
        return max(0, int((self.now - started).total_seconds() // 60))

    @property
    def next_check(self) -> CheckStatus | None:
        """The check to do next: the earliest overdue, else the earliest due or upcoming."""
        open_checks = [c for c in self.checks if c.state != "done"]
        for state in ("overdue", "due", "upcoming"):
            found = [c for c in open_checks if c.state == state]
            if found:
                return min(found, key=lambda c: (c.due_at is None, c.due_at or self.now))
        return None

    @property
    def check_rows(self) -> list[tuple[CheckStatus, MissedCheck | None]]:
        """Each planned check with the reason it was missed, if one was recorded."""
        return [(c, self.missed.get(c.check.check_id)) for c in self.checks]

    def check_choices(self, *instruments: str) -> list[tuple[CheckStatus, bool]]:
        """The planned checks of ``instruments`` for a "for check" picker, each with whether it
        is the default: the one due now (the earliest overdue or due), else none."""
        checks = [c for c in self.checks if c.check.instrument in instruments]
        due = [c for c in checks if c.state in ("overdue", "due")]
        default = due[0].check.check_id if due else ""
        return [(c, c.check.check_id == default) for c in checks]

    @property
    def dose_started_at(self) -> dt.datetime | None:
        return self.given.started_at if self.given else None

    @property
    def dose_ended_at(self) -> dt.datetime | None:
        if self.given is None or self.given.running:
            return None
        return self.given.ended_at

    @property
    def route_family(self) -> RouteFamily | None:
        return RouteFamily.of_code(self.route)

    @property
    def drug(self) -> Drug | None:
        """The session's drug (whose sources its thresholds cite); None without a drug."""
        return session_drug(self.session)

    @property
    def is_esketamine(self) -> bool:
        """Esketamine nasal spray: ordered in mg (devices), under the REMS."""
        return self.route_family is RouteFamily.ESKETAMINE_NASAL

    @property
    def allowed_actions(self) -> list[tuple[str, str]]:
        """The administration actions that may follow the record, for this route."""
        actions = session_rules.allowed_actions(
            self.route_family, administration_records(self.administration)
        )
        return [(action.value, _ACTION_LABELS[action]) for action in actions]

    @property
    def in_session_scales(self) -> list[ScaleAdministration]:
        return [s for s in self.scales if s.instrument_id in ("moaas", "cadss6")]

    @property
    def open_alerts(self) -> list[SessionAlert]:
        return [a for a in self.alerts if a.acknowledged_at is None]

    @property
    def checklist_complete(self) -> bool:
        return all(line.ok for line in self.checklist)

    def start_facts(
        self,
        *,
        lot_number: str = "",
        lot_expiry: dt.date | None = None,
        starts_at: dt.datetime | None = None,
    ) -> session_rules.StartFacts:
        """The chart's facts for ``session_rules.start_problems``; pre-dose vitals are judged
        from the reading itself, not from their checklist line."""
        return session_rules.StartFacts(
            unmet_checklist=tuple(
                line.label
                for line in self.checklist
                if not line.ok and line.code != PREDOSE_VITALS_LINE
            ),
            has_order=self.order is not None,
            order_verified=self.verified,
            predose=self.predose,
            programme_stops=tuple(stop.message for stop in self.programme_stops),
            lot_number=lot_number,
            lot_expiry=lot_expiry,
            on=(starts_at or self.now).astimezone(self.session.clinic.tzinfo).date(),
            family=self.route_family,
            starts_at=starts_at or self.now,
            prior_doses=self.prior_doses,
            todays_doses=self.todays_doses,
        )

    @property
    def ready_to_start(self) -> list[str]:
        """What still stops the dose from starting (empty: ready), as the service refuses it."""
        facts = self.start_facts()
        return [p.message for p in session_rules.start_problems(facts, self.overrides)]

    @property
    def sign_off_problems(self) -> list[str]:
        """What still stops the sign-off (empty: it may be signed), as the service refuses."""
        problems = session_rules.sign_off_problems(
            self.checks, explained=self.missed.keys(), open_alerts=len(self.open_alerts)
        )
        return [p.message for p in problems]

    @property
    def unexplained_overdue(self) -> list[CheckStatus]:
        """Overdue checks with no reason recorded: the ones a reason may be given for."""
        return [
            c for c in self.checks if c.state == "overdue" and c.check.check_id not in self.missed
        ]

    @property
    def over_delivered(self) -> adm.OverDelivery | None:
        """More given so far than the verified order allows (an infusion left running)."""
        if self.order is None or self.given is None or not self.given.running:
            return None
        return adm.exceeds_order(
            self.given.dose_mg, ordered_mg=self.order.dose_mg, overrides=self.overrides
        )


def session_drug(session: TreatmentSession) -> Drug | None:
    """The drug of the session's course (None: a course or session without one)."""
    route = Route.of_family_code(session.course.route) if session.course else None
    return route.drug if route else None


def session_view(
    *, membership: Membership, session_id: Any, now: dt.datetime | None = None, record: bool = True
) -> SessionView:
    session = get_session(
        membership=membership, session_id=session_id, capability=Capability.VIEW_SESSIONS
    )
    now = now or timezone.now()
    route = session.course.route if session.course else "none"
    plan = None
    if session.kind == SessionKind.DOSING and session.course:
        plan = get_protocol(session.course.protocol_id).monitoring_plan(
            membership.clinic.clinical_overrides
        )
    view = SessionView(session=session, now=now, route=route, plan=plan)
    view.overrides = dict(membership.clinic.clinical_overrides)
    _load_record(view)
    _judge(membership, view)
    if record:
        record_access(
            actor=membership.user,
            clinic_id=membership.clinic_id,
            action=AuditAction.VIEW,
            what=f"session {session.scheduled_start.astimezone(membership.clinic.tzinfo):%Y-%m-%d}",
            patient_ids=[session.patient_id],
            object_type="scheduling.treatmentsession",
        )
    return view


def _load_record(view: SessionView) -> None:
    """What is charted on the session: orders, the MAR, vitals, scales, alerts and notes."""
    session, now = view.session, view.now
    view.orders = list(
        DoseOrder.objects.filter(session=session).select_related("recorded_by", "verification")
    )
    view.order = view.orders[-1] if view.orders else None
    view.verified = bool(view.order and hasattr(view.order, "verification"))
    view.administration = list(
        AdministrationEvent.objects.filter(session=session).select_related("recorded_by")
    )
    concentration = view.order.concentration_mg_per_ml if view.order else None
    view.given = adm.given_so_far(
        administration_records(view.administration),
        concentration_mg_per_ml=concentration,
        now=now,
    )
    view.allergies = list(session.patient.allergies.all())
    view.weight = latest_measurement(session, MeasurementKind.WEIGHT)
    view.vitals = list(
        VitalSignEntry.objects.filter(session=session)
        .select_related("recorded_by")
        .prefetch_related("alerts")
    )


def _judge(membership: Membership, view: SessionView) -> None:
    """What the record means now: the pre-dose check, the checklist, the checks due, discharge
    readiness and what else stops a dose."""
    session, now, route, plan = view.session, view.now, view.route, view.plan
    started = view.given.started_at if view.given else None
    before_dose = [v for v in view.vitals if started is None or v.measured_at <= started]
    view.baseline = before_dose[-1] if before_dose else None
    if view.baseline is not None:
        view.predose = predose_check(
            vital_signs(view.baseline),
            membership.clinic.clinical_overrides,
            reference=usual_blood_pressure(session),
            drug=view.drug,
        )
    view.scales = list(
        ScaleAdministration.objects.filter(session=session).order_by("administered_at")
    )
    view.alerts = list(
        SessionAlert.objects.filter(session=session).select_related("acknowledged_by", "vital")
    )
    view.discharge_charting = (
        DischargeChartingEntry.objects.filter(session=session)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")
        .first()
    )
    view.adverse_events = list(session.adverse_events.select_related("recorded_by"))
    view.notes = list(session.notes.select_related("recorded_by"))
    view.addenda = list(session.addenda.select_related("recorded_by"))
    view.missed = {
        m.check_id: m
        for m in MissedCheck.objects.filter(session=session).select_related("recorded_by")
    }
    if session.kind == SessionKind.DOSING:
        view.checklist = _checklist(session, route, view, now)
        view.todays_doses = _todays_doses(session, membership.clinic.clinical_overrides)
    if plan is not None:
        charted = _charted_checks(view)
        view.checks = due_checks(
            plan,
            dose_started_at=started or session.scheduled_start,
            now=now,
            charted=charted,
            dose_ended_at=view.dose_ended_at,
            overrides=membership.clinic.clinical_overrides,
        )
        if started is not None:
            view.discharge = _discharge(membership, view, plan, started, now)
    view.programme_stops = ports.readiness_problems(session, route)
    if session.kind == SessionKind.DOSING:
        view.prior_doses = prior_doses(session, around=now)
    if view.is_esketamine and session.kind == SessionKind.DOSING and session.course:
        view.first_esketamine_dose = is_first_esketamine_dose(session)
        view.esketamine_start = esketamine.start_dose(
            esketamine_patient_on_day(session), esketamine.clinic_label(view.overrides)
        )


def is_first_esketamine_dose(session: TreatmentSession) -> bool:
    """No esketamine session of the patient has been discharged yet: this dose is day 1."""
    return not TreatmentSession.objects.filter(
        patient=session.patient,
        course__route=RouteFamily.ESKETAMINE_NASAL.value,
        status=SessionStatus.DISCHARGED,
    ).exists()


def esketamine_patient_on_day(session: TreatmentSession) -> esketamine.EsketaminePatient:
    """What the esketamine label rules read about the patient, on the session's day."""
    assert session.course is not None
    on = timezone.localtime(session.scheduled_start, session.clinic.tzinfo).date()
    return esketamine_patient(session.patient, indication=session.course.indication, on=on)


def usual_blood_pressure(session: TreatmentSession) -> VitalSigns | None:
    """The BP the patient's latest intake recorded, the reference a pre-dose fall is measured
    from (None when the intake has none)."""
    intake = (
        Intake.objects.filter(patient_id=session.patient_id)
        .order_by("-recorded_at")
        .only("answers", "recorded_at")
        .first()
    )
    if intake is None:
        return None
    bp = (intake.answers or {}).get("blood_pressure_today")
    if not isinstance(bp, dict):
        return None
    return VitalSigns(
        measured_at=intake.recorded_at,
        systolic_mmhg=bp.get("systolic_mmhg"),
        diastolic_mmhg=bp.get("diastolic_mmhg"),
    )


DOSE_ACTIONS = (adm.Action.START, adm.Action.INJECTION, adm.Action.DEVICE)
_LONGEST_INTERVAL = dt.timedelta(days=28)  # the registry's upper bound on any minimum interval


def prior_doses(
    session: TreatmentSession, *, around: dt.datetime
) -> tuple[session_rules.PriorDose, ...]:
    """The patient's doses charted in their other sessions (any course) near ``around``: the
    first dose entry of each, for the minimum interval across courses."""
    tz = session.clinic.tzinfo
    first: dict[Any, AdministrationEvent] = {}
    events = (
        AdministrationEvent.objects.filter(
            session__patient_id=session.patient_id,
            action__in=DOSE_ACTIONS,
            at__gte=around - _LONGEST_INTERVAL,
            at__lte=around + _LONGEST_INTERVAL,
        )
        .exclude(session_id=session.pk)
        .select_related("order")
        .order_by("at")
    )
    for event in events:
        first.setdefault(event.session_id, event)
    return tuple(
        session_rules.PriorDose(
            started_at=event.at,
            family=Route(event.order.route).family,
            label=f"the {Route(event.order.route).label} dose of "
            f"{event.at.astimezone(tz):%Y-%m-%d %H:%M}",
        )
        for event in first.values()
    )


def _charted_checks(view: SessionView) -> dict[str, dt.datetime]:
    assert view.plan is not None
    known = {c.check_id for c in view.plan.checks}
    charted: dict[str, dt.datetime] = {}
    for entry in view.vitals:
        if entry.check_id in known:
            charted.setdefault(entry.check_id, entry.measured_at)
    for scale in view.scales:
        if scale.check_id in known:
            charted.setdefault(scale.check_id, scale.administered_at)
    return charted


def _latest_answers(session: TreatmentSession) -> dict[str, ChecklistEntry]:
    latest: dict[str, ChecklistEntry] = {}
    for entry in session.checklist.all():
        latest[entry.item] = entry  # the latest answer wins; all stay on record
    return latest


def _amount(entry: ChecklistEntry | None) -> str:
    if entry is None or entry.answer != "yes" or not entry.drug or entry.dose_mg is None:
        return ""
    return f"{entry.drug.replace('_', ' ')} {entry.dose_mg.normalize():f} mg"


def _todays_doses(session: TreatmentSession, overrides: dict[str, Any]) -> dose_day.DayDecision:
    """The core's judgement of today's-dose answers (the latest of each)."""
    latest = _latest_answers(session)
    benzo = latest.get("benzodiazepine_today")
    taken = (
        dose_day.BenzodiazepineTaken(benzo.drug, benzo.dose_mg)
        if benzo is not None and benzo.answer == "yes" and benzo.drug
        else None
    )
    return dose_day.decide(
        {code: e.answer for code, e in latest.items()}, benzodiazepine=taken, overrides=overrides
    )


def _checklist(
    session: TreatmentSession, route: str, view: SessionView, now: dt.datetime
) -> list[ChecklistLine]:
    latest = _latest_answers(session)
    lines = [
        ChecklistLine(
            item.code,
            item.label,
            latest[item.code].answer if item.code in latest else None,
            allows_not_applicable=item.allows_not_applicable,
            detail=_amount(latest.get(item.code)),
            question=item.question,
            asks_amount=item.asks_amount,
        )
        for item in checklist.items_for(route)
    ]
    drug_route = Route.of_family_code(route)
    consent_type = None if drug_route is None else ConsentType(drug_route.consent.value)
    consent = (
        session.patient.consents.filter(consent_type=consent_type, revoked_at__isnull=True)
        .order_by("-signed_at")
        .first()
        if consent_type
        else None
    )
    lines.append(
        ChecklistLine(
            "consent",
            "Treatment consent in force",
            "yes" if consent else "no",
            computed=True,
            detail=f"{consent} signed {consent.signed_at:%Y-%m-%d}" if consent else "none recorded",
        )
    )
    predose = view.predose
    if predose is None:
        vitals_line = ChecklistLine(
            PREDOSE_VITALS_LINE, "Pre-dose vitals within limits", None, True, "not yet charted"
        )
    else:
        status = predose.status.value
        vitals_line = ChecklistLine(
            PREDOSE_VITALS_LINE,
            "Pre-dose vitals within limits",
            "no" if status == "hold" else "yes",
            True,
            "; ".join(f.message for f in predose.findings) or "within limits",
        )
    lines.append(vitals_line)
    # From yesterday's midnight in the clinic's zone: a bound on the column (not a per-row
    # date cast) lets the (patient, administered_at) index serve a long history.
    today = now.astimezone(session.clinic.tzinfo).date()
    since = dt.datetime.combine(today - dt.timedelta(days=1), dt.time.min, session.clinic.tzinfo)
    scale = (
        ScaleAdministration.objects.filter(
            patient=session.patient,
            context__in=(AssessmentContext.PRE_SESSION, AssessmentContext.PORTAL),
            administered_at__gte=since,
        )
        .order_by("-administered_at")
        .first()
    )
    lines.append(
        ChecklistLine(
            "pre_session_scale",
            "Today's pre-session scale (e.g. PHQ-9)",
            "yes" if scale else None,
            True,
            f"{labels.label(scale.instrument_id)} {scale.total}/{scale.maximum}"
            if scale
            else "not recorded",
        )
    )
    return lines


def _discharge(
    membership: Membership,
    view: SessionView,
    plan: MonitoringPlan,
    started: dt.datetime,
    now: dt.datetime,
) -> DischargeAssessment:
    def scored(instrument: str) -> list[ScoredCheck]:
        return [
            ScoredCheck(measured_at=s.administered_at, total=s.total)
            for s in view.scales
            if s.instrument_id == instrument and s.total is not None
        ]

    baseline_cadss = next(
        (
            s.total
            for s in view.scales
            if s.instrument_id == "cadss6" and s.administered_at <= started
        ),
        None,
    )
    escort_arranged = any(line.code == "escort" and line.ok for line in view.checklist)
    facts = DischargeFacts(
        plan=plan,
        dose_started_at=started,
        now=now.astimezone(membership.clinic.tzinfo),  # end of observation told in local time
        baseline=vital_signs(view.baseline) if view.baseline else None,
        vitals=[vital_signs(v) for v in view.vitals if v.measured_at > started],
        moaas=scored("moaas"),
        cadss6=scored("cadss6"),
        dose_ended_at=view.dose_ended_at,
        baseline_cadss6=baseline_cadss,
        open_alert_codes=tuple(c for a in view.open_alerts for c in a.codes),
        escort_arranged=escort_arranged,
        charting=charting_of(view.discharge_charting) if view.discharge_charting else None,
    )
    return evaluate_discharge(facts, membership.clinic.clinical_overrides)


def latest_measurement(session: TreatmentSession, kind: MeasurementKind) -> BodyMeasurement | None:
    """The patient's latest charted weight or height (the dose is ordered on it)."""
    return (
        BodyMeasurement.objects.filter(patient_id=session.patient_id, kind=kind)
        .order_by("-measured_on", "-recorded_at")
        .first()
    )


def latest_order(session: TreatmentSession) -> DoseOrder | None:
    """The session's current dose order (a newer order replaces an older one)."""
    return DoseOrder.objects.filter(session=session).order_by("-recorded_at", "-pk").first()


def session_alert(session: TreatmentSession, alert_id: str) -> SessionAlert | None:
    """One alert of ``session`` by its id as a screen sends it (None: no such alert there)."""
    if not alert_id.isdigit():
        return None
    return SessionAlert.objects.filter(session=session, pk=int(alert_id)).first()
