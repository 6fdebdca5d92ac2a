"""The session's pharmacokinetic curve: planned from the order, charted from the infusion, served
as SVG to clinical staff."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.chairside import selectors, services
from remission.chairside.pk import session_prediction
from remission.patients.models import Patient
from remission.scheduling.models import TreatmentSession
from tests.world import client_for
from tests.world.chairside import ready_for_dose
from tests.world.treatment import make_eligible, start_course

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


@pytest.fixture
def ordered(members: dict[str, Membership], patient: Patient) -> TreatmentSession:
    make_eligible(members, patient)
    _, sessions = start_course(members, patient)
    session = sessions[0]
    TreatmentSession.objects.filter(pk=session.pk).update(
        scheduled_start=timezone.now() - dt.timedelta(minutes=60)
    )
    session.refresh_from_db()
    ready_for_dose(members, session, timezone.now() - dt.timedelta(minutes=50))
    order = services.order_dose(membership=members[Role.PRESCRIBER], session=session)
    services.verify_dose(membership=members[Role.NURSE], order=order)
    return session


def test_the_planned_curve_peaks_at_the_end_of_the_ordered_infusion(
    members: dict[str, Membership], ordered: TreatmentSession
) -> None:
    view = selectors.session_view(
        membership=members[Role.NURSE], session_id=ordered.pk, record=False
    )
    result = session_prediction(view)
    assert result is not None
    prediction, charted = result
    assert not charted
    assert prediction.model_id == "clements1981"
    assert 38 <= prediction.tmax_min <= 41  # the end of a 40-min infusion
    # 41.2 mg over 40 min for 82.4 kg: the typical curve is near the published ~185 ng/mL
    assert 150 < prediction.cmax_ng_per_ml < 200


def test_the_charted_curve_follows_a_paused_infusion(
    members: dict[str, Membership], ordered: TreatmentSession
) -> None:
    nurse = members[Role.NURSE]
    t0 = timezone.now() - dt.timedelta(minutes=45)
    services.record_administration(membership=nurse, session=ordered, action="start", at=t0)
    services.record_administration(
        membership=nurse, session=ordered, action="pause", at=t0 + dt.timedelta(minutes=10)
    )
    view = selectors.session_view(membership=nurse, session_id=ordered.pk, record=False)
    prediction, charted = session_prediction(view)  # type: ignore[misc]
    assert charted
    assert 9 <= prediction.tmax_min <= 11  # only 10 minutes ran
    assert prediction.cmax_ng_per_ml < 100


def test_the_chart_is_served_as_svg_to_clinical_staff_only(
    members: dict[str, Membership], ordered: TreatmentSession
) -> None:
    url = f"/c/alpha/sessions/{ordered.pk}/concentration.svg"
    response = client_for(members[Role.NURSE]).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    assert client_for(members[Role.FRONT_DESK]).get(url).status_code == 403
