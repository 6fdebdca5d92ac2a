"""Ordering esketamine chair-side: the day-1 warning follows the course's indication and the
clinic's label, and the screen shows the label's doses for the patient."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.chairside import selectors, services
from remission.clinical.esketamine import LABEL_KEY
from remission.patients.models import Patient
from remission.scheduling.models import SessionKind, SessionStatus, TreatmentSession
from tests.world.rems import esketamine_course

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def checked_in(
    members: dict[str, Membership], patient: Patient, indication: str
) -> TreatmentSession:
    course = esketamine_course(members, patient)
    course.indication = indication
    course.fixed_dose_mg = None
    course.save()
    now = timezone.now()
    return TreatmentSession.objects.create(
        clinic=patient.clinic,
        patient=patient,
        course=course,
        kind=SessionKind.DOSING,
        scheduled_start=now - dt.timedelta(minutes=10),
        checked_in_at=now - dt.timedelta(minutes=10),
        duration_min=150,
        status=SessionStatus.CHECKED_IN,
    )


def order(
    members: dict[str, Membership], session: TreatmentSession, dose_mg: int, ack: bool = False
):
    return services.order_dose(
        membership=members[Role.PRESCRIBER],
        session=session,
        dose_mg=dose_mg,
        acknowledge_warnings=ack,
    )


def test_84_mg_on_day_1_is_not_a_warning_for_mdsi(
    members: dict[str, Membership], patient: Patient
) -> None:
    placed = order(members, checked_in(members, patient, "mdsi"), 84)
    assert placed.warnings == [] and not placed.warnings_acknowledged


def test_84_mg_on_day_1_of_trd_must_be_acknowledged(
    members: dict[str, Membership], patient: Patient
) -> None:
    session = checked_in(members, patient, "trd")
    with pytest.raises(ValidationError, match="day-1 dose is 56 mg, not 84 mg"):
        order(members, session, 84)
    assert order(members, session, 84, ack=True).warnings_acknowledged


def test_under_the_smpc_a_patient_of_65_starts_at_28_mg(
    members: dict[str, Membership], patient: Patient
) -> None:
    patient.clinic.clinical_overrides = {LABEL_KEY: "eu-uk-smpc"}
    patient.clinic.save()
    patient.date_of_birth = dt.date(1961, 1, 1)  # 65 on the pinned day
    patient.japanese_ancestry = False
    patient.save()
    session = checked_in(members, patient, "trd")
    with pytest.raises(ValidationError, match="day-1 dose is 28 mg, not 56 mg"):
        order(members, session, 56)
    assert order(members, session, 28).devices == 1

    view = selectors.session_view(
        membership=members[Role.PRESCRIBER], session_id=session.pk, record=False
    )
    assert view.first_esketamine_dose
    assert view.esketamine_start is not None
    assert view.esketamine_start.summary == "Day 1: 28 mg; then 28, 56 or 84 mg"
