"""Booking a consultation or screening visit by hand (the front desk's, from its home page).

The rules are the clinical core's (``clinical.protocols.visits``): open day and hours, the
patient's other sessions, staff on shift where the clinic keeps a roster. A visit belongs to no
course and takes no infusion chair; the refusal lists every reason at once.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from remission.accounts.access import require
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.audit.services import audited_save
from remission.clinical.errors import ClinicalInputError
from remission.clinical.protocols import visit_problems
from remission.patients.models import Patient
from remission.scheduling.models import SessionKind, TreatmentSession
from remission.scheduling.selectors import clinic_calendar
from remission.scheduling.services import _patient_bookings, _roster


def visit_refusals(
    *, membership: Membership, patient: Patient, starts_at: dt.datetime, duration_min: int
) -> list[str]:
    """Every reason the visit cannot be booked there (an empty list: it can)."""
    if patient.clinic_id != membership.clinic_id:
        return ["This patient belongs to another clinic."]
    day = starts_at.astimezone(membership.clinic.tzinfo).date()
    shifts, rostered_until = _roster(membership, day)
    try:
        problems = visit_problems(
            starts_at,
            duration_min,
            calendar=clinic_calendar(membership),
            now=timezone.now(),
            patient_booked=_patient_bookings(patient.pk, starts_at - dt.timedelta(days=1)),
            shifts=shifts,
            rostered_until=rostered_until,
        )
    except ClinicalInputError as exc:
        return [str(exc)]
    return [f"Cannot book it there: {p}." for p in problems]


@transaction.atomic
def book_visit(
    *, membership: Membership, patient: Patient, starts_at: dt.datetime, duration_min: int
) -> TreatmentSession:
    require(membership, Capability.MANAGE_SCHEDULE)
    # the patient's own row, locked: two desks booking the same patient wait for each other
    patient = Patient.objects.select_for_update().filter(pk=patient.pk).first() or patient
    refusals = visit_refusals(
        membership=membership, patient=patient, starts_at=starts_at, duration_min=duration_min
    )
    if refusals:
        raise ValidationError(refusals)
    session = TreatmentSession(
        clinic=membership.clinic,
        patient=patient,
        kind=SessionKind.CONSULT,
        scheduled_start=starts_at,
        duration_min=duration_min,
    )
    audited_save(session, actor=membership.user, summary=f"booked {session}")
    return session
