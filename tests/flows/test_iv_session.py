"""A whole IV session through the services: check-in to sign-off, with an acknowledged BP
alert and an adverse event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.models import AuditEvent
from remission.chairside import selectors, services
from remission.scheduling.models import SessionStatus, TreatmentSession
from tests.world.chairside import chart_recovered, explain_missed_checks, ready_for_dose

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


MINUTES = dt.timedelta(minutes=1)


def test_a_full_iv_session_from_check_in_to_sign_off(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse, prescriber = members[Role.NURSE], members[Role.PRESCRIBER]
    t0 = timezone.now() - 120 * MINUTES
    ready_for_dose(members, session, t0)

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
    assert [set(a.codes) for a in alerts] == [
        {"BP_SYSTOLIC_HIGH", "BP_SYSTOLIC_RISE", "BP_DIASTOLIC_RISE"}
    ]
    # Chair-side entries are audited against the patient, so the chart's access log shows them.
    charted = AuditEvent.objects.filter(patient_id=session.patient_id, clinic_id=session.clinic_id)
    assert {e.summary for e in charted.filter(object_type="chairside.sessionalert")} == {
        f"alert raised {', '.join(a.codes)}" for a in alerts
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
    chart_recovered(nurse, session)
    services.discharge(membership=nurse, session=session)
    with pytest.raises(ValidationError, match="was not charted"):
        services.sign_off(membership=prescriber, session=session)  # checks the test skipped
    explain_missed_checks(nurse, session)
    services.sign_off(membership=prescriber, session=session)
    session.refresh_from_db()
    assert session.status == SessionStatus.DISCHARGED
    assert session.is_locked
    assert session.discharge_summary["ready"] is True
    with pytest.raises(ValidationError, match="signed and locked"):
        services.add_note(membership=nurse, session=session, text="late entry")
