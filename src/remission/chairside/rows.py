"""The dose order, the administration line and the discharge assessment as they are written,
from the clinical core's values.

Pure builders (nothing is read, checked or saved) so that ``chairside.services`` and the demo's
bulk writer make the same rows: the services add the checks and the save; the demo, which writes
history, passes the times the entries were recorded then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from remission.accounts.models import User
from remission.chairside.models import (
    AdministrationEvent,
    DischargeChartingEntry,
    DoseOrder,
    SessionAlert,
    VitalSignEntry,
)
from remission.clinical import dosing, registry
from remission.clinical.monitoring import (
    SCORES,
    DischargeAssessment,
    DischargeCharting,
    ScoreItem,
    ScoreSystem,
    Severity,
    VitalAlert,
)
from remission.clinical.routes import Route
from remission.scheduling.models import TreatmentSession
from remission.serialization import to_jsonable
from remission.treatment.models import TreatmentCourse

ESKETAMINE_DRUG = "esketamine nasal spray (28 mg per device)"
RACEMIC_DRUG = "ketamine hydrochloride (racemic)"
WEIGHT_PRECISION = Decimal("0.1")  # kg, as the dosing calculator takes it

# The course's own settings, or these when a course leaves them blank (the protocol defaults).
DEFAULT_MG_PER_KG = Decimal("0.5")
DEFAULT_CONCENTRATION_MG_PER_ML = Decimal("10")
DEFAULT_INFUSION_MINUTES = 40
DEFAULT_ESKETAMINE_DOSE_MG = 56


def weight_based_dose(
    route: Route,
    course: TreatmentCourse,
    *,
    actual_weight_kg: Decimal,
    height_cm: Decimal | None,
    sex_at_birth: str,
    overrides: registry.Overrides | None,
    mg_per_kg: Decimal | None = None,
) -> dosing.WeightBasedDose:
    """Racemic ketamine IV or IM from the course's settings (``mg_per_kg`` overrides the
    course's), for the patient's weight, height and sex at birth."""
    sex = dosing.Sex(sex_at_birth) if sex_at_birth in ("female", "male") else None
    common: dict[str, Any] = {
        "actual_weight_kg": actual_weight_kg.quantize(WEIGHT_PRECISION),
        "mg_per_kg": mg_per_kg or course.mg_per_kg or DEFAULT_MG_PER_KG,
        "concentration_mg_per_ml": course.concentration_mg_per_ml
        or DEFAULT_CONCENTRATION_MG_PER_ML,
        "basis": dosing.WeightBasis(course.weight_basis),
        "height_cm": height_cm,
        "sex": sex,
        "overrides": overrides,
    }
    if route is Route.IV_RACEMIC:
        minutes = Decimal(course.infusion_minutes or DEFAULT_INFUSION_MINUTES)
        return dosing.calculate_iv_infusion(infusion_minutes=minutes, **common)
    return dosing.calculate_im_injection(**common)


def order(
    session: TreatmentSession,
    calculation: dosing.WeightBasedDose | dosing.EsketamineDevicePlan,
    *,
    recorded_by: User,
    weight_measured_on: dt.date | None = None,
    recorded_at: dt.datetime | None = None,
    warnings_acknowledged: bool = False,
) -> DoseOrder:
    """The order a dosing calculation gives: racemic ketamine from a weight-based dose (on the
    weight measured on ``weight_measured_on``), or 28 mg esketamine devices from a device plan."""
    if isinstance(calculation, dosing.EsketamineDevicePlan):
        fields: dict[str, Any] = {
            "drug": ESKETAMINE_DRUG,
            "route": Route.ESKETAMINE_NASAL.value,
            "devices": calculation.device_count,
        }
    else:
        minutes = calculation.infusion_minutes
        fields = {
            "drug": RACEMIC_DRUG,
            "route": calculation.route.value,
            "mg_per_kg": calculation.mg_per_kg,
            "weight_kg": calculation.actual_weight_kg,
            "weight_measured_on": weight_measured_on,
            "weight_basis": calculation.basis.value,
            "dosing_weight_kg": calculation.dosing_weight_kg,
            "concentration_mg_per_ml": calculation.concentration_mg_per_ml,
            "volume_ml": calculation.volume_ml,
            "infusion_minutes": None if minutes is None else int(minutes),
            "rate_ml_per_h": calculation.rate_ml_per_h,
        }
    dose_order = DoseOrder(
        session=session,
        recorded_by=recorded_by,
        dose_mg=calculation.dose_mg,
        warnings=to_jsonable(calculation.warnings),
        warnings_acknowledged=warnings_acknowledged,
        calculation=to_jsonable(calculation),
        **fields,
    )
    if recorded_at is not None:
        dose_order.recorded_at = recorded_at
    return dose_order


def administration(
    session: TreatmentSession,
    order: DoseOrder,
    *,
    action: str,
    at: dt.datetime,
    recorded_by: User,
    rate_ml_per_h: Decimal | None = None,
    dose_mg: Decimal | None = None,
    product: str = "",
    lot_number: str = "",
    expiry: dt.date | None = None,
    reason: str = "",
    recorded_at: dt.datetime | None = None,
) -> AdministrationEvent:
    """One line of the medication administration record."""
    event = AdministrationEvent(
        session=session,
        order=order,
        recorded_by=recorded_by,
        action=action,
        at=at,
        rate_ml_per_h=rate_ml_per_h,
        dose_mg=dose_mg,
        product=product,
        lot_number=lot_number,
        expiry=expiry,
        reason=reason,
    )
    if recorded_at is not None:
        event.recorded_at = recorded_at
    return event


def administration_summary(event: AdministrationEvent) -> str:
    return f"{event.get_action_display()} {event.order}"


# the hand-charted items of every score, one column each on ``DischargeChartingEntry``
CHARTED_SCORE_ITEMS: tuple[ScoreItem, ...] = tuple(
    dict.fromkeys(d.item for score in SCORES.values() for d in score.charted_items)
)


def discharge_charting(
    session: TreatmentSession,
    charting: DischargeCharting,
    *,
    system: ScoreSystem,
    recorded_by: User,
) -> DischargeChartingEntry:
    """The row of a discharge assessment (recorded at ``charting.charted_at``)."""
    return DischargeChartingEntry(
        session=session,
        recorded_by=recorded_by,
        recorded_at=charting.charted_at,
        score_system=system.value,
        supplemental_oxygen=charting.supplemental_oxygen,
        oriented=charting.oriented,
        escort_present=charting.escort_present,
        driving_advice_given=charting.driving_advice_given,
        **{item.value: charting.points.get(item) for item in CHARTED_SCORE_ITEMS},
    )


def charting_of(entry: DischargeChartingEntry) -> DischargeCharting:
    """The clinical core's view of a stored discharge assessment."""
    points = {
        item: getattr(entry, item.value)
        for item in CHARTED_SCORE_ITEMS
        if getattr(entry, item.value) is not None
    }
    return DischargeCharting(
        charted_at=entry.recorded_at,
        points=points,
        supplemental_oxygen=entry.supplemental_oxygen,
        oriented=entry.oriented,
        escort_present=entry.escort_present,
        driving_advice_given=entry.driving_advice_given,
    )


def discharge_summary(
    assessment: DischargeAssessment, charting: DischargeCharting
) -> dict[str, Any]:
    """What the session keeps of its discharge: the readiness (criteria, score and its items)
    and the nurse's assessment it was read from."""
    summary: dict[str, Any] = to_jsonable(assessment)
    score = assessment.score
    if score is not None:  # the totals are computed, not fields: kept for whoever reads later
        summary["score"] |= {"total": score.total, "passed": score.passed}
    summary["charting"] = to_jsonable(charting)
    return summary


def reading_alert(
    session: TreatmentSession,
    alerts: Sequence[VitalAlert],
    *,
    vital: VitalSignEntry | None = None,
) -> SessionAlert:
    """The one alert a reading raises, listing every reason the clinical core gave (most
    severe first); acknowledged once, for the reading."""
    if not alerts:
        raise ValueError("a reading alert needs at least one reason")
    ordered = sorted(alerts, key=lambda a: a.severity is not Severity.URGENT)
    reasons = [
        {
            "code": a.code,
            "severity": a.severity.value,
            "message": a.message,
            "advice": a.advice,
            "source": a.evidence.label(),
        }
        for a in ordered
    ]
    advice = list(dict.fromkeys(a.advice for a in ordered if a.advice))
    message = "; ".join(a.message for a in ordered) + ". " + " ".join(advice)
    return SessionAlert(
        session=session,
        vital=vital,
        code=ordered[0].code,
        severity=ordered[0].severity.value,
        message=message.strip()[:300],
        source="; ".join(dict.fromkeys(r["source"] for r in reasons))[:300],
        raised_at=ordered[0].measured_at,
        reasons=reasons,
    )
