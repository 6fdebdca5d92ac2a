"""Reading intakes, eligibility records and courses (authorised and audited)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils import timezone

from remission.accounts.access import require
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.assessments.models import ScaleAdministration
from remission.audit.models import AuditAction
from remission.audit.services import record_access
from remission.clinical import esketamine, registry
from remission.clinical.demographics import age_years
from remission.clinical.eligibility import exposure
from remission.clinical.protocols import Phase, get_protocol
from remission.clinical.protocols.definitions import min_interval_key
from remission.clinical.routes import RouteFamily
from remission.patients.models import Patient
from remission.patients.selectors import get_patient
from remission.scheduling.models import SessionKind, SessionStatus
from remission.treatment.models import CoursePhase, Intake, TreatmentCourse

# A re-evaluation is listed this many days ahead of its date, and until a new date is set.
REEVALUATION_NOTICE_DAYS = 7


def _uuid(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Http404("Not found.") from None


def _read(membership: Membership, patient: Patient, what: str) -> None:
    record_access(
        actor=membership.user,
        clinic_id=membership.clinic_id,
        action=AuditAction.VIEW,
        what=what,
        patient_ids=[patient.pk],
    )


@dataclass
class TreatmentOverview:
    patient: Patient
    intakes: list[Intake] = field(default_factory=list)
    courses: list[TreatmentCourse] = field(default_factory=list)
    scales: list[ScaleAdministration] = field(default_factory=list)


def treatment_overview(*, membership: Membership, patient_id: Any) -> TreatmentOverview:
    patient = get_patient(
        membership=membership, patient_id=patient_id, capability=Capability.VIEW_CLINICAL
    )
    overview = TreatmentOverview(
        patient=patient,
        intakes=list(
            Intake.objects.filter(patient=patient).select_related("recorded_by", "signature")
        ),
        courses=list(TreatmentCourse.objects.filter(patient=patient).prefetch_related("sessions")),
        scales=list(ScaleAdministration.objects.filter(patient=patient)[:50]),
    )
    _read(membership, patient, "treatment overview")
    return overview


def get_intake(*, membership: Membership, intake_id: Any) -> Intake:
    intake = (
        Intake.objects.filter(clinic_id=membership.clinic_id, pk=_uuid(intake_id))
        .select_related("patient", "recorded_by")
        .first()
    )
    if intake is None:
        raise Http404("No such intake.")
    require(membership, Capability.VIEW_CLINICAL)
    _read(membership, intake.patient, f"intake of {intake.recorded_at:%Y-%m-%d}")
    return intake


def get_course(
    *, membership: Membership, course_id: Any, capability: Capability = Capability.VIEW_CLINICAL
) -> TreatmentCourse:
    """One course of the member's clinic, for a member with ``capability`` (audited read)."""
    course = (
        TreatmentCourse.objects.filter(clinic_id=membership.clinic_id, pk=_uuid(course_id))
        .select_related("patient")
        .first()
    )
    if course is None:
        raise Http404("No such course.")
    require(membership, capability)
    _read(membership, course.patient, f"course {course.protocol_id}")
    return course


def _reevaluations(membership: Membership, today: dt.date) -> Any:
    return TreatmentCourse.objects.filter(
        clinic_id=membership.clinic_id,
        reevaluation_due__lte=today + dt.timedelta(days=REEVALUATION_NOTICE_DAYS),
    ).exclude(phase=CoursePhase.DISCONTINUED)


def reevaluations_due_count(*, membership: Membership, today: dt.date) -> int | None:
    """For the dashboard: a count, no patient identified (so not an audited read)."""
    if not membership.can(Capability.VIEW_CLINICAL):
        return None
    return int(_reevaluations(membership, today).count())


def reevaluations_due(*, membership: Membership, today: dt.date) -> list[TreatmentCourse]:
    """Courses not discontinued whose re-evaluation is overdue or due within the notice."""
    require(membership, Capability.VIEW_CLINICAL)
    courses = list(
        _reevaluations(membership, today)
        .select_related("patient")
        .order_by("reevaluation_due", "patient__legal_last_name")
    )
    record_access(
        actor=membership.user,
        clinic_id=membership.clinic_id,
        action=AuditAction.LIST,
        what="re-evaluations due",
        patient_ids=[c.patient_id for c in courses],
    )
    return courses


INTAKES_SHOWN = 25  # rows the prescriber's home lists; the count says how many in all


@dataclass(frozen=True, slots=True)
class IntakesToSign:
    intakes: list[Intake]
    total: int


def intakes_to_sign(*, membership: Membership) -> IntakesToSign:
    """Intakes with no signed eligibility decision yet, oldest first (a list read)."""
    require(membership, Capability.SIGN_ELIGIBILITY)
    unsigned = (
        Intake.objects.filter(clinic_id=membership.clinic_id, signature__isnull=True)
        .select_related("patient")
        .order_by("recorded_at")
    )
    total = unsigned.count()
    intakes = list(unsigned[:INTAKES_SHOWN])
    if intakes:
        record_access(
            actor=membership.user,
            clinic_id=membership.clinic_id,
            action=AuditAction.LIST,
            what="intakes to sign",
            patient_ids=[i.patient_id for i in intakes],
        )
    return IntakesToSign(intakes=intakes, total=total)


# --- esketamine label rules -------------------------------------------------------------------

# A trial whose outcome ended it is not a medicine the patient takes now.
_TRIAL_ENDED = {"intolerance"}


def oral_antidepressant_recorded(patient: Patient, *, on: dt.date) -> bool | None:
    """Whether the chart records the patient on an oral antidepressant on ``on`` (``None``:
    not recorded). The one place the esketamine rules read this fact.

    The medication list of the patient's latest intake decides (``True`` or ``False``). An
    intake on the older form holds no list, so then the antidepressant *trials* are read: a
    trial in the current episode, not ended by intolerance, whose recorded start and weeks
    reach ``on`` is read as taken now (``True``); nothing there says "takes none" (``None``).
    """
    latest = Intake.objects.filter(patient=patient).order_by("-recorded_at").first()
    listed = None if latest is None else exposure.oral_antidepressant_listed(latest.answers)
    if listed is not None:
        return listed
    for trial in patient.antidepressant_trials.all():
        if not trial.current_episode or trial.augmentation or trial.outcome in _TRIAL_ENDED:
            continue
        if trial.start_date is None:
            continue
        if trial.start_date <= on <= trial.start_date + dt.timedelta(weeks=trial.duration_weeks):
            return True
    return None


def esketamine_patient(
    patient: Patient, *, indication: str, on: dt.date
) -> esketamine.EsketaminePatient:
    """What the esketamine label rules read about ``patient`` on ``on``, for ``indication``."""
    return esketamine.EsketaminePatient(
        indication=esketamine.Indication(indication or esketamine.Indication.TRD),
        age_years=age_years(patient.date_of_birth, on),
        japanese_ancestry=patient.japanese_ancestry,
    )


def course_label_notices(
    *,
    patient: Patient,
    protocol_id: str,
    indication: str,
    fixed_dose_mg: int | None,
    start_date: dt.date,
    overrides: registry.Overrides,
) -> tuple[esketamine.StartDose, tuple[esketamine.LabelNotice, ...]]:
    """The label's day-1 dose for an esketamine course and what its plan needs reviewed."""
    who = esketamine_patient(patient, indication=indication, on=start_date)
    label = esketamine.clinic_label(overrides)
    notices = esketamine.course_review_notices(
        patient=who,
        label=label,
        on_oral_antidepressant=oral_antidepressant_recorded(patient, on=start_date),
        induction=get_protocol(protocol_id).phase is Phase.INDUCTION,
        planned_dose_mg=fixed_dose_mg,
    )
    return esketamine.start_dose(who, label), notices


@dataclass(frozen=True)
class IndicationPlan:
    indication: esketamine.Indication
    start: esketamine.StartDose
    needs_oral_antidepressant: bool


@dataclass(frozen=True)
class EsketaminePlanning:
    """The course form's summary of the esketamine label for the patient, per indication."""

    label: esketamine.Label
    on_oral_antidepressant: bool | None
    japanese_ancestry: bool | None
    indications: tuple[IndicationPlan, ...]


def esketamine_planning(
    patient: Patient, *, on: dt.date, overrides: registry.Overrides
) -> EsketaminePlanning:
    """What the clinic's label gives this patient for each indication (the caller has
    authorised the read of the patient)."""
    label = esketamine.clinic_label(overrides)
    plans = tuple(
        IndicationPlan(
            indication=indication,
            start=esketamine.start_dose(
                esketamine_patient(patient, indication=indication, on=on), label
            ),
            needs_oral_antidepressant=esketamine.needs_oral_antidepressant(indication, label)
            is not None,
        )
        for indication in esketamine.Indication
    )
    return EsketaminePlanning(
        label=label,
        on_oral_antidepressant=oral_antidepressant_recorded(patient, on=on),
        japanese_ancestry=patient.japanese_ancestry,
        indications=plans,
    )


# Sessions whose dose has started: the dose is charted (``chairside`` moves the row on).
DOSED_STATUSES = (
    SessionStatus.DOSING,
    SessionStatus.OBSERVING,
    SessionStatus.READY,
    SessionStatus.DISCHARGED,
)
_INDUCTION_PHASES = (CoursePhase.INDUCTION, CoursePhase.PAUSED)


def _tracks_induction(course: TreatmentCourse) -> bool:
    return (
        course.route == RouteFamily.ESKETAMINE_NASAL.value
        and course.phase in _INDUCTION_PHASES
        and get_protocol(course.protocol_id).phase is Phase.INDUCTION
    )


def induction_progress(
    course: TreatmentCourse, *, today: dt.date
) -> esketamine.InductionProgress | None:
    """An esketamine induction's 8 doses against week 4 (``None``: not an esketamine course in
    induction). Dose days are the clinic dates its dosing sessions were checked in (or booked)."""
    if not _tracks_induction(course):
        return None
    tz = course.clinic.tzinfo
    dose_dates = [
        timezone.localtime(s.checked_in_at or s.scheduled_start, tz).date()
        for s in course.sessions.all()
        if s.kind == SessionKind.DOSING and s.status in DOSED_STATUSES
    ]
    interval = registry.resolve_decimal(
        min_interval_key(RouteFamily.ESKETAMINE_NASAL), course.clinic.clinical_overrides
    )
    return esketamine.induction_progress(
        course_start=course.start_date,
        dose_dates=[d for d in dose_dates if d <= today],
        today=today,
        min_interval_hours=int(interval),
    )


@dataclass(frozen=True)
class EsketamineCourseView:
    """What the course page shows of the esketamine label rules."""

    indication: esketamine.Indication
    label: esketamine.Label
    start: esketamine.StartDose
    notices: tuple[esketamine.LabelNotice, ...]
    induction: esketamine.InductionProgress | None


def esketamine_course_view(
    course: TreatmentCourse, *, today: dt.date
) -> EsketamineCourseView | None:
    """The label rules of an esketamine course (``None`` for other routes); the caller has
    authorised and audited the read of the course."""
    if course.route != RouteFamily.ESKETAMINE_NASAL.value:
        return None
    overrides = course.clinic.clinical_overrides
    start, notices = course_label_notices(
        patient=course.patient,
        protocol_id=course.protocol_id,
        indication=course.indication,
        fixed_dose_mg=course.fixed_dose_mg,
        start_date=course.start_date,
        overrides=overrides,
    )
    return EsketamineCourseView(
        indication=esketamine.Indication(course.indication or esketamine.Indication.TRD),
        label=esketamine.clinic_label(overrides),
        start=start,
        notices=notices,
        induction=induction_progress(course, today=today),
    )


@dataclass(frozen=True)
class CourseRow:
    course: TreatmentCourse
    induction: esketamine.InductionProgress | None


def active_courses(
    *, membership: Membership, today: dt.date, induction_flagged_only: bool = False
) -> list[CourseRow]:
    """The clinic's courses not discontinued, for the prescriber's list; with
    ``induction_flagged_only``, only esketamine inductions that cannot finish by week 4 (or
    ran past it)."""
    require(membership, Capability.VIEW_CLINICAL)
    courses = (
        TreatmentCourse.objects.filter(clinic_id=membership.clinic_id)
        .exclude(phase=CoursePhase.DISCONTINUED)
        .select_related("patient", "clinic")
        .prefetch_related("sessions")
        .order_by("patient__legal_last_name", "patient__legal_first_name", "start_date")
    )
    rows = [CourseRow(c, induction_progress(c, today=today)) for c in courses]
    if induction_flagged_only:
        rows = [r for r in rows if r.induction is not None and r.induction.flagged]
    record_access(
        actor=membership.user,
        clinic_id=membership.clinic_id,
        action=AuditAction.LIST,
        what="active courses" + (" (induction past week 4)" if induction_flagged_only else ""),
        patient_ids=[r.course.patient_id for r in rows],
    )
    return rows
