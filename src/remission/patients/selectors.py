"""Reading patient data. Every function authorises the member and records the access."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from remission.accounts.access import require
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.audit.models import AuditAction, AuditEvent
from remission.audit.patient_log import LogPage, patient_log
from remission.audit.services import record_access
from remission.clinical.demographics import age_years
from remission.patients.models import BodyMeasurement, MeasurementKind, Patient
from remission.patients.records import RECORD_KINDS, RecordKind

PAGE_SIZE = 25
_DATE_PATTERNS = ("%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y")


def _clinic_patients(membership: Membership) -> QuerySet[Patient]:
    return Patient.objects.filter(clinic_id=membership.clinic_id)


def _as_uuid(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Http404("No such patient.") from None


def get_patient(*, membership: Membership, patient_id: Any, capability: Capability) -> Patient:
    """The patient if it is in the member's clinic and the role has ``capability``.

    Does not record access: callers that show data use ``patient_chart`` or record it.
    """
    patient = _clinic_patients(membership).filter(pk=_as_uuid(patient_id)).first()
    if patient is None:
        raise Http404("No such patient.")
    require(membership, capability)
    return patient


def _parse_date(text: str) -> dt.date | None:
    for pattern in _DATE_PATTERNS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def search_patients(membership: Membership, query: str) -> QuerySet[Patient]:
    patients = _clinic_patients(membership)
    query = query.strip()
    if not query:
        return patients
    as_date = _parse_date(query)
    if as_date:
        return patients.filter(date_of_birth=as_date)
    condition = Q(mrn__iexact=query)
    terms = [t for t in re.split(r"[\s,]+", query) if t]
    name_match = Q()
    for term in terms:
        name_match &= (
            Q(legal_first_name__icontains=term)
            | Q(legal_last_name__icontains=term)
            | Q(preferred_name__icontains=term)
            | Q(mrn__istartswith=term)
        )
    return patients.filter(condition | name_match)


def patient_list(
    *,
    membership: Membership,
    query: str = "",
    page_number: Any = 1,
    per_page: int = PAGE_SIZE,
    via_api: bool = False,
) -> Page[Patient]:
    require(membership, Capability.VIEW_PATIENT_LIST)
    paginator = Paginator(search_patients(membership, query), per_page)
    page = paginator.get_page(page_number)
    record_access(
        actor=membership.user,
        clinic_id=membership.clinic_id,
        action=AuditAction.API
        if via_api
        else (AuditAction.SEARCH if query.strip() else AuditAction.LIST),
        what=f"patient search {query.strip()!r}" if query.strip() else "patient list",
        patient_ids=[p.pk for p in page.object_list],
    )
    return page


@dataclass
class PatientChart:
    patient: Patient
    membership: Membership
    sections: dict[str, list[Any]] = field(default_factory=dict)
    latest_weight: Any = None
    latest_height: Any = None
    access_log: list[AuditEvent] = field(default_factory=list)
    age: int | None = None

    def can(self, capability: Capability) -> bool:
        return self.membership.can(capability)

    def can_edit(self, kind: RecordKind) -> bool:
        return self.membership.can(kind.edit_capability)


def _latest(rows: list[Any], kind: MeasurementKind) -> BodyMeasurement | None:
    return next((m for m in rows if m.kind == kind), None)


def patient_chart(
    *, membership: Membership, patient_id: Any, via_api: bool = False
) -> PatientChart:
    patient = get_patient(
        membership=membership, patient_id=patient_id, capability=Capability.VIEW_DEMOGRAPHICS
    )
    chart = PatientChart(patient=patient, membership=membership)
    today = timezone.localdate(timezone=membership.clinic.tzinfo)
    chart.age = age_years(patient.date_of_birth, today) if patient.date_of_birth <= today else None
    shown = ["demographics"]
    for slug, kind in RECORD_KINDS.items():
        if membership.can(kind.view_capability):
            manager = kind.model._default_manager
            rows = list(manager.filter(patient=patient).select_related("recorded_by"))
            chart.sections[slug] = rows
            shown.append(slug)
    if "measurements" in chart.sections:
        rows = chart.sections["measurements"]
        chart.latest_weight = _latest(rows, MeasurementKind.WEIGHT)
        chart.latest_height = _latest(rows, MeasurementKind.HEIGHT)
    if membership.can(Capability.VIEW_ACCESS_LOG):
        chart.access_log = patient_log(patient.pk, limit=20).events
        shown.append("access log")
    record_access(
        actor=membership.user,
        clinic_id=membership.clinic_id,
        action=AuditAction.API if via_api else AuditAction.VIEW,
        what="chart: " + ", ".join(shown),
        patient_ids=[patient.pk],
    )
    return chart


def new_patient(*, membership: Membership) -> Patient:
    """An unsaved patient of the member's clinic for the registration form (its gate)."""
    require(membership, Capability.EDIT_DEMOGRAPHICS)
    return Patient(clinic=membership.clinic)


def patient_for_form(*, membership: Membership, patient_id: Any, capability: Capability) -> Patient:
    """A patient loaded to fill an edit form (an audited read)."""
    patient = get_patient(membership=membership, patient_id=patient_id, capability=capability)
    record_access(
        actor=membership.user,
        clinic_id=membership.clinic_id,
        action=AuditAction.VIEW,
        what="edit form",
        patient_ids=[patient.pk],
    )
    return patient


def patient_record(
    *,
    membership: Membership,
    patient: Patient,
    kind: RecordKind,
    record_id: Any,
    capability: Capability,
) -> Any:
    """One chart entry of ``patient`` (audited read)."""
    require(membership, capability)
    try:
        pk = int(record_id)
    except (TypeError, ValueError):
        raise Http404("No such entry.") from None
    manager = kind.model._default_manager
    record = manager.filter(patient=patient, clinic_id=membership.clinic_id, pk=pk).first()
    if record is None:
        raise Http404("No such entry.")
    record_access(
        actor=membership.user,
        clinic_id=membership.clinic_id,
        action=AuditAction.VIEW,
        what=f"{kind.singular} #{pk}",
        patient_ids=[patient.pk],
        object_type=kind.model._meta.label_lower,
    )
    return record


def patient_audit_trail(
    *, membership: Membership, patient_id: Any, before: Any = None, include_lists: bool = False
) -> tuple[Patient, LogPage]:
    """The patient's access and change log, 50 events a page, older than event ``before``;
    the lists that named the patient only when ``include_lists``."""
    patient = get_patient(
        membership=membership, patient_id=patient_id, capability=Capability.VIEW_ACCESS_LOG
    )
    try:
        older_than = int(before) if before not in (None, "") else None
    except (TypeError, ValueError):
        older_than = None
    page = patient_log(patient.pk, include_lists=include_lists, limit=50, before=older_than)
    record_access(
        actor=membership.user,
        clinic_id=membership.clinic_id,
        action=AuditAction.VIEW,
        what="access and change log",
        patient_ids=[patient.pk],
    )
    return patient, page


def patients_for_export(*, membership: Membership) -> list[Patient]:
    require(membership, Capability.EXPORT_PATIENTS)
    patients = list(_clinic_patients(membership).prefetch_related("diagnoses"))
    record_access(
        actor=membership.user,
        clinic_id=membership.clinic_id,
        action=AuditAction.EXPORT,
        what="patient register CSV export",
        patient_ids=[p.pk for p in patients],
    )
    return patients
