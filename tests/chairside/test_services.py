"""A whole IV session through the services: check-in to sign-off, with an acknowledged BP
alert and an adverse event; and the rules that stop unsafe steps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.assessments.models import AssessmentContext
from remission.audit.models import AuditEvent
from remission.chairside import selectors, services
from remission.patients.models import Patient
from remission.scheduling import services as scheduling
from remission.scheduling.models import SessionStatus, TreatmentSession
from tests.world import client_for
from tests.world.chairside import prepare_for_dose
from tests.world.treatment import make_eligible, start_course

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]
MINUTES = dt.timedelta(minutes=1)


@pytest.fixture
def session(members: dict[str, Membership], patient: Patient) -> TreatmentSession:
    make_eligible(members, patient)
    _, sessions = start_course(members, patient)
    first = sessions[0]
    # Run the session "now": the dose started two hours ago.
    TreatmentSession.objects.filter(pk=first.pk).update(
        scheduled_start=timezone.now() - 130 * MINUTES
    )
    first.refresh_from_db()
    return first


def test_a_full_iv_session_from_check_in_to_sign_off(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse, prescriber = members[Role.NURSE], members[Role.PRESCRIBER]
    t0 = timezone.now() - 120 * MINUTES
    prepare_for_dose(members, session, t0)

    order = services.order_dose(membership=prescriber, session=session)
    assert order.dose_mg == Decimal("41.2")  # 82.4 kg × 0.5 mg/kg
    assert order.rate_ml_per_h == Decimal("6.18")
    with pytest.raises(ValidationError, match="someone other than the prescriber"):
        services.verify_dose(membership=prescriber, order=order)
    services.verify_dose(membership=nurse, order=order)

    services.record_administration(
        membership=nurse, session=session, action="start", at=t0, lot_number="KET-22"
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.DOSING
    _, alerts = services.record_vitals(
        membership=nurse,
        session=session,
        measured_at=t0 + 30 * MINUTES,
        check_id="vitals@+30",
        systolic_mmhg=186,
        diastolic_mmhg=104,
        heart_rate_bpm=88,
        spo2_percent=97,
        respiratory_rate_per_min=15,
    )
    assert {a.code for a in alerts} == {"BP_SYSTOLIC_HIGH", "BP_SYSTOLIC_RISE", "BP_DIASTOLIC_RISE"}
    # Chair-side entries are audited against the patient, so the chart's access log shows them.
    charted = AuditEvent.objects.filter(patient_id=session.patient_id, clinic_id=session.clinic_id)
    assert {e.summary for e in charted.filter(object_type="chairside.sessionalert")} == {
        f"alert raised {a.code}" for a in alerts
    }
    assert charted.filter(summary="vitals vitals@+30", actor=nurse.user).exists()
    services.record_adverse_event(
        membership=nurse,
        session=session,
        event_type="hypertension",
        grade=2,
        onset_at=t0 + 30 * MINUTES,
        action="rate reduced",
        outcome="resolved",
        serious=False,
    )
    services.record_administration(
        membership=nurse,
        session=session,
        action="rate_change",
        at=t0 + 31 * MINUTES,
        rate_ml_per_h=Decimal("4"),
        reason="BP 186/104",
    )
    services.record_administration(
        membership=nurse, session=session, action="stop", at=t0 + 42 * MINUTES
    )
    for minute in (60, 90, 110):
        services.record_vitals(
            membership=nurse,
            session=session,
            measured_at=t0 + minute * MINUTES,
            systolic_mmhg=130,
            diastolic_mmhg=80,
            heart_rate_bpm=74,
            spo2_percent=98,
            respiratory_rate_per_min=14,
        )
    services.record_session_scale(
        membership=nurse, session=session, instrument_id="moaas", answers=[5]
    )
    services.record_session_scale(
        membership=nurse, session=session, instrument_id="cadss6", answers=[0, 0, 0, 1, 0, 0]
    )

    with pytest.raises(ValidationError, match="Not ready for discharge"):
        services.discharge(membership=nurse, session=session)  # the BP alert is still open
    with pytest.raises(ValidationError, match="Discharge the patient"):
        services.sign_off(membership=prescriber, session=session)
    for alert in selectors.session_view(membership=nurse, session_id=session.pk).open_alerts:
        services.acknowledge_alert(
            membership=nurse, alert=alert, action_taken="rate reduced, rechecked in 10 min"
        )

    view = selectors.session_view(membership=nurse, session_id=session.pk)
    assert view.given is not None
    # 6.18 mL/h for 31 min + 4 mL/h for 11 min = 3.193 + 0.733 = 3.93 mL → 39.3 mg
    assert view.given.infused_volume_ml == Decimal("3.93")
    assert view.given.dose_mg == Decimal("39.3")
    services.discharge(membership=nurse, session=session)
    services.sign_off(membership=prescriber, session=session)
    session.refresh_from_db()
    assert session.status == SessionStatus.DISCHARGED
    assert session.is_locked
    assert session.discharge_summary["ready"] is True
    with pytest.raises(ValidationError, match="signed and locked"):
        services.add_note(membership=nurse, session=session, text="late entry")


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
    prepare_for_dose(members, session, t0)
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


def test_a_stale_reschedule_is_refused_not_lost(
    members: dict[str, Membership], patient: Patient
) -> None:
    make_eligible(members, patient)
    _, sessions = start_course(members, patient)
    target = sessions[-1]  # the last dose: two hours later keeps every interval
    version = target.version
    front = members[Role.FRONT_DESK]
    later = target.scheduled_start + dt.timedelta(hours=2)
    scheduling.reschedule(
        membership=front,
        session=target,
        new_start=later,
        reason="patient asked",
        expected_version=version,
    )
    with pytest.raises(scheduling.ConflictError):
        scheduling.reschedule(
            membership=members[Role.NURSE],
            session=target,
            new_start=later + dt.timedelta(hours=1),
            reason="other request",
            expected_version=version,
        )
    target.refresh_from_db()
    assert target.scheduled_start == later


def test_front_desk_sees_the_board_but_not_the_session(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    front = client_for(members[Role.FRONT_DESK])
    board = front.get("/c/alpha/sessions/today/")
    assert board.status_code == 200
    assert front.get(f"/c/alpha/sessions/{session.pk}/").status_code == 403
    nurse = client_for(members[Role.NURSE])
    page = nurse.get(f"/c/alpha/sessions/{session.pk}/")
    assert page.status_code == 200
    assert b"Pre-dose checklist" in page.content


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
    prepare_for_dose(members, session, t0)
    order = services.order_dose(membership=prescriber, session=session)
    services.verify_dose(membership=nurse, order=order)
    event = services.record_administration(
        membership=nurse, session=session, action="start", at=t0, stock_lot=lot
    )
    assert (event.lot_number, event.expiry) == ("KET-9", dt.date(2030, 1, 1))
    entry = LedgerEntry.objects.get(administration=event)
    assert entry.session_id == session.pk
    assert entry.quantity == Decimal("-4.12")  # 41.2 mg at 10 mg/mL


def test_the_pre_session_scale_counts_from_yesterday_midnight_in_the_clinic_zone(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse = members[Role.NURSE]
    zone = session.clinic.tzinfo
    now = dt.datetime(2026, 11, 20, 9, 0, tzinfo=zone)
    midnight_yesterday = dt.datetime(2026, 11, 19, 0, 0, tzinfo=zone)

    def scale_line() -> str | None:
        view = selectors.session_view(
            membership=nurse, session_id=session.pk, now=now, record=False
        )
        (line,) = [c for c in view.checklist if c.code == "pre_session_scale"]
        return line.answer

    def record(at: dt.datetime) -> None:
        services.record_session_scale(
            membership=nurse,
            session=session,
            instrument_id="phq9",
            answers=[1, 1, 1, 1, 1, 1, 1, 1, 0],
            context=AssessmentContext.PRE_SESSION,
            administered_at=at,
        )

    record(midnight_yesterday - MINUTES)
    assert scale_line() is None
    record(midnight_yesterday)
    assert scale_line() == "yes"


def test_the_session_page_queries_do_not_grow_with_the_readings(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse = members[Role.NURSE]
    client = client_for(nurse)
    url = f"/c/alpha/sessions/{session.pk}/"

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    services.record_vitals(membership=nurse, session=session, systolic_mmhg=190, diastolic_mmhg=95)
    with_one = queries_for_page()
    for _ in range(5):
        services.record_vitals(
            membership=nurse, session=session, systolic_mmhg=190, diastolic_mmhg=95
        )
    assert queries_for_page() == with_one


def test_a_held_patient_is_stood_down_at_the_chair_not_cancelled_by_the_front_desk(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse, front = members[Role.NURSE], members[Role.FRONT_DESK]
    t0 = timezone.now() - 120 * MINUTES
    prepare_for_dose(members, session, t0)  # checked in, pre-dose charting begun
    with pytest.raises(ValidationError, match="Charting has begun"):
        scheduling.cancel(membership=front, session=session, reason="patient left")
    with pytest.raises(PermissionDenied):
        services.stand_down(membership=front, session=session, reason="BP high")

    url = f"/c/alpha/sessions/{session.pk}/not-dosed/"
    assert client_for(front).post(url, {"not_dosed-reason": "BP high"}).status_code == 403
    chart = client_for(nurse)
    page = chart.get(f"/c/alpha/sessions/{session.pk}/")
    assert b"End the session without a dose" in page.content
    refused = chart.post(url, {"not_dosed-reason": "  "}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200
    assert b"Give a reason." in refused.content
    session.refresh_from_db()
    assert session.status == SessionStatus.PRE_DOSE

    done = chart.post(
        url, {"not_dosed-reason": "BP 172/104 above the hold limit"}, HTTP_HX_REQUEST="true"
    )
    assert done.status_code == 200
    assert b"Not dosed: BP 172/104 above the hold limit" in done.content
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert session.status_reason == "Not dosed: BP 172/104 above the hold limit"
    assert session.checklist.count() == 4  # the pre-dose record stays
    with pytest.raises(ValidationError, match="has not started"):
        services.stand_down(membership=nurse, session=session, reason="again")


def test_only_a_booked_session_is_a_no_show_and_a_started_dose_is_never_cancelled(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    front, nurse = members[Role.FRONT_DESK], members[Role.NURSE]
    scheduling.check_in(membership=front, session=session)
    with pytest.raises(ValidationError, match="no-show"):
        scheduling.cancel(membership=front, session=session, reason="left", no_show=True)
    with pytest.raises(ValidationError, match="Give a reason"):
        scheduling.cancel(membership=front, session=session, reason=" ")
    with pytest.raises(ValidationError, match="within 200 characters"):
        scheduling.cancel(membership=front, session=session, reason="x" * 201)

    t0 = timezone.now() - 120 * MINUTES
    prepare_for_dose(members, session, t0)
    order = services.order_dose(membership=members[Role.PRESCRIBER], session=session)
    services.verify_dose(membership=nurse, order=order)
    services.record_administration(membership=nurse, session=session, action="start", at=t0)
    with pytest.raises(ValidationError):
        scheduling.cancel(membership=front, session=session, reason="left")
    with pytest.raises(ValidationError, match="has not started"):
        services.stand_down(membership=nurse, session=session, reason="left")
    session.refresh_from_db()
    assert session.status == SessionStatus.DOSING
