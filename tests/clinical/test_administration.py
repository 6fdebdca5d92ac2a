"""The total given is computed from the administration record, exactly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from remission.clinical.administration import (
    Action,
    AdministrationRecord,
    check_next,
    exceeds_order,
    given_so_far,
    over_delivery,
)
from remission.clinical.errors import ClinicalInputError

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def rec(
    action: Action, minute: float, rate: str | None = None, mg: str | None = None
) -> AdministrationRecord:
    return AdministrationRecord(
        action=action,
        at=T0 + dt.timedelta(minutes=minute),
        rate_ml_per_h=None if rate is None else Decimal(rate),
        dose_mg=None if mg is None else Decimal(mg),
    )


def test_a_40_minute_infusion_at_6_18_ml_per_h_gives_4_12_ml_and_41_2_mg() -> None:
    records = [rec(Action.START, 0, "6.18"), rec(Action.STOP, 40)]
    given_ = given_so_far(
        records, concentration_mg_per_ml=Decimal("10"), now=T0 + dt.timedelta(hours=2)
    )
    assert given_.infused_volume_ml == Decimal("4.12")
    assert given_.dose_mg == Decimal("41.2")
    assert not given_.running
    assert given_.ended_at == T0 + dt.timedelta(minutes=40)


def test_a_pause_adds_nothing_and_a_rate_change_applies_from_its_time() -> None:
    records = [
        rec(Action.START, 0, "6"),
        rec(Action.PAUSE, 10),
        rec(Action.RESUME, 20),
        rec(Action.RATE_CHANGE, 30, "3"),
        rec(Action.STOP, 50),
    ]
    # 6 mL/h for 10 + 10 min = 2 mL; 3 mL/h for 20 min = 1 mL
    given_ = given_so_far(
        records, concentration_mg_per_ml=Decimal("10"), now=T0 + dt.timedelta(hours=1)
    )
    assert given_.infused_volume_ml == Decimal("3.00")
    assert given_.dose_mg == Decimal("30.0")


def test_a_running_infusion_counts_up_to_now() -> None:
    given_ = given_so_far(
        [rec(Action.START, 0, "6")],
        concentration_mg_per_ml=Decimal("10"),
        now=T0 + dt.timedelta(minutes=30),
    )
    assert given_.running
    assert given_.infused_volume_ml == Decimal("3.00")
    assert given_.current_rate_ml_per_h == Decimal("6")


def test_nasal_devices_add_their_doses() -> None:
    records = [rec(Action.DEVICE, 0, mg="28"), rec(Action.DEVICE, 5, mg="28")]
    assert given_so_far(records, concentration_mg_per_ml=None, now=T0).dose_mg == Decimal("56.0")


@pytest.mark.parametrize(
    ("history", "new", "message"),
    [
        ([], rec(Action.RESUME, 1), "'resume' cannot follow nothing charted"),
        ([rec(Action.START, 0, "6")], rec(Action.RESUME, 1), "'resume' cannot follow start"),
        (
            [rec(Action.START, 0, "6"), rec(Action.STOP, 40)],
            rec(Action.START, 41, "6"),
            "the record is closed",
        ),
        ([], rec(Action.START, 0), "needs a rate above 0"),
        ([rec(Action.START, 10, "6")], rec(Action.STOP, 5), "cannot precede"),
        ([], rec(Action.DEVICE, 0), "needs the dose given in mg"),
    ],
)
def test_impossible_sequences_are_refused(
    history: list[AdministrationRecord], new: AdministrationRecord, message: str
) -> None:
    with pytest.raises(ClinicalInputError, match=message):
        check_next(history, new)


@given(
    rate=st.decimals(min_value=Decimal("0.1"), max_value=Decimal("500"), places=2),
    minutes=st.integers(min_value=1, max_value=240),
)
def test_volume_equals_rate_times_time(rate: Decimal, minutes: int) -> None:
    records = [rec(Action.START, 0, str(rate)), rec(Action.STOP, minutes)]
    given_ = given_so_far(records, concentration_mg_per_ml=None, now=T0 + dt.timedelta(days=1))
    exact = rate * Decimal(minutes) / Decimal(60)
    assert abs(given_.infused_volume_ml - exact) <= Decimal("0.005")


# --- over-delivery ----------------------------------------------------------------------------


def _over(records: list[AdministrationRecord], record: AdministrationRecord, **kw: object):  # type: ignore[no-untyped-def]
    return over_delivery(
        records,
        record,
        ordered_mg=Decimal("35"),
        concentration_mg_per_ml=Decimal("10"),
        **kw,  # type: ignore[arg-type]
    )


def test_a_stop_charted_on_time_is_no_over_delivery() -> None:
    # 35 mg over 40 min at 10 mg/mL is 5.25 mL/h
    assert _over([rec(Action.START, 0, "5.25")], rec(Action.STOP, 40)) is None


def test_a_stop_charted_hours_late_is_an_over_delivery_with_the_figures() -> None:
    found = _over([rec(Action.START, 0, "5.25")], rec(Action.STOP, 40 + 127))
    assert found is not None
    assert (found.given_mg, found.ordered_mg) == (Decimal("146.1"), Decimal("35"))
    assert "146.1 mg was given against 35 mg ordered" in found.message


def test_the_tolerance_absorbs_a_minute_or_two_and_is_configurable_within_bounds() -> None:
    late = rec(Action.STOP, 42)  # 36.75 mg: 5 % over
    assert _over([rec(Action.START, 0, "5.25")], late) is None
    zero = {"administration.over_delivery_tolerance_percent": 0}
    assert _over([rec(Action.START, 0, "5.25")], late, overrides=zero) is not None
    with pytest.raises(ClinicalInputError):
        _over(
            [rec(Action.START, 0, "5.25")],
            late,
            overrides={"administration.over_delivery_tolerance_percent": 50},
        )


def test_a_second_injection_is_an_over_delivery() -> None:
    first = rec(Action.INJECTION, 0, mg="35")
    assert _over([], first) is None
    assert _over([first], rec(Action.INJECTION, 5, mg="35")) is not None


@given(minutes=st.integers(min_value=1, max_value=600))
def test_over_delivery_is_exactly_given_beyond_the_allowed_amount(minutes: int) -> None:
    start = rec(Action.START, 0, "5.25")
    stop = rec(Action.STOP, minutes)
    given_mg = given_so_far(
        [start, stop], concentration_mg_per_ml=Decimal("10"), now=stop.at
    ).dose_mg
    assert (_over([start], stop) is not None) == (given_mg > Decimal("36.8"))


def test_the_amount_so_far_is_judged_against_the_order_by_the_same_tolerance() -> None:
    # 35 mg + 5 % = 36.75, kept to 0.1 mg as the record rounds: 36.8 mg is still allowed
    assert exceeds_order(Decimal("36.8"), ordered_mg=Decimal("35")) is None
    over = exceeds_order(Decimal("36.9"), ordered_mg=Decimal("35"))
    assert over is not None
    assert (over.given_mg, over.allowed_mg) == (Decimal("36.9"), Decimal("36.8"))
