"""Booking a consultation or screening visit: the service enforces the core's rules, the
screen shows its refusal inline and keeps what was typed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.models import AuditEvent
from remission.patients.models import Patient
from remission.scheduling.models import SessionKind, TreatmentSession
from remission.scheduling.visit_services import book_visit
from tests.world import client_for
from tests.world.treatment import prepare_clinic

pytestmark = pytest.mark.django_db


def _tomorrow_at(membership: Membership, hour: int) -> dt.datetime:
    tz = membership.clinic.tzinfo
    day = timezone.localdate(timezone=tz) + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=tz)


def test_the_front_desk_books_a_visit_with_no_course_and_no_chair(
    members: dict[str, Membership], patient: Patient
) -> None:
    desk = members[Role.FRONT_DESK]
    prepare_clinic(members)
    visit = book_visit(
        membership=desk, patient=patient, starts_at=_tomorrow_at(desk, 10), duration_min=45
    )
    assert visit.kind == SessionKind.CONSULT and visit.course is None and visit.chair is None
    assert AuditEvent.objects.filter(summary__startswith="booked Consultation").exists()


def test_an_overlapping_after_hours_visit_is_refused_with_every_reason(
    members: dict[str, Membership], patient: Patient
) -> None:
    desk = members[Role.FRONT_DESK]
    prepare_clinic(members)
    book_visit(membership=desk, patient=patient, starts_at=_tomorrow_at(desk, 17), duration_min=45)
    with pytest.raises(ValidationError) as refused:
        book_visit(
            membership=desk, patient=patient, starts_at=_tomorrow_at(desk, 17), duration_min=90
        )
    assert len(refused.value.messages) == 2
    assert TreatmentSession.objects.filter(patient=patient).count() == 1


def test_a_role_that_does_not_book_is_refused(
    members: dict[str, Membership], patient: Patient
) -> None:
    with pytest.raises(PermissionDenied):
        book_visit(
            membership=members[Role.THERAPIST],
            patient=patient,
            starts_at=_tomorrow_at(members[Role.THERAPIST], 10),
            duration_min=45,
        )


def test_the_screen_books_from_the_mrn_and_shows_a_refusal_inline(
    members: dict[str, Membership], patient: Patient
) -> None:
    desk = members[Role.FRONT_DESK]
    prepare_clinic(members)
    client = client_for(desk)
    url = reverse("scheduling:book_visit", args=["alpha"])
    late = _tomorrow_at(desk, 20).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"mrn": patient.mrn, "starts_at": late, "duration_min": "45"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "outside the opening hours" in html and patient.mrn in html
    response = client.post(url, {"mrn": "NOPE", "starts_at": late, "duration_min": "45"})
    assert "No patient of this clinic has this MRN." in response.content.decode()
    good = _tomorrow_at(desk, 10).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"mrn": patient.mrn, "starts_at": good, "duration_min": "45"})
    assert response.status_code == 302
    assert TreatmentSession.objects.filter(patient=patient, kind=SessionKind.CONSULT).count() == 1
