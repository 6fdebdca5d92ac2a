"""Before a dose starts, and which medication-record entries may follow (clinical core)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from remission.clinical import administration as adm
from remission.clinical import session_rules as rules
from remission.clinical.monitoring import VitalSigns, predose_check
from remission.clinical.routes import RouteFamily

T0 = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
CALM = predose_check(
    VitalSigns(
        measured_at=T0,
        systolic_mmhg=122,
        diastolic_mmhg=78,
        heart_rate_bpm=72,
        spo2_percent=98,
        respiratory_rate_per_min=14,
    )
)
HYPERTENSIVE = predose_check(
    VitalSigns(measured_at=T0, systolic_mmhg=190, diastolic_mmhg=115, heart_rate_bpm=80)
)


def _ready(**changes: object) -> rules.StartFacts:
    facts = {
        "unmet_checklist": (),
        "has_order": True,
        "order_verified": True,
        "predose": CALM,
    }
    facts.update(changes)
    return rules.StartFacts(**facts)  # type: ignore[arg-type]


def _codes(facts: rules.StartFacts) -> list[str]:
    return [p.code for p in rules.start_problems(facts)]


def test_a_ready_session_has_no_problem() -> None:
    assert rules.start_problems(_ready()) == []


def test_each_unmet_checklist_item_is_one_reason_in_the_checklist_order() -> None:
    problems = rules.start_problems(_ready(unmet_checklist=("Identity", "Escort")))
    assert [p.message for p in problems] == ["Checklist: Identity", "Checklist: Escort"]


def test_no_order_is_a_reason_and_hides_the_verification_reason() -> None:
    assert _codes(_ready(has_order=False, order_verified=False)) == ["no_order"]


def test_an_order_without_a_second_check_cannot_start_and_says_why() -> None:
    (problem,) = rules.start_problems(_ready(order_verified=False))
    assert problem.code == "not_verified"
    assert problem.message == (
        "The dose order is not yet verified: waiting for a second person to verify it"
    )
    assert problem.evidence is rules.TWO_PERSON_CHECK


def test_programme_stops_are_listed_as_worded() -> None:
    stops = ("Patient not enrolled in the SPRAVATO REMS", "No REMS certification number")
    problems = rules.start_problems(_ready(programme_stops=stops))
    assert [p.message for p in problems] == list(stops)


def test_missing_pre_dose_vitals_stop_the_dose() -> None:
    assert _codes(_ready(predose=None)) == ["no_predose_vitals"]


def test_pre_dose_vitals_on_hold_stop_the_dose_with_their_findings() -> None:
    (problem,) = rules.start_problems(_ready(predose=HYPERTENSIVE))
    assert problem.code == "predose_hold"
    assert problem.message.startswith("Pre-dose vitals say hold: ")
    assert all(f.message in problem.message for f in HYPERTENSIVE.findings)


def test_an_expired_lot_stops_the_dose_but_one_expiring_today_does_not() -> None:
    today = dt.date(2026, 12, 2)
    expired = _ready(lot_number="K123", lot_expiry=today - dt.timedelta(days=1), on=today)
    assert [p.message for p in rules.start_problems(expired)] == ["Lot K123 expired on 2026-12-01."]
    assert rules.start_problems(_ready(lot_number="K123", lot_expiry=today, on=today)) == []


def test_every_reason_is_listed_at_once_in_a_fixed_order() -> None:
    facts = rules.StartFacts(
        unmet_checklist=("Identity",),
        has_order=True,
        order_verified=False,
        predose=None,
        programme_stops=("REMS",),
        lot_number="K1",
        lot_expiry=dt.date(2026, 1, 1),
        on=dt.date(2026, 12, 2),
    )
    assert _codes(facts) == [
        "checklist",
        "not_verified",
        "programme",
        "no_predose_vitals",
        "lot_expired",
    ]


def _rec(action: adm.Action, minutes: int) -> adm.AdministrationRecord:
    rate = Decimal("100") if action in (adm.Action.START, adm.Action.RATE_CHANGE) else None
    dose = Decimal("28") if action in (adm.Action.DEVICE, adm.Action.INJECTION) else None
    return adm.AdministrationRecord(
        action=action, at=T0 + dt.timedelta(minutes=minutes), rate_ml_per_h=rate, dose_mg=dose
    )


@pytest.mark.parametrize(
    ("family", "records", "expected"),
    [
        (RouteFamily.IV, [], [adm.Action.START]),
        (
            RouteFamily.IV,
            [adm.Action.START],
            [adm.Action.PAUSE, adm.Action.RATE_CHANGE, adm.Action.STOP],
        ),
        (
            RouteFamily.IV,
            [adm.Action.START, adm.Action.PAUSE],
            [adm.Action.RESUME, adm.Action.STOP],
        ),
        (RouteFamily.IV, [adm.Action.START, adm.Action.STOP], []),
        (RouteFamily.IM, [], [adm.Action.INJECTION]),
        # a second injection may follow the first (a split dose)
        (RouteFamily.IM, [adm.Action.INJECTION], [adm.Action.INJECTION]),
        (RouteFamily.ESKETAMINE_NASAL, [], [adm.Action.DEVICE]),
        (RouteFamily.ESKETAMINE_NASAL, [adm.Action.DEVICE], [adm.Action.DEVICE]),
        (None, [], []),
    ],
)
def test_the_entries_that_may_follow_depend_on_the_route_and_the_record(
    family: RouteFamily | None, records: list[adm.Action], expected: list[adm.Action]
) -> None:
    history = [_rec(action, n * 10) for n, action in enumerate(records)]
    assert rules.allowed_actions(family, history) == expected


def test_every_route_family_has_its_entries() -> None:
    assert set(rules.ACTIONS_BY_FAMILY) == set(RouteFamily)


def test_a_nasal_device_within_five_minutes_of_the_last_is_refused() -> None:
    history = [_rec(adm.Action.DEVICE, 0)]
    too_soon = rules.device_problems(history, T0 + dt.timedelta(minutes=4, seconds=59), 3)
    assert [p.code for p in too_soon] == ["device_gap"]
    assert rules.device_problems(history, T0 + dt.timedelta(minutes=5), 3) == []


def test_no_more_devices_than_ordered() -> None:
    history = [_rec(adm.Action.DEVICE, 0), _rec(adm.Action.DEVICE, 5)]
    problems = rules.device_problems(history, T0 + dt.timedelta(minutes=20), 2)
    assert [p.message for p in problems] == ["All 2 ordered devices are already charted."]
    assert rules.device_problems([], T0, None) == []


# --- the minimum interval across courses ------------------------------------------------------


def _dose(hours_before: float, family: RouteFamily = RouteFamily.IV) -> rules.PriorDose:
    return rules.PriorDose(
        started_at=T0 - dt.timedelta(hours=hours_before), family=family, label="the other dose"
    )


def test_a_dose_of_another_course_within_the_interval_stops_the_dose() -> None:
    facts = _ready(
        family=RouteFamily.IV,
        starts_at=T0,
        prior_doses=(_dose(3, RouteFamily.ESKETAMINE_NASAL),),
    )
    (problem,) = rules.start_problems(facts)
    assert problem.code == "min_interval"
    assert "48-hour minimum interval of the other dose" in problem.message


def test_the_interval_holds_either_side_and_ends_at_its_length() -> None:
    later = rules.PriorDose(started_at=T0 + dt.timedelta(hours=2), family=RouteFamily.IV, label="x")
    assert _codes(_ready(family=RouteFamily.IV, starts_at=T0, prior_doses=(later,))) == [
        "min_interval"
    ]
    assert _codes(_ready(family=RouteFamily.IV, starts_at=T0, prior_doses=(_dose(48),))) == []
    assert _codes(_ready(family=RouteFamily.IV, starts_at=T0, prior_doses=(_dose(47.9),))) == [
        "min_interval"
    ]


def test_the_longer_of_the_two_families_intervals_applies() -> None:
    overrides = {"protocols.esketamine_nasal.min_interval_hours": 72}
    facts = _ready(
        family=RouteFamily.IV,
        starts_at=T0,
        prior_doses=(_dose(60, RouteFamily.ESKETAMINE_NASAL),),
    )
    assert [p.code for p in rules.start_problems(facts, overrides)] == ["min_interval"]
    assert rules.start_problems(facts) == []
    assert rules.interval_hours(RouteFamily.IV, RouteFamily.ESKETAMINE_NASAL, overrides) == 72


# --- chart times ----------------------------------------------------------------------------


def test_a_chart_time_in_the_future_is_refused_beyond_a_minute_of_clock_difference() -> None:
    opened = T0 - dt.timedelta(hours=1)
    assert (
        rules.charted_time_problems(T0 + dt.timedelta(seconds=59), now=T0, opened_at=opened) == []
    )
    (problem,) = rules.charted_time_problems(
        T0 + dt.timedelta(minutes=90), now=T0, opened_at=opened
    )
    assert problem.code == "in_future"
    assert problem.evidence is rules.CHARTED_WHEN_IT_HAPPENED


def test_a_chart_time_before_the_session_began_is_refused() -> None:
    opened = T0 - dt.timedelta(hours=1)
    codes = [
        p.code
        for p in rules.charted_time_problems(
            opened - dt.timedelta(minutes=1), now=T0, opened_at=opened
        )
    ]
    assert codes == ["before_session"]
    assert rules.charted_time_problems(opened, now=T0, opened_at=opened) == []
    assert rules.charted_time_problems(T0 - dt.timedelta(days=3), now=T0, opened_at=None) == []


def test_a_session_opens_an_hour_before_its_booking_or_at_an_earlier_check_in() -> None:
    booked = T0
    assert rules.session_opened_at(booked, None) == T0 - dt.timedelta(hours=1)
    late_check_in = T0 + dt.timedelta(minutes=20)
    assert rules.session_opened_at(booked, late_check_in) == T0 - dt.timedelta(hours=1)
    early_check_in = T0 - dt.timedelta(hours=2)
    assert rules.session_opened_at(booked, early_check_in) == early_check_in
