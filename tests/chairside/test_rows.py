"""The dose order and MAR line builders shared by the chair-side services and the demo: the
course's settings (or the protocol defaults when it leaves them blank) reach the calculator,
and the order holds the calculator's figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from remission.accounts.models import User
from remission.chairside import rows
from remission.chairside.models import AdministrationAction
from remission.clinical import dosing
from remission.clinical.routes import Route
from remission.scheduling.models import TreatmentSession
from remission.treatment.models import TreatmentCourse

AT = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)
PRESCRIBER = User(username="prescriber")


def _dose(course: TreatmentCourse, **kwargs: object) -> dosing.WeightBasedDose:
    return rows.weight_based_dose(
        Route.IV_RACEMIC,
        course,
        actual_weight_kg=Decimal("80.04"),
        height_cm=None,
        sex_at_birth="unknown",
        overrides=None,
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_course_without_settings_gets_the_protocol_defaults() -> None:
    result = _dose(TreatmentCourse(weight_basis="actual"))
    assert (result.mg_per_kg, result.concentration_mg_per_ml) == (Decimal("0.5"), Decimal("10"))
    assert result.infusion_minutes == Decimal("40")
    assert result.actual_weight_kg == Decimal("80.0")  # weighed to 0.1 kg
    assert result.dose_mg == Decimal("40.0")


def test_the_prescribers_mg_per_kg_overrides_the_courses() -> None:
    course = TreatmentCourse(weight_basis="actual", mg_per_kg=Decimal("0.5"))
    assert _dose(course, mg_per_kg=Decimal("0.75")).dose_mg == Decimal("60.0")


def test_an_intramuscular_course_gets_an_injection_without_a_rate() -> None:
    result = rows.weight_based_dose(
        Route.IM_RACEMIC,
        TreatmentCourse(weight_basis="actual", mg_per_kg=Decimal("0.5")),
        actual_weight_kg=Decimal("70"),
        height_cm=None,
        sex_at_birth="female",
        overrides=None,
    )
    assert result.rate_ml_per_h is None and result.dose_mg == Decimal("35.0")


def test_the_order_holds_the_calculators_figures_and_the_weight_it_used() -> None:
    session = TreatmentSession(scheduled_start=AT)
    result = _dose(TreatmentCourse(weight_basis="actual"))
    order = rows.order(session, result, weight_measured_on=AT.date(), recorded_by=PRESCRIBER)
    assert (order.dose_mg, order.volume_ml, order.rate_ml_per_h) == (
        result.dose_mg,
        result.volume_ml,
        result.rate_ml_per_h,
    )
    assert order.route == Route.IV_RACEMIC.value and order.drug == rows.RACEMIC_DRUG
    assert order.weight_kg == Decimal("80.0") and not order.warnings_acknowledged


def test_an_esketamine_order_counts_devices() -> None:
    plan = dosing.plan_esketamine_devices(dose_mg=Decimal(84), first_induction_dose=False)
    order = rows.order(
        TreatmentSession(scheduled_start=AT), plan, recorded_by=PRESCRIBER, recorded_at=AT
    )
    assert (order.devices, order.dose_mg, order.recorded_at) == (3, Decimal(84), AT)


def test_a_mar_line_written_later_keeps_its_recorded_time() -> None:
    session = TreatmentSession(scheduled_start=AT)
    order = rows.order(
        session,
        dosing.plan_esketamine_devices(dose_mg=Decimal(56), first_induction_dose=True),
        recorded_by=PRESCRIBER,
    )
    later = AT + dt.timedelta(minutes=1)
    event = rows.administration(
        session,
        order,
        action=AdministrationAction.DEVICE,
        at=AT,
        recorded_by=PRESCRIBER,
        dose_mg=Decimal(28),
        recorded_at=later,
    )
    assert (event.at, event.recorded_at, event.dose_mg) == (AT, later, Decimal(28))
