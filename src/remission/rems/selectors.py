"""Reading REMS data: the hard stops before dosing, the submission dashboard and the
monitoring form of a session. Functions that return patient data authorise the member and
record the access."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from remission.accounts.access import require
from remission.accounts.models import Membership, User
from remission.accounts.roles import Capability, Role
from remission.audit.models import AuditAction
from remission.audit.services import record_access
from remission.chairside.models import AdministrationAction, AdministrationEvent
from remission.clinics.models import Clinic
from remission.patients.models import Patient
from remission.rems.forms_data import (
    ESKETAMINE_ROUTE,
    FORM_DUE_DAYS,
    MonitoringFormData,
    is_rems_session,
    monitoring_form_for,
)
from remission.rems.models import MonitoringFormSubmission, RemsEnrollment
from remission.scheduling.models import SessionKind, SessionStatus, TreatmentSession

RECENT_SUBMISSIONS_DAYS = 30
# Roles whose members can be named as the monitoring healthcare provider on the form.
MONITORING_ROLES = (Role.MEDICAL_DIRECTOR, Role.PRESCRIBER, Role.NURSE)


# --- hard stops -----------------------------------------------------------------------------


def rems_readiness(*, patient: Patient, clinic: Clinic, today: dt.date | None = None) -> list[str]:
    """What stops an esketamine dose under the REMS (empty: nothing).

    Called by the chair-side screen before the first device and by scheduling. It reveals no
    more than the caller already shows, so it neither authorises nor audits.
    """
    today = today or timezone.localdate(timezone=clinic.tzinfo)
    problems: list[str] = []
    if not clinic.rems_certification_number.strip():
        problems.append(
            "This clinic has no SPRAVATO REMS setting certification number on record "
            "(clinic settings); esketamine cannot be given until it is certified."
        )
    enrolled = RemsEnrollment.objects.filter(
        patient=patient, clinic=clinic, enrolled_on__lte=today
    ).exists()
    if not enrolled:
        problems.append(
            "The patient is not enrolled in the SPRAVATO REMS; record the enrollment "
            "before the first esketamine treatment."
        )
    return problems


# --- sessions that need a monitoring form ---------------------------------------------------


def _can_read(membership: Membership) -> None:
    """Reading REMS data about a patient: either charting access or REMS duties."""
    if not (membership.can(Capability.VIEW_SESSIONS) or membership.can(Capability.MANAGE_REMS)):
        require(membership, Capability.MANAGE_REMS)


def rems_sessions(clinic_id: uuid.UUID) -> QuerySet[TreatmentSession]:
    """Esketamine dosing sessions of the clinic in which a dose was given (each needs a form),
    annotated with ``first_device_at``."""
    first_device = (
        AdministrationEvent.objects.filter(
            session=OuterRef("pk"), action=AdministrationAction.DEVICE
        )
        .order_by("at")
        .values("at")[:1]
    )
    return (
        TreatmentSession.objects.filter(
            clinic_id=clinic_id, course__route=ESKETAMINE_ROUTE, kind=SessionKind.DOSING
        )
        .annotate(first_device_at=Subquery(first_device))
        .filter(Q(status=SessionStatus.DISCHARGED) | Q(first_device_at__isnull=False))
        .select_related("patient", "course", "rems_submission", "rems_submission__submitted_by")
    )


def treatment_date(session: TreatmentSession, tz: dt.tzinfo) -> dt.date:
    """The session's date in the clinic: the first device, else the booking."""
    at = getattr(session, "first_device_at", None) or session.scheduled_start
    return at.astimezone(tz).date()


@dataclass
class FormStatus:
    session: TreatmentSession
    treatment_date: dt.date
    due_on: dt.date
    days_left: int
    submission: MonitoringFormSubmission | None
    late: bool = False  # sent after the due date

    @property
    def patient(self) -> Patient:
        return self.session.patient

    @property
    def overdue(self) -> bool:
        return self.submission is None and self.days_left < 0


def _status(session: TreatmentSession, tz: dt.tzinfo, today: dt.date) -> FormStatus:
    day = treatment_date(session, tz)
    due = day + dt.timedelta(days=FORM_DUE_DAYS)
    submission = getattr(session, "rems_submission", None)
    return FormStatus(
        session=session,
        treatment_date=day,
        due_on=due,
        days_left=(due - today).days,
        submission=submission,
        late=submission is not None and submission.submitted_at.astimezone(tz).date() > due,
    )


def _open_forms(membership: Membership, today: dt.date) -> list[FormStatus]:
    tz = membership.clinic.tzinfo
    sessions = rems_sessions(membership.clinic_id).filter(rems_submission__isnull=True)
    rows = [_status(s, tz, today) for s in sessions]
    return sorted(rows, key=lambda r: (r.due_on, r.session.scheduled_start))


def forms_due_count(*, membership: Membership, today: dt.date) -> int:
    """How many monitoring forms are still to send (due or overdue); no patient data."""
    require(membership, Capability.MANAGE_REMS)
    return len(_open_forms(membership, today))


@dataclass
class EnrollmentStatus:
    patient: Patient
    enrollments: list[RemsEnrollment]
    has_esketamine_course: bool

    @property
    def current(self) -> RemsEnrollment | None:
        return self.enrollments[0] if self.enrollments else None


DASHBOARD_PAGE_SIZE = 20  # rows per list on the dashboard; each list pages on its own
DASHBOARD_LISTS = ("overdue", "due", "submitted", "enrollments")


@dataclass
class RemsDashboard:
    today: dt.date
    clinic: Clinic
    due: list[FormStatus] = field(default_factory=list)
    overdue: list[FormStatus] = field(default_factory=list)
    submitted: list[FormStatus] = field(default_factory=list)
    enrollments: list[EnrollmentStatus] = field(default_factory=list)
    pages: dict[str, Page[Any]] = field(default_factory=dict)  # the page shown of each list

    @property
    def certified(self) -> bool:
        return bool(self.clinic.rems_certification_number.strip())

    @property
    def unenrolled(self) -> list[EnrollmentStatus]:
        return [e for e in self.enrollments if e.current is None]


def rems_dashboard(
    *, membership: Membership, today: dt.date, page_numbers: Mapping[str, Any] | None = None
) -> RemsDashboard:
    """Forms due within 7 days, overdue, recently submitted; and who is enrolled. Each list is
    counted in full and shown a page at a time (``page_numbers`` by list name); the read is
    recorded for the patients on the pages shown."""
    require(membership, Capability.MANAGE_REMS)
    tz = membership.clinic.tzinfo
    board = RemsDashboard(today=today, clinic=membership.clinic)
    for row in _open_forms(membership, today):
        (board.overdue if row.overdue else board.due).append(row)
    since = dt.datetime.combine(
        today - dt.timedelta(days=RECENT_SUBMISSIONS_DAYS), dt.time.min, tzinfo=tz
    )
    submitted = rems_sessions(membership.clinic_id).filter(rems_submission__submitted_at__gte=since)
    board.submitted = sorted(
        (_status(s, tz, today) for s in submitted),
        key=lambda r: r.submission.submitted_at if r.submission else r.session.scheduled_start,
        reverse=True,
    )
    board.enrollments = _enrollment_statuses(membership)
    numbers = page_numbers or {}
    for name in DASHBOARD_LISTS:
        rows = getattr(board, name)
        board.pages[name] = Paginator(rows, DASHBOARD_PAGE_SIZE).get_page(numbers.get(name, 1))
    shown = [
        row.session.patient_id if isinstance(row, FormStatus) else row.patient.pk
        for page in board.pages.values()
        for row in page.object_list
    ]
    record_access(
        actor=membership.user,
        clinic_id=membership.clinic_id,
        action=AuditAction.LIST,
        what="REMS dashboard",
        patient_ids=shown,
    )
    return board


def _enrollment_statuses(membership: Membership) -> list[EnrollmentStatus]:
    patients = (
        Patient.objects.filter(clinic_id=membership.clinic_id)
        .filter(Q(courses__route=ESKETAMINE_ROUTE) | Q(rems_enrollments__isnull=False))
        .distinct()
        .prefetch_related(
            Prefetch(
                "rems_enrollments",
                queryset=RemsEnrollment.objects.filter(clinic_id=membership.clinic_id)
                .select_related("enrolled_by")
                .order_by("-enrolled_on", "-recorded_at"),
                to_attr="rems_history",
            )
        )
    )
    with_course = set(
        Patient.objects.filter(
            clinic_id=membership.clinic_id, courses__route=ESKETAMINE_ROUTE
        ).values_list("pk", flat=True)
    )
    rows = [
        EnrollmentStatus(
            patient=p,
            enrollments=list(getattr(p, "rems_history", [])),
            has_esketamine_course=p.pk in with_course,
        )
        for p in patients
    ]
    # the patients still to enroll first, then by name
    return sorted(
        rows,
        key=lambda r: (r.current is not None, r.patient.legal_last_name.lower(), str(r.patient)),
    )


# --- one session's form ---------------------------------------------------------------------


def rems_session(
    *, membership: Membership, session_id: Any, capability: Capability | None = None
) -> TreatmentSession:
    """An esketamine session of the member's clinic that needs a form (404 otherwise); readable
    with charting access or REMS duties, or only with ``capability`` when one is named."""
    try:
        pk = session_id if isinstance(session_id, uuid.UUID) else uuid.UUID(str(session_id))
    except ValueError:
        raise Http404("No such session.") from None
    session = (
        rems_sessions(membership.clinic_id)
        .select_related("clinic", "signed_off_by")
        .filter(pk=pk)
        .first()
    )
    if session is None or not is_rems_session(session):
        raise Http404("No such session.")
    if capability is None:
        _can_read(membership)
    else:
        require(membership, capability)
    return session


def _monitoring_staff(clinic_id: uuid.UUID) -> list[Membership]:
    return list(
        Membership.objects.filter(clinic_id=clinic_id, is_active=True, role__in=MONITORING_ROLES)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


def monitoring_hcps(*, membership: Membership) -> list[Membership]:
    """The clinic's clinical staff who may be named as the monitoring provider."""
    _can_read(membership)
    return _monitoring_staff(membership.clinic_id)


def enrollment_staff(*, membership: Membership) -> list[Membership]:
    """The staff an enrollment may name; the enrollment form's gate (REMS duties)."""
    require(membership, Capability.MANAGE_REMS)
    return _monitoring_staff(membership.clinic_id)


def _hcp(membership: Membership, hcp_user_id: Any) -> User | None:
    if hcp_user_id in (None, ""):
        return None
    try:
        pk = uuid.UUID(str(hcp_user_id))
    except ValueError:
        raise Http404("No such staff member.") from None
    chosen = next((m.user for m in monitoring_hcps(membership=membership) if m.user_id == pk), None)
    if chosen is None:
        raise Http404("No such staff member.")
    return chosen


def monitoring_form(
    *,
    membership: Membership,
    session_id: Any,
    hcp_user_id: Any = None,
    action: AuditAction = AuditAction.VIEW,
    capability: Capability | None = None,
) -> tuple[TreatmentSession, MonitoringFormData]:
    """The session's monitoring form as the chart fills it (audited; ``AuditAction.PDF`` for
    a download)."""
    session = rems_session(membership=membership, session_id=session_id, capability=capability)
    data = monitoring_form_for(session, hcp=_hcp(membership, hcp_user_id))
    record_access(
        actor=membership.user,
        clinic_id=membership.clinic_id,
        action=action,
        what=f"REMS monitoring form, session {data.treatment_date:%Y-%m-%d}",
        patient_ids=[session.patient_id],
        object_type="scheduling.treatmentsession",
    )
    return session, data


def form_status(*, membership: Membership, session: TreatmentSession, today: dt.date) -> FormStatus:
    """Due date and submission of a session already loaded by ``rems_session``."""
    _can_read(membership)
    return _status(session, membership.clinic.tzinfo, today)


# --- enrollment -----------------------------------------------------------------------------


def patient_for_enrollment(
    *, membership: Membership, patient_id: Any = None, mrn: str = ""
) -> Patient:
    """The clinic patient to enroll, by id or MRN (404 when not in this clinic)."""
    require(membership, Capability.MANAGE_REMS)
    patients = Patient.objects.filter(clinic_id=membership.clinic_id)
    patient = None
    if patient_id:
        try:
            patient = patients.filter(pk=uuid.UUID(str(patient_id))).first()
        except ValueError:
            patient = None
    elif mrn.strip():
        patient = patients.filter(mrn__iexact=mrn.strip()).first()
    if patient is None:
        raise Http404("No such patient.")
    record_access(
        actor=membership.user,
        clinic_id=membership.clinic_id,
        action=AuditAction.VIEW,
        what="REMS enrollment form",
        patient_ids=[patient.pk],
    )
    return patient


def patient_enrollments(*, membership: Membership, patient: Patient) -> list[RemsEnrollment]:
    """A patient's enrollment history (newest first); shown on the enrollment form whose
    access ``patient_for_enrollment`` already recorded."""
    _can_read(membership)
    if patient.clinic_id != membership.clinic_id:
        raise Http404("No such patient.")
    return list(
        RemsEnrollment.objects.filter(patient=patient, clinic_id=membership.clinic_id)
        .select_related("enrolled_by", "recorded_by")
        .order_by("-enrolled_on", "-recorded_at")
    )
