"""The chair-side services refuse unsafe steps: no dose before the checklist, the order and
its verification; a pre-dose hold; concurrent charting; starting from a logged lot; chart
times in the future or before the session; an over-delivery; a dose within the minimum
interval of another session's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.chairside import selectors, services
from remission.chairside.models import DoseOrder, SessionAlert
from remission.patients import services as patients
from remission.patients.records import RECORD_KINDS
from remission.scheduling.models import TreatmentSession
from tests.world.chairside import (
    RECOVERED_PADSS,
    chart_recovered,
    check_in_at,
    observed_after_dose,
    ready_for_dose,
)

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


# --- what the medication record lets through ---------------------------------------------------


def _dosing(members: dict[str, Membership], session: TreatmentSession, t0: dt.datetime) -> Any:
    ready_for_dose(members, session, t0)
    order = services.order_dose(membership=members[Role.PRESCRIBER], session=session)
    services.verify_dose(membership=members[Role.NURSE], order=order)
    services.record_administration(
        membership=members[Role.NURSE], session=session, action="start", at=t0
    )
    return order


def test_a_stop_time_in_the_future_is_refused_and_the_infusion_keeps_running(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse = members[Role.NURSE]
    _dosing(members, session, timezone.now() - 30 * MINUTES)
    with pytest.raises(ValidationError, match="cannot be charted in the future"):
        services.record_administration(
            membership=nurse, session=session, action="stop", at=timezone.now() + 127 * MINUTES
        )
    view = selectors.session_view(membership=nurse, session_id=session.pk, record=False)
    assert view.given is not None and view.given.running
    assert [e.action for e in view.administration] == ["start"]


def test_vitals_dated_before_the_session_began_are_refused(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    """The session was booked 130 min ago: an hour before that is the earliest, unless the
    patient was checked in earlier still."""
    nurse = members[Role.NURSE]

    def vitals(minutes_ago: int) -> None:
        services.record_vitals(
            membership=nurse,
            session=session,
            measured_at=timezone.now() - minutes_ago * MINUTES,
            systolic_mmhg=120,
            diastolic_mmhg=80,
        )

    with pytest.raises(ValidationError, match="before the session began"):
        vitals(200)
    check_in_at(members, session, timezone.now() - 240 * MINUTES)
    vitals(200)
    vitals(185)
    with pytest.raises(ValidationError, match="before the session began"):
        vitals(245)
    assert session.vitals.count() == 2


def test_an_over_delivery_is_refused_unless_confirmed_then_it_raises_an_urgent_alert(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse = members[Role.NURSE]
    t0 = timezone.now() - 120 * MINUTES
    order = _dosing(members, session, t0)
    late = t0 + 80 * MINUTES  # a 40-minute infusion left running twice as long
    with pytest.raises(ValidationError) as refused:
        services.record_administration(membership=nurse, session=session, action="stop", at=late)
    assert "confirm_over_delivery" in refused.value.message_dict
    assert (
        f"against {order.dose_mg} mg ordered"
        in refused.value.message_dict["confirm_over_delivery"][0]
    )
    view = selectors.session_view(membership=nurse, session_id=session.pk, record=False)
    assert view.over_delivered is not None  # still running, and already past the order
    with pytest.raises(ValidationError):  # confirming needs a note of what happened
        services.record_administration(
            membership=nurse, session=session, action="stop", at=late, confirm_over_delivery=True
        )
    services.record_administration(
        membership=nurse,
        session=session,
        action="stop",
        at=late,
        confirm_over_delivery=True,
        reason="pump not stopped at 40 min; prescriber informed",
    )
    (alert,) = SessionAlert.objects.filter(session=session, code="over_delivery")
    assert alert.severity == "urgent" and alert.acknowledged_at is None
    assert "pump not stopped" in alert.message


def test_no_dose_starts_within_the_minimum_interval_of_a_dose_in_another_session(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    _dosing(members, session, timezone.now() - 120 * MINUTES)
    second = TreatmentSession.objects.get(course=session.course, dose_number=2)
    TreatmentSession.objects.filter(pk=second.pk).update(
        scheduled_start=timezone.now() - 40 * MINUTES
    )
    second.refresh_from_db()
    t1 = timezone.now() - 5 * MINUTES
    ready_for_dose(members, second, t1)
    order = services.order_dose(membership=members[Role.PRESCRIBER], session=second)
    services.verify_dose(membership=members[Role.NURSE], order=order)
    view = selectors.session_view(membership=members[Role.NURSE], session_id=second.pk)
    assert any("minimum interval" in reason for reason in view.ready_to_start)
    with pytest.raises(ValidationError, match="48-hour minimum interval"):
        services.record_administration(
            membership=members[Role.NURSE], session=second, action="start", at=t1
        )


# --- low blood pressure ---------------------------------------------------------------------------


def test_a_hypotensive_patient_is_held_before_the_dose(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse = members[Role.NURSE]
    t0 = timezone.now() - 60 * MINUTES
    ready_for_dose(members, session, t0)
    services.record_vitals(
        membership=nurse,
        session=session,
        measured_at=t0 - 2 * MINUTES,
        systolic_mmhg=86,
        diastolic_mmhg=54,
        heart_rate_bpm=64,
        spo2_percent=98,
        respiratory_rate_per_min=14,
    )
    order = services.order_dose(membership=members[Role.PRESCRIBER], session=session)
    services.verify_dose(membership=nurse, order=order)
    with pytest.raises(ValidationError, match="Systolic BP 86 mmHg is below 90 mmHg"):
        services.record_administration(membership=nurse, session=session, action="start", at=t0)


def test_a_hypotensive_discharge_is_refused_until_the_bp_recovers(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse = members[Role.NURSE]
    t0 = timezone.now() - 120 * MINUTES
    _dosing(members, session, t0)
    services.record_administration(
        membership=nurse, session=session, action="stop", at=t0 + 40 * MINUTES
    )
    services.record_session_scale(
        membership=nurse, session=session, instrument_id="moaas", answers=[5]
    )
    services.record_session_scale(
        membership=nurse, session=session, instrument_id="cadss6", answers=[0, 0, 0, 0, 0, 0]
    )

    def vitals(systolic: int, diastolic: int, minutes_ago: int) -> list[SessionAlert]:
        _, alerts = services.record_vitals(
            membership=nurse,
            session=session,
            measured_at=timezone.now() - minutes_ago * MINUTES,
            systolic_mmhg=systolic,
            diastolic_mmhg=diastolic,
            heart_rate_bpm=72,
            spo2_percent=98,
            respiratory_rate_per_min=14,
        )
        return alerts

    alerts = vitals(86, 52, 4)
    assert {c for a in alerts for c in a.codes} >= {"BP_SYSTOLIC_LOW", "BP_SYSTOLIC_FALL"}
    chart_recovered(nurse, session)
    with pytest.raises(ValidationError, match="Systolic BP 86 mmHg is below 90 mmHg"):
        services.discharge(membership=nurse, session=session)
    for alert in alerts:
        services.acknowledge_alert(
            membership=nurse, alert=alert, action_taken="legs raised, fluids, prescriber informed"
        )
    vitals(122, 76, 1)
    services.discharge(membership=nurse, session=session)
    session.refresh_from_db()
    assert session.discharge_summary["ready"] is True


def test_an_order_for_a_400_kg_patient_is_refused_at_the_dose_cap(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    """0.5 mg/kg of 400 kg is 200 mg, over the 150 mg IV cap: the order is refused, not capped,
    and nothing is written."""
    prescriber = members[Role.PRESCRIBER]
    patients.add_record(
        membership=members[Role.NURSE],
        patient=session.patient,
        kind=RECORD_KINDS["measurements"],
        data={
            "kind": "weight",
            "measured_on": timezone.localdate(),
            "value": Decimal("400"),
            "unit": "kg",
        },
    )
    with pytest.raises(ValidationError, match="above the clinic cap 150 mg"):
        services.order_dose(membership=prescriber, session=session)
    assert not DoseOrder.objects.filter(session=session).exists()


def _refused(nurse: Membership, session: TreatmentSession) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        services.discharge(membership=nurse, session=session)
    session.refresh_from_db()
    assert session.discharged_at is None
    return refused.value.messages


def test_a_discharge_without_the_assessment_is_refused_with_every_missing_item(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse = observed_after_dose(members, session)
    reasons = _refused(nurse, session)
    assert reasons[0] == "Not ready for discharge:"
    assert "modified PADSS ambulation: not charted" in reasons
    assert "modified PADSS bleeding (cannula site): not charted" in reasons
    assert "orientation (person, place, time) not confirmed at discharge" in reasons
    assert any("not confirmed present at discharge" in r for r in reasons)
    assert any("advice not to drive" in r for r in reasons)


def test_a_discharge_with_one_item_missing_is_refused_for_that_item(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse = observed_after_dose(members, session)
    chart_recovered(nurse, session, points=RECOVERED_PADSS | {"pain": None})
    assert _refused(nurse, session) == [
        "Not ready for discharge:",
        "modified PADSS pain: not charted",
    ]


def test_a_low_score_is_refused_listing_the_total_and_each_low_item(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse = observed_after_dose(members, session)
    chart_recovered(
        nurse, session, points=RECOVERED_PADSS | {"ambulation": 1, "nausea_vomiting": 1}
    )
    assert _refused(nurse, session) == [
        "Not ready for discharge:",
        "modified PADSS 8 of 10 (needs ≥ 9)",
        "modified PADSS ambulation 1 of 2: walks with assistance",
        "modified PADSS nausea and vomiting 1 of 2: moderate: needed parenteral treatment",
    ]


def test_a_clinic_on_the_aldrete_score_charts_its_items_and_refuses_padss_ones(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    clinic = session.clinic
    clinic.clinical_overrides = {"monitoring.discharge_score": "aldrete"}
    clinic.save()
    nurse = observed_after_dose(members, session)
    nurse.clinic.refresh_from_db()
    with pytest.raises(ValidationError, match="ambulation is not an item of the modified Aldrete"):
        chart_recovered(nurse, session)
    chart_recovered(nurse, session, points={"activity": 2, "respiration": 2, "consciousness": 2})
    services.discharge(membership=nurse, session=session)
    session.refresh_from_db()
    assert session.discharge_summary["score"]["system"] == "aldrete"
    assert session.discharge_summary["score"]["items"][4]["item"] == "spo2"


def test_a_charted_assessment_that_passes_discharges_and_is_kept_in_the_summary(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse = observed_after_dose(members, session)
    chart_recovered(nurse, session, points=RECOVERED_PADSS | {"pain": 1})
    services.discharge(membership=nurse, session=session)
    session.refresh_from_db()
    summary = session.discharge_summary
    assert summary["ready"] is True
    assert summary["score"]["system"] == "padss"
    assert [i["points"] for i in summary["score"]["items"]] == [2, 2, 2, 1, 2]
    assert summary["charting"]["points"]["pain"] == 1
    assert summary["charting"]["escort_present"] is True
    with pytest.raises(ValidationError, match="already discharged"):
        chart_recovered(nurse, session)


def test_charting_the_assessment_refuses_values_outside_the_score(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse = observed_after_dose(members, session)
    with pytest.raises(ValidationError, match="must be 0, 1 or 2"):
        chart_recovered(nurse, session, points={"pain": 3})
    frontdesk = members[Role.FRONT_DESK]
    with pytest.raises(PermissionDenied):
        chart_recovered(frontdesk, session)
