"""The day board: route, time since the dose started, overdue checks, patients booked twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.chairside import services as chairside
from remission.clinical.routes import RouteFamily
from remission.scheduling.models import SessionKind, TreatmentSession
from remission.scheduling.selectors import BoardRow, calendar_week, day_board
from tests.world import client_for
from tests.world.chairside import ready_for_dose

pytestmark = pytest.mark.django_db
MINUTES = dt.timedelta(minutes=1)


def _row(membership: Membership, session: TreatmentSession) -> BoardRow:
    day = timezone.localdate(timezone=membership.clinic.tzinfo)
    board = day_board(membership=membership, day=day)
    return next(r for _, rows in board.chairs for r in rows if r.session.pk == session.pk)


def test_a_dose_under_way_shows_its_route_elapsed_time_and_the_checks_overdue(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse = members[Role.NURSE]
    t0 = timezone.now() - 120 * MINUTES
    ready_for_dose(members, session, t0)
    order = chairside.order_dose(membership=members[Role.PRESCRIBER], session=session)
    chairside.verify_dose(membership=nurse, order=order)
    chairside.record_administration(membership=nurse, session=session, action="start", at=t0)
    row = _row(members[Role.FRONT_DESK], session)
    assert row.route == RouteFamily.IV.label
    assert row.elapsed_min is not None and 119 <= row.elapsed_min <= 121
    assert row.progress.overdue_checks  # two hours in, nothing charted after the start
    html = client_for(nurse).get(reverse("scheduling:board", args=["alpha"])).content.decode()
    assert 'data-testid="overdue-checks"' in html
    assert row.progress.overdue_checks[0] in html


def test_a_session_not_yet_under_way_shows_no_overdue_checks(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    row = _row(members[Role.NURSE], session)
    assert row.progress.overdue_checks == () and row.elapsed_min is None


def test_a_patient_booked_twice_at_once_is_flagged_on_the_board_and_the_calendar(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    # No service books an overlap (the scheduler refuses it); rows from before that rule, or
    # an import, can still hold one, and the board must show it.
    other = TreatmentSession.objects.create(
        clinic=session.clinic,
        patient=session.patient,
        kind=SessionKind.CONSULT,
        scheduled_start=session.scheduled_start + 30 * MINUTES,
        duration_min=45,
    )
    desk = members[Role.FRONT_DESK]
    assert _row(desk, session).double_booked and _row(desk, other).double_booked
    day = timezone.localdate(timezone=desk.clinic.tzinfo)
    week = calendar_week(membership=desk, start=day)
    assert any("is booked twice at" in c for c in week[0].conflicts)


def test_sessions_one_after_another_are_not_double_booked(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    TreatmentSession.objects.create(
        clinic=session.clinic,
        patient=session.patient,
        kind=SessionKind.CONSULT,
        scheduled_start=session.scheduled_start + dt.timedelta(minutes=session.duration_min),
        duration_min=45,
    )
    assert not _row(members[Role.FRONT_DESK], session).double_booked
