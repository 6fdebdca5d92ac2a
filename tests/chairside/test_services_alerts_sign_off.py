"""One reading raises one alert with every reason, acknowledged once; sign-off is refused
while a planned check is overdue and unexplained; the MAR dispenses only the session's drug."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.chairside import ports, selectors, services
from remission.chairside.models import SessionAlert
from remission.controlled import services as controlled
from remission.controlled.models import StockLot
from remission.scheduling.models import TreatmentSession
from tests.world.chairside import (
    chart_recovered,
    explain_missed_checks,
    observed_after_dose,
    ready_for_dose,
)

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

MINUTES = dt.timedelta(minutes=1)


def _dosing(members: dict[str, Membership], session: TreatmentSession, t0: dt.datetime) -> None:
    ready_for_dose(members, session, t0)
    order = services.order_dose(membership=members[Role.PRESCRIBER], session=session)
    services.verify_dose(membership=members[Role.NURSE], order=order)
    services.record_administration(
        membership=members[Role.NURSE], session=session, action="start", at=t0
    )


def test_one_reading_raises_one_alert_listing_every_reason(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse = members[Role.NURSE]
    t0 = timezone.now() - 30 * MINUTES
    _dosing(members, session, t0)
    _, alerts = services.record_vitals(
        membership=nurse,
        session=session,
        measured_at=t0 + 15 * MINUTES,
        check_id="vitals@+15",
        systolic_mmhg=185,
        diastolic_mmhg=112,
        heart_rate_bpm=80,
        spo2_percent=97,
        respiratory_rate_per_min=14,
    )
    assert len(alerts) == 1
    (alert,) = alerts
    assert set(alert.codes) == {
        "BP_SYSTOLIC_HIGH",
        "BP_DIASTOLIC_HIGH",
        "BP_SYSTOLIC_RISE",
        "BP_DIASTOLIC_RISE",
    }
    assert alert.severity == "urgent" and alert.code in ("BP_SYSTOLIC_HIGH", "BP_DIASTOLIC_HIGH")
    assert [r["severity"] for r in alert.reasons][:2] == ["urgent", "urgent"]  # most severe first
    assert all(r["message"] and r["source"] for r in alert.reasons)
    # an IV session's thresholds do not cite the esketamine label
    assert not any("SPRAVATO" in r["source"] for r in alert.reasons)

    services.acknowledge_alert(membership=nurse, alert=alert, action_taken="rechecked, rate cut")
    view = selectors.session_view(membership=nurse, session_id=session.pk, record=False)
    assert view.open_alerts == []
    assert SessionAlert.objects.filter(session=session).count() == 1


def test_a_reading_within_limits_raises_no_alert(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    t0 = timezone.now() - 30 * MINUTES
    _dosing(members, session, t0)
    _, alerts = services.record_vitals(
        membership=members[Role.NURSE],
        session=session,
        measured_at=t0 + 15 * MINUTES,
        systolic_mmhg=128,
        diastolic_mmhg=80,
    )
    assert alerts == []


def test_sign_off_is_refused_while_a_check_is_overdue_and_unexplained(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse, prescriber = members[Role.NURSE], members[Role.PRESCRIBER]
    observed_after_dose(members, session)
    chart_recovered(nurse, session)
    services.discharge(membership=nurse, session=session)
    with pytest.raises(ValidationError) as refused:
        services.sign_off(membership=prescriber, session=session)
    messages = refused.value.messages
    assert messages[0] == "The session cannot be signed yet:"
    assert any("15 min after the start was not charted" in m for m in messages)
    view = selectors.session_view(membership=nurse, session_id=session.pk, record=False)
    assert len(messages) - 1 == len(view.unexplained_overdue) > 0

    first = view.unexplained_overdue[0].check.check_id
    services.explain_missed_check(
        membership=nurse, session=session, check_id=first, reason="patient asleep, not woken"
    )
    with pytest.raises(ValidationError) as still:
        services.sign_off(membership=prescriber, session=session)
    assert len(still.value.messages) == len(messages) - 1

    explain_missed_checks(nurse, session)
    services.sign_off(membership=prescriber, session=session)
    session.refresh_from_db()
    assert session.is_locked


def test_a_missed_check_needs_a_reason_and_a_planned_check(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse = members[Role.NURSE]
    with pytest.raises(ValidationError, match="Say why"):
        services.explain_missed_check(
            membership=nurse, session=session, check_id="vitals@+15", reason="  "
        )
    with pytest.raises(ValidationError, match="not on this session's monitoring plan"):
        services.explain_missed_check(
            membership=nurse, session=session, check_id="vitals@+999", reason="no"
        )


def _product(nurse: Membership, drug: str, name: str, lot_number: str) -> None:
    product = controlled.add_product(
        membership=nurse,
        name=name,
        drug=drug,
        form="vial" if drug == "ketamine" else "nasal_device",
        strength="10 mg/mL" if drug == "ketamine" else "28 mg/device",
        mg_per_unit=Decimal("10") if drug == "ketamine" else Decimal("28"),
    )
    controlled.receive_stock(
        membership=nurse,
        product=product,
        lot_number=lot_number,
        expiry_date=dt.date(2030, 1, 1),
        quantity=Decimal("20"),
        supplier="Wholesaler",
        reference="222-1",
        received_at=timezone.now() - dt.timedelta(days=1),
    )


def test_an_iv_session_is_offered_and_dispensed_only_racemic_lots(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse, prescriber = members[Role.NURSE], members[Role.PRESCRIBER]
    _product(nurse, "ketamine", "Ketamine HCl 10 mg/mL", "KET-1")
    _product(nurse, "esketamine", "SPRAVATO 28 mg", "SPR-1")
    stock = ports.stock_source()
    assert stock is not None
    drug = selectors.session_drug(session)
    offered = stock.lots(membership=nurse, drug=drug)
    assert [lot.lot_number for lot in offered] == ["KET-1"]

    spravato = StockLot.objects.get(lot_number="SPR-1")  # the wrong drug's lot, as if posted
    t0 = timezone.now() - 30 * MINUTES
    ready_for_dose(members, session, t0)
    order = services.order_dose(membership=prescriber, session=session)
    services.verify_dose(membership=nurse, order=order)
    with pytest.raises(ValidationError, match="SPR-1"):
        services.record_administration(
            membership=nurse, session=session, action="start", at=t0, stock_lot=spravato
        )
