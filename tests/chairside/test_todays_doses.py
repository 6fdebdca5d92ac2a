"""The chair-side enforces the core's judgement of today's doses like the other pre-dose holds:
the service refuses to start a held dose with the reason, the screen lists the same reasons."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.chairside import selectors, services
from remission.chairside.models import ChecklistEntry
from remission.scheduling.models import TreatmentSession
from tests.world import client_for
from tests.world.chairside import ready_for_dose

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]
MINUTES = dt.timedelta(minutes=1)


def _ordered(members: dict[str, Membership], session: TreatmentSession, t0: dt.datetime) -> None:
    ready_for_dose(members, session, t0)
    order = services.order_dose(membership=members[Role.PRESCRIBER], session=session)
    services.verify_dose(membership=members[Role.NURSE], order=order)


def _answer(members: dict[str, Membership], session: TreatmentSession, item: str, answer: str,
            **amount: object) -> None:  # fmt: skip
    services.answer_checklist(
        membership=members[Role.NURSE], session=session, item=item, answer=answer, **amount
    )


def test_alcohol_in_the_last_day_holds_the_dose_until_the_answer_changes(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    t0 = timezone.now() - 120 * MINUTES
    _ordered(members, session, t0)
    _answer(members, session, "alcohol_last_24h", "yes")
    nurse = members[Role.NURSE]
    with pytest.raises(ValidationError, match="Today's doses say hold: alcohol in the last 24"):
        services.record_administration(membership=nurse, session=session, action="start", at=t0)
    view = selectors.session_view(membership=nurse, session_id=session.pk, record=False)
    assert any("alcohol in the last 24 hours" in r for r in view.ready_to_start)

    _answer(members, session, "alcohol_last_24h", "no")  # corrected: the latest answer wins
    services.record_administration(membership=nurse, session=session, action="start", at=t0)


def test_a_benzodiazepine_above_the_limit_holds_and_below_it_is_a_caution(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    t0 = timezone.now() - 120 * MINUTES
    _ordered(members, session, t0)
    nurse = members[Role.NURSE]
    _answer(members, session, "benzodiazepine_today", "yes", drug="alprazolam",
            dose_mg=Decimal("1.5"))  # fmt: skip
    with pytest.raises(ValidationError, match=r"alprazolam 1\.5 mg today ≈ 3 mg"):
        services.record_administration(membership=nurse, session=session, action="start", at=t0)
    entry = ChecklistEntry.objects.filter(session=session, item="benzodiazepine_today").last()
    assert entry is not None and entry.drug == "alprazolam" and entry.dose_mg == Decimal("1.5")

    _answer(members, session, "benzodiazepine_today", "yes", drug="lorazepam",
            dose_mg=Decimal("0.5"))  # fmt: skip
    view = selectors.session_view(membership=nurse, session_id=session.pk, record=False)
    assert view.todays_doses is not None and view.todays_doses.status == "caution"
    services.record_administration(membership=nurse, session=session, action="start", at=t0)


def test_a_yes_without_the_amount_is_recorded_and_holds(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    t0 = timezone.now() - 120 * MINUTES
    _ordered(members, session, t0)
    _answer(members, session, "benzodiazepine_today", "yes")
    with pytest.raises(ValidationError, match="which one and how much is not recorded"):
        services.record_administration(
            membership=members[Role.NURSE], session=session, action="start", at=t0
        )


@pytest.mark.parametrize(
    ("item", "answer", "amount", "message"),
    [
        ("benzodiazepine_today", "yes", {"drug": "sertraline"}, "not a benzodiazepine"),
        ("benzodiazepine_today", "yes", {"drug": "lorazepam", "dose_mg": Decimal(0)},
         "above 0"),
        ("opioid_today", "yes", {"drug": "lorazepam"}, "only with the answer yes"),
        ("benzodiazepine_today", "no", {"dose_mg": Decimal(1)}, "only with the answer yes"),
        ("alcohol_last_24h", "n/a", {}, "answer yes or no"),
    ],
)  # fmt: skip
def test_the_service_refuses_an_amount_it_cannot_read(
    members: dict[str, Membership], session: TreatmentSession, item, answer, amount, message
) -> None:
    with pytest.raises(ValidationError, match=message):
        _answer(members, session, item, answer, **amount)


def test_the_screen_asks_which_and_how_much_and_shows_the_hold(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    t0 = timezone.now() - 120 * MINUTES
    _ordered(members, session, t0)
    nurse = client_for(members[Role.NURSE])
    url = f"/c/alpha/sessions/{session.pk}/checklist/"
    page = nurse.post(
        url,
        {"item": "benzodiazepine_today", "answer": "yes", "drug": "clonazepam", "dose_mg": "2"},
        follow=True,
    )
    html = page.content.decode()
    assert 'name="dose_mg"' in html and '<option value="clonazepam">' in html
    assert "Today&#x27;s doses: Hold" in html or "Today's doses: Hold" in html
    assert "clonazepam 2 mg today ≈ 4 mg lorazepam-equivalent" in html
    bad = nurse.post(url, {"item": "benzodiazepine_today", "answer": "yes", "dose_mg": "two"},
                     follow=True)  # fmt: skip
    assert "The amount taken must be a number of mg." in bad.content.decode()
