"""The chair-side services refuse unsafe steps: no dose before the checklist, the order and
its verification; a pre-dose hold; concurrent charting; starting from a logged lot."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.chairside import selectors, services
from remission.scheduling.models import TreatmentSession
from tests.world.chairside import ready_for_dose

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


MINUTES = dt.timedelta(minutes=1)


def test_the_dose_cannot_start_before_the_checklist_order_and_verification(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse, prescriber = members[Role.NURSE], members[Role.PRESCRIBER]
    services.order_dose(membership=prescriber, session=session)
    with pytest.raises(ValidationError) as refused:
        services.record_administration(membership=nurse, session=session, action="start")
    text = " ".join(refused.value.messages)
    assert "Identity confirmed" in text
    assert "not yet verified" in text
    assert "pre-dose vital signs" in text


def test_a_pre_dose_hold_stops_the_dose(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse, prescriber = members[Role.NURSE], members[Role.PRESCRIBER]
    t0 = timezone.now() - 120 * MINUTES
    ready_for_dose(members, session, t0)
    services.record_vitals(
        membership=nurse,
        session=session,
        measured_at=t0 - 2 * MINUTES,
        systolic_mmhg=172,
        diastolic_mmhg=104,
        heart_rate_bpm=80,
        spo2_percent=98,
        respiratory_rate_per_min=14,
    )
    order = services.order_dose(membership=prescriber, session=session)
    services.verify_dose(membership=nurse, order=order)
    with pytest.raises(ValidationError, match="Pre-dose vitals say hold"):
        services.record_administration(membership=nurse, session=session, action="start", at=t0)


def test_two_staff_charting_at_once_lose_nothing(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    """Both nurses load the session, then both chart: append-only entries keep both."""
    nurse, director = members[Role.NURSE], members[Role.MEDICAL_DIRECTOR]
    stale_a = TreatmentSession.objects.get(pk=session.pk)
    stale_b = TreatmentSession.objects.get(pk=session.pk)
    services.record_vitals(membership=nurse, session=stale_a, systolic_mmhg=120, diastolic_mmhg=80)
    services.add_note(membership=director, session=stale_b, text="patient anxious, reassured")
    services.record_vitals(membership=director, session=stale_b, heart_rate_bpm=90)
    view = selectors.session_view(membership=nurse, session_id=session.pk)
    assert len(view.vitals) == 2
    assert [n.text for n in view.notes] == ["patient anxious, reassured"]


def test_starting_the_infusion_from_a_logged_lot_dispenses_the_dose(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    from remission.controlled import selectors as stock
    from remission.controlled import services as controlled
    from remission.controlled.models import LedgerEntry

    nurse, prescriber = members[Role.NURSE], members[Role.PRESCRIBER]
    product = controlled.add_product(
        membership=nurse,
        name="Ketamine HCl 10 mg/mL",
        drug="ketamine",
        form="vial",
        strength="10 mg/mL",
        mg_per_unit=Decimal("10"),
    )
    controlled.receive_stock(
        membership=nurse,
        product=product,
        lot_number="KET-9",
        expiry_date=dt.date(2030, 1, 1),
        quantity=Decimal("20"),
        supplier="Wholesaler",
        reference="222-1",
        received_at=timezone.now() - dt.timedelta(days=1),
    )
    lot = stock.lots_for(membership=nurse, purpose="dispense").get()
    t0 = timezone.now() - 120 * MINUTES
    ready_for_dose(members, session, t0)
    order = services.order_dose(membership=prescriber, session=session)
    services.verify_dose(membership=nurse, order=order)
    event = services.record_administration(
        membership=nurse, session=session, action="start", at=t0, stock_lot=lot
    )
    assert (event.lot_number, event.expiry) == ("KET-9", dt.date(2030, 1, 1))
    entry = LedgerEntry.objects.get(administration=event)
    assert entry.session_id == session.pk
    assert entry.quantity == Decimal("-4.12")  # 41.2 mg at 10 mg/mL
