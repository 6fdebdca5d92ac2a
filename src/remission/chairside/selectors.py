"""Reading sessions: the chair-side view (audited), the calendar and the day board."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from remission.accounts.access import require
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.assessments.models import AssessmentContext, ScaleAdministration
from remission.audit.models import AuditAction
from remission.audit.services import record_access
from remission.chairside import checklist
from remission.chairside.models import (
    ACTIVE_STATUSES,
    AdministrationEvent,
    DoseOrder,
    SessionAlert,
    SessionKind,
    SessionStatus,
    TreatmentSession,
    VitalSignEntry,
)
from remission.clinical import administration as adm
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
from remission.clinical.protocols import MonitoringPlan, get_protocol, staffing_gaps
from remission.clinical.protocols.staffing import minute_of
from remission.clinical.routes import Route
from remission.patients.models import ConsentType
from remission.rems.services import rems_readiness
from remission.treatment.models import Chair, StaffShift


def _session_queryset(membership: Membership) -> QuerySet[TreatmentSession]:
    return TreatmentSession.objects.filter(clinic_id=membership.clinic_id).select_related(
        "patient", "course", "chair", "signed_off_by"
    )


def get_session(
    *, membership: Membership, session_id: Any, capability: Capability
) -> TreatmentSession:
    try:
        pk = session_id if isinstance(session_id, uuid.UUID) else uuid.UUID(str(session_id))
    except ValueError:
        raise Http404("No such session.") from None
    session = _session_queryset(membership).filter(pk=pk).first()
    if session is None:
        raise Http404("No such session.")
    require(membership, capability)
    session.clinic = membership.clinic  # the same row (filtered by it), already loaded
    return session


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

    @property
    def ok(self) -> bool:
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
    adverse_events: list[Any] = field(default_factory=list)
    notes: list[Any] = field(default_factory=list)
    addenda: list[Any] = field(default_factory=list)
    rems_problems: list[str] = field(default_factory=list)

    @property
    def dose_started_at(self) -> dt.datetime | None:
        return self.given.started_at if self.given else None

    @property
    def dose_ended_at(self) -> dt.datetime | None:
        if self.given is None or self.given.running:
            return None
        return self.given.ended_at

    @property
    def allowed_actions(self) -> list[tuple[str, str]]:
        """The administration actions that may follow the record, for this route."""
        records = administration_records(self.administration)
        allowed = adm.allowed_next(records)
        by_route = {
            "iv": {
                adm.Action.START,
                adm.Action.PAUSE,
                adm.Action.RESUME,
                adm.Action.RATE_CHANGE,
                adm.Action.STOP,
            },
            "im": {adm.Action.INJECTION},
            "esketamine_nasal": {adm.Action.DEVICE},
        }.get(self.route, set())
        return [
            (a.value, label)
            for a, label in _ACTION_LABELS.items()
            if a in allowed and a in by_route
        ]

    @property
    def in_session_scales(self) -> list[ScaleAdministration]:
        return [s for s in self.scales if s.instrument_id in ("moaas", "cadss6")]

    @property
    def open_alerts(self) -> list[SessionAlert]:
        return [a for a in self.alerts if a.acknowledged_at is None]

    @property
    def checklist_complete(self) -> bool:
        return all(line.ok for line in self.checklist)

    @property
    def ready_to_start(self) -> list[str]:
        """What still stops the dose from starting (empty: ready)."""
        problems = [f"Checklist: {line.label}" for line in self.checklist if not line.ok]
        if self.order is None:
            problems.append("No dose order")
        elif not self.verified:
            problems.append("The dose order is not yet verified by a second person")
        problems += self.rems_problems
        return problems


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
    view.vitals = list(
        VitalSignEntry.objects.filter(session=session)
        .select_related("recorded_by")
        .prefetch_related("alerts")
    )
    started = view.given.started_at
    before_dose = [v for v in view.vitals if started is None or v.measured_at <= started]
    view.baseline = before_dose[-1] if before_dose else None
    if view.baseline is not None:
        view.predose = predose_check(
            vital_signs(view.baseline), membership.clinic.clinical_overrides
        )
    view.scales = list(
        ScaleAdministration.objects.filter(session=session).order_by("administered_at")
    )
    view.alerts = list(
        SessionAlert.objects.filter(session=session).select_related("acknowledged_by")
    )
    view.adverse_events = list(session.adverse_events.select_related("recorded_by"))
    view.notes = list(session.notes.select_related("recorded_by"))
    view.addenda = list(session.addenda.select_related("recorded_by"))
    if session.kind == SessionKind.DOSING:
        view.checklist = _checklist(session, route, view, now)
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
    if route == "esketamine_nasal":
        view.rems_problems = _rems_problems(session)
    if record:
        record_access(
            actor=membership.user,
            clinic_id=membership.clinic_id,
            action=AuditAction.VIEW,
            what=f"session {session.scheduled_start.astimezone(membership.clinic.tzinfo):%Y-%m-%d}",
            patient_ids=[session.patient_id],
            object_type="chairside.treatmentsession",
        )
    return view


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


def _checklist(
    session: TreatmentSession, route: str, view: SessionView, now: dt.datetime
) -> list[ChecklistLine]:
    answers: dict[str, str] = {}
    for entry in session.checklist.all():
        answers[entry.item] = entry.answer  # the latest answer wins; all stay on record
    lines = [
        ChecklistLine(
            item.code,
            item.label,
            answers.get(item.code),
            allows_not_applicable=item.allows_not_applicable,
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
            "predose_vitals", "Pre-dose vitals within limits", None, True, "not yet charted"
        )
    else:
        status = predose.status.value
        vitals_line = ChecklistLine(
            "predose_vitals",
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
            f"{scale.instrument_id} {scale.total}/{scale.maximum}" if scale else "not recorded",
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
    escort = any(line.code == "escort" and line.ok for line in view.checklist)
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
        open_alert_codes=tuple(a.code for a in view.open_alerts),
        escort_confirmed=escort,
    )
    return evaluate_discharge(facts, membership.clinic.clinical_overrides)


def _rems_problems(session: TreatmentSession) -> list[str]:
    return rems_readiness(patient=session.patient, clinic=session.clinic)


# --- calendar and day board -----------------------------------------------------------------


@dataclass
class BoardRow:
    session: TreatmentSession
    open_alerts: int


@dataclass
class DayBoard:
    day: dt.date
    chairs: list[tuple[Chair | None, list[BoardRow]]]
    counts: dict[str, int]


def day_board(*, membership: Membership, day: dt.date) -> DayBoard:
    """Today's sessions by chair with status and outstanding alerts (no clinical notes)."""
    require(membership, Capability.VIEW_SCHEDULE)
    tz = membership.clinic.tzinfo
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    sessions = list(
        _session_queryset(membership)
        .filter(scheduled_start__gte=start, scheduled_start__lt=start + dt.timedelta(days=1))
        .prefetch_related(
            Prefetch(
                "alerts",
                queryset=SessionAlert.objects.filter(acknowledged_at__isnull=True),
                to_attr="unacknowledged",
            )
        )
    )
    chairs: list[tuple[Chair | None, list[BoardRow]]] = []
    for chair in Chair.objects.filter(clinic_id=membership.clinic_id, is_active=True):
        rows = [BoardRow(s, len(s.unacknowledged)) for s in sessions if s.chair_id == chair.pk]
        chairs.append((chair, rows))
    unassigned = [BoardRow(s, len(s.unacknowledged)) for s in sessions if s.chair_id is None]
    if unassigned:
        chairs.append((None, unassigned))
    counts = {status.value: 0 for status in SessionStatus}
    for s in sessions:
        counts[s.status] += 1
    if sessions:
        record_access(
            actor=membership.user,
            clinic_id=membership.clinic_id,
            action=AuditAction.LIST,
            what=f"day board {day}",
            patient_ids=[s.patient_id for s in sessions],
        )
    return DayBoard(day=day, chairs=chairs, counts=counts)


@dataclass
class CalendarDay:
    day: dt.date
    sessions: list[TreatmentSession]
    used_chair_min: int
    capacity_chair_min: int
    conflicts: list[str]
    shifts: list[StaffShift] = field(default_factory=list)

    @property
    def staff_on_shift(self) -> int:
        """How many different members are on shift that day."""
        return len({s.member_id for s in self.shifts})


def calendar_week(*, membership: Membership, start: dt.date) -> list[CalendarDay]:
    """Seven days of bookings with chair capacity used and conflicts: a day closed, a chair
    double-booked, or (once the clinic records shifts, up to the end of its roster) more
    dosing sessions than the staff on shift can monitor."""
    require(membership, Capability.VIEW_SCHEDULE)
    from remission.treatment.services import clinic_calendar, sessions_per_nurse

    calendar = clinic_calendar(membership)
    tz = membership.clinic.tzinfo
    begin = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    sessions = list(
        _session_queryset(membership)
        .filter(scheduled_start__gte=begin, scheduled_start__lt=begin + dt.timedelta(days=7))
        .exclude(status__in=(SessionStatus.CANCELLED, SessionStatus.NO_SHOW))
    )
    shifts = list(
        StaffShift.objects.filter(
            clinic_id=membership.clinic_id, on__gte=start, on__lt=start + dt.timedelta(days=7)
        ).select_related("member__user")
    )
    rostered_until = StaffShift.objects.filter(clinic_id=membership.clinic_id).aggregate(
        last=Max("on")
    )["last"]
    per_nurse = sessions_per_nurse(membership)
    days = []
    for offset in range(7):
        day = start + dt.timedelta(days=offset)
        todays = [s for s in sessions if s.scheduled_start.astimezone(tz).date() == day]
        on_shift = [s for s in shifts if s.on == day]
        open_ = calendar.is_open_weekday(day) and day not in calendar.holidays
        hours = calendar.hours_on(day) if calendar.is_open_weekday(day) else None
        minutes_open = 0
        if open_ and hours is not None:
            minutes_open = minute_of(hours.closes) - minute_of(hours.opens)
        conflicts = _conflicts(todays, open_)
        if rostered_until is not None and day <= rostered_until:
            conflicts += _staffing_conflicts(todays, on_shift, per_nurse, tz)
        used = sum(s.duration_min for s in todays if s.chair_id)
        days.append(
            CalendarDay(
                day=day,
                sessions=todays,
                used_chair_min=used,
                capacity_chair_min=minutes_open * calendar.chairs,
                conflicts=conflicts,
                shifts=on_shift,
            )
        )
    if sessions:
        record_access(
            actor=membership.user,
            clinic_id=membership.clinic_id,
            action=AuditAction.LIST,
            what=f"calendar week of {start}",
            patient_ids=[s.patient_id for s in sessions],
        )
    return days


def _conflicts(sessions: list[TreatmentSession], open_: bool) -> list[str]:
    problems = []
    if sessions and not open_:
        problems.append("sessions booked on a closed day")
    by_chair: dict[int, list[TreatmentSession]] = {}
    for s in sessions:
        if s.chair_id:
            by_chair.setdefault(s.chair_id, []).append(s)
    for chair_sessions in by_chair.values():
        chair_sessions.sort(key=lambda s: s.scheduled_start)
        for a, b in itertools.pairwise(chair_sessions):
            if a.scheduled_start + dt.timedelta(minutes=a.duration_min) > b.scheduled_start:
                at = b.scheduled_start.astimezone(a.clinic.tzinfo)
                problems.append(f"{a.chair} double-booked at {at:%H:%M}")
    return problems


def _staffing_conflicts(
    sessions: list[TreatmentSession], shifts: list[StaffShift], per_nurse: int, tz: dt.tzinfo
) -> list[str]:
    """The clinical core's staffing rule over one day's booked dosing sessions."""
    spans = [s.wall_clock(tz) for s in sessions if s.kind == SessionKind.DOSING]
    dosing = [(starts, ends) for _, starts, ends in spans]
    on_shift = [s.on_calendar() for s in shifts]
    return [gap.describe() for gap in staffing_gaps(dosing, on_shift, per_nurse)]


def active_session_count(membership: Membership) -> int:
    return TreatmentSession.objects.filter(
        clinic_id=membership.clinic_id, status__in=ACTIVE_STATUSES
    ).count()
