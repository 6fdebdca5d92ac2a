"""The worklists of each role's home: what appears, what leaves, other clinics never, and each
list's read audited (on the real database, through the services)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.models import AuditAction, AuditEvent
from remission.chairside import services as chairside
from remission.chairside.worklists import (
    chair_queue,
    doses_to_verify,
    orders_to_write,
    sessions_to_sign_off,
)
from remission.clinical.session_flow import Waiting
from remission.patients.models import Patient
from remission.scheduling import services as scheduling
from remission.scheduling.models import TreatmentSession
from remission.scheduling.selectors import arrivals
from remission.treatment import services as treatment
from remission.treatment.selectors import intakes_to_sign
from remission.web.worklists import role_home
from tests.world.chairside import chart_recovered, explain_missed_checks, observed_after_dose
from tests.world.treatment import INTAKE_ANSWERS

pytestmark = pytest.mark.django_db


def _today(membership: Membership):  # type: ignore[no-untyped-def]
    return timezone.localdate(timezone=membership.clinic.tzinfo)


def _ids(listed) -> list[object]:  # type: ignore[no-untyped-def]
    return [r.session.pk for r in listed.rows]


def _check_in(members: dict[str, Membership], session: TreatmentSession) -> None:
    scheduling.check_in(membership=members[Role.FRONT_DESK], session=session)
    session.refresh_from_db()


def test_a_checked_in_session_waits_for_its_order_until_one_is_written(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    prescriber = members[Role.PRESCRIBER]
    day = _today(prescriber)
    assert _ids(orders_to_write(membership=prescriber, day=day)) == []  # not checked in yet
    _check_in(members, session)
    listed = orders_to_write(membership=prescriber, day=day)
    assert _ids(listed) == [session.pk] and listed.total == 1
    chairside.order_dose(membership=prescriber, session=session)
    assert _ids(orders_to_write(membership=prescriber, day=day)) == []


def test_a_dose_waits_for_a_second_person_not_for_the_one_who_ordered_it(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    prescriber, nurse = members[Role.PRESCRIBER], members[Role.NURSE]
    day = _today(nurse)
    _check_in(members, session)
    order = chairside.order_dose(membership=prescriber, session=session)
    assert _ids(doses_to_verify(membership=nurse, day=day)) == [session.pk]
    assert _ids(doses_to_verify(membership=prescriber, day=day)) == []
    director = members[Role.MEDICAL_DIRECTOR]
    assert _ids(doses_to_verify(membership=director, day=day)) == [session.pk]
    chairside.verify_dose(membership=nurse, order=order)
    assert _ids(doses_to_verify(membership=nurse, day=day)) == []


def test_a_discharged_session_waits_for_sign_off_until_signed(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    prescriber = members[Role.PRESCRIBER]
    nurse = observed_after_dose(members, session)
    assert sessions_to_sign_off(membership=prescriber).rows == []
    chart_recovered(nurse, session)
    chairside.discharge(membership=nurse, session=session)
    assert _ids(sessions_to_sign_off(membership=prescriber)) == [session.pk]
    for alert in session.alerts.filter(acknowledged_at__isnull=True):
        chairside.acknowledge_alert(membership=nurse, alert=alert, action_taken="seen")
    explain_missed_checks(nurse, session)
    chairside.sign_off(membership=prescriber, session=session)
    assert sessions_to_sign_off(membership=prescriber).rows == []


def test_an_unsigned_intake_is_listed_until_its_eligibility_is_signed(
    members: dict[str, Membership], patient: Patient
) -> None:
    prescriber = members[Role.PRESCRIBER]
    intake = treatment.record_intake(
        membership=members[Role.NURSE], patient=patient, answers=INTAKE_ANSWERS
    )
    listed = intakes_to_sign(membership=prescriber)
    assert [i.pk for i in listed.intakes] == [intake.pk] and listed.total == 1
    treatment.sign_eligibility(
        membership=prescriber, intake=intake, decision="eligible", routes=["iv_racemic"]
    )
    assert intakes_to_sign(membership=prescriber).intakes == []


def test_the_chair_queue_says_what_each_session_waits_for_step_by_step(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse = members[Role.NURSE]
    day = _today(nurse)

    def waiting() -> Waiting:
        rows = [
            r for r in chair_queue(membership=nurse, day=day).rows if r.session.pk == session.pk
        ]
        return rows[0].waiting

    assert waiting() is Waiting.CHECK_IN
    _check_in(members, session)
    assert waiting() is Waiting.ORDER
    order = chairside.order_dose(membership=members[Role.PRESCRIBER], session=session)
    assert waiting() is Waiting.VERIFICATION
    chairside.verify_dose(membership=nurse, order=order)
    assert waiting() is Waiting.DOSE_START


def test_arrivals_are_the_days_sessions_still_to_check_in(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    desk = members[Role.FRONT_DESK]
    assert [s.pk for s in arrivals(membership=desk, day=_today(desk))] == [session.pk]
    _check_in(members, session)
    assert arrivals(membership=desk, day=_today(desk)) == []


def test_another_clinic_never_sees_these_sessions(
    members: dict[str, Membership], session: TreatmentSession, outsider: Membership
) -> None:
    _check_in(members, session)
    chairside.order_dose(membership=members[Role.PRESCRIBER], session=session)
    day = _today(members[Role.NURSE])
    assert orders_to_write(membership=outsider, day=day).rows == []
    assert doses_to_verify(membership=outsider, day=day).rows == []
    assert chair_queue(membership=outsider, day=day).rows == []
    assert arrivals(membership=outsider, day=day) == []
    assert intakes_to_sign(membership=outsider).intakes == []
    assert sessions_to_sign_off(membership=outsider).rows == []


@pytest.mark.parametrize(
    ("role", "selector"),
    [
        (Role.NURSE, lambda m: orders_to_write(membership=m, day=_today(m))),
        (Role.FRONT_DESK, lambda m: doses_to_verify(membership=m, day=_today(m))),
        (Role.NURSE, lambda m: sessions_to_sign_off(membership=m)),
        (Role.NURSE, lambda m: intakes_to_sign(membership=m)),
        (Role.FRONT_DESK, lambda m: chair_queue(membership=m, day=_today(m))),
    ],
)
def test_a_role_without_the_right_is_refused(
    members: dict[str, Membership], role: str, selector: object
) -> None:
    with pytest.raises(PermissionDenied):
        selector(members[role])  # type: ignore[operator]


def test_a_listed_worklist_is_audited_as_a_list_read_of_its_patients(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    _check_in(members, session)
    prescriber = members[Role.PRESCRIBER]
    orders_to_write(membership=prescriber, day=_today(prescriber))
    event = AuditEvent.objects.filter(summary__startswith="orders to write").get()
    assert event.action == AuditAction.LIST
    assert list(event.named_patients.values_list("patient_id", flat=True)) == [session.patient_id]


@pytest.mark.parametrize("role", list(Role))
def test_a_role_home_runs_a_bounded_number_of_queries(
    members: dict[str, Membership],
    session: TreatmentSession,
    role: str,
    django_assert_max_num_queries: object,
) -> None:
    _check_in(members, session)
    with django_assert_max_num_queries(40):  # type: ignore[operator]
        role_home(membership=members[role], now=timezone.now())
